"""The service logs what happened, never whose record it was."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

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
