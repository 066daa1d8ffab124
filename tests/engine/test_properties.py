"""Invariants of the audit on random catalogs, rule sets and transcripts (style point 13)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.requirements import Group, Node, compile_set, consumes
from engine.results import GoalResult, RequirementResult
from tests.conftest import catalog, course, req, row, ruleset, run, student
from tests.strategies import Case, cases

RANK = {"met": 2, "in_progress": 1, "unmet": 0}
EPS = 1e-9


def walk(goal: GoalResult) -> Iterator[RequirementResult]:
    """Every requirement node of a goal, depth first."""
    stack = list(reversed(goal.requirements))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def audit(case: Case, rows: list[dict[str, object]] | None = None) -> GoalResult:
    stu = case.student
    if rows is not None:
        stu = student(*rows)
    return run(case.catalog, case.ruleset, stu)


def transcript(case: Case) -> list[dict[str, object]]:
    return [r.model_dump(exclude_defaults=True) for r in case.student.transcript]


@settings(max_examples=150, deadline=None)
@given(
    case=cases(gpa=True, before=False),
    new=st.tuples(st.integers(0, 29), st.integers(9, 12), st.sampled_from(["year", "fall"])),
)
def test_adding_a_passed_course_never_lowers_a_status(
    case: Case, new: tuple[int, int, str]
) -> None:
    # GPA leaves here are unweighted and read every matching row, so a new A can only raise them.
    # Deadlines ('before') are left out: under a 'latest' repeat policy a late retake may
    # rightly replace an attempt that met one.
    index, level, term = new
    added = case.catalog.courses[index % len(case.catalog.courses)].id
    rows = transcript(case)
    before = audit(case, rows)
    after = audit(
        case, [*rows, {"course": added, "grade": "A", "grade_level": level, "term": term}]
    )
    assert RANK[after.status] >= RANK[before.status]
    for old, new_req in zip(before.requirements, after.requirements, strict=True):
        assert RANK[new_req.status] >= RANK[old.status], (old.name, old.status, new_req.status)


def _summary(goal: GoalResult) -> list[tuple[str, str, object]]:
    return [(r.path, r.status, r.progress) for r in walk(goal)]


@settings(max_examples=150, deadline=None)
@given(case=cases(), data=st.data())
def test_row_order_never_changes_the_result(case: Case, data: st.DataObject) -> None:
    rows = transcript(case)
    shuffled = data.draw(st.permutations(rows))
    first, second = audit(case, rows), audit(case, shuffled)
    assert first.status == second.status
    assert _summary(first) == _summary(second)
    assert first.credits == second.credits


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_a_row_counts_toward_one_consuming_requirement(case: Case) -> None:
    goal = audit(case)
    compiled = compile_set(case.ruleset, case.catalog)
    consuming = {leaf.path for leaf in compiled.leaves if consumes(leaf)}
    uses: Counter[int] = Counter()
    for node in walk(goal):
        if node.path in consuming:
            uses.update({a.index for a in node.applied})
    twice = {index: n for index, n in uses.items() if n > 1}
    assert not twice, f"rows applied to more than one consuming requirement: {twice}"


@settings(max_examples=100, deadline=None)
@given(case=cases())
def test_same_input_same_output(case: Case) -> None:
    assert audit(case).model_dump() == audit(case).model_dump()


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_amounts_stay_within_rows_and_needs(case: Case) -> None:
    goal = audit(case)
    credits_of = {r.index: r.credits for r in goal.rows}
    compiled = compile_set(case.ruleset, case.catalog)
    consuming = {leaf.path for leaf in compiled.leaves if consumes(leaf)}
    given_away: Counter[int] = Counter()
    for node in walk(goal):
        for applied in node.applied:
            assert applied.credits <= credits_of[applied.index] + EPS, (node.path, applied)
            if node.path in consuming:
                given_away[applied.index] += applied.credits
        progress = node.progress
        if progress is None or progress.unit == "gpa":
            continue
        assert 0 <= progress.earned <= progress.needed + EPS, (node.path, progress)
        assert progress.in_progress >= -EPS and progress.planned >= -EPS, (node.path, progress)
        total = progress.earned + progress.in_progress + progress.planned
        assert total <= progress.needed + EPS, (node.path, progress)
    for index, amount in given_away.items():
        assert amount <= credits_of[index] + EPS, index


def groups_by_path(case: Case) -> dict[str, Group]:
    compiled = compile_set(case.ruleset, case.catalog)
    out: dict[str, Group] = {}
    stack: list[Node] = list(compiled.requirements.values())
    while stack:
        node = stack.pop()
        if isinstance(node, Group):
            out[node.path] = node
            stack.extend(node.children)
    return out


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_group_status_follows_its_children(case: Case) -> None:
    goal = audit(case)
    if goal.status == "met":
        assert all(r.status == "met" for r in goal.requirements)
    assert RANK[goal.status] == min(RANK[r.status] for r in goal.requirements)
    groups = groups_by_path(case)
    for node in walk(goal):
        if node.path not in groups:
            continue
        need = groups[node.path].need
        kids = sorted((RANK[c.status] for c in node.children), reverse=True)
        if node.status == "met" and node.operator == "all":
            assert all(k == RANK["met"] for k in kids), node.path
        # A group is as good as its need-th best child: 'all' its worst, 'any' its best.
        expected = kids[need - 1] if len(kids) >= need else RANK["unmet"]
        assert RANK[node.status] == expected, (node.path, node.operator, need, kids)


@pytest.mark.xfail(
    strict=True,
    reason="engine bug: a 'sequence' matching no track leaves no combination to allocate, so "
    "every consuming requirement is judged on all rows and one row counts toward several",
)
def test_a_sequence_with_no_track_does_not_let_rows_count_twice() -> None:
    # Minimal example Hypothesis found: the catalog has no language courses.
    cat = catalog(course("ENG1", 0.5, subject="english"))
    rset = ruleset(
        {
            "r0": {"course": "ENG1"},
            "r1": {"sequence": 1, "from": {"subject": "lote"}},
            "r2": {"credits": 0.5, "from": {"subject": "english"}},
        }
    )
    goal = run(cat, rset, student(row("ENG1")))
    assert req(goal, "r1").status == "unmet"
    # ENG1 can meet r0 or r2, not both.
    assert sorted(r.status for r in goal.requirements) == ["met", "unmet", "unmet"]
