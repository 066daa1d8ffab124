"""Properties of plans over random prerequisite DAGs, offerings and transcripts.

Every plan: prerequisites in earlier terms, offerings and loads respected, no course twice (and
none already credited), the audit of transcript + plan meets every goal, the same input gives
the same plan; and on small cases its credits and course count equal a brute-force optimum.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from engine.audit import audit
from engine.graph import prereq_satisfied
from engine.model import Catalog, RequirementSet
from engine.planning import PlanConstraints, PlanResult, plan
from engine.student import Student, TranscriptRow
from tests.conftest import catalog, course, ruleset, student
from tests.depth import deep_settings
from tests.planning.factories import knowledge

LETTERS = ("A", "B", "C", "F")


@st.composite
def planning_cases(draw: st.DrawFn) -> tuple[Catalog, RequirementSet, Student, int]:
    n = draw(st.integers(3, 6))
    ids = [f"K{i}" for i in range(n)]
    courses = []
    for i, cid in enumerate(ids):
        extra: dict[str, Any] = {}
        earlier = ids[:i]
        if earlier and draw(st.booleans()):
            picks = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=2, unique=True))
            if len(picks) == 1:
                extra["prerequisites"] = {"course": picks[0]}
            else:
                op = draw(st.sampled_from(["all", "any"]))
                extra["prerequisites"] = {op: [{"course": p} for p in picks]}
        levels = sorted(draw(st.sets(st.integers(10, 12), min_size=1)))
        courses.append(
            course(
                cid,
                draw(st.sampled_from([1.0, 1.0, 0.5, 2.0])),
                subject=draw(st.sampled_from(["a", "b"])),
                grade_levels=levels,
                **extra,
            )
        )
    cat = catalog(*courses)
    reqs: dict[str, Any] = {}
    named: set[str] = set()
    for k in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["course", "credits", "courses", "any"]))
        # A course named by one requirement is named by no other: the audit double-counts a
        # row that two alternatives name (reported; see the planner's report), and the brute
        # force below trusts the audit.
        free = [c for c in ids if c not in named]
        if kind in ("course", "any") and not free:
            kind = "credits"
        if kind == "course":
            pick = draw(st.sampled_from(free))
            named.add(pick)
            reqs[f"r{k}"] = {"course": pick}
        elif kind == "credits":
            reqs[f"r{k}"] = {
                "credits": draw(st.sampled_from([0.5, 1.0, 2.0])),
                "from": {"subject": draw(st.sampled_from(["a", "b"]))},
            }
        elif kind == "courses":
            reqs[f"r{k}"] = {"courses": draw(st.integers(1, 2)), "from": {"subject": "a"}}
        else:
            picks = sorted(draw(st.sets(st.sampled_from(free), min_size=1, max_size=3)))
            named.update(picks)
            reqs[f"r{k}"] = {"any": [{"course": c} for c in picks]}
    rset = ruleset(reqs)
    rows = []
    for cid in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
        rows.append({"course": cid, "grade_level": 9, "grade": draw(st.sampled_from(LETTERS))})
    stu = student(*rows, grade_level=10, goals=["test-set"])
    return cat, rset, stu, draw(st.integers(1, 3))


def _check_plan(cat: Catalog, stu: Student, result: PlanResult, load: int) -> None:
    courses = {c.id: c for c in cat.courses}
    planned = [c.course for c in result.courses]
    assert len(planned) == len(set(planned))
    credited = {r.course for r in stu.transcript if r.grade not in ("F", None)}
    assert not set(planned) & credited
    order = {"fall": 0, "year": 0, "spring": 1, "summer": 2}
    ends = {"fall": 0, "year": 1, "spring": 1, "summer": 2}
    for c in result.courses:
        spec = courses[c.course]
        assert c.grade_level in spec.grade_levels
        assert c.term in spec.terms
        start = (c.grade_level, order[c.term])
        on_transcript = {
            r.course
            for r in stu.transcript
            if r.course in credited or r.status != "completed"
            if (r.grade_level, ends[r.term]) < start
        }
        done = on_transcript | {
            o.course for o in result.courses if (o.grade_level, ends[o.term]) < start
        }
        assert prereq_satisfied(spec.prerequisites, lambda ref, _g, done=done: ref in done)
    for term in result.terms:
        assert len(term.planned) <= load


def _rows(choice: dict[str, int]) -> list[TranscriptRow]:
    return [
        TranscriptRow(course=cid, grade_level=g, term="year", status="planned")
        for cid, g in choice.items()
    ]


def _brute_force(
    cat: Catalog, rset: RequirementSet, stu: Student, load: int
) -> tuple[float, int] | None:
    """Smallest (credits, courses) over every subset and schedule, judged by the audit."""
    kb = knowledge(cat, rset)
    courses = {c.id: c for c in cat.courses}
    credited = {r.course for r in stu.transcript if r.grade != "F"}
    pool = [c for c in courses if c not in credited]
    subsets = [s for k in range(len(pool) + 1) for s in itertools.combinations(pool, k)]
    subsets.sort(key=lambda s: (sum(courses[c].credits for c in s), len(s)))
    for subset in subsets:
        trial = stu.model_copy(
            update={"transcript": (*stu.transcript, *_rows(dict.fromkeys(subset, 12)))}
        )
        if audit(knowledge=kb, student=trial).goals[0].status == "unmet":
            continue
        for grades in itertools.product((10, 11, 12), repeat=len(subset)):
            choice = dict(zip(subset, grades, strict=True))
            if any(grades.count(g) > load for g in (10, 11, 12)):
                continue
            if any(choice[c] not in courses[c].grade_levels for c in subset):
                continue
            ok = all(
                prereq_satisfied(
                    courses[c].prerequisites,
                    lambda ref, _g, c=c, when=choice: (
                        ref in credited or (ref in when and when[ref] < when[c])
                    ),
                )
                for c in subset
            )
            if ok:
                return (sum(courses[c].credits for c in subset), len(subset))
    return None


@deep_settings(100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(planning_cases())
def test_plans_are_valid_minimal_and_repeatable(
    case: tuple[Catalog, RequirementSet, Student, int],
) -> None:
    cat, rset, stu, load = case
    kb = knowledge(cat, rset)
    cons = PlanConstraints(max_courses_per_term=load)
    result = plan(knowledge=kb, student=stu, constraints=cons)
    expected = _brute_force(cat, rset, stu, load)
    if expected is None:
        assert result.status == "infeasible"
        assert result.conflicts
        return
    assert result.status == "optimal"
    _check_plan(cat, stu, result, load)
    trial = stu.model_copy(
        update={
            "transcript": (
                *stu.transcript,
                *(
                    TranscriptRow(
                        course=c.course, grade_level=c.grade_level, term=c.term, status="planned"
                    )
                    for c in result.courses
                ),
            )
        }
    )
    assert all(g.status != "unmet" for g in audit(knowledge=kb, student=trial).goals)
    assert (result.added_credits, result.added_courses) == expected
    again = plan(knowledge=kb, student=stu, constraints=cons)
    assert again.model_dump(exclude={"solver"}) == result.model_dump(exclude={"solver"})


@st.composite
def semester_cases(draw: st.DrawFn) -> tuple[Catalog, RequirementSet, Student, int]:
    """Semester and year courses, some offered in one term only; rows in progress or planned."""
    cat, rset, stu, load = draw(planning_cases())
    courses = []
    for c in cat.courses:
        terms = draw(st.sampled_from([("year",), ("fall",), ("spring",), ("fall", "spring")]))
        courses.append(c.model_copy(update={"terms": terms}))
    cat = catalog(*courses)
    rows = list(stu.transcript)
    for cid in draw(st.lists(st.sampled_from([c.id for c in courses]), max_size=2, unique=True)):
        spec = next(c for c in courses if c.id == cid)
        status = draw(st.sampled_from(["in_progress", "planned"]))
        grade = 10 if status == "in_progress" else draw(st.integers(10, 12))
        term = spec.terms[0] if status == "planned" else "year"
        rows.append({"course": cid, "grade_level": grade, "term": term, "status": status})
    return cat, rset, student(*rows, grade_level=10, goals=["test-set"]), load + 1


@deep_settings(60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(semester_cases())
def test_semester_plans_respect_offerings_loads_and_scheduled_rows(
    case: tuple[Catalog, RequirementSet, Student, int],
) -> None:
    cat, rset, stu, load = case
    kb = knowledge(cat, rset)
    cons = PlanConstraints(max_courses_per_term=load)
    result = plan(knowledge=kb, student=stu, constraints=cons)
    if result.status == "infeasible":
        assert result.conflicts
        return
    assert result.status == "optimal"
    _check_plan(cat, stu, result, load)
    scheduled = {r.course for r in stu.transcript if r.status != "completed"}
    assert not scheduled & {c.course for c in result.courses}
    for term in result.terms:
        assert len(term.planned) + len(term.existing) <= max(load, len(term.existing))
    assert result.audit is not None
    assert all(g.status != "unmet" for g in result.audit.goals)
    again = plan(knowledge=kb, student=stu, constraints=cons)
    assert again.model_dump(exclude={"solver"}) == result.model_dump(exclude={"solver"})
