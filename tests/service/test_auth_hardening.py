"""Auth hardening: the OAuth2 token endpoint as RFC 6749 has it, tokens that
are authentic but no longer usable, and what reaches the logs on refusals."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.app import create_app
from service.auth import issue_token
from service.settings import OAuthClient, Settings, hash_secret
from tests.service.conftest import CLIENT_ID, CLIENT_SECRET, KEYS, auth, sample, settings

FORM = {"content-type": "application/x-www-form-urlencoded"}
GRANT = "grant_type=client_credentials"
#: A secret with every character RFC 6749 §2.3.1 makes a client form-encode before Basic auth.
ODD_ID, ODD_SECRET = "dotnet-portal", "s3cr+t/with=chars:and%25 space"
ODD = OAuthClient(
    client_id=ODD_ID, secret_sha256=hash_secret(ODD_SECRET), scopes=("evaluate", "rules")
)


def _settings() -> Settings:
    base = settings()
    return settings(oauth_clients=(*base.oauth_clients, ODD))


@pytest.fixture(scope="module")
def review_app() -> FastAPI:
    return create_app(_settings())


@pytest.fixture(scope="module")
def c(review_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(review_app, raise_server_exceptions=False) as client:
        yield client


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = f"{client_id}:{secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def post_token(c: TestClient, body: str, headers: dict[str, str] | None = None) -> Any:
    return c.post("/oauth/token", content=body, headers={**FORM, **(headers or {})})


def test_basic_credentials_are_form_encoded_before_base64(c: TestClient) -> None:
    # RFC 6749 §2.3.1: a client (IdentityModel, Spring) encodes id and secret with
    # application/x-www-form-urlencoded before Basic auth; it must not be refused for that.
    encoded = post_token(c, GRANT, basic(quote_plus(ODD_ID), quote_plus(ODD_SECRET)))
    assert encoded.status_code == 200, encoded.text
    # Clients that send the secret as it is (curl -u, requests) keep working.
    raw = post_token(c, GRANT, basic(ODD_ID, ODD_SECRET))
    assert raw.status_code == 200, raw.text


def test_credentials_in_basic_auth_and_the_form_at_once_are_refused(c: TestClient) -> None:
    # RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    both = post_token(
        c,
        f"{GRANT}&client_id={CLIENT_ID}&client_secret=not-the-secret",
        basic(CLIENT_ID, CLIENT_SECRET),
    )
    assert both.status_code == 400
    assert both.json()["title"] == "invalid_request"
    assert "access_token" not in both.json()


def test_token_answers_are_never_cached(c: TestClient) -> None:
    # RFC 6749 §5.1 and §5.2: Cache-Control: no-store on every answer of the token endpoint.
    good = post_token(c, f"{GRANT}&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}")
    bad = post_token(c, f"{GRANT}&client_id={CLIENT_ID}&client_secret=wrong")
    assert (good.status_code, bad.status_code) == (200, 401)
    for response in (good, bad):
        assert response.headers.get("cache-control") == "no-store"
        assert response.headers.get("pragma") == "no-cache"


def test_a_scope_the_client_does_not_hold_is_invalid_scope(c: TestClient) -> None:
    creds = f"{GRANT}&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
    for scope in ("rules", "bogus"):
        refused = post_token(c, f"{creds}&scope={scope}")
        assert refused.status_code == 400, refused.text
        assert refused.json()["title"] == "invalid_scope"
    # A request for more than the client holds is narrowed to what it holds (RFC 6749 §3.3).
    narrowed = post_token(c, f"{creds}&scope=evaluate+rules")
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "evaluate"
    # And a client holding both can ask for one.
    one = post_token(c, f"{GRANT}&scope=rules", basic(ODD_ID, ODD_SECRET))
    assert one.json()["scope"] == "rules"


def test_a_missing_grant_type_is_invalid_request(c: TestClient) -> None:
    missing = post_token(c, f"client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}")
    assert missing.status_code == 400
    assert missing.json()["title"] == "invalid_request"
    other = post_token(c, f"grant_type=password&client_id={CLIENT_ID}&client_secret=x")
    assert other.json()["title"] == "unsupported_grant_type"


def test_token_refusals_carry_the_oauth_error_members(c: TestClient) -> None:
    # RFC 6749 §5.2: OAuth client libraries (IdentityModel, oauthlib, Ed-Fi ODS/API clients)
    # read the code from ``error``; the problem document carries it beside its title.
    creds = f"client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
    cases = {
        "invalid_request": post_token(c, creds),
        "unsupported_grant_type": post_token(c, f"grant_type=password&{creds}"),
        "invalid_scope": post_token(c, f"{GRANT}&{creds}&scope=bogus"),
        "invalid_client": post_token(c, f"{GRANT}&client_id={CLIENT_ID}&client_secret=wrong"),
    }
    for code, response in cases.items():
        body = response.json()
        assert (body["error"], body["title"]) == (code, code), body
        assert body["error_description"] == body["detail"] != ""
    # Every other problem document is as it was: no OAuth members.
    other = c.get("/v1/goals")
    assert other.status_code == 401
    assert not {"error", "error_description"} & other.json().keys()


def _expired_token(monkeypatch: pytest.MonkeyPatch, cfg: Settings) -> str:
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: 1_000_000_000.0)
        return issue_token(cfg, CLIENT_ID, ("evaluate",))


def test_expired_tokens_are_not_guesses(monkeypatch: pytest.MonkeyPatch) -> None:
    # A portal whose cached token just expired sends it from all its threads at once: that is not
    # someone guessing, and must not lock the portal's address (and its good keys) out.
    cfg = settings(auth_failure_limit=3)
    app = create_app(cfg)
    expired = _expired_token(monkeypatch, cfg)
    with TestClient(app, raise_server_exceptions=False) as client:
        for _ in range(5):
            response = client.get("/v1/goals", headers={"Authorization": f"Bearer {expired}"})
            assert response.status_code == 401
            # RFC 6750 §3.1: the client learns to fetch a new token.
            assert 'error="invalid_token"' in response.headers["www-authenticate"]
        assert client.get("/v1/goals", headers=auth()).status_code == 200
        # A forged token still counts as a guess.
        for _ in range(3):
            client.get("/v1/goals", headers={"Authorization": "Bearer gp1.e30.forged"})
        assert client.get("/v1/goals", headers=auth()).status_code == 429


def test_tokens_of_a_removed_client_are_refused(c: TestClient) -> None:
    cfg = _settings()
    removed = issue_token(cfg, "removed-client", ("evaluate", "rules"))
    response = c.post(
        "/v1/rules/validate", json={"text": "x"}, headers={"Authorization": f"Bearer {removed}"}
    )
    assert response.status_code == 401
    # A token keeps only the scopes its client still holds.
    widened = issue_token(cfg, CLIENT_ID, ("evaluate", "rules"))
    response = c.post(
        "/v1/rules/validate", json={"text": "x"}, headers={"Authorization": f"Bearer {widened}"}
    )
    assert response.status_code == 403


def _big_stream() -> Iterator[bytes]:
    chunk = b"x" * 65536
    for _ in range(20):  # 1.25 MiB, no Content-Length
        yield chunk


@pytest.mark.parametrize(
    ("path", "content_type", "headers"),
    [
        ("/oauth/token", "application/x-www-form-urlencoded", {}),
        (
            "/v1/import/csv?jurisdiction=TX&cohort=2029",
            "text/csv",
            {"Authorization": f"Bearer {KEYS['both']}"},
        ),
    ],
)
def test_a_streamed_body_over_the_limit_is_no_internal_error(
    c: TestClient,
    caplog: pytest.LogCaptureFixture,
    path: str,
    content_type: str,
    headers: dict[str, str],
) -> None:
    # Routes that read the body themselves met the limit as an exception: the answer was the
    # 413, but an "internal error" was logged for each, paging operators for nothing.
    with caplog.at_level(logging.INFO, logger="gradpath"):
        response = c.post(
            path, content=_big_stream(), headers={"content-type": content_type, **headers}
        )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def test_the_access_log_cannot_be_forged_through_the_path(
    c: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    forged = "GET /v1/goals 200 1.0ms key=admin cid=forged-line"
    with caplog.at_level(logging.INFO, logger="gradpath.access"):
        response = c.get("/v1/%0d%0a" + forged.replace(" ", "%20"), headers=auth())
    assert response.status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "gradpath.access"]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert "\r" not in lines[0]


@pytest.mark.parametrize(
    "key", ["surname", "lastSurname", "nickname", "maidenName", "mobile", "firstName", "dob"]
)
def test_personal_data_keys_are_named_as_such(c: TestClient, key: str) -> None:
    student = {**sample(), key: "Jane-Sentinel"}
    response = c.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    assert "personal data is not accepted" in response.json()["errors"][0]["msg"]
    assert "Jane-Sentinel" not in response.text


@pytest.mark.parametrize("key", ["courseName", "course_name", "schoolName", "programName"])
def test_a_course_or_school_name_is_not_called_personal_data(c: TestClient, key: str) -> None:
    # An SIS export's row brings its course's name: refused as the unknown key it is, at its
    # place, with the record's other errors, not as personal data (which hides them).
    student = sample()
    student["transcript"][0] = {**student["transcript"][0], key: "Algebra I"}
    student["grade_level"] = "twelfth"
    response = c.post("/v1/audit", json={"student": student}, headers=auth())
    assert response.status_code == 422
    assert "personal" not in response.text
    locs = [e["loc"] for e in response.json()["errors"]]
    assert ["body", "student", "transcript", 0, key] in locs
    assert ["body", "student", "grade_level"] in locs
