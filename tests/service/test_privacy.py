"""The service logs what happened, never whose record it was."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.student import Student
from service.privacy import personal_data_paths
from tests.service.conftest import auth, sample

SENTINEL = "SENTINEL-7f3a9c"


def test_sentinel_student_id_appears_in_no_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    student = {**sample(), "id": SENTINEL}
    requests = [
        ("/v1/audit", {"student": student}),
        ("/v1/audit", {"student": {**student, "transcript": [{"course": "ALG1"}]}}),
        ("/v1/audit", {"student": student, "goals": ["no-such-goal"]}),
        ("/v1/audit", {"student": {**student, "last_name": "x"}}),
    ]
    codes = [client.post(path, json=body, headers=auth()).status_code for path, body in requests]
    assert codes == [200, 422, 422, 422]
    csv = f"student_id,course,grade_level,grade\n{SENTINEL},ALG1,9,A\n"
    imported = client.post(
        "/v1/import/csv?jurisdiction=TX&cohort=2029",
        content=csv,
        headers={**auth(), "content-type": "text/csv"},
    )
    assert imported.status_code == 200
    lines = [record.getMessage() for record in caplog.records]
    access = [line for line in lines if "/v1/" in line]
    assert len(access) >= 5  # the access log did run
    assert all(SENTINEL not in line for line in lines)
    assert any("goals=tx-fhsp@" in line and "key=portal-a" in line for line in access)


def _property_names(schema: Any) -> set[str]:
    """Every property name anywhere in a JSON schema (its ``$defs`` included)."""
    names: set[str] = set()
    if isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            names.update(properties)
        for value in schema.values():
            names |= _property_names(value)
    elif isinstance(schema, list):
        for value in schema:
            names |= _property_names(value)
    return names


def test_no_student_field_is_named_like_personal_data() -> None:
    """What lets the service scan for personal data only when a record fails validation.

    Every student model forbids unknown keys, so a record with a ``first_name`` fails; if a
    field named like personal data were ever added, a valid record could carry one unscanned.
    """
    names = _property_names(Student.model_json_schema())
    assert {"id", "transcript", "grade", "experiences", "goals"} <= names
    assert [n for n in sorted(names) if personal_data_paths({n: 1})] == []


def test_personal_data_among_other_errors_is_named_first(client: TestClient) -> None:
    student = {
        **sample(),
        "home_address": "1 Main St",
        "grade_level": "twelfth",
        "transcript": [{"course": "ALG1", "grade": "Q"}],
    }
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert len(errors) == 1
    assert errors[0]["loc"] == ["body", "student"]
    assert "personal data is not accepted" in errors[0]["msg"]
    assert "home_address" in errors[0]["msg"]
    assert "1 Main St" not in response.text


def test_a_record_without_personal_data_gets_its_own_errors(client: TestClient) -> None:
    student = {**sample(), "grade_level": "twelfth"}
    response = client.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "student", "grade_level"]]
    assert "personal" not in response.text
