"""POST /v1/plan and /v1/whatif, and the careers routes, over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from engine import load_knowledge
from engine.loader import load_student
from engine.planning import PlanConstraints, plan
from tests.conftest import ROOT
from tests.service.conftest import auth, sample


def test_plan_returns_the_engines_plan(client: TestClient) -> None:
    student = sample("tx-sophomore-off-track")
    body = {"student": student, "goals": ["tx-fhsp"], "constraints": {"max_courses_per_term": 7}}
    response = client.post("/v1/plan", json=body, headers=auth())
    assert response.status_code == 200, response.text
    got = response.json()
    expected = plan(
        knowledge=load_knowledge(ROOT),
        student=load_student(student),
        goals=["tx-fhsp"],
        constraints=PlanConstraints(max_courses_per_term=7, time_limit=5.0),
    )
    assert got["status"] == expected.status
    assert got["added_credits"] == expected.added_credits
    assert [c["course"] for c in got["courses"]] == [c.course for c in expected.courses]


def test_plan_constraints_are_validated(client: TestClient) -> None:
    body = {"student": sample(), "constraints": {"max_courses_per_term": 0}}
    response = client.post("/v1/plan", json=body, headers=auth())
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][:3] == [
        "body",
        "constraints",
        "max_courses_per_term",
    ]


def test_whatif_compares_scenarios_with_the_base(client: TestClient) -> None:
    body = {
        "student": sample(),
        "goals": ["tx-fhsp"],
        "scenarios": [{"name": "also NCAA", "goals": ["tx-fhsp", "ncaa-d1"]}],
    }
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["base"]["name"] == "base"
    assert [s["name"] for s in got["scenarios"]] == ["also NCAA"]


def test_whatif_allows_at_most_20_scenarios(client: TestClient) -> None:
    scenarios = [{"name": f"s{i}"} for i in range(21)]
    body = {"student": sample(), "scenarios": scenarios}
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "scenarios"]


def test_plan_and_whatif_need_the_evaluate_scope(client: TestClient) -> None:
    for path in ("/v1/plan", "/v1/whatif"):
        assert client.post(path, json={}, headers=auth("rules")).status_code == 403


def test_goals_list_careers_by_cluster_and_search(client: TestClient) -> None:
    health = client.get("/v1/goals?cluster=health-science", headers=auth()).json()
    assert len(health) >= 3
    assert all(g["kind"] == "career_pathway" for g in health)
    assert all(g["cluster"] == "health-science" for g in health)
    nurses = client.get("/v1/goals?q=nurse", headers=auth()).json()
    assert nurses
    assert "career-registered-nurse" in {g["id"] for g in nurses}


def test_career_detail_and_unknown_career(client: TestClient) -> None:
    response = client.get("/v1/careers/registered-nurse", headers=auth())
    assert response.status_code == 200
    body = response.json()
    assert body["soc"] == "29-1141"
    assert body["riasec"]
    assert set(body["riasec"]) <= set("RIASEC")
    assert body["goal"] == "career-registered-nurse"
    assert body["cluster"] == "health-science"
    assert client.get("/v1/careers/astronaut-chef", headers=auth()).status_code == 404
