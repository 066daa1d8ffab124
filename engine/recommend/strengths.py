"""Strengths: how the student has done in the kinds of courses a career asks for.

For each recommended coursework item of a career (``4 credits of science``) and for its
programs of study (``pos:<program>``), the student's unweighted grade average over the
completed, graded courses that item would accept, read through the same selectors the audit
uses; the part is the credit-weighted mean of those averages on a 0-4 scale, divided by 4.
Items the student has no grades in give no evidence; a career none of whose items has any
falls back to the student's overall average (so a career is neither rewarded nor punished for
asking for courses the student has not taken yet); a student with no grades at all (a
middle-schooler) gets no strengths part, and its weight goes to the other parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.careers import CareerEntry
from engine.model import Course, Selector
from engine.normalize import GradedRow
from engine.recommend.results import Evidence
from engine.requirements import selector_matches

__all__ = ["GradedCourse", "graded_courses", "strength_part"]

#: How much the programs-of-study item weighs (Perkins: 2 courses).
PROGRAM_WEIGHT = 2.0


@dataclass(frozen=True)
class GradedCourse:
    """A completed, graded transcript row with its catalog course."""

    course: Course
    credits: float
    points: float


def graded_courses(rows: Sequence[GradedRow]) -> tuple[GradedCourse, ...]:
    """The rows that carry a grade: completed, with quality points, not superseded."""
    return tuple(
        GradedCourse(row.course, row.credits, row.points)
        for row in rows
        if row.status == "completed" and row.points is not None and row.use in ("credit", "failed")
    )


def _average(graded: Sequence[GradedCourse], selector: Selector) -> tuple[float, int] | None:
    hits = [g for g in graded if selector_matches(selector, g.course)]
    credits = sum(g.credits for g in hits)
    if not hits or credits <= 0:
        return None
    return sum(g.points * g.credits for g in hits) / credits, len({g.course.id for g in hits})


def strength_part(
    entry: CareerEntry, graded: Sequence[GradedCourse]
) -> tuple[float | None, str, tuple[Evidence, ...]]:
    """(score or None without grades, explanation, evidence) for one career."""
    if not graded:
        return None, "no graded courses yet: this part is left out", ()
    career = entry.career
    items: list[tuple[str, Selector, float]] = [
        (
            " or ".join(item.subject + item.attribute),
            Selector(subject=item.subject, attribute=item.attribute),
            item.credits,
        )
        for item in career.coursework
    ]
    programs = tuple(f"pos:{p}" for p in career.programs)
    items.append(("programs of study", Selector(attribute=programs), PROGRAM_WEIGHT))
    evidence: list[Evidence] = []
    weighted = 0.0
    weight = 0.0
    for label, selector, credits in items:
        found = _average(graded, selector)
        if found is None:
            continue
        gpa, count = found
        value = gpa / 4.0
        evidence.append(
            Evidence(
                label=label,
                value=round(min(1.0, value), 4),
                detail=f"{gpa:.2f} average over {count} course{'s' if count != 1 else ''}",
                source="the student's completed, graded courses",
            )
        )
        weighted += min(1.0, value) * credits
        weight += credits
    if weight == 0:
        credits = sum(g.credits for g in graded)
        gpa = sum(g.points * g.credits for g in graded) / credits if credits else 0.0
        value = round(min(1.0, gpa / 4.0), 4)
        overall = Evidence(
            label="overall",
            value=value,
            detail=f"no grades yet in this career's courses: the overall {gpa:.2f} average",
            source="the student's completed, graded courses",
        )
        return (
            value,
            f"grades {gpa:.2f} of 4 overall (none yet in this career's courses)",
            (overall,),
        )
    score = weighted / weight
    best = max(evidence, key=lambda e: (e.value, e.label))
    return (
        score,
        f"grades {score * 4:.2f} of 4 in this career's courses (best: {best.label})",
        (tuple(evidence)),
    )
