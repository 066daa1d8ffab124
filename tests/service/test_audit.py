"""POST /v1/audit: the engine's audit over HTTP, and every way a request can be wrong."""

from __future__ import annotations

from fastapi.testclient import TestClient

from engine import audit, load_knowledge
from engine.loader import load_student
from tests.conftest import ROOT
from tests.service.conftest import auth, sample


def test_audit_returns_the_engines_result(client: TestClient) -> None:
    student = sample()
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    expected = audit(knowledge=load_knowledge(ROOT), student=load_student(student))
    assert response.json() == expected.model_dump(mode="json")


def test_an_audit_under_an_older_version_than_the_students_year_says_so(
    client: TestClient,
) -> None:
    student = {**sample(), "catalog_year": 2021}
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 200
    assert response.json()["notices"] == [
        "No TX catalog is loaded for catalog year 2021 (the student's catalog_year); the "
        "oldest, tx-2025 (2025), was used.",
        "tx-fhsp has no version for catalog year 2021 (the student's catalog_year); its "
        "oldest, 2025, was used.",
    ]  # NCAA's 2023 rules are for students enrolling from 2023: this class of 2027 among them
    older = {**sample(), "catalog_year": 2018, "cohort": 2022, "grade_level": 12}
    response = client.post("/v1/audit", json={"student": older}, headers=auth())
    assert response.json()["notices"][-1] == (
        "ncaa-d1 has no version for the class of 2022; its oldest, for students enrolling "
        "from 2023, was used."
    )
    current = client.post("/v1/audit", json={"student": sample()}, headers=auth())
    assert "notices" not in current.json()


def test_goals_in_the_request_replace_the_students_own(client: TestClient) -> None:
    body = {"student": sample(), "goals": ["ncaa-d1"]}
    response = client.post("/v1/audit", json=body, headers=auth("both"))
    assert [g["goal"] for g in response.json()["goals"]] == ["ncaa-d1"]


def test_no_credentials_is_401_problem(client: TestClient) -> None:
    response = client.post("/v1/audit", json={"student": sample()})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["correlation_id"] == response.headers["x-request-id"]


def test_wrong_key_is_401_and_missing_scope_is_403(client: TestClient) -> None:
    wrong = client.post("/v1/audit", json={"student": sample()}, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 401
    rules_only = client.post("/v1/audit", json={"student": sample()}, headers=auth("rules"))
    assert rules_only.status_code == 403
    assert "'evaluate' scope" in rules_only.json()["detail"]


def test_invalid_student_names_the_field(client: TestClient) -> None:
    student = sample()
    student["transcript"][2]["grade"] = "Q"
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["loc"][:5] == ["body", "student", "transcript", 2, "grade"] for e in errors)
    assert all("Q" not in e["msg"] or "grade" in e["msg"] for e in errors)


def test_personal_data_is_refused_without_echoing_it(client: TestClient) -> None:
    student = {**sample(), "first_name": "Sentinelia", "email": "x@example.org"}
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    text = response.text
    assert "first_name" in text
    assert "email" in text
    assert "Sentinelia" not in text
    assert "x@example.org" not in text


def test_an_email_or_ssn_as_the_id_is_refused(client: TestClient) -> None:
    for bad in ("someone@example.org", "123-45-6789"):
        student = {**sample(), "id": bad}
        response = client.post("/v1/audit", json={"student": student}, headers=auth())
        assert response.status_code == 422, bad
        assert bad not in response.text


def test_more_than_400_rows_is_refused(client: TestClient) -> None:
    student = sample()
    row = {"course": "ALG1", "grade_level": 9, "grade": "A"}
    student["transcript"] = [dict(row) for _ in range(401)]
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "student", "transcript"]
    student["transcript"] = student["transcript"][:400]
    assert client.post("/v1/audit", json={"student": student}, headers=auth()).status_code == 200


def test_unknown_goal_is_422_with_a_suggestion(client: TestClient) -> None:
    body = {"student": sample(), "goals": ["ncaa-d3"]}
    response = client.post("/v1/audit", json=body, headers=auth())
    assert response.status_code == 422
    assert "unknown goal 'ncaa-d3'" in response.json()["detail"]


def test_body_over_one_mebibyte_is_413(client: TestClient) -> None:
    big = b'{"student": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post(
        "/v1/audit", content=big, headers={**auth(), "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_malformed_json_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        "/v1/audit", content=b"{not json", headers={**auth(), "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_caller_correlation_id_is_echoed(client: TestClient) -> None:
    headers = {**auth(), "X-Request-ID": "portal-req-000123"}
    response = client.post("/v1/audit", json={"student": sample()}, headers=headers)
    assert response.headers["x-request-id"] == "portal-req-000123"
