"""Ed-Fi Data Standard 5.x: ``courseTranscripts`` (with optional ``courses`` and
``studentAcademicRecords``) as served by an Ed-Fi ODS/API, to a GradPath student record.

``studentAcademicRecords`` check the bundle (:mod:`engine.importers.edfi_sessions`): a session
whose record reports more earned credits than its transcripts earn gives a warning.

Descriptors are read by their code value (the part after ``#``), whatever the namespace: states
publish their own namespaces (``uri://<state>.gov/...``) with the Ed-Fi default values or their
own. A value with no faithful GradPath equivalent (a quarter term, a withdrawn attempt, a grade
level outside 6-12) makes the row unmapped, with the reason, rather than guessed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from engine.importers.common import (
    MAX_UNMAPPED,
    ImportResult,
    RowLimitError,
    SourceError,
    StudentHeader,
    UnmappedRow,
    add_unmapped,
    student_record,
)
from engine.importers.edfi_sessions import session_warnings
from engine.student import TranscriptRow
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
#: Ed-Fi's attempt results; another (a state's "Audit", "No Credit") has no GradPath equivalent.
RESULTS = {"Pass", "Fail", "Incomplete", "Withdrawn"}
SCED_SYSTEM = "SCED course code"
#: A SCED code as GradPath reads one: five digits, optionally the 7-character suffix (ASCII only:
#: ``str.isdigit`` and ``\d`` also accept other scripts' digits).
SCED_CODE = re.compile(r"[0-9]{5}([A-Z][0-9.]{4}[0-9]{2})?")


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


def _org(reference: object) -> object:
    """The ``educationOrganizationId`` of a reference, or None."""
    return reference.get("educationOrganizationId") if isinstance(reference, Mapping) else None


class ScedCodes:
    """SCED codes of the ``courses`` resource, by course code and education organization.

    Ed-Fi keys a course by its code *and* its education organization: two schools may use one
    code for different courses, so a code is read with its organization when the transcript
    names one, and a code with several SCED codes is not guessed between.
    """

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], str] = {}
        self.by_code: dict[str, set[str]] = {}

    def add(self, code: str, org: object, sced: str) -> None:
        self.by_code.setdefault(code, set()).add(sced)
        if org is not None:
            self.by_key[(code, json.dumps(org))] = sced

    def get(self, code: str, org: object) -> tuple[str | None, str | None]:
        """The SCED code of course ``code`` of ``org``, or why there is none to use."""
        if org is not None and (found := self.by_key.get((code, json.dumps(org)))) is not None:
            return found, None
        codes = self.by_code.get(code, set())
        if len(codes) > 1:
            listed = ", ".join(sorted(codes))
            return None, f"courses give course {code!r} several SCED codes ({listed})"
        return (next(iter(codes)) if codes else None), None


def _sced_codes(courses: object) -> ScedCodes:
    """Course code -> SCED code, from the ``courses`` resource's identification codes.

    A malformed entry refuses the bundle (a ValueError naming it): skipping it would drop a
    SCED code silently and leave its rows unmapped for a reason the caller cannot see. So does
    a SCED identification code that is not one (``"0205"``, ``"020529"``, a number): cutting
    or padding it would name another course.
    """
    out = ScedCodes()
    for i, entry in enumerate(_array(courses, ("courses",))):
        course = _object(entry, ("courses", i), optional=False)
        code = course.get("courseCode")
        org = _org(course.get("educationOrganizationReference"))
        codes = _array(course.get("identificationCodes"), ("courses", i, "identificationCodes"))
        for j, item in enumerate(codes):
            ident = _object(item, ("courses", i, "identificationCodes", j), optional=False)
            system = code_value(ident.get("courseIdentificationSystemDescriptor"))
            if system != SCED_SYSTEM:
                continue
            where: Path = ("courses", i, "identificationCodes", j, "identificationCode")
            value = ident.get("identificationCode")
            if not isinstance(value, str) or not SCED_CODE.fullmatch(value.strip()):
                shown = repr(value) if isinstance(value, str) else _kind(value)
                raise SourceError(
                    f"{format_path(where)} is {shown}, not a SCED code (5 digits, optionally "
                    "with its 7-character suffix)",
                    where,
                )
            if isinstance(code, str):
                out.add(code, org, value.strip())
    return out


def _number(record: Mapping[str, Any], key: str) -> tuple[float | None, str | None]:
    """``record[key]`` as a finite float (absent: None), or why it is not one.

    A number of the wrong type or out of float's range is a reason, never skipped: a credit
    count read as absent becomes the catalog's, a grade read as absent becomes pass/fail.
    """
    value = record.get(key)
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"{key} is {_kind(value)}, not a number"
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits: JSON allows it, float does not
        return None, f"{key} is too large a number"
    if not math.isfinite(number):
        return None, f"{key} is {number}, not a finite number"
    return number, None


def _grade(record: Mapping[str, Any], result: str | None) -> tuple[str | float | None, str | None]:
    letter = record.get("finalLetterGradeEarned")
    if isinstance(letter, str) and letter.strip():
        return letter.strip(), None
    number, problem = _number(record, "finalNumericGradeEarned")
    if problem is not None:
        return None, problem
    if number is not None:
        return number, None
    if result == "Pass":
        return "P", None
    if result == "Fail":
        return "F", None
    return None, "no final grade and no pass/fail result"


def _result_contradicts(result: str | None, grade: str | float | None) -> str | None:
    """Why a letter grade and the attempt result disagree, or None.

    GradPath reads pass or fail from the grade, under each rule set's scale: a "Fail" with a D
    (a district where a D fails) would earn the credit the school withheld, and a "Pass" with
    an F would lose one. A numeric grade is left to the school's scale in the catalog.
    """
    if not isinstance(grade, str):
        return None
    letter = grade.strip().upper()
    if result == "Fail" and letter not in ("F", "FAIL"):
        return (
            f"the attempt result is Fail but the grade is {grade!r}, which GradPath would read as "
            "passing under some scales: check the record"
        )
    if result == "Pass" and letter in ("F", "FAIL"):
        return f"the attempt result is Pass but the grade is {grade!r}: check the record"
    return None


def _descriptor(record: Mapping[str, Any], key: str) -> str | None:
    """The code value of descriptor ``record[key]``; a value that is no descriptor (a number,
    an object) is a ``ValueError`` (the row is listed), not read as absent."""
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key} is {_kind(value)}, not a descriptor")
    return code_value(value)


def _row(
    record: Mapping[str, Any],
    sced: ScedCodes,
    known: frozenset[str] | None,
    crosswalk: Mapping[str, str],
) -> tuple[dict[str, Any] | None, str | None]:
    """One transcript row, or the reason it cannot be one."""
    course_ref = _object(record.get("courseReference"), ("courseReference",))
    local_code = course_ref.get("courseCode")
    if not isinstance(local_code, str) or not local_code:
        return None, "no courseReference.courseCode"
    course_code = crosswalk.get(local_code, local_code)
    level_name = _descriptor(record, "whenTakenGradeLevelDescriptor")
    level = GRADE_LEVELS.get(level_name or "")
    if level is None:
        return None, f"grade level {level_name!r} is not a grade from 6 to 12"
    academic_record = _object(
        record.get("studentAcademicRecordReference"), ("studentAcademicRecordReference",)
    )
    term_name = _descriptor(academic_record, "termDescriptor")
    term = TERMS.get(term_name or "")
    if term is None:
        return None, f"term {term_name!r} has no GradPath equivalent (fall, spring, summer, year)"
    result = _descriptor(record, "courseAttemptResultDescriptor")
    if result in ("Withdrawn",):
        return None, "withdrawn attempt: no grade to count"
    if result is not None and result not in RESULTS:
        return None, (
            f"attempt result {result!r} has no GradPath equivalent ({', '.join(sorted(RESULTS))})"
        )
    row: dict[str, Any] = {"grade_level": level, "term": term}
    code, ambiguous = sced.get(local_code, _org(course_ref))
    if known is not None and course_code in known:
        row["course"] = course_code
    elif ambiguous is not None:
        return None, ambiguous
    elif code is not None:
        row["sced"] = code
    elif known is None:
        row["course"] = course_code
    else:
        return None, f"course {course_code!r} has no SCED code and is not a catalog course id"
    if result == "Incomplete":
        row["status"] = "in_progress"
    else:
        grade, problem = _grade(record, result)
        if problem is None:
            problem = _result_contradicts(result, grade)
        if problem is not None:
            return None, problem
        row["grade"] = grade
    credits, problem = _number(record, "attemptedCredits")
    if problem is None:
        earned, problem = _number(record, "earnedCredits")
    if problem is not None:
        return None, problem
    if credits is not None:
        # Ed-Fi's earned credits that disagree with the result: GradPath counts one number of
        # credits per row (all of it when the grade passes, none when it fails), so a partial
        # credit cannot be carried faithfully.
        if result == "Pass" and earned is not None and earned != credits:
            return None, (
                f"earnedCredits {earned:g} differ from attemptedCredits {credits:g} on a passed "
                "attempt: GradPath counts all of a row's credits or none"
            )
        if result == "Fail" and earned is not None and earned > 0:
            return None, (
                f"earnedCredits {earned:g} on a failed attempt: GradPath counts all of a row's "
                "credits or none"
            )
        row["credits"] = credits
    if _descriptor(record, "courseRepeatCodeDescriptor") in RETAKES:
        row["repeat"] = True
    # The row as the student record will read it: a grade, a credit count, a course code or a
    # SCED code GradPath does not accept is listed here, with the reason, not returned in a
    # record that the audit would then refuse (pointing at the record, not the bundle).
    try:
        valid = TranscriptRow.model_validate(row)
    except ValidationError as exc:
        return None, "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()
        )
    return valid.model_dump(mode="json", exclude_defaults=True), None


def _attempt_key(record: Mapping[str, Any]) -> str:
    """Ed-Fi's natural key of a course transcript: course, education organization, school
    year, student, term and result. Two records with one key are one attempt sent twice."""
    course = record.get("courseReference")
    academic = record.get("studentAcademicRecordReference")
    course = course if isinstance(course, Mapping) else {}
    academic = academic if isinstance(academic, Mapping) else {}
    key = [
        course.get("courseCode"),
        course.get("educationOrganizationId"),
        academic.get("educationOrganizationId"),
        academic.get("schoolYear"),
        academic.get("studentUniqueId"),
        code_value(academic.get("termDescriptor")),
        code_value(record.get("courseAttemptResultDescriptor")),
    ]
    return json.dumps(key, sort_keys=True, default=str)


def _cohort(plans: object, needed: bool) -> int | None:
    """The graduation year of ``graduationPlans``; when ``needed`` (no cohort was passed), one
    that is not a year from 2000 to 2100, or several different years, refuse the bundle saying
    where, rather than being skipped or the last one taken."""
    years: dict[int, Path] = {}
    for i, entry in enumerate(_array(plans, ("graduationPlans",))):
        plan = _object(entry, ("graduationPlans", i), optional=False)
        ref: Path = ("graduationPlans", i, "graduationSchoolYearTypeReference")
        year = _object(plan.get("graduationSchoolYearTypeReference"), ref).get("schoolYear")
        if year is None or not needed:
            continue
        where: Path = (*ref, "schoolYear")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            number = isinstance(year, int) and not isinstance(year, bool) and abs(year) < 10**6
            shown = str(year) if number else None
            raise SourceError(
                f"{format_path(where)} is {shown or _kind(year)}, not a graduation year from "
                "2000 to 2100 (or pass the cohort)",
                where,
            )
        years.setdefault(year, where)
    if len(years) > 1:
        listed = ", ".join(str(y) for y in sorted(years))
        raise SourceError(
            f"graduationPlans give several graduation years ({listed}): pass the cohort",
            ("graduationPlans",),
        )
    return next(iter(years), None)


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
    # Even with an id to use (``header.student_id`` names the record, it does not choose a
    # student): two students' courses would be merged into one transcript.
    if len(ids) > 1:
        raise ValueError(f"the bundle holds {len(ids)} students; import one at a time")
    rows: list[dict[str, Any]] = []
    unmapped: list[UnmappedRow] = []
    seen: dict[str, int] = {}
    mapped = 0
    for index, record in enumerate(transcripts):
        where = f"courseTranscripts[{index}]"
        if not isinstance(record, Mapping):
            add_unmapped(unmapped, where, f"{_kind(record)}, not an object")
            continue
        try:
            row, problem = _row(record, sced, known_courses, crosswalk or {})
        except ValueError as exc:  # a part of the record that is not the shape Ed-Fi gives it
            row, problem = None, str(exc)
        if row is not None:
            # A mapped record counts toward the row limit even when it repeats another: the
            # limit bounds the attempts a source sends, and a long source stops being read.
            mapped += 1
            if max_rows is not None and mapped > max_rows:
                raise RowLimitError(max_rows)
            # One attempt sent twice (pages of an ODS/API query that overlap) would count its
            # credits twice: the second is listed, naming the first.
            first = seen.setdefault(_attempt_key(record), index)
            if first != index:
                row, problem = (
                    None,
                    f"the same course attempt as courseTranscripts[{first}] (course, school, "
                    "school year, student, term and result): counted once",
                )
        if row is None:
            add_unmapped(unmapped, where, problem or "unreadable")
        else:
            rows.append(row)
    cohort = _cohort(bundle.get("graduationPlans"), header.cohort is None)
    warnings = session_warnings(bundle.get("studentAcademicRecords"), transcripts)
    source_id = next(iter(ids)) if len(ids) == 1 else None
    record = student_record(header, source_id, cohort, rows, unmapped)
    return ImportResult(
        student=record, unmapped=tuple(unmapped), warnings=tuple(warnings[:MAX_UNMAPPED])
    )
