"""Auth (API keys, OAuth2 client credentials), rate limits, CORS and open access."""

from __future__ import annotations

import base64
import time

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.auth import issue_token
from service.limits import RateLimiter
from service.settings import Settings
from tests.service.conftest import CLIENT_ID, CLIENT_SECRET, auth, sample, settings

FORM = {"content-type": "application/x-www-form-urlencoded"}


def token(client: TestClient, body: str, headers: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    response = client.post("/oauth/token", content=body, headers={**FORM, **(headers or {})})
    return {"status": response.status_code, **response.json()}


def test_client_credentials_in_the_form_give_a_working_token(client: TestClient) -> None:
    got = token(
        client,
        f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}",
    )
    assert got["status"] == 200
    assert got["token_type"] == "bearer"
    assert got["scope"] == "evaluate"
    assert got["expires_in"] == 3600
    headers = {"Authorization": f"Bearer {got['access_token']}"}
    assert client.post("/v1/audit", json={"student": sample()}, headers=headers).status_code == 200
    # The token carries only the client's scopes.
    assert client.post("/v1/rules/validate", json={"text": "x"}, headers=headers).status_code == 403


def test_client_credentials_in_basic_auth(client: TestClient) -> None:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    got = token(client, "grant_type=client_credentials", {"Authorization": f"Basic {basic}"})
    assert got["status"] == 200


def test_wrong_secret_and_wrong_grant_are_refused(client: TestClient) -> None:
    bad = token(client, f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret=x")
    assert bad["status"] == 401
    assert bad["title"] == "invalid_client"
    grant = token(client, f"grant_type=password&client_id={CLIENT_ID}&client_secret=x")
    assert grant["status"] == 400


def test_tampered_and_expired_tokens_are_refused(client: TestClient) -> None:
    cfg = settings()
    good = issue_token(cfg, CLIENT_ID, ("evaluate",))
    head, payload, signature = good.split(".")
    tampered = f"{head}.{payload}x.{signature}"
    for bad in (tampered, f"{head}.{payload}.{signature[::-1]}"):
        response = client.get("/v1/goals", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401
    expired = issue_token(settings(token_ttl_seconds=60), CLIENT_ID, ("evaluate",))
    response = client.get("/v1/goals", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 200
    later = time.time() + 61
    import service.auth as auth_module

    real_time = auth_module.time.time
    auth_module.time.time = lambda: later  # type: ignore[method-assign]
    try:
        response = client.get("/v1/goals", headers={"Authorization": f"Bearer {expired}"})
    finally:
        auth_module.time.time = real_time  # type: ignore[method-assign]
    assert response.status_code == 401


def test_every_v1_route_refuses_anonymous_callers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        concrete = (
            path.replace("{jurisdiction}", "TX")
            .replace("{year}", "2025")
            .replace("{course_id}", "ALG1")
            .replace("{career_id}", "x")
        )
        for method in methods:
            response = client.request(method.upper(), concrete)
            assert response.status_code == 401, (method, path)


def test_rate_limit_answers_429_with_retry_after() -> None:
    app = create_app(settings(rate_limit_per_minute=60, rate_limit_burst=2))
    with TestClient(app) as c:
        codes = [c.get("/v1/goals", headers=auth()).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        limited = c.get("/v1/goals", headers=auth())
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        # Another key has its own bucket.
        assert c.get("/v1/goals", headers=auth("rules")).status_code == 200


def test_token_bucket_refills_with_time() -> None:
    limiter = RateLimiter(per_minute=60, burst=1)
    assert limiter.take("k", now=0.0) is None
    assert limiter.take("k", now=0.1) == 1
    assert limiter.take("k", now=1.2) is None


def test_cors_allows_only_the_listed_origin(client: TestClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    ok = client.options("/v1/audit", headers={"Origin": "https://portal.example.org", **preflight})
    assert ok.headers.get("access-control-allow-origin") == "https://portal.example.org"
    other = client.options("/v1/audit", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_a_refused_preflight_is_a_problem_naming_what_was_refused(client: TestClient) -> None:
    """Like every error of the API: problem+json with a correlation id, each refused part at
    its request header, never Starlette's plain-text "Disallowed CORS origin"."""
    refused = client.options(
        "/v1/audit",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "DELETE",
            "Access-Control-Request-Headers": "content-type, X-Secret",
            "X-Request-ID": "cors-check-1",
        },
    )
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["x-request-id"] == "cors-check-1"
    assert "access-control-allow-origin" not in refused.headers
    problem = refused.json()
    assert problem["status"] == 400
    assert problem["correlation_id"] == "cors-check-1"
    by_loc = {tuple(e["loc"]): e for e in problem["errors"]}
    assert set(by_loc) == {
        ("header", "Origin"),
        ("header", "Access-Control-Request-Method"),
        ("header", "Access-Control-Request-Headers"),
    }
    assert "https://portal.example.org" in by_loc[("header", "Origin")]["msg"]
    assert "X-Secret" in by_loc[("header", "Access-Control-Request-Headers")]["msg"]
    assert "content-type" not in by_loc[("header", "Access-Control-Request-Headers")]["msg"]
    # A listed origin asking for something refused: only that part is named.
    method = client.options(
        "/v1/audit",
        headers={"Origin": "https://portal.example.org", "Access-Control-Request-Method": "PUT"},
    )
    assert method.status_code == 400
    assert [e["loc"] for e in method.json()["errors"]] == [
        ["header", "Access-Control-Request-Method"]
    ]


def test_open_access_must_be_explicit() -> None:
    closed = create_app(Settings())
    with TestClient(closed) as c:
        assert c.get("/v1/goals").status_code == 401
    opened = create_app(Settings(open_access=True))
    with TestClient(opened) as c:
        assert c.get("/v1/goals").status_code == 200
    assert "OPEN ACCESS" in Settings(open_access=True).mode


def test_oauth_clients_need_a_token_secret() -> None:
    with pytest.raises(ValueError, match="GRADPATH_TOKEN_SECRET"):
        settings(token_secret=None)
