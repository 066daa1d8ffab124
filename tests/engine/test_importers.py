"""Ed-Fi and CSV importers: every source row is imported faithfully or listed with its reason."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from engine.importers import (
    MAX_UNMAPPED,
    SourceError,
    StudentHeader,
    UnmappedRow,
    import_csv,
    import_edfi,
)
from engine.importers.common import add_unmapped
from engine.loader import load_student
from tests.conftest import ROOT

BUNDLE = json.loads(
    (ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json").read_text()
)
TX = StudentHeader(jurisdiction="TX")
TX_GRADE_9 = StudentHeader(jurisdiction="TX", grade_level=9)


def transcript(**changes: Any) -> dict[str, Any]:
    """The sample's first transcript record with some properties changed."""
    record = copy.deepcopy(BUNDLE["courseTranscripts"][0])
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def one(record: dict[str, Any], known: frozenset[str] | None = None) -> Any:
    bundle = {**BUNDLE, "courseTranscripts": [record]}
    return import_edfi(bundle, TX_GRADE_9, known)


def test_sample_bundle_rows_map_by_sced_and_the_rest_are_listed() -> None:
    result = import_edfi(BUNDLE, TX, frozenset({"ALG1", "BIO"}))
    student = load_student(result.student)  # a valid record
    assert student.cohort == 2028  # from graduationPlans
    assert [r.sced for r in student.transcript] == ["02052", "01001"]
    assert [u.source for u in result.unmapped] == [
        "courseTranscripts[2]",
        "courseTranscripts[3]",
        "courseTranscripts[4]",
    ]
    assert "no SCED code" in result.unmapped[0].reason


def test_a_crosswalk_maps_local_codes_to_catalog_ids() -> None:
    result = import_edfi(
        BUNDLE, TX, frozenset({"BIO", "WEBDES"}), {"BIO-01": "BIO", "WEB-01": "WEBDES"}
    )
    rows = result.student["transcript"]
    assert [r.get("course") for r in rows] == [None, None, "WEBDES", "BIO", "WEBDES"]
    failed, retake = rows[2], rows[4]
    assert failed["grade"] == "F"
    assert failed["credits"] == 0.5
    assert "repeat" not in failed
    assert retake["repeat"] is True  # "Replacement Counted"
    assert result.unmapped == ()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"whenTakenGradeLevelDescriptor": "uri://ed-fi.org/GradeLevelDescriptor#Fifth grade"},
            "grade level",
        ),
        (
            {
                "courseAttemptResultDescriptor": "uri://ed-fi.org/CourseAttemptResultDescriptor#Withdrawn"
            },
            "withdrawn",
        ),
        ({"finalLetterGradeEarned": None, "courseAttemptResultDescriptor": None}, "no final grade"),
        ({"courseReference": {}}, "courseCode"),
    ],
)
def test_rows_without_a_faithful_mapping_are_listed(changes: dict[str, Any], reason: str) -> None:
    result = one(transcript(**changes))
    assert result.student["transcript"] == []
    (unmapped,) = result.unmapped
    assert reason in unmapped.reason


def test_a_quarter_term_is_not_guessed() -> None:
    record = transcript()
    record["studentAcademicRecordReference"] = {
        **record["studentAcademicRecordReference"],
        "termDescriptor": "uri://ed-fi.org/TermDescriptor#First Quarter",
    }
    (unmapped,) = one(record).unmapped
    assert "First Quarter" in unmapped.reason


def test_state_namespaces_numeric_grades_and_incompletes() -> None:
    numeric = transcript(
        finalLetterGradeEarned=None,
        finalNumericGradeEarned=88.5,
        whenTakenGradeLevelDescriptor="uri://tx.gov/GradeLevelDescriptor#Tenth grade",
    )
    (row,) = one(numeric).student["transcript"]
    assert (row["grade"], row["grade_level"]) == (88.5, 10)
    incomplete = transcript(
        finalLetterGradeEarned=None,
        courseAttemptResultDescriptor="uri://ed-fi.org/CourseAttemptResultDescriptor#Incomplete",
    )
    (row,) = one(incomplete).student["transcript"]
    assert row["status"] == "in_progress"
    assert "grade" not in row


def test_nothing_importable_says_why() -> None:
    bundle = {**BUNDLE, "courseTranscripts": [transcript(courseReference={})]}
    with pytest.raises(ValueError, match=r"1 unmapped, e.g. courseTranscripts\[0\]"):
        import_edfi(bundle, TX)


def test_header_facts_override_and_are_required_when_missing() -> None:
    header = StudentHeader(jurisdiction="TX", cohort=2030, grade_level=10, student_id="X-1")
    student = import_edfi(BUNDLE, header).student
    assert (student["id"], student["cohort"], student["grade_level"]) == ("X-1", 2030, 10)
    no_plan = {k: v for k, v in BUNDLE.items() if k != "graduationPlans"}
    with pytest.raises(ValueError, match="cohort"):
        import_edfi(no_plan, TX)


def test_csv_reads_aliased_columns_and_lists_bad_lines() -> None:
    text = (
        "Course Code,SCED,Grade Level,Term,Letter Grade,Credits,Status,Repeat\n"
        "ALG1,,9,fall,B+,0.5,,no\n"
        ",02052,9,spring,,0.5,in progress,\n"
        "GEOM,,10,winter,A,1,,\n"
        "\n"
        "ENG2,,10,year,A,1,,yes\n"
    )
    result = import_csv(text, StudentHeader(jurisdiction="TX", cohort=2029, student_id="C-1"))
    rows = result.student["transcript"]
    assert rows[0] == {
        "course": "ALG1",
        "grade_level": 9,
        "term": "fall",
        "grade": "B+",
        "credits": 0.5,
    }
    assert rows[1] == {
        "sced": "02052",
        "grade_level": 9,
        "term": "spring",
        "credits": 0.5,
        "status": "in_progress",
    }
    assert rows[2]["repeat"] is True
    (bad,) = result.unmapped
    assert bad.source == "line 4"
    assert "term" in bad.reason
    assert result.student["grade_level"] == 10  # the highest grade seen


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("grade,term\nA,fall\n", "'course' or 'sced'"),
        ("course,term\nALG1,fall\n", "grade_level"),
        ("student_id,course,grade_level,grade\nA,ALG1,9,A\nB,ALG1,9,A\n", "2 student ids"),
    ],
)
def test_csv_errors_are_clear(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_csv(text, StudentHeader(jurisdiction="TX", cohort=2029))


# A bundle of the wrong shape is refused saying where (a JSON path into the bundle), never with
# an AttributeError: each case is one part of the sample bundle replaced by a value Ed-Fi never
# gives it.
@pytest.mark.parametrize(
    ("part", "value", "path", "message"),
    [
        ("courses", {"courseCode": "ALG-01"}, ("courses",), "courses is an object, not an array"),
        ("courses", ["ALG-01"], ("courses", 0), r"courses\[0\] is a string, not an object"),
        (
            "courses",
            [{"courseCode": "ALG-01", "identificationCodes": [7]}],
            ("courses", 0, "identificationCodes", 0),
            r"courses\[0\]\.identificationCodes\[0\] is a number, not an object",
        ),
        (
            "courses",
            [{"courseCode": "ALG-01", "identificationCodes": "02052"}],
            ("courses", 0, "identificationCodes"),
            "is a string, not an array",
        ),
        ("graduationPlans", {}, ("graduationPlans",), "graduationPlans is an object"),
        ("graduationPlans", [None], ("graduationPlans", 0), r"graduationPlans\[0\] is null"),
        ("graduationPlans", [{}, 2029], ("graduationPlans", 1), "is a number, not an object"),
        (
            "graduationPlans",
            [{"graduationSchoolYearTypeReference": 2029}],
            ("graduationPlans", 0, "graduationSchoolYearTypeReference"),
            "is a number, not an object",
        ),
        ("courseTranscripts", {}, ("courseTranscripts",), "no 'courseTranscripts' list"),
    ],
)
def test_a_bundle_of_the_wrong_shape_is_refused_saying_where(
    part: str, value: Any, path: tuple[str | int, ...], message: str
) -> None:
    bundle = {**BUNDLE, part: value}
    with pytest.raises(SourceError, match=message) as refused:
        import_edfi(bundle, TX)
    assert refused.value.path == path


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"courseReference": "ALG-01"}, "courseReference is a string, not an object"),
        (
            {"studentAcademicRecordReference": []},
            "studentAcademicRecordReference is an array, not an object",
        ),
    ],
)
def test_a_record_of_the_wrong_shape_is_listed_with_the_reason(
    changes: dict[str, Any], reason: str
) -> None:
    good = transcript()
    bundle = {**BUNDLE, "courseTranscripts": [good, transcript(**changes), "ALG-01"]}
    result = import_edfi(bundle, TX_GRADE_9, frozenset({"ALG1"}))
    assert len(result.student["transcript"]) == 1  # the good record is still imported
    assert [(u.source, u.reason) for u in result.unmapped] == [
        ("courseTranscripts[1]", reason),
        ("courseTranscripts[2]", "a string, not an object"),
    ]


def test_a_source_with_more_unmapped_rows_than_can_be_listed_is_refused() -> None:
    head = "student_id,course,grade_level,grade\n"
    tx_2029 = StudentHeader(jurisdiction="TX", cohort=2029)
    listed = import_csv(head + "Q-1,ALG1,9,A\n" + "Q-1,ALG1,9,ZZ\n" * MAX_UNMAPPED, tx_2029)
    assert len(listed.unmapped) == MAX_UNMAPPED  # every one listed, up to the limit
    with pytest.raises(SourceError, match=r"more than 10,000 rows cannot be imported") as refused:
        import_csv(head + "Q-1,ALG1,9,ZZ\n" * (MAX_UNMAPPED + 1), tx_2029)
    assert "the first, line 2: grade" in str(refused.value)  # says what is wrong with them
    bundle = {**BUNDLE, "courseTranscripts": [{}] * (MAX_UNMAPPED + 1)}
    with pytest.raises(SourceError, match=r"courseTranscripts\[0\]: no courseReference"):
        import_edfi(bundle, TX_GRADE_9)


def test_a_long_reason_is_cut_visibly() -> None:
    unmapped: list[UnmappedRow] = []
    add_unmapped(unmapped, "line 2", "x" * 600)
    (row,) = unmapped
    assert len(row.reason) == 500
    assert row.reason.endswith("x…")
