"""Every refusal the service sends on its own is in the OpenAPI document, as it is sent.

FastAPI documents a route's 200 and 422; the service also answers 400 (a body it cannot
decode), 401, 403 and 429 (auth and limits), 413 (the body limit) and, at the token endpoint,
RFC 6749's 400 and 401 (:mod:`service.openapi_doc`). Each is provoked here on every operation it
can reach, and the answer must be a documented status, in the documented content type, with
the documented required headers: what a portal coding against ``docs/openapi.json`` relies on.
The schemathesis fuzz tests (``tests/fuzz/test_api_fuzz.py``) check the same on random input.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.service.conftest import auth, settings

PARAMS = {
    "jurisdiction": "TX",
    "year": "2025",
    "course_id": "ALG1",
    "career_id": "registered-nurse",
    "name": "tx-junior-on-track",
}
QUERY = {"/v1/import/edfi": {"jurisdiction": "TX"}, "/v1/import/csv": {"jurisdiction": "TX"}}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    ]


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)], path)


def assert_documented(op: dict[str, Any], response: httpx.Response, label: str) -> None:
    """``response`` is one of ``op``'s documented answers, in its type, with its headers."""
    documented = op["responses"].get(str(response.status_code))
    assert documented is not None, f"{label}: {response.status_code} is not documented"
    media = response.headers["content-type"].split(";")[0]
    assert media in documented.get("content", {}), f"{label}: {media} is not documented"
    for name, header in documented.get("headers", {}).items():
        if header.get("required"):
            assert name in response.headers, f"{label}: {response.status_code} lacks {name}"


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    served: dict[str, Any] = client.get("/openapi.json").json()
    return served


def test_missing_and_bad_credentials_are_documented(
    client: TestClient, spec: dict[str, Any]
) -> None:
    seen = 0
    for method, path, op in _operations(spec):
        if not op.get("security"):
            continue
        for headers in ({}, {"Authorization": "Bearer not-a-key"}):
            response = client.request(method, _url(path), headers=headers)
            assert response.status_code == 401
            assert_documented(op, response, f"{method} {path}")
            seen += 1
    assert seen >= 30


def test_a_key_without_the_scope_is_documented(client: TestClient, spec: dict[str, Any]) -> None:
    refused = set()
    for method, path, op in _operations(spec):
        for scope in ("evaluate", "rules"):
            response = client.request(method, _url(path), headers=auth(scope))
            if response.status_code == 403:
                assert_documented(op, response, f"{method} {path}")
                refused.add((method, path))
    assert ("POST", "/v1/audit") in refused
    assert ("POST", "/v1/rules/validate") in refused


def test_a_body_over_the_limit_is_documented(client: TestClient, spec: dict[str, Any]) -> None:
    big = b"x" * (1024 * 1024 + 1)
    posts = [(m, p, op) for m, p, op in _operations(spec) if "requestBody" in op]
    assert len(posts) >= 9
    for method, path, op in posts:
        response = client.request(
            method, _url(path), content=big, headers=auth("both"), params=QUERY.get(path)
        )
        assert response.status_code == 413
        assert_documented(op, response, f"{method} {path}")


def test_a_json_body_that_is_not_utf8_is_a_documented_400(
    client: TestClient, spec: dict[str, Any]
) -> None:
    json_bodies = [
        (m, p, op)
        for m, p, op in _operations(spec)
        if "application/json" in op.get("requestBody", {}).get("content", {})
    ]
    assert len(json_bodies) >= 6
    for method, path, op in json_bodies:
        response = client.request(
            method,
            _url(path),
            content=b'{"student": "\xff\xfe"}',
            headers={**auth("both"), "Content-Type": "application/json"},
            params=QUERY.get(path),
        )
        assert response.status_code == 400, path
        assert response.json()["title"] == "Bad request"
        assert_documented(op, response, f"{method} {path}")


def test_the_rate_limit_is_documented(spec: dict[str, Any]) -> None:
    app = create_app(settings(rate_limit_per_minute=1, rate_limit_burst=1))
    with TestClient(app) as client:
        for method, path, op in _operations(spec):
            if not op.get("security"):
                continue
            response = client.request(method, _url(path), headers=auth("both"))
            if response.status_code != 429:  # the first request spends the only token
                response = client.request(method, _url(path), headers=auth("both"))
            assert response.status_code == 429
            assert_documented(op, response, f"{method} {path}")


def test_the_token_endpoint_refusals_are_documented(
    client: TestClient, spec: dict[str, Any]
) -> None:
    op = spec["paths"]["/oauth/token"]["post"]
    form = {"content-type": "application/x-www-form-urlencoded"}
    bad_grant = client.post("/oauth/token", content="grant_type=password", headers=form)
    bad_client = client.post(
        "/oauth/token",
        content="grant_type=client_credentials&client_id=x&client_secret=y",
        headers=form,
    )
    assert (bad_grant.status_code, bad_client.status_code) == (400, 401)
    for response in (bad_grant, bad_client):
        assert_documented(op, response, "POST /oauth/token")
