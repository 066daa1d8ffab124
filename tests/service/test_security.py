"""Security at the edge: every route guarded as it declares, guessing locked out, no traceback
leaves the process, and request size and planning time are bounded.

The routes are read from the app object, so a route added later is checked by the same tests:
an unguarded one fails unless it is added to ``OPEN`` below, and a POST route must declare a
scope. ``tests/service/test_auth_limits.py`` covers keys, tokens, the per-key rate limit and
CORS; this file does not repeat them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Route
from typer.testing import CliRunner

import service.routes.evaluate
from cli.main import app as cli_app
from service.auth import route_access
from service.limits import FailureLimiter, client_key
from service.problems import PROBLEM_JSON, Problem
from service.settings import Settings
from tests.service.conftest import CLIENT_ID, CLIENT_SECRET, auth, sample, settings

#: Routes anyone may call: health, the API docs, the token endpoint, the page and its assets.
OPEN = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("POST", "/oauth/token"),
    ("GET", "/"),
    ("GET", "/web/{name}"),
}
#: A value for each path parameter; a route with a new parameter name gets "x".
PARAMS = {
    "jurisdiction": "TX",
    "year": "2025",
    "course_id": "ALG1",
    "career_id": "registered-nurse",
    "name": "tx-junior-on-track",
}
SENTINEL = "SENTINEL-5c1d0e"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m.group(1), "x"), path)


def endpoints(app: FastAPI) -> Iterator[tuple[str, str, RouteContext]]:
    """(method, path, route) for every route the app serves, HEAD and OPTIONS aside."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        assert isinstance(route, Route), f"unexpected route kind {route!r}: classify it here"
        assert context.path is not None
        for method in sorted(context.methods or ()):
            if method not in ("HEAD", "OPTIONS"):
                yield method, context.path, context


def guarded(app: FastAPI) -> list[tuple[str, str, str | None]]:
    """(method, path, scope) of every route that needs a credential."""
    out = []
    for method, path, route in endpoints(app):
        if (method, path) in OPEN:
            continue
        access = route_access(route) if isinstance(route.original_route, APIRoute) else None
        assert access is not None, f"{method} {path} declares no access: guard it or list it"
        out.append((method, path, access.scope))
    return out


@contextmanager
def swapped(app: FastAPI, name: str, value: Any) -> Iterator[None]:
    """``app.state.<name>`` set to ``value`` for a while (monkeypatch would delete it after:
    Starlette's ``State`` keeps attributes in a dict of its own)."""
    old = getattr(app.state, name)
    setattr(app.state, name, value)
    try:
        yield
    finally:
        setattr(app.state, name, old)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    Problem.model_validate(body)
    assert body["status"] == status
    assert body["correlation_id"] == response.headers["x-request-id"]
    return body


def test_the_walk_sees_every_kind_of_route(app: FastAPI) -> None:
    seen = {(m, p) for m, p, _ in endpoints(app)}
    assert OPEN.issubset(seen)  # every exemption names a real route
    routes = guarded(app)
    assert len(routes) >= 15
    assert {scope for _, _, scope in routes} == {"evaluate", "rules", None}


def test_open_routes_answer_without_credentials(app: FastAPI, client: TestClient) -> None:
    for method, path, route in endpoints(app):
        if (method, path) not in OPEN:
            continue
        if isinstance(route.original_route, APIRoute):
            assert route_access(route) is None, f"{method} {path} is listed open but guarded"
        url = "/web/app.js" if path == "/web/{name}" else path
        response = client.request(method, url, content=b"", headers=FORM)
        assert response.status_code != 401, (method, path)
        assert response.status_code < 500, (method, path)


def test_every_post_route_declares_a_scope(app: FastAPI) -> None:
    for method, path, scope in guarded(app):
        if method != "GET":
            assert scope is not None, f"{method} {path} changes or evaluates: it needs a scope"


def test_every_guarded_route_refuses_missing_and_bad_credentials(
    app: FastAPI, client: TestClient
) -> None:
    for method, path, _ in guarded(app):
        url = concrete(path)
        missing = assert_problem(client.request(method, url), 401)
        assert "Send an API key" in missing["detail"], (method, path)
        for headers in ({"Authorization": "Bearer not-a-key"}, {"X-API-Key": "not-a-key"}):
            bad = client.request(method, url, headers=headers)
            assert "not valid" in assert_problem(bad, 401)["detail"], (method, path)
            assert bad.headers["www-authenticate"].startswith("Bearer")


def test_every_guarded_route_checks_the_scope_it_declares(app: FastAPI, client: TestClient) -> None:
    lacking = {"evaluate": "rules", "rules": "evaluate"}
    for method, path, scope in guarded(app):
        url = concrete(path)
        if scope is None:  # any valid credential reads
            for key in ("evaluate", "rules"):
                got = client.request(method, url, headers=auth(key))
                assert got.status_code not in (401, 403), (method, path, key)
            continue
        refused = assert_problem(client.request(method, url, headers=auth(lacking[scope])), 403)
        assert repr(scope) in refused["detail"], (method, path)
        # The key holding the scope gets past the check (to validation of the empty body).
        allowed = client.request(method, url, headers=auth(scope))
        assert allowed.status_code not in (401, 403), (method, path)


def test_open_access_is_refused_off_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    # `serve --open-access` sets GRADPATH_OPEN_ACCESS in this process: setenv first, so that
    # monkeypatch puts it back as it was (delenv of an unset variable records nothing).
    monkeypatch.setenv("GRADPATH_OPEN_ACCESS", "false")
    result = CliRunner().invoke(cli_app, ["serve", "--open-access", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "open access is for local use only" in result.output


# -- no traceback leaves the process ------------------------------------------------------


def _raise(**_: Any) -> Any:
    raise ValueError(f"student {SENTINEL} broke something")


@pytest.mark.parametrize(
    ("path", "target"), [("/v1/audit", "audit_document"), ("/v1/plan", "plan")]
)
def test_an_internal_error_is_a_500_problem_with_no_trace_or_student_data(
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    path: str,
    target: str,
) -> None:
    monkeypatch.setattr(service.routes.evaluate, target, _raise)
    caplog.set_level(logging.DEBUG)
    student = {**sample(), "id": SENTINEL}
    # raise_server_exceptions (the default): an exception escaping the app would be raised
    # here, as the server would log it with its message and traceback.
    with TestClient(app) as c:
        response = c.post(path, json={"student": student}, headers=auth())
    body = assert_problem(response, 500)
    assert body["title"] == "Internal error"
    assert re.fullmatch(r"[0-9a-f]{32}", body["correlation_id"])
    for leak in (SENTINEL, "Traceback", "ValueError", 'File "', "broke"):
        assert leak not in response.text
    lines = [record.getMessage() for record in caplog.records]
    assert any(f"internal error ValueError at {__file__}" in line for line in lines)
    assert any(f"{path} 500 " in line and body["correlation_id"] in line for line in lines)
    assert all(SENTINEL not in line and "broke" not in line for line in lines)
    assert all(record.exc_info is None for record in caplog.records)


# -- request size and time ----------------------------------------------------------------


def test_a_streamed_body_over_the_limit_is_413_before_auth(client: TestClient) -> None:
    chunks = (b"x" * 65536 for _ in range(20))  # 1.25 MiB with no Content-Length
    response = client.post(
        "/v1/audit", content=chunks, headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["title"] == "Request body too large"


def test_the_planner_time_limit_is_capped_by_the_service(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[float] = []
    real = service.routes.evaluate.plan

    def spy(**kwargs: Any) -> Any:
        seen.append(kwargs["constraints"].time_limit)
        return real(**kwargs)

    monkeypatch.setattr(service.routes.evaluate, "plan", spy)
    body = {"student": sample(), "constraints": {"time_limit": 600}}
    assert client.post("/v1/plan", json=body, headers=auth()).status_code == 200
    assert seen == [settings().plan_time_limit_seconds]


def test_a_whatif_stops_when_its_planning_budget_is_spent(app: FastAPI, client: TestClient) -> None:
    # 20 scenarios of up to 5 s each (infeasible ones take seconds more to explain) could
    # hold a worker for minutes; the budget stops the work between plans.
    body = {"student": sample(), "scenarios": [{"name": f"s{i}"} for i in range(3)]}
    with swapped(app, "settings", settings(plan_budget_seconds=1e-6)):
        sent = client.post("/v1/whatif", json=body, headers=auth())
    problem = assert_problem(sent, 422)
    assert problem["title"] == "Planning budget spent"
    [item] = problem["errors"]
    assert item["loc"] == ["body", "scenarios"]
    assert item["type"] == "budget_exceeded"
    assert "after 0 of 3 scenario(s)" in item["msg"]
    assert settings().plan_budget_seconds == 30.0  # the default leaves room for real work


# -- repeated bad keys ----------------------------------------------------------------------


@pytest.fixture
def strict(app: FastAPI) -> Iterator[FailureLimiter]:
    """The session app with a lock-out after 3 bad credentials in 60 s."""
    limiter = FailureLimiter(limit=3, window=60)
    with swapped(app, "auth_failures", limiter):
        yield limiter


def test_repeated_bad_keys_lock_the_address_out_until_the_window_passes(
    app: FastAPI, strict: FailureLimiter
) -> None:
    good = {"student": sample()}
    with (
        TestClient(app, client=("203.0.113.7", 5000)) as guesser,
        TestClient(app, client=("198.51.100.9", 5000)) as other,
    ):
        bad = {"Authorization": "Bearer guess"}
        assert [guesser.get("/v1/goals", headers=bad).status_code for _ in range(3)] == [401] * 3
        # Now even a good key from that address is refused, on every guarded route.
        for method, url, headers, body in [
            ("POST", "/v1/audit", auth(), good),
            ("GET", "/v1/goals", auth("rules"), None),
        ]:
            locked = assert_problem(guesser.request(method, url, headers=headers, json=body), 429)
            assert "Too many bad keys" in locked["detail"]
            assert (
                1 <= int(guesser.request(method, url, headers=headers).headers["retry-after"]) <= 60
            )
        # The health check and other addresses are not affected.
        assert guesser.get("/healthz").status_code == 200
        assert other.post("/v1/audit", json=good, headers=auth()).status_code == 200
        # When the window has passed, the address may call again.
        later = strict.clock() + 61
        strict.clock = lambda: later
        assert guesser.post("/v1/audit", json=good, headers=auth()).status_code == 200


def test_missing_credentials_are_not_counted_as_guesses(
    app: FastAPI, strict: FailureLimiter
) -> None:
    with TestClient(app, client=("192.0.2.10", 5000)) as c:
        assert {c.get("/v1/goals").status_code for _ in range(5)} == {401}
        assert c.get("/v1/goals", headers=auth()).status_code == 200


def test_bad_client_secrets_at_the_token_endpoint_count_too(
    app: FastAPI, strict: FailureLimiter
) -> None:
    with TestClient(app, client=("192.0.2.20", 5000)) as c:
        wrong = f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret=guess"
        codes = [c.post("/oauth/token", content=wrong, headers=FORM).status_code for _ in range(3)]
        assert codes == [401] * 3
        right = f"grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        locked = c.post("/oauth/token", content=right, headers=FORM)
        assert_problem(locked, 429)
        assert assert_problem(c.get("/v1/goals", headers=auth()), 429)["title"] == (
            "Too many failed attempts"
        )


def test_the_lock_out_follows_the_settings(app: FastAPI) -> None:
    limiter = app.state.auth_failures
    configured = app.state.settings
    assert (limiter.limit, limiter.window) == (
        configured.auth_failure_limit,
        configured.auth_failure_window_seconds,
    )
    fields = Settings.model_fields
    defaults = (fields["auth_failure_limit"].default, fields["auth_failure_window_seconds"].default)
    assert defaults == (10, 60)


def test_failures_age_out_of_the_window() -> None:
    limiter = FailureLimiter(limit=3, window=60)
    limiter.failed("a", now=0.0)
    limiter.failed("a", now=10.0)
    limiter.failed("a", now=65.0)  # the first has aged out: two in the window
    assert limiter.retry_after("a", now=66.0) is None
    limiter.failed("a", now=68.0)
    assert limiter.retry_after("a", now=68.0) == 60
    assert limiter.retry_after("a", now=127.5) == 1
    assert limiter.retry_after("a", now=128.0) is None
    limiter.failed("a", now=129.0)  # a fresh start after the lock-out
    assert limiter.retry_after("a", now=129.0) is None


def test_the_tracked_addresses_are_bounded() -> None:
    limiter = FailureLimiter(limit=2, window=60, max_addresses=100)
    for n in range(1000):
        limiter.failed(f"10.0.{n // 256}.{n % 256}", now=float(n) / 100)
        limiter.failed(f"10.1.{n // 256}.{n % 256}", now=float(n) / 100)
        limiter.failed(f"10.1.{n // 256}.{n % 256}", now=float(n) / 100)
    assert len(limiter._failures) <= 100
    assert len(limiter._locked) <= 100
    assert limiter.retry_after("10.1.3.231", now=10.0) is not None  # the newest are kept


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_an_ipv6_host_counts_as_its_64(host: str | None, key: str) -> None:
    assert client_key(host) == key
