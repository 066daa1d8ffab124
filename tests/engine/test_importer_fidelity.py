"""Importer fidelity: rows the Ed-Fi and CSV importers lost, doubled, changed or let through
unchecked, and sources that failed with something other than a ``ValueError``.

Each test is one reproduction; it failed before the fix it names.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from engine.importers import SourceError, StudentHeader, import_csv, import_edfi
from engine.loader import load_student
from tests.conftest import ROOT

BUNDLE = json.loads(
    (ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json").read_text()
)
TX_9 = StudentHeader(jurisdiction="TX", grade_level=9)
TX_2029 = StudentHeader(jurisdiction="TX", cohort=2029, student_id="Q-1")
RESULT = "uri://ed-fi.org/CourseAttemptResultDescriptor#"


def record(**changes: Any) -> dict[str, Any]:
    """The sample's first transcript record (ALG-01, SCED 02052, B, 1 credit) changed."""
    out = copy.deepcopy(BUNDLE["courseTranscripts"][0])
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def edfi(*records: dict[str, Any], header: StudentHeader = TX_9, **parts: Any) -> Any:
    return import_edfi({**BUNDLE, "courseTranscripts": list(records), **parts}, header)


# --- Ed-Fi: a row the student record refuses was returned as imported ----------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"finalLetterGradeEarned": "Z"}, "grade 'Z' is not a letter"),
        ({"finalLetterGradeEarned": None, "finalNumericGradeEarned": 150}, "outside 0-100"),
        ({"attemptedCredits": 15, "earnedCredits": 15}, "credits"),
        ({"courseReference": {"courseCode": "ALG 01"}}, "course"),
    ],
)
def test_an_edfi_row_the_student_record_refuses_is_listed_not_returned(
    changes: dict[str, Any], reason: str
) -> None:
    # Was: the row came back in the student, which the audit then refused (422 pointing at
    # transcript[0], not at courseTranscripts[0]); the CSV importer already checked its rows.
    result = import_edfi(
        {**BUNDLE, "courseTranscripts": [record(**changes)]},
        StudentHeader(jurisdiction="TX", grade_level=9),
        None,  # a state without catalogs: local course codes are kept as course ids
    )
    assert result.student["transcript"] == []
    (unmapped,) = result.unmapped
    assert unmapped.source == "courseTranscripts[0]"
    assert reason in unmapped.reason


def test_edfi_grades_come_back_as_the_student_record_reads_them() -> None:
    (row,) = edfi(record(finalLetterGradeEarned="b+")).student["transcript"]
    assert row["grade"] == "B+"
    load_student(edfi(record(finalLetterGradeEarned="Pass")).student)


# --- Ed-Fi: numbers that crashed, vanished or were replaced ---------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # Was OverflowError (a 500): JSON allows integers float() cannot hold.
        ({"attemptedCredits": 10**400}, "attemptedCredits is too large a number"),
        (
            {"finalLetterGradeEarned": None, "finalNumericGradeEarned": 10**400},
            "finalNumericGradeEarned is too large a number",
        ),
        # Was: credits dropped silently (the catalog's credits then counted).
        ({"attemptedCredits": float("nan")}, "attemptedCredits is nan"),
        ({"attemptedCredits": "1.0"}, "attemptedCredits is a string, not a number"),
        ({"attemptedCredits": -1, "earnedCredits": -1}, "credits"),
        # Was: a NaN grade came back (as null over HTTP); a numeric grade as text became "P".
        ({"finalLetterGradeEarned": None, "finalNumericGradeEarned": float("nan")}, "is nan"),
        (
            {"finalLetterGradeEarned": None, "finalNumericGradeEarned": "88"},
            "finalNumericGradeEarned is a string",
        ),
    ],
)
def test_edfi_numbers_that_cannot_be_read_are_listed(changes: dict[str, Any], reason: str) -> None:
    result = edfi(record(**changes))
    assert result.student["transcript"] == []
    (unmapped,) = result.unmapped
    assert reason in unmapped.reason


def test_edfi_zero_credits_are_kept_not_replaced_by_the_catalogs() -> None:
    # Was: attemptedCredits 0 dropped, so the audit counted the catalog's credits (1.0).
    (row,) = edfi(record(attemptedCredits=0, earnedCredits=0)).student["transcript"]
    assert row["credits"] == 0.0


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"earnedCredits": 0.5}, "earnedCredits 0.5 differ from attemptedCredits 1"),
        (
            {"courseAttemptResultDescriptor": RESULT + "Fail", "finalLetterGradeEarned": "F"},
            "earnedCredits 1 on a failed attempt",
        ),
    ],
)
def test_edfi_partial_credit_is_listed_not_counted_whole(
    changes: dict[str, Any], reason: str
) -> None:
    # Was: a pass that earned half its credits imported with all of them.
    (unmapped,) = edfi(record(**changes)).unmapped
    assert reason in unmapped.reason


@pytest.mark.parametrize(
    ("result", "grade", "reason"),
    [
        ("Fail", "D", "the attempt result is Fail but the grade is 'D'"),
        ("Fail", "C", "the attempt result is Fail but the grade is 'C'"),
        ("Pass", "F", "the attempt result is Pass but the grade is 'F'"),
    ],
)
def test_a_result_its_letter_grade_contradicts_is_listed(
    result: str, grade: str, reason: str
) -> None:
    # GradPath reads pass or fail from the grade: a Fail with a D (where a D fails) would have
    # earned the credit the school withheld, under a scale where a D passes.
    changes = {"courseAttemptResultDescriptor": RESULT + result, "finalLetterGradeEarned": grade}
    if result == "Fail":
        changes["earnedCredits"] = 0
    imported = edfi(record(**changes))
    assert imported.student["transcript"] == []
    (unmapped,) = imported.unmapped
    assert reason in unmapped.reason


def test_a_failed_attempt_with_an_f_or_a_number_imports() -> None:
    failed = {"courseAttemptResultDescriptor": RESULT + "Fail", "earnedCredits": 0}
    (row,) = edfi(record(**failed, finalLetterGradeEarned="F")).student["transcript"]
    assert row["grade"] == "F"
    # A number is read by the school's own scale in the catalog, which knows its passing mark.
    numeric = {**failed, "finalLetterGradeEarned": None, "finalNumericGradeEarned": 65}
    (row,) = edfi(record(**numeric)).student["transcript"]
    assert row["grade"] == 65.0


def test_an_unknown_attempt_result_is_not_read_as_a_completed_course() -> None:
    # Was: a state's "Audit" (no credit) imported as a completed course with its grade.
    (unmapped,) = edfi(record(courseAttemptResultDescriptor="uri://tx.gov/X#Audit")).unmapped
    assert "attempt result 'Audit' has no GradPath equivalent" in unmapped.reason
    # Ed-Fi's own results in a state namespace still import.
    (row,) = edfi(record(courseAttemptResultDescriptor="uri://tx.gov/X#Pass")).student["transcript"]
    assert row["grade"] == "B"


def test_a_descriptor_that_is_not_a_string_is_listed() -> None:
    # Was: a number read as "no result", and the row imported.
    (unmapped,) = edfi(record(courseAttemptResultDescriptor=3)).unmapped
    assert unmapped.reason == "courseAttemptResultDescriptor is a number, not a descriptor"


# --- Ed-Fi: one attempt sent twice ----------------------------------------------------------


def test_the_same_attempt_twice_counts_once() -> None:
    # Was: both imported, so the course's credits counted twice.
    result = edfi(record(), record(), record(attemptedCredits=0.5, earnedCredits=0.5))
    assert len(result.student["transcript"]) == 1
    assert [(u.source, u.reason[:47]) for u in result.unmapped] == [
        ("courseTranscripts[1]", "the same course attempt as courseTranscripts[0]"),
        ("courseTranscripts[2]", "the same course attempt as courseTranscripts[0]"),
    ]
    # A retake (another term) is another attempt.
    spring = record()
    spring["studentAcademicRecordReference"]["termDescriptor"] = "uri://x#Spring Semester"
    assert len(edfi(record(), spring).student["transcript"]) == 2


# --- Ed-Fi: SCED codes cut, ignored or taken from another school's course --------------------


def _course(code: str, sced: object, org: int = 255901001) -> dict[str, Any]:
    return {
        "courseCode": code,
        "educationOrganizationReference": {"educationOrganizationId": org},
        "identificationCodes": [
            {
                "courseIdentificationSystemDescriptor": "uri://x#SCED course code",
                "identificationCode": sced,
            }
        ],
    }


@pytest.mark.parametrize("sced", ["020529", "0205", 2052, None])
def test_a_sced_code_that_is_not_one_is_refused_saying_where(sced: object) -> None:
    # Was: "020529" cut to "02052" (another course, silently); "0205" and 2052 returned as
    # SCED codes the student record refuses; null dropped silently.
    with pytest.raises(SourceError, match="not a SCED code") as refused:
        edfi(record(), courses=[_course("ALG-01", sced)])
    assert refused.value.path == ("courses", 0, "identificationCodes", 0, "identificationCode")


def test_a_full_sced_code_with_its_suffix_is_read() -> None:
    # Was: "02052G1.0012" (a valid SCED code) ignored: the row was unmapped "no SCED code".
    (row,) = edfi(record(), courses=[_course("ALG-01", "02052G1.0012")]).student["transcript"]
    assert row["sced"] == "02052G1.0012"


def test_a_course_code_two_schools_use_is_read_with_its_school() -> None:
    # Was: the last course of that code won, whatever school the transcript named.
    courses = [_course("ALG-01", "02052"), _course("ALG-01", "03001", org=7)]
    (row,) = edfi(record(), courses=courses).student["transcript"]
    assert row["sced"] == "02052"  # the transcript's course is school 255901001's
    other = record(courseReference={"courseCode": "ALG-01"})  # no school named
    (unmapped,) = edfi(other, courses=courses).unmapped
    assert "several SCED codes (02052, 03001)" in unmapped.reason


# --- Ed-Fi: graduation year -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ([3000], "schoolYear is 3000, not a graduation year"),
        (["2028"], "schoolYear is a string, not a graduation year"),
        ([2028, 2030], r"several graduation years \(2028, 2030\)"),
    ],
)
def test_a_graduation_year_that_cannot_be_the_cohort_is_refused(
    years: list[object], message: str
) -> None:
    # Was: 3000 returned as the cohort (the record then refused); "2028" skipped; of two
    # years the last taken.
    plans = [{"graduationSchoolYearTypeReference": {"schoolYear": y}} for y in years]
    with pytest.raises(SourceError, match=message):
        edfi(record(), graduationPlans=plans)
    # A cohort passed by the caller is used instead, whatever the plans say.
    header = StudentHeader(jurisdiction="TX", grade_level=9, cohort=2029)
    assert edfi(record(), header=header, graduationPlans=plans).student["cohort"] == 2029


# --- both: a source of no rows, two students -------------------------------------------------


def test_a_source_with_no_rows_is_a_value_error_not_an_index_error() -> None:
    # Was IndexError (a 500 over HTTP, a traceback from the CLI).
    with pytest.raises(ValueError, match="the source has no transcript rows"):
        import_csv("course,grade_level,grade\n", TX_2029)
    with pytest.raises(ValueError, match="the source has no transcript rows"):
        edfi(header=StudentHeader(jurisdiction="TX", student_id="Q-1"))


def test_an_id_to_use_does_not_merge_two_students() -> None:
    # Was: with student_id passed, two students' rows were imported as one transcript.
    text = "student_id,course,grade_level,grade\nA-1,ALG1,9,A\nB-2,GEOM,10,C\n"
    with pytest.raises(ValueError, match="2 student ids"):
        import_csv(text, TX_2029)
    other = record()
    other["studentAcademicRecordReference"]["studentUniqueId"] = "S-999"
    with pytest.raises(ValueError, match="2 students"):
        edfi(record(), other, header=StudentHeader(jurisdiction="TX", student_id="Q-1"))


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ("course,grade_level,grade,grade", r"two columns for grade: 3 \('grade'\) and 4"),
        ("course,grade_level,final_grade,grade", "two columns for grade"),
        ("Student,Student ID,course,grade_level,grade", "two columns for student_id"),
    ],
)
def test_two_columns_for_one_field_are_refused(head: str, message: str) -> None:
    # Was: the first column read, the other's values dropped (or a name read as the id).
    with pytest.raises(ValueError, match=message):
        import_csv(f"{head}\nx,ALG1,9,A,B\n", TX_2029)


def test_a_line_with_a_value_left_out_is_listed_not_shifted() -> None:
    # Was: "ALG1,9,1" (grade left out) imported with a grade of 1 and the catalog's credits.
    text = "course,grade_level,grade,credits\nALG1,9,1\nGEOM,10,A,1\n"
    result = import_csv(text, TX_2029)
    assert result.student["transcript"] == [
        {"course": "GEOM", "grade_level": 10, "grade": "A", "credits": 1.0}
    ]
    (unmapped,) = result.unmapped
    assert (unmapped.source, unmapped.reason) == (
        "line 2",
        "3 cells, the header has 4 columns: is a value missing?",
    )
    # A header's trailing comma names no column: lines need not fill it.
    assert len(import_csv("course,grade_level,grade,\nALG1,9,A\n", TX_2029).unmapped) == 0


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1_0", "credits: '1_0' is not a number"),  # was 10 credits
        ("NaN", "credits: 'NaN' is not a number"),
        ("1,0", "credits: '1,0' is not a number (write decimals with a point)"),
    ],
)
def test_credits_python_reads_but_a_csv_does_not_write_are_listed(cell: str, reason: str) -> None:
    text = f'course,grade_level,grade,credits\nALG1,9,A,"{cell}"\nGEOM,9,A,.5\n'
    result = import_csv(text, TX_2029)
    assert [r["credits"] for r in result.student["transcript"]] == [0.5]
    assert [u.reason for u in result.unmapped] == [reason]


def test_a_numeric_grade_with_an_underscore_is_not_read_as_a_number() -> None:
    # Was: "9_0" read as 90.
    (unmapped,) = import_csv("course,grade_level,grade\nALG1,9,9_0\nGEOM,9,A\n", TX_2029).unmapped
    assert "grade '9_0'" in unmapped.reason


def test_a_header_with_a_byte_order_mark_left_on_is_read() -> None:
    # The service and CLI decode with utf-8-sig; a caller that decoded with "utf-8" kept it.
    result = import_csv("\ufeffcourse,grade_level,grade\nALG1,9,A\n", TX_2029)
    assert result.student["transcript"] == [{"course": "ALG1", "grade_level": 9, "grade": "A"}]


@pytest.mark.parametrize(("sep", "called"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_not_separated_by_commas_says_so(sep: str, called: str) -> None:
    text = sep.join(["course", "grade_level", "grade"]) + "\n" + sep.join(["ALG1", "9", "A"])
    with pytest.raises(ValueError, match=f"separated by {called}, not commas"):
        import_csv(text, TX_2029)


def test_a_csv_line_after_a_field_with_a_line_break_is_named_by_its_line() -> None:
    """Lines are counted in the file, not by record: a quoted note over lines 2-3 puts the
    next record on line 4."""
    lines = ["course,grade_level,term,grade,note", 'ENG1,9,year,A,"took it', 'in summer"']
    text = "\n".join([*lines, "ALG1,9,year,Q,", ""])
    header = StudentHeader(jurisdiction="TX", cohort=2028, student_id="S-1")
    result = import_csv(text, header)
    assert [(u.source, "grade" in u.reason) for u in result.unmapped] == [("line 4", True)]
