"""Facts about one student that policy rules match on, computed in Python before matching.

The rule engine has no aggregation (no sums, counts or averages), and building them from facts
inside it would be both slow and fragile. So every total a policy may test (credits overall or
from a selector, the GPA) is computed here and carried on the one student fact, which is also the
*trigger*: it is asserted last, after every transcript row, flag, goal and requirement status, so
rules that say "no such fact" are judged on the whole record (the engine has no truth
maintenance). Each fact carries ``n``, its position in the list, so no two facts are identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.grades import letter_rank
from engine.normalize import GradedRow
from engine.student import Student

__all__ = ["FactPlan", "RowNeed", "TotalSpec", "build_facts", "gpa_of", "row_result"]

#: Fact kinds (the ``t`` field): student/trigger, row, flag, goal, requirement status.
STUDENT, ROW, FLAG, GOAL, REQUIREMENT = "s", "r", "f", "g", "q"


@dataclass(frozen=True)
class TotalSpec:
    """A credit total a policy tests: its fact field, the courses it counts, which rows count."""

    key: str
    courses: frozenset[str] | None  # None: every course
    counting: frozenset[str]  # row statuses that count


@dataclass(frozen=True)
class RowNeed:
    """What one ``course``/``no_course`` condition can match, as far as Python can tell cheaply.

    A row outside every need can match no row pattern of the ruleset, so asserting it changes
    nothing: a positive pattern cannot take it and a negation cannot be blocked by it. Most rows
    are such rows (policies look for a failed course, or a course of one kind), and each fact
    asserted costs the engine about 7 microseconds, JSON encoding included.
    """

    courses: frozenset[str] | None  # course ids the condition's selector allows; None: any
    results: frozenset[str] = frozenset()  # passed/failed/pending it requires; empty: any
    statuses: frozenset[str] = frozenset()  # row statuses it requires; empty: any
    # A ``same_course`` condition joins on the course of the alternative's first course
    # condition: only rows of a course some row matching that need has can match it.
    same_as: int | None = None

    def admits(self, row: GradedRow, result: str) -> bool:
        return (
            (self.courses is None or row.course_id in self.courses)
            and (not self.results or result in self.results)
            and (not self.statuses or row.status in self.statuses)
        )


@dataclass(frozen=True)
class FactPlan:
    """Which facts a compiled policy set reads, so nothing else is built or asserted."""

    kinds: frozenset[str]
    totals: tuple[TotalSpec, ...]
    rows: frozenset[str] | None = None  # courses a course condition can match; None: any
    attributes: frozenset[str] = frozenset()  # attributes a course condition tests
    needs: tuple[RowNeed, ...] | None = None  # None: assert every row of ``rows``
    # Requirements a status condition names. Every such condition names its requirement, so
    # the status of any other one can match no pattern (about 7 microseconds a fact saved).
    requirements: frozenset[str] | None = None  # None: every requirement's status


def row_result(row: GradedRow) -> str:
    """``passed``, ``failed`` or ``pending`` for one attempt (a replaced F is still failed)."""
    if row.status != "completed":
        return "pending"
    if row.use == "credit":
        return "passed"
    if row.use == "failed":
        return "failed"
    return "passed" if row.letter == "P" or (row.points or 0.0) > 0.0 else "failed"


def gpa_of(rows: Sequence[GradedRow]) -> float | None:
    """Unweighted GPA over completed rows with grade points (a replaced attempt excluded)."""
    points = credits = 0.0
    for row in rows:
        if row.status == "completed" and row.points is not None and row.use != "superseded":
            points += row.points * row.credits
            credits += row.credits
    return points / credits if credits else None


def _row_fact(row: GradedRow, attributes: frozenset[str]) -> dict[str, Any]:
    course = row.course
    fact: dict[str, Any] = {
        "t": ROW,
        "course": course.id,
        "title": course.title,
        "subject": course.subject,
        "level": course.level,
        "attrs": [a for a in course.attributes if a in attributes],
        "status": row.status,
        "result": row_result(row),
        "gl": row.grade_level,
        "grade": row.letter or "",
        "row": row.index,
    }
    if row.letter not in (None, "P"):
        fact["rank"] = letter_rank(row.letter or "F")
    return fact


def _needed(rows: Sequence[GradedRow], needs: Sequence[RowNeed]) -> list[GradedRow]:
    """The rows some condition could match (see :class:`RowNeed`), in transcript order.

    (``RowNeed.admits`` inlined over plain tuples: a call per row and need was a tenth of an
    audit's policy work.)
    """
    results = [row_result(r) for r in rows]
    checks = [(n.courses, n.results, n.statuses) for n in needs]

    def admitted(check: tuple[frozenset[str] | None, frozenset[str], frozenset[str]]) -> set[str]:
        allowed, wanted, statuses = check
        return {
            r.course_id
            for r, res in zip(rows, results, strict=True)
            if (allowed is None or r.course_id in allowed)
            and (not wanted or res in wanted)
            and (not statuses or r.status in statuses)
        }

    # Courses of the rows each need admits, for the ``same_course`` needs that join on it.
    joined = {n.same_as: admitted(checks[n.same_as]) for n in needs if n.same_as is not None}
    tests = [
        (*check, None if n.same_as is None else joined[n.same_as])
        for n, check in zip(needs, checks, strict=True)
    ]
    out: list[GradedRow] = []
    for r, res in zip(rows, results, strict=True):
        cid = r.course_id
        for allowed, wanted, statuses, same in tests:
            if (
                (allowed is None or cid in allowed)
                and (not wanted or res in wanted)
                and (not statuses or r.status in statuses)
                and (same is None or cid in same)
            ):
                out.append(r)
                break
    return out


def build_facts(
    *,
    plan: FactPlan,
    student: Student,
    graded: Sequence[GradedRow],
    statuses: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Every fact the plan reads, data first and the student (trigger) fact last."""
    facts: list[dict[str, Any]] = []
    if ROW in plan.kinds:
        wanted = plan.rows
        attrs = plan.attributes
        rows = [r for r in graded if wanted is None or r.course_id in wanted]
        if plan.needs is not None:
            rows = _needed(rows, plan.needs)
        facts.extend(_row_fact(r, attrs) for r in rows)
    if FLAG in plan.kinds:
        facts.extend({"t": FLAG, "flag": flag} for flag in sorted(set(student.flags)))
    if GOAL in plan.kinds:
        facts.extend({"t": GOAL, "goal": goal} for goal in dict.fromkeys(student.goals))
    if REQUIREMENT in plan.kinds:
        named = plan.requirements
        facts.extend(
            {"t": REQUIREMENT, "req": n, "status": s}
            for n, s in statuses.items()
            if named is None or n in named
        )
    earned = sum(g.credits for g in graded if g.credited and g.status == "completed")
    gpa = gpa_of(graded)
    trigger: dict[str, Any] = {
        "t": STUDENT,
        "grade_level": student.grade_level,
        "cohort": student.cohort,
        "credits": earned,
        "show_credits": f"{earned:g}",
        "show_gpa": "none" if gpa is None else f"{int(gpa * 100) / 100:.2f}",
    }
    if gpa is not None:
        trigger["gpa"] = gpa
    if student.residency is not None:
        trigger["residency"] = student.residency
    for spec in plan.totals:
        trigger[spec.key] = sum(
            g.credits
            for g in graded
            if g.credited
            and g.status in spec.counting
            and (spec.courses is None or g.course_id in spec.courses)
        )
    facts.append(trigger)
    for n, fact in enumerate(facts):
        fact["n"] = n
    return facts
