"""POST /v1/recommend and /v1/recommend/pathway: the engine's answers, auth, and 422s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.service.conftest import auth, sample, settings
from tests.service.test_openapi import _unbounded

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(settings()), raise_server_exceptions=False) as c:
        yield c


def test_recommend_ranks_careers(client: TestClient) -> None:
    body = {
        "student": sample("tx-sophomore-off-track"),
        "interests": {"riasec": "RC"},
        "preferences": {"routes": ["apprenticeship"]},
        "top": 4,
        "courses": 3,
    }
    done = client.post("/v1/recommend", json=body, headers=auth())
    assert done.status_code == 200, done.text
    data = done.json()
    assert data["student"] == "S-0003"
    assert data["considered"] == 115
    assert [c["rank"] for c in data["careers"]] == [1, 2, 3, 4]
    assert len(data["courses"]) == 3
    golden = json.loads((GOLDEN / "tx-sophomore-off-track.json").read_text(encoding="utf-8"))
    assert [c["career"] for c in data["careers"]] == [c["career"] for c in golden["careers"][:4]]


def test_recommend_needs_the_evaluate_scope(client: TestClient) -> None:
    body = {"student": sample()}
    assert client.post("/v1/recommend", json=body).status_code == 401
    assert client.post("/v1/recommend", json=body, headers=auth("rules")).status_code == 403


def test_bad_interests_are_422_at_their_field(client: TestClient) -> None:
    body = {"student": sample(), "interests": {"riasec": "SSX"}}
    done = client.post("/v1/recommend", json=body, headers=auth())
    assert done.status_code == 422
    assert done.headers["content-type"].startswith("application/problem+json")
    locs = [e["loc"] for e in done.json()["errors"]]
    assert ["body", "interests", "riasec"] in locs
    body = {"student": sample(), "interests": {"subjects": ["sciense"]}}
    done = client.post("/v1/recommend", json=body, headers=auth())
    assert done.status_code == 422
    error = done.json()["errors"][0]
    assert error["loc"] == ["body", "interests", "subjects", 0]
    assert "did you mean 'science'?" in error["msg"]


def test_pathway(client: TestClient) -> None:
    body = {"student": sample("ca-sophomore-gaps"), "career": "architect"}
    done = client.post("/v1/recommend/pathway", json=body, headers=auth())
    assert done.status_code == 200, done.text
    routes = done.json()["routes"]
    assert [r["kind"] for r in routes] == ["bachelor"]
    assert sorted(g["goal"] for g in routes[0]["goals"]) == ["csu-ag", "uc-ag"]
    body = {"student": sample(), "career": "astronaut"}
    done = client.post("/v1/recommend/pathway", json=body, headers=auth())
    assert done.status_code == 422
    assert done.json()["errors"][0]["loc"] == ["body", "career"]


def test_request_schemas_state_their_limits(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    missing: list[str] = []
    for name in ("RecommendRequest", "PathwayRequest", "Interests", "Preferences"):
        _unbounded(
            {k: v for k, v in schemas[name].items() if k != "properties"}
            | {
                "properties": {
                    p: v for p, v in schemas[name]["properties"].items() if p != "student"
                }
            },
            name,
            missing,
        )
    assert missing == []
