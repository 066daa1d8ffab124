"""The planning calendar: which terms are left, and where each course could sit in them.

Time is one integer line, three slots a grade level (fall, spring, summer), so rows already on a
transcript and planned courses compare the same way: a prerequisite must *end* before the course
that needs it *starts*. A year-long course occupies fall and spring of its grade level.

A catalog whose courses are all year-long plans in years; any semester course makes the plan a
semester plan (a year course then counts in both semesters' loads).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.model import Catalog, Course
from engine.student import Student

__all__ = [
    "Calendar",
    "Period",
    "Placement",
    "build_calendar",
    "period_name",
    "placements",
    "row_span",
    "time_of",
]

SLOT = {"fall": 0, "spring": 1, "summer": 2}


def time_of(grade: int, term: str) -> int:
    """Position of a semester (or summer) on the time line."""
    return grade * 3 + SLOT[term]


def row_span(grade: int, term: str) -> tuple[int, int]:
    """(start, end) of a row taken in ``term`` of ``grade`` (a year row spans fall to spring)."""
    if term == "year":
        return time_of(grade, "fall"), time_of(grade, "spring")
    return time_of(grade, term), time_of(grade, term)


def period_name(grade: int, term: str) -> str:
    return f"grade {grade} {term}"


@dataclass(frozen=True)
class Period:
    """One term of the plan: a semester, a summer, or (in a year catalog) a whole year."""

    grade: int
    term: str  # fall | spring | summer | year
    times: tuple[int, ...]  # slots of the time line it covers


@dataclass(frozen=True)
class Placement:
    """A course taken in ``term`` of ``grade``: the row it becomes and the periods it fills."""

    grade: int
    term: str
    start: int
    end: int
    periods: tuple[int, ...]  # indexes into Calendar.periods


@dataclass(frozen=True)
class Calendar:
    """The periods left from the next term to graduation."""

    periods: tuple[Period, ...]
    semesters: bool
    start: int  # first slot of the time line the plan may use
    last_grade: int
    summer: bool

    def describe(self) -> str:
        first, last = self.periods[0], self.periods[-1]
        return (
            f"{len(self.periods)} terms from {period_name(first.grade, first.term)} "
            f"to {period_name(last.grade, last.term)}"
        )


def _semester_catalog(catalog: Catalog) -> bool:
    return any(course.terms != ("year",) for course in catalog.courses)


def _next_slot(student: Student) -> int:
    """The first slot after every completed or in-progress row (never before this grade)."""
    start = time_of(student.grade_level, "fall")
    for row in student.transcript:
        if row.status == "planned":
            continue
        start = max(start, row_span(row.grade_level, row.term)[1] + 1)
    return start


def build_calendar(
    student: Student, catalog: Catalog, *, last_grade: int, summer: bool
) -> Calendar:
    """Periods from the next term (after completed and in-progress rows) to ``last_grade``."""
    start = _next_slot(student)
    semesters = _semester_catalog(catalog)
    periods: list[Period] = []
    for grade in range(start // 3, last_grade + 1):
        terms: list[str] = ["fall", "spring"] if semesters else ["year"]
        if summer and grade < last_grade:
            terms.append("summer")
        for term in terms:
            span = row_span(grade, term)
            times = tuple(range(span[0], span[1] + 1))
            if span[0] >= start:
                periods.append(Period(grade, term, times))
    return Calendar(tuple(periods), semesters, start, last_grade, summer)


def placements(course: Course, calendar: Calendar, *, offered_only: bool = True) -> list[Placement]:
    """Every way ``course`` fits the calendar: its terms offered and grade levels open.

    With ``offered_only=False`` every period is returned (the infeasibility search relaxes the
    offering and grade-level rules one course at a time).
    """
    out: list[Placement] = []
    index_of = {(p.grade, p.term): i for i, p in enumerate(calendar.periods)}
    year_course = course.terms == ("year",)
    for grade in sorted({p.grade for p in calendar.periods}):
        if offered_only and grade not in course.grade_levels:
            continue
        options: Sequence[str] = (
            ("year", "fall", "spring", "summer") if calendar.semesters else ("year", "summer")
        )
        for term in options:
            if offered_only:
                if term == "year" and not year_course:
                    continue
                if term != "year" and term not in course.terms:
                    continue
            elif (term == "year" and calendar.semesters and not year_course) or (
                term in ("fall", "spring") and year_course
            ):
                continue
            if term == "year" and calendar.semesters:
                keys = [(grade, "fall"), (grade, "spring")]
            else:
                keys = [(grade, term)]
            if not all(key in index_of for key in keys):
                continue
            start, end = row_span(grade, term)
            out.append(Placement(grade, term, start, end, tuple(index_of[k] for k in keys)))
    return out
