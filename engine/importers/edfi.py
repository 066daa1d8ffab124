"""Ed-Fi Data Standard 5.x: ``courseTranscripts`` (with optional ``courses`` and
``studentAcademicRecords``) as served by an Ed-Fi ODS/API, to a GradPath student record.

Descriptors are read by their code value (the part after ``#``), whatever the namespace: states
publish their own namespaces (``uri://<state>.gov/...``) with the Ed-Fi default values or their
own. A value with no faithful GradPath equivalent (a quarter term, a withdrawn attempt, a grade
level outside 6-12) makes the row unmapped, with the reason, rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.importers.common import (
    ImportResult,
    SourceError,
    StudentHeader,
    UnmappedRow,
    add_row,
    add_unmapped,
    student_record,
)
from engine.yamlsource import format_path

__all__ = ["import_edfi"]

GRADE_LEVELS = {
    "Sixth grade": 6,
    "Seventh grade": 7,
    "Eighth grade": 8,
    "Ninth grade": 9,
    "Tenth grade": 10,
    "Eleventh grade": 11,
    "Twelfth grade": 12,
}
TERMS = {
    "Fall Semester": "fall",
    "Spring Semester": "spring",
    "Summer Semester": "summer",
    "Year Round": "year",
}
#: Repeat codes that mark the row itself as a retake; GradPath's rule set then decides which
#: attempt counts. "Replaced NotCounted" and "Not Counted Other" mark an original attempt.
RETAKES = {"Repeat Counted", "Repeat NotCounted", "Replacement Counted", "Repeat Other Institution"}
SCED_SYSTEM = "SCED course code"


def code_value(descriptor: object) -> str | None:
    """``uri://ed-fi.org/TermDescriptor#Fall Semester`` -> ``Fall Semester``."""
    if not isinstance(descriptor, str) or not descriptor:
        return None
    return descriptor.rsplit("#", 1)[-1].strip() or None


def _kind(value: object) -> str:
    """What a JSON value is, for a message: 'a string', 'an array', ..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    return "an object" if isinstance(value, Mapping) else "null"


Path = tuple[str | int, ...]


def _object(value: object, where: Path, *, optional: bool = True) -> Mapping[str, Any]:
    """``value`` as a JSON object (absent and ``optional``: empty), else a :class:`SourceError`
    at ``where``. An entry of an array is not optional: a null there is no resource."""
    if value is None and optional:
        return {}
    if not isinstance(value, Mapping):
        raise SourceError(f"{format_path(where)} is {_kind(value)}, not an object", where)
    return value


def _array(value: object, where: Path) -> Sequence[Any]:
    """``value`` as a JSON array (absent: empty), else a :class:`SourceError` at ``where``."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise SourceError(f"{format_path(where)} is {_kind(value)}, not an array", where)
    return value


def _sced_codes(courses: object) -> dict[str, str]:
    """Course code -> SCED code, from the ``courses`` resource's identification codes.

    A malformed entry refuses the bundle (a ValueError naming it): skipping it would drop a
    SCED code silently and leave its rows unmapped for a reason the caller cannot see.
    """
    out: dict[str, str] = {}
    for i, entry in enumerate(_array(courses, ("courses",))):
        course = _object(entry, ("courses", i), optional=False)
        code = course.get("courseCode")
        codes = _array(course.get("identificationCodes"), ("courses", i, "identificationCodes"))
        for j, item in enumerate(codes):
            ident = _object(item, ("courses", i, "identificationCodes", j), optional=False)
            system = code_value(ident.get("courseIdentificationSystemDescriptor"))
            value = str(ident.get("identificationCode") or "")
            if isinstance(code, str) and system == SCED_SYSTEM and value.isdigit():
                out[code] = value[:5]
    return out


def _grade(record: Mapping[str, Any]) -> tuple[str | float | None, str | None]:
    letter = record.get("finalLetterGradeEarned")
    number = record.get("finalNumericGradeEarned")
    result = code_value(record.get("courseAttemptResultDescriptor"))
    if isinstance(letter, str) and letter.strip():
        return letter.strip(), None
    if isinstance(number, int | float) and not isinstance(number, bool):
        return float(number), None
    if result == "Pass":
        return "P", None
    if result == "Fail":
        return "F", None
    return None, "no final grade and no pass/fail result"


def _row(
    record: Mapping[str, Any],
    sced: Mapping[str, str],
    known: frozenset[str] | None,
    crosswalk: Mapping[str, str],
) -> tuple[dict[str, Any] | None, str | None]:
    """One transcript row, or the reason it cannot be one."""
    local_code = _object(record.get("courseReference"), ("courseReference",)).get("courseCode")
    if not isinstance(local_code, str) or not local_code:
        return None, "no courseReference.courseCode"
    course_code = crosswalk.get(local_code, local_code)
    level_name = code_value(record.get("whenTakenGradeLevelDescriptor"))
    level = GRADE_LEVELS.get(level_name or "")
    if level is None:
        return None, f"grade level {level_name!r} is not a grade from 6 to 12"
    academic_record = _object(
        record.get("studentAcademicRecordReference"), ("studentAcademicRecordReference",)
    )
    term_name = code_value(academic_record.get("termDescriptor"))
    term = TERMS.get(term_name or "")
    if term is None:
        return None, f"term {term_name!r} has no GradPath equivalent (fall, spring, summer, year)"
    result = code_value(record.get("courseAttemptResultDescriptor"))
    if result in ("Withdrawn",):
        return None, "withdrawn attempt: no grade to count"
    row: dict[str, Any] = {"grade_level": level, "term": term}
    code = sced.get(local_code)
    if known is not None and course_code in known:
        row["course"] = course_code
    elif code is not None:
        row["sced"] = code
    elif known is None:
        row["course"] = course_code
    else:
        return None, f"course {course_code!r} has no SCED code and is not a catalog course id"
    if result == "Incomplete":
        row["status"] = "in_progress"
    else:
        grade, problem = _grade(record)
        if problem is not None:
            return None, problem
        row["grade"] = grade
    credits = record.get("attemptedCredits")
    if isinstance(credits, int | float) and not isinstance(credits, bool) and credits > 0:
        row["credits"] = float(credits)
    if code_value(record.get("courseRepeatCodeDescriptor")) in RETAKES:
        row["repeat"] = True
    return row, None


def import_edfi(
    bundle: Mapping[str, Any],
    header: StudentHeader,
    known_courses: frozenset[str] | None = None,
    crosswalk: Mapping[str, str] | None = None,
    *,
    max_rows: int | None = None,
) -> ImportResult:
    """Turn an Ed-Fi bundle into a student record; ``known_courses`` are catalog course ids.

    A course is named by its catalog id when the local course code is one (directly or through
    ``crosswalk``, local code -> catalog id), else by its SCED code from ``courses``; with
    neither, the row is unmapped. With ``max_rows``, a bundle that imports more rows is refused
    (:class:`RowLimitError`) as soon as one row too many is read.
    """
    transcripts = bundle.get("courseTranscripts")
    if not isinstance(transcripts, list):
        raise SourceError("the bundle has no 'courseTranscripts' list", ("courseTranscripts",))
    sced = _sced_codes(bundle.get("courses"))
    ids = {
        str(ref["studentUniqueId"])
        for t in transcripts
        if isinstance(t, Mapping)
        and isinstance(ref := t.get("studentAcademicRecordReference"), Mapping)
        and ref.get("studentUniqueId")
    }
    if len(ids) > 1 and header.student_id is None:
        raise ValueError(f"the bundle holds {len(ids)} students; import one at a time")
    rows: list[dict[str, Any]] = []
    unmapped: list[UnmappedRow] = []
    for index, record in enumerate(transcripts):
        where = f"courseTranscripts[{index}]"
        if not isinstance(record, Mapping):
            add_unmapped(unmapped, where, f"{_kind(record)}, not an object")
            continue
        try:
            row, problem = _row(record, sced, known_courses, crosswalk or {})
        except ValueError as exc:  # a part of the record that is not the shape Ed-Fi gives it
            row, problem = None, str(exc)
        if row is None:
            add_unmapped(unmapped, where, problem or "unreadable")
        else:
            add_row(rows, row, max_rows)
    cohort = None
    for i, entry in enumerate(_array(bundle.get("graduationPlans"), ("graduationPlans",))):
        plan = _object(entry, ("graduationPlans", i), optional=False)
        ref = ("graduationPlans", i, "graduationSchoolYearTypeReference")
        year = _object(plan.get("graduationSchoolYearTypeReference"), ref).get("schoolYear")
        if isinstance(year, int) and not isinstance(year, bool):
            cohort = year
    source_id = next(iter(ids)) if len(ids) == 1 else None
    record = student_record(header, source_id, cohort, rows, unmapped)
    return ImportResult(student=record, unmapped=tuple(unmapped))
