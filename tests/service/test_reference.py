"""Reference routes: jurisdictions, catalogs, courses, goals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import auth


def test_jurisdictions_list_catalogs_and_their_rule_sets(client: TestClient) -> None:
    response = client.get("/v1/jurisdictions", headers=auth())
    assert response.status_code == 200
    by_code = {j["jurisdiction"]: j for j in response.json()}
    assert "TX" in by_code
    tx = by_code["TX"]
    assert tx["catalogs"][0]["id"] == "tx-2025"
    assert tx["catalogs"][0]["courses"] >= 120
    assert "tx-fhsp" in tx["goals"]


def test_course_search_pages_with_a_total(client: TestClient) -> None:
    everything = client.get("/v1/catalogs/TX/2025/courses?limit=200", headers=auth()).json()
    math = client.get("/v1/catalogs/TX/2025/courses?subject=math&limit=3", headers=auth()).json()
    assert math["limit"] == 3
    assert len(math["items"]) == 3
    assert all(c["subject"] == "math" for c in math["items"])
    assert math["total"] == sum(1 for c in everything["items"] if c["subject"] == "math")
    second = client.get(
        "/v1/catalogs/TX/2025/courses?subject=math&limit=3&offset=3", headers=auth()
    ).json()
    assert {c["id"] for c in second["items"]}.isdisjoint({c["id"] for c in math["items"]})


def test_course_search_matches_title_words(client: TestClient) -> None:
    found = client.get("/v1/catalogs/TX/2025/courses?q=algebra%20ii", headers=auth()).json()
    assert "ALG2" in {c["id"] for c in found["items"]}
    assert all("algebra" in c["title"].lower() for c in found["items"])


def test_catalog_of_an_unknown_jurisdiction_is_404(client: TestClient) -> None:
    response = client.get("/v1/catalogs/ZZ/2025/courses", headers=auth())
    assert response.status_code == 404
    assert "TX" in response.json()["detail"]


def test_paging_limits_are_enforced(client: TestClient) -> None:
    response = client.get("/v1/catalogs/TX/2025/courses?limit=5000", headers=auth())
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]


def test_course_detail_has_prerequisites_and_unlocks(client: TestClient) -> None:
    response = client.get("/v1/courses/ALG2?catalog=tx-2025", headers=auth())
    assert response.status_code == 200
    body = response.json()
    assert body["course"]["title"] == "Algebra II"
    assert "ALG1" in body["prerequisites"]
    assert "PRECAL" in body["unlocks"]


def test_course_id_in_several_catalogs_needs_the_catalog(client: TestClient) -> None:
    response = client.get("/v1/courses/ALG1", headers=auth())
    assert response.status_code in (200, 409)
    if response.status_code == 409:
        assert "?catalog=" in response.json()["detail"]
    missing = client.get("/v1/courses/NOPE123", headers=auth())
    assert missing.status_code == 404


def test_goals_filter_by_kind_and_jurisdiction(client: TestClient) -> None:
    every = client.get("/v1/goals", headers=auth()).json()
    assert {"tx-fhsp", "ncaa-d1"} <= {g["id"] for g in every}
    eligibility = client.get("/v1/goals?kind=eligibility", headers=auth()).json()
    assert eligibility
    assert all(g["kind"] == "eligibility" for g in eligibility)
    texas = client.get("/v1/goals?jurisdiction=TX", headers=auth()).json()
    assert all(g["jurisdiction"] in ("TX", "US") for g in texas)
    assert "tx-fhsp" in {g["id"] for g in texas}
    # What each year means: NCAA's date the fall a class enrols, a state's the fall of grade 9.
    dating = {g["id"]: g["dated_by"] for g in every}
    assert {dating["ncaa-d1"], dating["ncaa-d1-redshirt"], dating["ncaa-d2"]} == {"enrolment"}
    assert dating["tx-fhsp"] == dating["uc-ag"] == "catalog_year"


def test_reference_routes_need_a_credential_but_no_scope(client: TestClient) -> None:
    for path in ("/v1/jurisdictions", "/v1/goals", "/v1/catalogs/TX/2025/courses"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers=auth("rules")).status_code == 200


def test_liveness_claims_nothing_about_the_rules_and_readiness_counts_them(
    client: TestClient,
) -> None:
    live = client.get("/healthz").json()
    assert live == {
        "status": "ok",
        "catalogs": None,
        "rulesets": None,
        "rules": None,
        "reload_error": None,
    }
    ready = client.get("/readyz").json()
    jurisdictions = client.get("/v1/jurisdictions", headers=auth()).json()
    assert ready["catalogs"] == sum(len(j["catalogs"]) for j in jurisdictions) >= 5
    assert ready["rulesets"] >= 10
    assert len(ready["rules"]["sha256"]) == 64
