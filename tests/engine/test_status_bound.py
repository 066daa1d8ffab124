"""``status_bound`` never promises less than the audit finds (it lets a summary skip sets)."""

from __future__ import annotations

from hypothesis import given

from engine.evaluate import STATUS_RANK, evaluate_set, status_bound
from engine.normalize import grade_rows, resolve_transcript
from engine.requirements import compile_set
from tests.conftest import catalog, course, row, ruleset, student
from tests.depth import deep_settings
from tests.strategies import Case, cases


@deep_settings(200, deadline=None)
@given(case=cases())
def test_the_bound_is_never_below_the_status(case: Case) -> None:
    cset = compile_set(case.ruleset, case.catalog)
    resolved, _ = resolve_transcript(case.student, case.catalog)
    graded = grade_rows(resolved, cset.grading)
    found = evaluate_set(cset, graded, case.student.experiences).status
    bound = status_bound(cset, graded, case.student.experiences)
    assert STATUS_RANK[bound] >= STATUS_RANK[found]


def test_the_bound_sees_what_no_allocation_can_fix_and_what_in_progress_rows_could() -> None:
    cat = catalog(course("ENG1", subject="english"), course("ENG2", subject="english"))
    rset = ruleset({"english": {"credits": 2, "from": {"subject": "english"}}})
    cset = compile_set(rset, cat)

    def bound(*rows: dict[str, object]) -> str:
        resolved, _ = resolve_transcript(student(*rows), cat)
        return status_bound(cset, grade_rows(resolved, cset.grading), ())

    assert bound(row("ENG1", "A")) == "unmet"  # 1 of 2 credits, nothing pending
    assert bound(row("ENG1", "A"), row("ENG2", status="in_progress")) == "in_progress"
    assert bound(row("ENG1", "A"), row("ENG2", "B", 10)) == "met"
