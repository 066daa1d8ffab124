"""Generated text stays within the result schema's bound however large the authored rule."""

from __future__ import annotations

from engine.results import MAX_EXPLANATION, clip
from tests.conftest import catalog, course, row, ruleset, run, student


def test_clip_keeps_short_text_and_marks_a_cut() -> None:
    assert clip("Met.") == "Met."
    cut = clip("x" * (MAX_EXPLANATION + 10))
    assert len(cut) == MAX_EXPLANATION
    assert cut.endswith("\u2026")


def test_a_selector_of_hundreds_of_long_ids_still_gives_a_valid_audit() -> None:
    ids = [f"COURSE-{i:04d}-" + "X" * 50 for i in range(600)]
    cat = catalog(*(course(cid, subject="elective") for cid in ids))
    # No title: the requirement's title and reason are made from its selector.
    rset = ruleset({"electives": {"credits": 3, "from": {"course": ids}}})
    goal = run(cat, rset, student(row(ids[0], "A")))  # validated as a GoalResult
    (electives,) = goal.requirements
    assert electives.status == "unmet"
    assert ids[0] in electives.title
    assert len(electives.title) <= MAX_EXPLANATION
    assert len(electives.reason) <= MAX_EXPLANATION
