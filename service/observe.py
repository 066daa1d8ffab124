"""Correlation ids and the access log: what happened, never to whom.

Each request gets a correlation id (the caller's ``X-Request-ID`` when it is a plain token, else
a new one), echoed in the response and in every problem document. The one log line per request
holds the method, path (never the query or body), status, duration, key id, and what the route
chose to add (rule-set versions, row counts): no student id, transcript or name.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestLog"]

log = logging.getLogger("gradpath.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _printable(path: str) -> str:
    """The path as one line of at most 200 printable characters.

    The server percent-decodes the path: ``/v1/%0a...`` would end the log line and start a
    forged one. Control characters (and backslashes, so an escape cannot be forged either) are
    written as Python escapes.
    """
    if len(path) > 200:
        path = path[:200] + "..."
    if path.isprintable() and "\\" not in path:
        return path
    return path.encode("unicode_escape").decode("ascii")


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        cid = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["correlation_id"] = cid
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                raw = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                raw.append((b"x-request-id", cid.encode()))
                if state.get("no_store"):  # a route's answer no cache may keep (a token)
                    drop = {b"cache-control", b"pragma"}
                    raw = [(k, v) for k, v in raw if k.lower() not in drop]
                    raw += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            extra = state.get("log_extra") or {}
            fields = " ".join(f"{k}={v}" for k, v in sorted(extra.items()))
            log.info(
                "%s %s %s %.1fms key=%s cid=%s%s",
                scope.get("method", "-"),
                _printable(scope.get("path", "-")),
                status,
                (time.perf_counter() - started) * 1000,
                state.get("key_id", "-"),
                cid,
                " " + fields if fields else "",
            )
