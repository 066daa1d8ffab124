"""Read a transcript through a catalog and a rule set's grading policy.

Two steps, because they change at different rates: *resolving* rows to catalog courses happens
once per audit; *grading* (letters, passing, which attempt of a repeated course counts) happens
per rule set, since NCAA, a state and a university each read the same grades their own way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from engine.grades import LETTERS, GradeScale, letter_rank
from engine.model import Catalog, Course, Grading
from engine.results import UnrecognizedRow, clip
from engine.student import Student, TranscriptRow

__all__ = [
    "PHASES",
    "TERM_ORDER",
    "CatalogIndex",
    "GradedRow",
    "ResolvedRow",
    "grade_rows",
    "reading_of",
    "repeats_matter",
    "resolve_transcript",
]

TERM_ORDER = {"fall": 0, "year": 0, "spring": 1, "summer": 2}
PHASES = {"completed": 0, "in_progress": 1, "planned": 2}
END_ORDER = {"fall": 0, "year": 1, "spring": 1, "summer": 2}


@dataclass(frozen=True, slots=True, eq=False)
class ResolvedRow:
    """A transcript row matched to its catalog course."""

    index: int
    row: TranscriptRow
    course: Course
    credits: float
    note: str


@dataclass(slots=True, eq=False)
class GradedRow:
    """A resolved row read under one rule set's grading policy (treat as read-only)."""

    index: int
    course: Course
    course_id: str  # ``course.id``, read in every hot loop: a model's field read costs more
    credits: float
    grade_level: int
    term: str
    status: str  # completed | in_progress | planned
    letter: str | None  # canonical letter, "P", or None when ungraded
    points: float | None
    credited: bool  # earns credit (or, when not completed, is expected to)
    use: str  # credit | failed | superseded | no_credit
    note: str
    when: tuple[int, int]  # (grade level, term order): when the attempt ended
    ended: tuple[int, int]  # (grade level, term order) when it finished: a year row in spring
    phase: int  # 0 completed, 1 in progress, 2 planned
    # Position among the rows graded with it, ordered by what the row is (grade level, term,
    # course, credits, grade), then by where it sits: a canonical order that reordering the
    # transcript cannot change. Sorting by one int, not a tuple, is most of the speed.
    rank: int


@lru_cache(maxsize=256)
def _tables(scale: GradeScale, school: GradeScale | None) -> tuple[dict[str, float], set[str]]:
    """Points of every letter under ``scale``, and the letters that pass under both scales."""
    points = {letter: scale.points(letter) for letter in LETTERS}
    passing = {
        letter
        for letter in LETTERS
        if scale.passes(letter) and (school is None or school.passes(letter))
    }
    passing.add("P")
    return points, passing


def _row_credits(row: TranscriptRow, course: Course) -> float:
    if row.credits is not None:
        return row.credits
    if course.terms == ("year",) and row.term in ("fall", "spring"):
        return course.credits / 2
    return course.credits


@dataclass(frozen=True, eq=False)
class CatalogIndex:
    """A catalog's courses by id and by SCED code (built once per catalog, not per audit)."""

    catalog: Catalog
    by_id: dict[str, Course]
    by_sced: dict[str, list[Course]]

    @classmethod
    def of(cls, catalog: Catalog) -> CatalogIndex:
        by_sced: dict[str, list[Course]] = {}
        for entry in catalog.courses:
            if entry.sced:
                by_sced.setdefault(entry.sced, []).append(entry)
        return cls(catalog, {c.id: c for c in catalog.courses}, by_sced)


def resolve_transcript(
    student: Student, catalog: Catalog | CatalogIndex
) -> tuple[list[ResolvedRow], list[UnrecognizedRow]]:
    """Match every row to a catalog course by id or SCED code; report the ones that match none."""
    index_ = catalog if isinstance(catalog, CatalogIndex) else CatalogIndex.of(catalog)
    catalog = index_.catalog
    by_id, by_sced = index_.by_id, index_.by_sced
    resolved: list[ResolvedRow] = []
    unknown: list[UnrecognizedRow] = []
    for index, row in enumerate(student.transcript):
        course: Course | None = None
        note = ""
        if row.course is not None:
            course = by_id.get(row.course)
            if course is None and row.sced is None:
                unknown.append(
                    UnrecognizedRow(
                        index=index,
                        course=row.course,
                        sced=None,
                        reason=f"course id {row.course!r} is not in catalog {catalog.id}",
                    )
                )
                continue
        if course is None and row.sced is not None:
            matches = by_sced.get(row.sced[:5], [])
            if not matches:
                unknown.append(
                    UnrecognizedRow(
                        index=index,
                        course=row.course,
                        sced=row.sced,
                        reason=f"no course in catalog {catalog.id} has SCED code {row.sced[:5]}",
                    )
                )
                continue
            course = matches[0]
            if len(matches) > 1:
                others = ", ".join(c.id for c in matches[1:])
                note = clip(f"SCED {row.sced[:5]} also matches {others}; read as {course.id}", 2000)
        assert course is not None
        resolved.append(ResolvedRow(index, row, course, _row_credits(row, course), note))
    return resolved, unknown


def _attempt_key(rr: ResolvedRow) -> tuple[str, str]:
    term = rr.row.term
    return (rr.course.id, term if term in ("fall", "spring") else "full")


def repeats_matter(resolved: Sequence[ResolvedRow]) -> bool:
    """Whether some course part was taken twice (or a row is a summer retake), so a grading's
    repeat policy can change which attempt counts."""
    parts: set[tuple[str, str]] = set()
    for rr in resolved:
        if rr.row.term == "summer":
            return True
        part = _attempt_key(rr)
        if part in parts:
            return True
        parts.add(part)
    return False


def reading_of(grading: Grading, school: GradeScale | None, repeats: bool) -> tuple[object, ...]:
    """Everything :func:`grade_rows` reads from ``grading`` and ``school``.

    Two gradings with equal readings grade the same rows alike, so an audit grades once for
    both: Texas and NCAA scales differ, but through a Texas school's scale they give the same
    points and pass the same letters, so unless a course was repeated (NCAA locks grades
    before grade 12) the rows read alike. ``repeats`` is :func:`repeats_matter` of the rows:
    without repeats no repeat policy applies.
    """
    points, passing = _tables(grading.scale, school)
    policy = (grading.repeats, grading.lock_before_grade) if repeats else None
    return (points, passing, school or grading.scale, policy)


def grade_rows(
    resolved: Sequence[ResolvedRow], grading: Grading, school: GradeScale | None = None
) -> list[GradedRow]:
    """Letters, credit and repeat handling under ``grading``; one GradedRow per resolved row.

    ``school`` is the catalog's own scale. Where given, it decides how a numeric grade reads as
    a letter and whether a grade passed at all (NCAA counts a D only "if the school counts D as
    passing"); the rule set's scale then decides points and its own passing grade.
    """
    scale = grading.scale
    numbers = school or scale
    points_of, passing = _tables(scale, school)
    # The letter of each numeric grade is read once.
    by_number: dict[float, str] = {}
    letters: list[str | None] = []
    for rr in resolved:
        grade = rr.row.grade
        if grade is None or not isinstance(grade, float):
            letters.append(grade)
        else:
            letter = by_number.get(grade)
            if letter is None:
                letter = by_number[grade] = numbers.letter_for_number(grade)
            letters.append(letter)

    uses: list[tuple[str, str]]
    if not repeats_matter(resolved):
        # The usual transcript: no course part taken twice, so each attempt stands alone and
        # no repeat policy applies (the grouping below would make one group per row).
        uses = [
            _CREDIT if rr.row.status != "completed" or letter in passing else _FAILED
            for rr, letter in zip(resolved, letters, strict=True)
        ]
    else:
        by_index = {rr.index: letter for rr, letter in zip(resolved, letters, strict=True)}

        def passes(rr: ResolvedRow) -> bool:
            return rr.row.status != "completed" or by_index[rr.index] in passing

        chosen: dict[int, tuple[str, str]] = {}
        _group_attempts(resolved, grading, by_index, passes, chosen)
        uses = [chosen[rr.index] for rr in resolved]

    keys = [
        (rr.row.grade_level, TERM_ORDER[rr.row.term], rr.course.id, -rr.credits, letter or "", i)
        for i, (rr, letter) in enumerate(zip(resolved, letters, strict=True))
    ]
    ranks = [0] * len(keys)
    for rank, key in enumerate(sorted(keys)):
        ranks[key[-1]] = rank
    out: list[GradedRow] = []
    for rr, letter, (use, note), rank in zip(resolved, letters, uses, ranks, strict=True):
        row = rr.row
        level, term, status = row.grade_level, row.term, row.status
        starts = TERM_ORDER[term]
        out.append(
            GradedRow(
                rr.index,
                rr.course,
                rr.course.id,
                rr.credits,
                level,
                term,
                status,
                letter,
                points_of.get(letter) if letter is not None else None,
                use == "credit",
                use,
                clip(f"{rr.note}; {note}") if rr.note and note else rr.note or note,
                (level, starts),
                (level, END_ORDER[term]),
                PHASES[status],
                rank,
            )
        )
    return out


def _group_attempts(
    resolved: Sequence[ResolvedRow],
    grading: Grading,
    letters: dict[int, str | None],
    passes: Callable[[ResolvedRow], bool],
    chosen: dict[int, tuple[str, str]],
) -> None:
    """Which attempt of each course part earns credit, when some part was taken twice."""
    # Group attempts of the same (non-repeatable) course part; summer retakes join the group
    # of an earlier failed attempt of that course.
    groups: dict[tuple[str, str], list[ResolvedRow]] = {}
    # Attempts in time order; in one term a row flagged as a repeat comes after the one it
    # repeats, and otherwise the content decides, so transcript order never does.
    ordered = sorted(
        resolved,
        key=lambda r: (
            r.row.grade_level,
            TERM_ORDER[r.row.term],
            r.row.repeat,
            PHASES[r.row.status],
            str(r.row.grade),
            r.index,
        ),
    )
    for rr in ordered:
        if rr.course.repeatable:
            groups[(rr.course.id, f"#{rr.index}")] = [rr]
            continue
        key = _attempt_key(rr)
        if rr.row.term == "summer":
            for other_key, attempts in groups.items():
                if other_key[0] == rr.course.id and not any(passes(a) for a in attempts):
                    key = other_key
                    break
        groups.setdefault(key, []).append(rr)

    for attempts in groups.values():
        if len(attempts) == 1:  # the common case: one attempt, no repeat policy to apply
            only = attempts[0]
            chosen[only.index] = _CREDIT if passes(only) else _FAILED
        else:
            _choose_attempt(attempts, grading, letters, passes, chosen)


_CREDIT = ("credit", "")
_FAILED = ("failed", "below the passing grade; no credit")
_REPLACED_FAIL = (
    "superseded",
    "below the passing grade; a passing attempt of this course counts instead",
)


def _at_least(letter: str | None, floor: str) -> bool:
    return letter not in (None, "P") and letter_rank(letter) >= letter_rank(floor)


def _replaced_fail(
    grading: Grading, winner: ResolvedRow | None, letters: dict[int, str | None]
) -> tuple[str, str]:
    """What a failed attempt is when ``winner`` is the attempt that earns the credit."""
    if winner is None or winner.row.status != "completed":
        return _FAILED  # no passing attempt yet: the F still counts
    floor = grading.forgive_with
    if floor is None or _at_least(letters[winner.index], floor):
        return _REPLACED_FAIL
    return (
        "failed",
        f"below the passing grade; still in GPAs: only a repeat graded {floor} or better "
        "replaces it",
    )


def _choose_attempt(
    attempts: list[ResolvedRow],
    grading: Grading,
    letters: dict[int, str | None],
    passes: Callable[[ResolvedRow], bool],
    chosen: dict[int, tuple[str, str]],
) -> None:
    """Mark which attempt of one course part earns the credit, per the repeat policy."""
    completed_pass = [a for a in attempts if a.row.status == "completed" and passes(a)]
    pending = [a for a in attempts if a.row.status != "completed"]
    lock = grading.lock_before_grade
    if lock is not None:
        early = [a for a in completed_pass if a.row.grade_level < lock]
        if early:
            completed_pass = early
    winner: ResolvedRow | None = None
    if completed_pass:
        if grading.repeats == "first":
            winner = completed_pass[0]
        elif grading.repeats == "latest":
            winner = completed_pass[-1]
        else:

            def rank(a: ResolvedRow) -> tuple[int, int]:
                letter = letters[a.index]
                value = letter_rank(letter) if letter not in (None, "P") else -1
                return (value, attempts.index(a))

            winner = max(completed_pass, key=rank)
    elif pending:
        winner = pending[0]  # the attempt that will finish first
    for a in attempts:
        if a is winner:
            chosen[a.index] = (
                "credit",
                "repeat of an earlier attempt"
                if len(attempts) > 1 and a is not attempts[0]
                else "",
            )
        elif a.row.status != "completed":
            chosen[a.index] = ("no_credit", "repeat of a course already passed; counted once")
        elif not passes(a):
            # A failed attempt the policy replaced by a passing one is out of GPAs too: "D/F
            # grades count ... unless the course is repeated" (UC), the best grade counts (NCAA).
            # Until the retake is completed, the F still counts; where forgiveness needs a
            # grade (Florida: C or better), a lower passing repeat leaves it counted.
            chosen[a.index] = _replaced_fail(grading, winner, letters)
        elif (
            lock is not None
            and winner is not None
            and a.row.grade_level >= lock > (winner.row.grade_level)
        ):
            chosen[a.index] = (
                "superseded",
                f"grades before grade {lock} are locked; this repeat does not replace them",
            )
        else:
            chosen[a.index] = (
                "superseded",
                "a better or later attempt of this course counts instead",
            )


def to_result_rows(rows: Sequence[GradedRow]) -> list[dict[str, object]]:
    """Public form of graded rows (plain data, validated as ``NormalizedRow`` with the goal)."""
    return [
        {
            "index": g.index,
            "course": g.course_id,
            "title": g.course.title,
            "subject": g.course.subject,
            "credits": g.credits,
            "grade_level": g.grade_level,
            "term": g.term,
            "status": g.status,
            "grade": g.letter,
            "points": g.points,
            "use": g.use,
            "note": g.note,
        }
        for g in rows
    ]
