"""Invariants of the audit on random catalogs, rule sets and transcripts (style point 13)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.evaluate import Evaluation, evaluate_set
from engine.normalize import grade_rows, resolve_transcript
from engine.requirements import CompiledSet, Group, Node, compile_set
from engine.results import AppliedRow, GoalResult, RequirementResult
from tests.conftest import catalog, course, req, row, ruleset, run, student
from tests.depth import deep_settings
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


NEW_ROW = st.tuples(st.integers(0, 31), st.integers(9, 12), st.sampled_from(["year", "fall"]))


def with_a_new_a(case: Case, new: tuple[int, int, str]) -> tuple[GoalResult, GoalResult]:
    """The audit before and after adding one more course, passed with an A."""
    index, level, term = new
    added = case.catalog.courses[index % len(case.catalog.courses)].id
    rows = transcript(case)
    extra = {"course": added, "grade": "A", "grade_level": level, "term": term}
    return audit(case, rows), audit(case, [*rows, extra])


@deep_settings(150, deadline=None)
@given(case=cases(gpa=True, before=False), new=NEW_ROW)
def test_adding_a_passed_course_never_lowers_the_goal(
    case: Case, new: tuple[int, int, str]
) -> None:
    # GPA leaves here are unweighted and read every matching row, so a new A can only raise them.
    # Deadlines ('before') are left out: under a 'latest' repeat policy a late retake may
    # rightly replace an attempt that met one.
    before, after = with_a_new_a(case, new)
    assert RANK[after.status] >= RANK[before.status]
    if before.status == "met":
        assert all(r.status == "met" for r in after.requirements)


def counted(case: Case, rows: list[dict[str, object]]) -> tuple[int, int]:
    """Completed credits, then all credits, the chosen requirements of ``case``'s set count on
    ``rows`` (in hundredths): the measure an allocation is chosen by."""
    cset = compile_set(case.ruleset, case.catalog)
    resolved, _ = resolve_transcript(student(*rows), case.catalog)
    result = evaluate_set(cset, grade_rows(resolved, cset.grading), ())
    done = every = 0.0
    for leaf in cset.flow_leaves:
        outcome = result.outcomes[id(leaf)]
        if outcome.chosen:
            for graded, credits in outcome.applied:
                every += credits
                done += credits if graded.phase == 0 else 0.0
    return round(done * 100), round(every * 100)


@deep_settings(150, deadline=None)
@given(case=cases(gpa=False, before=False), new=NEW_ROW)
def test_adding_a_passed_course_never_unmeets_a_requirement(
    case: Case, new: tuple[int, int, str]
) -> None:
    # Issue 2's property requirement by requirement (GPA and deadlines aside, as above), for a
    # course not yet on the transcript: a retake replaces an attempt, and the row it leaves
    # may be a tie two requirements want (test_a_retake_can_move_a_tie below).
    index, level, term = new
    taken = {r.course for r in case.student.transcript}
    fresh = [c for c in case.catalog.courses if c.id not in taken]
    if not fresh:
        return
    added = case.catalog.courses.index(fresh[index % len(fresh)])
    before, after = with_a_new_a(case, (added, level, term))
    now = {r.name: r.status for r in after.requirements}
    lost = [r.name for r in before.requirements if r.status == "met" and now[r.name] != "met"]
    if before.status == "met":
        assert not lost, now
    elif lost and RANK[after.status] == RANK[before.status]:
        # A set not met yet reports the allocation that counts the most credits, the smallest
        # gap left to close, and a new course can let more count by moving a row that met one
        # requirement (test_a_new_course_can_move_credit_where_more_counts below). Never for
        # nothing: the new allocation counts more.
        rows = transcript(case)
        extra = {"course": case.catalog.courses[added].id, "grade": "A", "grade_level": level}
        more = counted(case, [*rows, {**extra, "term": term}])
        assert more > counted(case, rows), (lost, now)


def test_a_new_course_can_move_a_trade_between_alternatives() -> None:
    # Found by the property above. The set cannot be met (r1, r2 have no courses). One C00
    # counts, for r3's first option or for r4, so one of them stays unmet either way. Before,
    # both choices count 1 credit and the first option wins (r3 met). A new half course (0.25
    # credit) adds nothing to that choice but gives r3's third option a partial 0.25, so the
    # choice that counts more (r4 <- C00, r0 <- C01, r3 <- 0.25 of 0.5) is reported: r3 is now
    # unmet and r4 met, the same number met.
    cat = catalog(*(course(f"C0{i}", 0.5, subject="english") for i in range(3)))
    rset = ruleset(
        {
            "r0": {"credits": 0.5, "from": {"subject": "english"}},
            "r1": {"credits": 0.5, "from": {"attribute": "core"}},
            "r2": {"credits": 0.5, "from": {"subject": "math"}},
            "r3": {
                "any": [
                    {"course": "C00"},
                    {"credits": 0.5, "from": {"subject": "english"}},
                ]
            },
            "r4": {"course": "C00"},
        }
    )
    rows = [row("C00", "P"), row("C00", "A+", repeat=True), row("C01", "A+")]
    before = run(cat, rset, student(*rows))
    after = run(cat, rset, student(*rows, row("C02", "A", term="fall")))
    assert [r.status for r in before.requirements] == ["met", "unmet", "unmet", "met", "unmet"]
    assert [r.status for r in after.requirements] == ["met", "unmet", "unmet", "unmet", "met"]
    assert before.status == after.status == "unmet"


@pytest.mark.parametrize(
    "r1",
    [
        # Found by the property above in CI's slow stage on 2026-11-23: C00 is missing.
        {"all": [{"course": "C00"}, {"any": [{"credits": 1.0, "from": {"attribute": ["core"]}}]}]},
        # The same trade with no alternative anywhere: 2 core credits, more than the student has.
        {"credits": 2.0, "from": {"attribute": ["core"]}},
    ],
    ids=["course-missing", "too-few-credits"],
)
def test_a_new_course_can_move_credit_where_more_counts(r1: dict[str, object]) -> None:
    # r1 cannot be met on this transcript, so neither can the set. Before, C13 (1 credit,
    # English and core) meets r0 and r1 counts nothing: 1 credit counted. A new half credit of
    # English (C01) lets 1.5 count (C01 -> r0, C13 -> r1): r0 drops to half met, but what is
    # left to earn shrinks (r1 needs 1 core credit less, r0 a half credit more). Preferring
    # requirements met instead was tried (2026-11-23): on the bundled sophomores it took English
    # 9, Biology and World History from their subjects to fill Electives.
    cat = catalog(
        course("C00", 0.5, subject="english"),
        course("C01", 0.5, subject="english"),
        course("C03", 0.5, subject="math"),
        course("C13", 1.0, subject="english", attributes=["core"]),
        # Two more core courses, so r1's core part is no narrower than r0 and r0 comes first.
        course("C19", 0.5, subject="math", attributes=["core"]),
        course("C20", 0.5, subject="math", attributes=["core"]),
    )
    rset = ruleset(
        {"r0": {"credits": 1.0, "from": {"subject": ["english"]}}, "r1": r1},
        grading={"repeats": "best"},
    )
    rows = [row("C03", "A+", level=9), row("C13", "A+", level=9)]
    before = run(cat, rset, student(*rows))
    after = run(cat, rset, student(*rows, row("C01", "A", level=9)))
    assert [r.status for r in before.requirements] == ["met", "unmet"]
    assert [r.status for r in after.requirements] == ["unmet", "unmet"]
    assert [a.course for a in req(before, "r0").applied] == ["C13"]
    assert [a.course for a in req(after, "r0").applied] == ["C01"]
    assert sum(a.credits for r in after.requirements for a in _applied(r)) == 1.5
    assert sum(a.credits for r in before.requirements for a in _applied(r)) == 1.0


def _applied(node: RequirementResult) -> list[AppliedRow]:
    return [*node.applied, *(a for child in node.children for a in _applied(child))]


def test_a_retake_can_move_a_tie() -> None:
    # Found by the property above before it was limited to new courses. Before, MATH1 passed
    # with a P can only serve r1 (r0 needs a letter grade). The A retake replaces the P, and
    # the one row can now serve either requirement: one of them must stay unmet, and no
    # audit without memory of the earlier result can promise it is still r0.
    cat = catalog(course("MATH1", 0.5, subject="math"))
    rset = ruleset(
        {
            "r0": {"credits": 0.5, "from": {"subject": "math"}, "min_grade": "D-"},
            "r1": {"credits": 0.5, "from": {"subject": "math"}},
        }
    )
    before = run(cat, rset, student(row("MATH1", "P")))
    after = run(cat, rset, student(row("MATH1", "P"), row("MATH1", "A")))
    assert [r.status for r in before.requirements] == ["unmet", "met"]
    assert sorted(r.status for r in after.requirements) == ["met", "unmet"]


def test_a_new_course_does_not_unmeet_a_requirement() -> None:
    # Minimal form of what Hypothesis found. Before: r0 <- C00, r1 <- half of C02 (met).
    # After adding C01, the allocator gives C01 and C02 to the unmeetable option any[1]
    # (1.5 of 2 credits) and leaves r1 empty, though r0 <- C00, r1 <- C01, any[1] <- C02
    # counts the same 2 credits and keeps r1 met.
    cat = catalog(
        course("C00", 0.5, subject="english"),
        course("C01", 0.5, subject="english"),
        course("C02", 1.0, subject="english"),
    )
    # The limit matches no course (it once kept an allocator shortcut from hiding the case).
    limit = {"credits": 0.5, "from": {"attribute": "x"}}
    rset = ruleset(
        {
            "r0": {"course": "C00"},
            "r1": {"credits": 0.5, "from": {"subject": "english"}},
            "r2": {
                "any": [
                    {"course": "C00"},
                    {"credits": 2, "from": {}, "limits": [limit]},
                ]
            },
        }
    )
    assert req(run(cat, rset, student(row("C00"), row("C02"))), "r1").status == "met"
    after = run(cat, rset, student(row("C00"), row("C02"), row("C01")))
    assert req(after, "r1").status == "met"


def _summary(goal: GoalResult) -> list[tuple[str, str, object]]:
    return [(r.path, r.status, r.progress) for r in walk(goal)]


@deep_settings(150, deadline=None)
@given(case=cases(), data=st.data())
def test_row_order_never_changes_the_result(case: Case, data: st.DataObject) -> None:
    rows = transcript(case)
    shuffled = data.draw(st.permutations(rows))
    first, second = audit(case, rows), audit(case, shuffled)
    assert first.status == second.status
    assert _summary(first) == _summary(second)
    assert first.credits == second.credits


def evaluation(case: Case) -> tuple[CompiledSet, Evaluation]:
    """The evaluation behind a goal result, to see which alternatives were chosen."""
    cset = compile_set(case.ruleset, case.catalog)
    resolved, _ = resolve_transcript(case.student, case.catalog)
    graded = grade_rows(resolved, cset.grading)
    return cset, evaluate_set(cset, graded, case.student.experiences)


@deep_settings(150, deadline=None)
@given(case=cases())
def test_a_row_counts_toward_one_consuming_requirement(case: Case) -> None:
    cset, result = evaluation(case)
    owner: dict[int, str] = {}
    for leaf in cset.flow_leaves:
        outcome = result.outcomes[id(leaf)]
        if not outcome.chosen:
            continue  # an alternative not taken shows what it could use of the leftovers
        for graded, credits in outcome.applied:
            assert graded.index not in owner, (graded.index, owner[graded.index], leaf.path)
            assert credits <= graded.credits + EPS, (graded.index, leaf.path)
            owner[graded.index] = leaf.path
    assert set(owner) == result.consumed
    # Alternatives not taken only ever show rows that no chosen requirement consumed.
    for leaf in cset.flow_leaves:
        outcome = result.outcomes[id(leaf)]
        if not outcome.chosen:
            assert not {g.index for g, _ in outcome.applied} & result.consumed, leaf.path
    # In the published result: consuming requirements outside any alternative share no row.
    consuming = {leaf.path for leaf in cset.flow_leaves}
    seen: dict[int, str] = {}
    for node in walk(audit(case)):
        if node.path not in consuming or node.operator == "sequence":
            continue
        if "any[" in node.path or "n_of[" in node.path:
            continue
        for applied in node.applied:
            assert applied.index not in seen, (applied.index, seen[applied.index], node.path)
            seen[applied.index] = node.path


@deep_settings(100, deadline=None)
@given(case=cases())
def test_same_input_same_output(case: Case) -> None:
    assert audit(case).model_dump() == audit(case).model_dump()


@deep_settings(150, deadline=None)
@given(case=cases())
def test_amounts_stay_within_rows_and_needs(case: Case) -> None:
    goal = audit(case)
    credits_of = {r.index: r.credits for r in goal.rows}
    for node in walk(goal):
        for applied in node.applied:
            assert applied.credits <= credits_of[applied.index] + EPS, (node.path, applied)
        progress = node.progress
        if progress is None or progress.unit == "gpa":
            continue
        assert 0 <= progress.earned <= progress.needed + EPS, (node.path, progress)
        assert progress.in_progress >= -EPS, (node.path, progress)
        assert progress.planned >= -EPS, (node.path, progress)
        total = progress.earned + progress.in_progress + progress.planned
        assert total <= progress.needed + EPS, (node.path, progress)


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


@deep_settings(150, deadline=None)
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


def test_pending_repeats_do_not_depend_on_row_order() -> None:
    # Minimal form of what Hypothesis found with test_row_order_never_changes_the_result.
    cat = catalog(course("ENG1", 0.5, subject="english"))
    rset = ruleset({"total": {"credits": 2, "from": {}}})
    now = row("ENG1", status="in_progress")
    later = row("ENG1", status="planned")
    first = req(run(cat, rset, student(now, later)), "total").progress
    second = req(run(cat, rset, student(later, now)), "total").progress
    assert first == second
