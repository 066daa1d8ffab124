"""The FastAPI application: routes, limits, auth and errors around the engine.

``create_app`` loads the catalogs and rules once (they are immutable and shared by every
request; SIGHUP swaps in a fresh copy, see :mod:`service.reload`) and wires the middleware in
the order a request meets it: correlation id and access log, CORS, body limit, then the routes.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from service import openapi_doc, problems, reload
from service.cors import ExactOriginCORS
from service.limits import BodyLimit, FailureLimiter, RateLimiter
from service.observe import RequestLog
from service.routes import evaluate, health, imports, reference, rules, samples, web
from service.routes import recommend as recommend_routes
from service.settings import Settings

__all__ = ["API_VERSION", "create_app", "default_root"]

API_VERSION = "1.0.0"

DESCRIPTION = """\
GradPath turns a student's transcript and goals into an explained audit, the gaps, and a course
plan, under rules that state staff author as data.

**Auth.** Send an API key as `Authorization: Bearer <key>` (or `X-API-Key`), or an access token
from `POST /oauth/token` (client credentials). Scopes: `evaluate` (audit, plan, what-if,
import) and `rules` (validate rule files); reference data needs any valid credential.

**Errors** are RFC 9457 problem documents (`application/problem+json`) with `errors: [{loc, msg,
type}]` and a `correlation_id` (also in the `X-Request-ID` header).

**Privacy.** Nothing is stored. Student records carry an opaque id only: fields that look like
personal data (name, birth date, address, email, phone, SSN) are refused with 422.

**Limits.** Bodies up to 1 MiB (413), 400 transcript rows per student, 20 what-if scenarios,
a per-key rate limit (429 with `Retry-After`).
"""


def default_root() -> Path:
    """The repository holding the bundled ``catalogs/`` and ``rules/``."""
    return Path(__file__).resolve().parent.parent


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start-up, move the loaded knowledge out of the cyclic collector's sight.

    Catalogs and rules live as long as the process; without this every full collection walks
    millions of their objects, and an audit (thousands of short-lived objects) triggers them:
    measured, it tripled the cost of validating an audit result inside a request.
    """
    gc.collect()
    gc.freeze()
    async with reload.on_sighup(app.state.reloader, app.state):
        yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready application; raises ``AuthoringError`` when bundled files are broken."""
    settings = settings or Settings()
    root = settings.root or default_root()
    tree, knowledge, version = reload.load(root)
    app = FastAPI(
        title="GradPath API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.tree = tree
    app.state.knowledge = knowledge
    app.state.reloader = reload.Reloader(root, version)  # SIGHUP: service/reload.py
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.state.auth_failures = FailureLimiter(
        settings.auth_failure_limit, settings.auth_failure_window_seconds
    )
    problems.install(app)
    for module in (health, evaluate, reference, rules, imports, samples, web):
        app.include_router(module.router)
    app.include_router(recommend_routes.router)
    app.add_middleware(problems.ContainErrors)  # innermost: a crash never reaches the server
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(ExactOriginCORS, origins=settings.cors_origins)
    app.add_middleware(RequestLog)
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            openapi_doc.complete(default_openapi(), app.routes)
        return app.openapi_schema or default_openapi()

    app.openapi = openapi  # type: ignore[method-assign]
    return app
