"""POST /v1/plan and /v1/whatif, and the careers routes, over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
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


# A scenario that cannot be applied is located at that scenario (its index in the body) and
# named in the message; the first scenario is fine each time, so the index is the second's.
SCENARIO_PROBLEMS = [
    ({"drop": [{"course": "APCALCBC"}]}, ["drop", 0], "no transcript row of APCALCBC matches"),
    ({"regrade": [{"course": "ENG1", "grade": "W"}]}, ["regrade", 0, "grade"], "grade 'W'"),
    ({"goals": ["tx-fhsp", "nope"]}, ["goals"], "unknown goal 'nope'"),
    ({"jurisdiction": "ZZ"}, ["jurisdiction"], "no catalog for jurisdiction 'ZZ'"),
    (
        {"add": [{"course": "ENG3", "grade_level": 10, "term": "fall", "grade": "A"}] * 400},
        ["add"],
        "the transcript would have",
    ),
]


@pytest.mark.parametrize(("change", "where", "message"), SCENARIO_PROBLEMS)
def test_a_scenario_that_cannot_be_applied_is_a_422_at_that_scenario(
    client: TestClient, change: dict[str, Any], where: list[str | int], message: str
) -> None:
    scenarios = [{"name": "as is"}, {"name": "change", **change}]
    body = {"student": sample(), "constraints": {"time_limit": 0.5}, "scenarios": scenarios}
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 422, response.text[:300]
    problem = response.json()
    assert problem["title"] == "A scenario cannot be applied"
    (error,) = problem["errors"]
    assert error["loc"] == ["body", "scenarios", 1, *where]
    assert error["msg"].startswith("scenario 'change': ")
    assert message in error["msg"]
    assert problem["detail"] == error["msg"]


def test_a_scenario_cannot_add_its_way_past_the_row_limit(client: TestClient) -> None:
    student = sample()
    room = 400 - len(student["transcript"])
    row = {"course": "ENG3", "grade_level": 10, "term": "fall", "grade": "A"}
    fits = {"name": "fits", "add": [row] * room}
    body = {"student": student, "constraints": {"time_limit": 0.5}, "scenarios": [fits]}
    assert client.post("/v1/whatif", json=body, headers=auth()).status_code == 200
    over = {"name": "over", "add": [row] * (room + 1)}
    body["scenarios"] = [over]
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == (
        "scenario 'over': the transcript would have 401 rows; the limit is 400"
    )


def draft_whatif(name: str, **draft: Any) -> dict[str, Any]:
    """A what-if of the sample student with one scenario: a draft FHSP with ``draft``'s fields."""
    rules = {
        "id": "tx-fhsp",
        "title": "Draft FHSP",
        "kind": "graduation",
        "jurisdiction": "TX",
        "catalog_year": 2025,
        "source": {"citation": "draft for discussion", "year": 2026},
        **draft,
    }
    return {
        "student": sample(),
        "goals": ["tx-fhsp"],
        "constraints": {"time_limit": 0.5},
        "scenarios": [{"name": name, "rules": [rules]}],
    }


def test_a_broken_draft_rule_set_is_a_422_at_its_place_in_the_draft(client: TestClient) -> None:
    body = draft_whatif(
        "draft", requirements={"art": {"course": "ART1"}, "loop": {"goal": ["tx-fhsp"]}}
    )
    draft = body["scenarios"][0]["rules"][0]
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 422, response.text[:300]  # was a 500 (endless recursion)
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "scenarios", 0, "rules", 0, "requirements", "loop", "goal", 0]
    assert error["type"] == "goal-cycle"
    draft["requirements"] = {"art": {"course": "ART9"}}
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 422, response.text[:300]  # was a 500 (KeyError)
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "scenarios", 0, "rules", 0, "requirements", "art", "course"]
    assert "course 'ART9' is in no TX catalog" in error["msg"]


def test_a_draft_selector_that_matches_no_course_comes_back_as_a_warning(
    client: TestClient,
) -> None:
    body = draft_whatif(
        "typo",
        extends="tx-fhsp",
        requirements={"fine_arts": {"credits": 1, "from": {"subject": "fine-art"}}},
    )
    response = client.post("/v1/whatif", json=body, headers=auth())
    assert response.status_code == 200, response.text[:300]
    found = response.json()
    assert found["base"]["warnings"] == []
    (warning,) = found["scenarios"][0]["warnings"]
    assert warning["loc"] == [
        "scenarios", 0, "rules", 0, "requirements", "fine_arts", "from", "subject", 0
    ]  # fmt: skip
    assert warning["type"] == "matches-no-course"
    assert warning["msg"] == (
        "scenario 'typo': draft 'tx-fhsp', requirement 'fine_arts': subject 'fine-art' is on no "
        "course of any TX catalog: this matches no course until a catalog lists one (did you "
        "mean 'fine-arts'?)"
    )
    (fhsp,) = found["scenarios"][0]["audit"]["goals"]  # the scenario ran, under the draft
    (arts,) = [r for r in fhsp["requirements"] if r["name"] == "fine_arts"]
    assert arts["status"] == "unmet"


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
