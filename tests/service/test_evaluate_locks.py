"""POST /v1/plan, /v1/whatif and their kin: plan constraints the engine refuses are
answered at their place in the body, not in the student; a body sent as another type says so."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.service.conftest import auth, sample


def test_plan_unknown_locked_course_is_located_in_the_constraints(client: TestClient) -> None:
    body = {"student": sample("tx-sophomore-off-track"), "constraints": {"lock": ["GEOM", "NOPE"]}}
    response = client.post("/v1/plan", json=body, headers=auth())
    assert response.status_code == 422, response.text
    got = response.json()
    assert got["title"] == "The plan constraints are not valid"
    assert [e["loc"] for e in got["errors"]] == [["body", "constraints", "lock", 1, "course"]]
    assert "'NOPE' is not in catalog tx-2025" in got["errors"][0]["msg"]


def test_whatif_unknown_locked_course_is_located(client: TestClient) -> None:
    student = sample("tx-sophomore-off-track")
    shared = {
        "student": student,
        "constraints": {"lock": ["NOPE"]},
        "scenarios": [{"name": "a"}],
    }
    response = client.post("/v1/whatif", json=shared, headers=auth())
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [
        ["body", "constraints", "lock", 0, "course"]
    ]
    own = {"student": student, "scenarios": [{"name": "a", "constraints": {"lock": ["NOPE"]}}]}
    response = client.post("/v1/whatif", json=own, headers=auth())
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "scenarios", 0, "constraints", "lock", 0, "course"]
    assert "invalid student record" not in error["msg"]


def test_plan_lock_no_term_can_hold_is_infeasible_over_http(client: TestClient) -> None:
    body = {
        "student": sample("ny-junior-gaps"),
        "constraints": {"max_courses_per_term": 12, "lock": ["PE10"]},
    }
    response = client.post("/v1/plan", json=body, headers=auth())
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["status"] == "infeasible"
    assert {"locked"} <= {c["kind"] for c in got["conflicts"]}


def test_recommend_offers_a_failed_course_again(client: TestClient) -> None:
    # Algebra I failed in grade 9 and not retaken: the audit's math is unmet and Algebra I leads
    # to most of it, so it is the course that keeps the most careers open, not one "taken".
    student = sample("tx-sophomore-off-track")
    student["transcript"] = [
        r
        for r in student["transcript"]
        if not (r["course"] == "ALG1" and r.get("status") == "in_progress")
    ]
    body = {"student": student, "interests": {"riasec": "IR"}, "top": 5, "courses": 20}
    response = client.post("/v1/recommend", json=body, headers=auth())
    assert response.status_code == 200, response.text
    courses = [c["course"] for c in response.json()["courses"]]
    assert courses[0] == "ALG1", courses


def test_a_body_sent_without_a_json_content_type_says_how_to_send_it(client: TestClient) -> None:
    # It said only "Input should be a valid dictionary", which points at nothing to fix.
    body = json.dumps({"student": sample()})
    for kind in ("text/plain", "application/x-www-form-urlencoded"):
        response = client.post("/v1/audit", content=body, headers={**auth(), "content-type": kind})
        assert response.status_code == 422
        assert response.json()["detail"] == (
            "The body is read as JSON: send it with Content-Type: application/json "
            f"(this request said {kind})."
        )
    sent_right = client.post("/v1/audit", json=[], headers=auth())
    assert sent_right.json()["detail"] == "See 'errors' for each problem and where it is."
