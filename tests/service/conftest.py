"""A service with known keys and clients, built once per session (loading rules takes a moment)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import ApiKey, OAuthClient, Settings, hash_secret
from tests.conftest import ROOT

KEYS = {
    "evaluate": "key-evaluate-0123456789",
    "rules": "key-rules-0123456789",
    "both": "key-both-0123456789",
}
CLIENT_ID, CLIENT_SECRET = "edfi-portal", "client-secret-0123456789"


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "api_keys": (
            ApiKey(id="portal-a", sha256=hash_secret(KEYS["evaluate"]), scopes=("evaluate",)),
            ApiKey(id="state-staff", sha256=hash_secret(KEYS["rules"]), scopes=("rules",)),
            ApiKey(id="admin", sha256=hash_secret(KEYS["both"]), scopes=("evaluate", "rules")),
        ),
        "oauth_clients": (
            OAuthClient(
                client_id=CLIENT_ID,
                secret_sha256=hash_secret(CLIENT_SECRET),
                scopes=("evaluate",),
            ),
        ),
        "token_secret": "test-token-secret",
        "cors_origins": ("https://portal.example.org",),
        "rate_limit_per_minute": 100_000,
        "rate_limit_burst": 100_000,
        # Tests send bad keys on purpose; the lock-out has its own tests (test_security.py).
        "auth_failure_limit": 100_000,
    }
    values.update(overrides)
    return Settings(**values)


def auth(scope: str = "evaluate") -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[scope]}"}


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app(settings())


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def sample(name: str = "tx-junior-on-track") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "samples" / "students" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data
