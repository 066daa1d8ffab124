"""Ed-Fi studentAcademicRecords check the bundle: a session whose record reports more earned
credits than its course transcripts earn is a warning that transcripts may be missing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from engine.importers import SourceError, StudentHeader, import_edfi
from tests.conftest import ROOT

BUNDLE = json.loads(
    (ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json").read_text()
)
TX = StudentHeader(jurisdiction="TX", grade_level=9)


def bundle(**parts: Any) -> dict[str, Any]:
    return {**copy.deepcopy(BUNDLE), **parts}


def test_a_bundle_whose_transcripts_add_up_has_no_warning() -> None:
    # The sample: Fall 2025 records 2.0 earned (ALG-01 1, ENG-09 1, WEB-01 failed 0), Spring
    # 2025 records 1.5 (BIO-01 1, WEB-01 0.5).
    assert import_edfi(bundle(), TX).warnings == ()


def test_a_missing_transcript_is_named_by_its_session() -> None:
    transcripts = [
        t for t in BUNDLE["courseTranscripts"] if t["courseReference"]["courseCode"] != "BIO-01"
    ]
    result = import_edfi(bundle(courseTranscripts=transcripts), TX)
    assert result.warnings == (
        "studentAcademicRecords[1] (school year 2025, Spring Semester) reports 1.5 credits "
        "earned; the bundle's courseTranscripts of that session earn 0.5: course transcripts "
        "may be missing from the bundle",
    )
    # Nothing is invented: the transcript is what the bundle holds.
    assert len(result.student["transcript"]) + len(result.unmapped) == len(transcripts)


def test_a_session_with_no_transcript_at_all_is_named() -> None:
    fall_only = [
        t
        for t in BUNDLE["courseTranscripts"]
        if "Fall" in t["studentAcademicRecordReference"]["termDescriptor"]
    ]
    [warning] = import_edfi(bundle(courseTranscripts=fall_only), TX).warnings
    assert warning.startswith("studentAcademicRecords[1] (school year 2025, Spring Semester)")
    assert "earn 0:" in warning


def test_a_transcript_that_does_not_say_what_it_earned_leaves_its_session_unchecked() -> None:
    transcripts = copy.deepcopy(BUNDLE["courseTranscripts"])
    transcripts = [t for t in transcripts if t["courseReference"]["courseCode"] != "BIO-01"]
    for t in transcripts:
        if "Spring" in t["studentAcademicRecordReference"]["termDescriptor"]:
            t.pop("earnedCredits")
    assert import_edfi(bundle(courseTranscripts=transcripts), TX).warnings == ()


def test_another_schools_transcripts_do_not_fill_a_session() -> None:
    transcripts = copy.deepcopy(BUNDLE["courseTranscripts"])
    for t in transcripts:
        if t["courseReference"]["courseCode"] == "BIO-01":
            t["studentAcademicRecordReference"]["educationOrganizationId"] = 255901999
    [warning] = import_edfi(bundle(courseTranscripts=transcripts), TX).warnings
    assert "Spring Semester) reports 1.5 credits earned" in warning


def test_more_transcripts_than_the_record_reports_is_no_warning() -> None:
    # Credits the SIS has not posted yet (a late grade): the bundle has more, nothing is lost.
    records = copy.deepcopy(BUNDLE["studentAcademicRecords"])
    records[1]["sessionEarnedCredits"] = 1.0
    assert import_edfi(bundle(studentAcademicRecords=records), TX).warnings == ()


@pytest.mark.parametrize(
    ("records", "where"),
    [
        ({"not": "a list"}, "studentAcademicRecords"),
        (["a record?"], "studentAcademicRecords[0]"),
        ([{"sessionEarnedCredits": "1.5"}], "studentAcademicRecords[0].sessionEarnedCredits"),
        ([{"sessionEarnedCredits": -1}], "studentAcademicRecords[0].sessionEarnedCredits"),
    ],
)
def test_academic_records_that_cannot_be_read_refuse_the_bundle_saying_where(
    records: Any, where: str
) -> None:
    with pytest.raises(SourceError) as caught:
        import_edfi(bundle(studentAcademicRecords=records), TX)
    assert str(caught.value).startswith(where + " is")
