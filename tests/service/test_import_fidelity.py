"""Imports over HTTP: sources that were a 500, or a 200 with a row changed or lost."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ROOT
from tests.service.conftest import auth

BUNDLE = ROOT.parent / "shared" / "reference" / "data" / "edfi_sample_student_bundle.json"
CSV = "/v1/import/csv?jurisdiction=TX&cohort=2029&student_id=Q-1"


def _edfi(client: TestClient, text: str) -> dict:
    response = client.post(
        "/v1/import/edfi?jurisdiction=TX&grade_level=9",
        content=text,
        headers={**auth(), "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_csv_of_a_header_line_only_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post(
        CSV, content="course,grade_level,grade\n", headers={**auth(), "content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert "the source has no transcript rows" in response.json()["detail"]


def test_an_edfi_number_too_large_for_a_float_is_an_unmapped_row_not_a_500(
    client: TestClient,
) -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    text = text.replace('"attemptedCredits": 1.0', '"attemptedCredits": 1' + "0" * 400, 1)
    body = _edfi(client, text)
    assert body["unmapped"][0] == {
        "source": "courseTranscripts[0]",
        "reason": "attemptedCredits is too large a number",
    }


def test_an_edfi_nan_grade_is_listed_not_answered_as_a_null_grade(client: TestClient) -> None:
    # Python's JSON reader accepts NaN; the row came back with "grade": null (a record the
    # audit refuses), and NaN credits were dropped (the catalog's counted instead).
    text = BUNDLE.read_text(encoding="utf-8")
    text = text.replace('"finalLetterGradeEarned": "B"', '"finalNumericGradeEarned": NaN', 1)
    text = text.replace('"attemptedCredits": 1.0', '"attemptedCredits": NaN', 2)
    body = _edfi(client, text)
    assert [u["reason"] for u in body["unmapped"][:2]] == [
        "finalNumericGradeEarned is nan, not a finite number",
        "attemptedCredits is nan, not a finite number",
    ]
    assert all(r.get("grade") is not None for r in body["student"]["transcript"])


def test_a_csv_that_is_not_utf8_says_where(client: TestClient) -> None:
    text = "course,grade_level,grade,title\nALG1,9,A,Algebra\nENG1,9,A,Caf\xe9\n"
    response = client.post(
        CSV, content=text.encode("cp1252"), headers={**auth(), "content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "the CSV is not UTF-8 text: line 3 has byte 0xE9 (save the file as UTF-8)"
    )
