"""Substitutions and waivers change the allocation itself, before it is made, and show why."""

from __future__ import annotations

from typing import Any

from engine.audit import audit_goal
from engine.normalize import resolve_transcript
from engine.policy import policies_for
from engine.requirements import compile_set
from tests.conftest import catalog, course, req, ruleset, student

CAT = catalog(
    course("SPAN1", subject="lote"),
    course("CS1", subject="cs", attributes=["prog"]),
    course("CS2", subject="cs", attributes=["prog"]),
    course("ART1", subject="art"),
)
SRC = {"citation": "test fixture", "year": 2025}
REQUIREMENTS = {
    "lote": {"credits": 2, "from": {"subject": "lote"}},
    "electives": {"credits": 2, "from": {}},
}


def run(policies: list[dict[str, Any]], *rows: dict[str, Any], **kw: Any) -> Any:
    rset = ruleset(REQUIREMENTS, policies=policies)
    stu = student(*rows, **kw)
    resolved, _ = resolve_transcript(stu, CAT)
    return audit_goal(compile_set(rset, CAT), resolved, stu, policies=policies_for(rset, CAT))


SUBSTITUTE = {
    "id": "cs-counts",
    "title": "programming for language",
    "source": SRC,
    "when": [{"credits": {"at_least": 1}, "from": {"attribute": "prog"}}],
    "then": [{"substitute": "lote", "with": {"attribute": "prog"}, "reason": "allowed"}],
}
WAIVE = {
    "id": "committee",
    "title": "committee waiver",
    "source": SRC,
    "when": [{"flag": "iep"}],
    "then": [{"waive": "lote", "reason": "the ARD committee waived it"}],
}


def rows(*ids: str) -> list[dict[str, Any]]:
    return [{"course": c, "grade": "A", "grade_level": 9} for c in ids]


def test_a_substitution_lets_the_courses_count_there() -> None:
    goal = run([SUBSTITUTE], *rows("SPAN1", "CS1", "ART1", "CS2"))
    lote = req(goal, "lote")
    assert lote.status == "met"
    assert {a.course for a in lote.applied} & {"CS1", "CS2"}
    assert [(p.policy, p.action, p.reason) for p in lote.policies] == [
        ("cs-counts", "substitute", "allowed")
    ]
    assert goal.status == "met"
    without = run([], *rows("SPAN1", "CS1", "ART1", "CS2"))
    assert req(without, "lote").status == "unmet"
    assert without.status == "unmet"


def test_a_waiver_frees_the_courses_for_other_requirements() -> None:
    goal = run([WAIVE], *rows("SPAN1", "ART1"), flags=["iep"])
    lote = req(goal, "lote")
    assert (lote.status, lote.applied, lote.progress) == ("met", (), None)
    assert lote.reason == "Waived (policy committee): the ARD committee waived it"
    assert {a.course for a in req(goal, "electives").applied} == {"SPAN1", "ART1"}
    assert goal.status == "met"
    assert "2 of 2 requirements met" in goal.summary


def test_no_flag_no_waiver() -> None:
    goal = run([WAIVE], *rows("SPAN1", "ART1"))
    assert req(goal, "lote").status == "unmet"
    assert req(goal, "lote").policies == ()


def test_the_shared_compiled_set_is_never_changed() -> None:
    rset = ruleset(REQUIREMENTS, policies=[SUBSTITUTE, WAIVE])
    cset = compile_set(rset, CAT)
    before = {id(n): sorted(n.eligible) for n in cset.leaves if hasattr(n, "eligible")}
    stu = student(*rows("CS1", "CS2"), flags=["iep"])
    resolved, _ = resolve_transcript(stu, CAT)
    audit_goal(cset, resolved, stu, policies=policies_for(rset, CAT))
    after = {id(n): sorted(n.eligible) for n in cset.leaves if hasattr(n, "eligible")}
    assert before == after
    assert list(cset.requirements) == ["lote", "electives"]


def test_a_recommended_course_carries_its_catalog_title() -> None:
    recommend = {
        "id": "next-level",
        "title": "continue the language",
        "source": SRC,
        "when": [
            {"course": {"course": "SPAN1", "result": "passed"}},
            {"credits": {"below": 2}, "from": {"subject": "lote"}},
        ],
        "then": [
            {"recommend": "course", "course": "CS1", "message": "After {title}, try coding."},
            {"alert": "info", "message": "first"},
            {"alert": "critical", "message": "second"},
        ],
    }
    goal = run([recommend], *rows("SPAN1"))
    (rec,) = goal.recommendations
    assert (rec.policy, rec.course, rec.title, rec.experience) == ("next-level", "CS1", "CS1", None)
    assert rec.message == "After SPAN1, try coding."
    assert [a.severity for a in goal.alerts] == ["critical", "info"]
    assert run([recommend], *rows("ART1")).recommendations == ()
