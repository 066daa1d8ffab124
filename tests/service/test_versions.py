"""What-if with a draft of a later NCAA version: it applies by the student's class (NCAA dates
its rules by enrolment), and a draft dated unlike the bundled versions is refused at its field."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.service.conftest import auth, sample


def whatif(client: TestClient, cohort: int, draft: dict[str, Any]) -> Any:
    student = {**sample(), "cohort": cohort}  # catalog year 2025 stays: it picks nothing here
    body = {
        "student": student,
        "goals": ["ncaa-d1"],
        "constraints": {"time_limit": 0.5},
        "scenarios": [{"name": "NCAA 2027 draft", "rules": [draft]}],
    }
    return client.post("/v1/whatif", json=body, headers=auth())


DRAFT: dict[str, Any] = {
    "id": "ncaa-d1",
    "title": "NCAA Division I, a draft for students enrolling from 2027",
    "kind": "eligibility",
    "jurisdiction": "US",
    "catalog_year": 2027,
    "dated_by": "enrolment",
    "source": {"citation": "draft for discussion", "year": 2026},
    "extends": "ncaa-d1",
    "requirements": {
        "core_social_science": {
            "title": "Social science (3 core units)",
            "credits": 3,
            "from": {"attribute": "ncaa-core:social-science"},
        }
    },
}


def versions(response: Any) -> tuple[int, int, str]:
    assert response.status_code == 200, response.text[:300]
    found = response.json()
    (base,) = found["base"]["audit"]["goals"]
    (draft,) = found["scenarios"][0]["audit"]["goals"]
    (social,) = [r for r in draft["requirements"] if r["name"] == "core_social_science"]
    return base["version"], draft["version"], social["title"]


def test_a_draft_version_applies_to_the_classes_enrolling_from_its_year(
    client: TestClient,
) -> None:
    assert versions(whatif(client, 2027, DRAFT)) == (2023, 2027, "Social science (3 core units)")
    # The class of 2026 enrols in 2026: still under the 2023 rules, draft or not.
    assert versions(whatif(client, 2026, DRAFT)) == (2023, 2023, "Social science (2 core units)")


def test_a_draft_dated_unlike_the_bundled_versions_is_refused_at_its_field(
    client: TestClient,
) -> None:
    response = whatif(client, 2027, {**DRAFT, "dated_by": "catalog_year"})
    assert response.status_code == 422, response.text[:300]
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "scenarios", 0, "rules", 0, "dated_by"]
    assert error["type"] == "mixed-dating"
    assert error["msg"] == (
        "scenario 'NCAA 2027 draft': draft 'ncaa-d1': ncaa-d1 2023 is dated by enrolment but "
        "ncaa-d1 2027 by catalog_year: every version of a rule set must be dated the same way "
        "(dated_by)"
    )
