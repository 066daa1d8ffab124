"""CORS by an exact origin list, its refusals as ``application/problem+json`` like every error.

Starlette's middleware answers a preflight it refuses with a plain-text 400 ("Disallowed CORS
origin"), the one error of the API that was not a problem document and had no correlation id.
A browser hides that body from the page anyway; the portal engineer reading the network panel
or a proxy log is who needs it, so it says which part was refused and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from service.problems import ProblemItem, problem_response

__all__ = ["ExactOriginCORS"]

METHODS = ("GET", "POST")
HEADERS = ("Authorization", "Content-Type", "X-API-Key", "X-Request-ID")
EXPOSED = ("X-Request-ID", "Retry-After")


class ExactOriginCORS(CORSMiddleware):
    """Starlette's CORS for ``origins`` (exact matches only), refusals as problem documents."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=list(origins),
            allow_methods=list(METHODS),
            allow_headers=list(HEADERS),
            expose_headers=list(EXPOSED),
        )
        self.origins = tuple(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "origin" in headers and "access-control-request-method" in headers:
                answer: Response = self.preflight_response(request_headers=headers)
                if answer.status_code == 400:
                    answer = self._refusal(Request(scope), headers, dict(answer.headers))
                await answer(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def _refusal(
        self, request: Request, asked: Headers, cors_headers: dict[str, str]
    ) -> JSONResponse:
        """The refused preflight as a problem: each refused part at its request header."""
        items = []
        if not self.is_allowed_origin(origin=asked["origin"]):
            items.append(
                ProblemItem(
                    loc=["header", "Origin"],
                    msg="this origin is not allowed; allowed: " + ", ".join(self.origins),
                    type="cors_origin",
                )
            )
        if asked["access-control-request-method"] not in self.allow_methods:
            items.append(
                ProblemItem(
                    loc=["header", "Access-Control-Request-Method"],
                    msg="allowed methods: " + ", ".join(METHODS),
                    type="cors_method",
                )
            )
        wanted = asked.get("access-control-request-headers")
        if wanted is not None:
            refused = [
                h.strip() for h in wanted.split(",") if h.strip().lower() not in self.allow_headers
            ]
            if refused:
                items.append(
                    ProblemItem(
                        loc=["header", "Access-Control-Request-Headers"],
                        msg=f"not allowed: {', '.join(refused)}; allowed: {', '.join(HEADERS)}",
                        type="cors_headers",
                    )
                )
        if "access-control-request-private-network" in asked:
            items.append(
                ProblemItem(
                    loc=["header", "Access-Control-Request-Private-Network"],
                    msg="private network access is not allowed",
                    type="cors_private_network",
                )
            )
        kept = {
            k: v
            for k, v in cors_headers.items()
            if k.lower().startswith("access-control-") or k.lower() == "vary"
        }
        detail = "; ".join(f"{'.'.join(map(str, i.loc[1:]))}: {i.msg}" for i in items)
        return problem_response(request, 400, "Cross-origin request refused", detail, items, kept)
