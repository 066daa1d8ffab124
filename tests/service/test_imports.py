"""Ed-Fi and CSV imports over HTTP; the importers themselves are tested in tests/engine."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import ROOT
from tests.service.conftest import auth

BUNDLE = ROOT.parent / "shared" / "reference" / "data" / "edfi_sample_student_bundle.json"


def test_edfi_sample_bundle_imports_to_the_expected_student(client: TestClient) -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    response = client.post("/v1/import/edfi?jurisdiction=TX", json=bundle, headers=auth())
    assert response.status_code == 200
    body = response.json()
    # Worked out by hand from the bundle: ALG-01 and ENG-09 carry SCED codes (02052, 01001);
    # BIO-01 and WEB-01 carry none and are not Texas catalog ids, so they are listed unmapped.
    assert body["student"] == {
        "id": "S-000123",
        "jurisdiction": "TX",
        "cohort": 2028,
        "grade_level": 9,
        "transcript": [
            {"grade_level": 9, "term": "fall", "sced": "02052", "grade": "B", "credits": 1.0},
            {"grade_level": 9, "term": "fall", "sced": "01001", "grade": "A", "credits": 1.0},
        ],
    }
    assert [u["source"] for u in body["unmapped"]] == [
        "courseTranscripts[2]",
        "courseTranscripts[3]",
        "courseTranscripts[4]",
    ]
    # Its studentAcademicRecords agree with its transcripts, session by session.
    assert body["warnings"] == []
    # The imported record audits as it is.
    audited = client.post("/v1/audit", json={"student": body["student"]}, headers=auth())
    assert audited.status_code == 200


def test_an_edfi_bundle_short_of_a_transcript_says_so(client: TestClient) -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    del bundle["courseTranscripts"][3]  # BIO-01, Spring 2025: the SIS still counts its credit
    response = client.post("/v1/import/edfi?jurisdiction=TX", json=bundle, headers=auth())
    assert response.status_code == 200
    assert response.json()["warnings"] == [
        "studentAcademicRecords[1] (school year 2025, Spring Semester) reports 1.5 credits "
        "earned; the bundle's courseTranscripts of that session earn 0.5: course transcripts "
        "may be missing from the bundle"
    ]
    wrong = json.loads(BUNDLE.read_text(encoding="utf-8"))
    wrong["studentAcademicRecords"][0]["sessionEarnedCredits"] = "two"
    refused = client.post("/v1/import/edfi?jurisdiction=TX", json=wrong, headers=auth())
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == [
        "body",
        "studentAcademicRecords",
        0,
        "sessionEarnedCredits",
    ]


def test_edfi_without_transcripts_is_a_clear_422(client: TestClient) -> None:
    response = client.post("/v1/import/edfi?jurisdiction=TX", json={"courses": []}, headers=auth())
    assert response.status_code == 422
    assert "courseTranscripts" in response.json()["detail"]


def test_csv_imports_and_lists_bad_lines(client: TestClient) -> None:
    text = (
        "Student ID,Course Code,Grade Level,Term,Final Grade,Credits\n"
        "A-77,ALG1,9,fall,B+,0.5\n"
        "A-77,ALG1,9,spring,92,0.5\n"
        "A-77,GEOM,10,year,Z,1\n"
    )
    response = client.post(
        "/v1/import/csv?jurisdiction=TX&cohort=2029",
        content=text,
        headers={**auth(), "content-type": "text/csv"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["student"]["id"] == "A-77"
    assert body["student"]["grade_level"] == 9
    assert [r["course"] for r in body["student"]["transcript"]] == ["ALG1", "ALG1"]
    assert body["student"]["transcript"][1]["grade"] == 92.0
    (bad,) = body["unmapped"]
    assert bad["source"] == "line 4"
    assert "grade" in bad["reason"]


def test_import_needs_the_evaluate_scope(client: TestClient) -> None:
    response = client.post(
        "/v1/import/csv?jurisdiction=TX&cohort=2029",
        content="course,grade_level\n",
        headers={**auth("rules"), "content-type": "text/csv"},
    )
    assert response.status_code == 403


def test_a_bundle_of_the_wrong_shape_is_a_422_that_points_into_it(client: TestClient) -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    bundle["courses"][1] = "ENG-09"
    response = client.post("/v1/import/edfi?jurisdiction=TX", json=bundle, headers=auth())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "courses[1] is a string, not an object"
    assert problem["errors"] == [
        {"loc": ["body", "courses", 1], "msg": problem["detail"], "type": "import_error"}
    ]
    # A record of the wrong shape is one unmapped row; the others still import.
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    bundle["courseTranscripts"][0]["courseReference"] = "ALG-01"
    response = client.post("/v1/import/edfi?jurisdiction=TX", json=bundle, headers=auth())
    assert response.status_code == 200
    assert response.json()["unmapped"][0] == {
        "source": "courseTranscripts[0]",
        "reason": "courseReference is a string, not an object",
    }


def test_a_csv_of_bad_lines_is_refused_saying_what_is_wrong(client: TestClient) -> None:
    text = "course,grade_level,grade\n" + "ALG1,9,ZZ\n" * 20_000  # 200 KB, all unmappable
    response = client.post(
        "/v1/import/csv?jurisdiction=TX&cohort=2029&student_id=Q-1&grade_level=9",
        content=text,
        headers={**auth(), "content-type": "text/csv"},
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("more than 10,000 rows cannot be imported (the first, line 2: grade")
    assert "ImportResult" not in detail  # not pydantic's message about the response model


def _csv_rows(client: TestClient, lines: int, tail: str = "") -> Response:
    """A CSV import of ``lines`` good rows, then ``tail``."""
    return client.post(
        "/v1/import/csv?jurisdiction=TX&cohort=2029&student_id=Q-1",
        content="course,grade_level,grade\n" + "ALG1,9,A\n" * lines + tail,
        headers={**auth(), "content-type": "text/csv"},
    )


def test_an_import_over_the_row_limit_names_the_limit(client: TestClient) -> None:
    response = _csv_rows(client, 401)
    assert response.status_code == 422
    assert response.json()["title"] == "Transcript too long"
    assert response.json()["errors"] == [
        {"loc": ["body"], "msg": "more than 400 rows import; the limit is 400", "type": "too_long"}
    ]


def test_an_import_over_the_row_limit_is_not_read_to_its_end(client: TestClient) -> None:
    # Past the limit the importer stops: the line that would make the CSV unreadable (a field
    # over the csv module's 128 KiB) is never reached, nor is the bundle's malformed
    # graduationPlans (read after the transcripts).
    unreadable = "ALG1,9," + "A" * 140_000 + "\n"
    response = _csv_rows(client, 400, unreadable)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("line 402: the CSV cannot be read")
    response = _csv_rows(client, 401, unreadable)
    assert response.status_code == 422
    assert response.json()["title"] == "Transcript too long"
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))  # its courses give the SCED codes
    record = bundle["courseTranscripts"][0]
    for count, title in ((401, "Transcript too long"), (400, "The source cannot be imported")):
        bundle.update(courseTranscripts=[record] * count, graduationPlans="not a list")
        response = client.post(
            "/v1/import/edfi?jurisdiction=TX&cohort=2029", json=bundle, headers=auth()
        )
        assert response.status_code == 422
        assert response.json()["title"] == title
    assert response.json()["errors"][0]["loc"] == ["body", "graduationPlans"]
