"""Request limits: body size (413), a per-key rate limit and a lock-out for repeated bad keys
(both 429 with Retry-After).

The rate limiter is a token bucket per key id, in memory: each worker process keeps its own, so
with N workers a key gets at most N times the configured rate. The lock-out counts bad
credentials per client address the same way, per worker and in memory: with N workers an
address gets at most N times ``limit`` guesses per window before every worker has locked it
out. Both bounds are stated in the API guide; a shared store would be the next step if a
deployment needs global limits.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "BodyTooLargeError", "FailureLimiter", "RateLimiter", "client_key"]


@dataclass
class RateLimiter:
    """``per_minute`` requests per key on average, bursts of up to ``burst``."""

    per_minute: int
    burst: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, now: float | None = None) -> int | None:
        """Spend one token for ``key``; None when allowed, else seconds until one is free."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))


def client_key(host: str | None) -> str:
    """The address a lock-out counts against: the IPv4 address, or the /64 of an IPv6 one.

    One IPv6 host usually holds a whole /64, so counting single addresses would give it
    billions of fresh starts.
    """
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass
class FailureLimiter:
    """Lock out an address for ``window`` seconds once it sent ``limit`` bad credentials within
    ``window`` seconds, so keys and client secrets cannot be guessed at speed.

    While locked out the address gets 429 for every request, even with a good key: answering a
    correct guess differently would tell the guesser it had found one. At most
    ``max_addresses`` are tracked, expired entries going first and then the oldest, so a
    spray from many addresses cannot grow the worker's memory without bound.
    """

    limit: int
    window: float
    max_addresses: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, address: str, now: float | None = None) -> int | None:
        """Seconds until ``address`` may try again; None when it is not locked out."""
        now = self.clock() if now is None else now
        with self._lock:
            until = self._locked.get(address)
            if until is None:
                return None
            if until <= now:
                del self._locked[address]
                return None
            return max(1, math.ceil(until - now))

    def failed(self, address: str, now: float | None = None) -> None:
        """Count a bad credential from ``address``; the ``limit``-th in a window locks it out."""
        now = self.clock() if now is None else now
        with self._lock:
            recent = [t for t in self._failures.pop(address, []) if t > now - self.window]
            recent.append(now)
            if len(recent) >= self.limit:
                self._locked[address] = now + self.window
            else:
                self._failures[address] = recent  # re-inserted: the dict stays oldest first
            self._prune(now)

    def _prune(self, now: float) -> None:
        for table in (self._failures, self._locked):
            if len(table) <= self.max_addresses:
                continue
            if table is self._locked:
                expired = [a for a, until in self._locked.items() if until <= now]
            else:
                expired = [a for a, ts in self._failures.items() if ts[-1] <= now - self.window]
            for address in expired:
                del table[address]
            while len(table) > self.max_addresses:
                del table[next(iter(table))]


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with a 413 problem: at once when Content-Length says
    so, else as soon as a streamed (chunked) body passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        overflowed = started = False

        async def limited() -> Message:
            nonlocal seen, overflowed
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    overflowed = True
                    raise BodyTooLargeError
            return message

        async def send_unless_refused(message: Message) -> None:
            # FastAPI turns an error while reading the body into its own 400: past the limit,
            # whatever the app answers is replaced by the 413.
            nonlocal started
            if not overflowed or started:
                started = started or message["type"] == "http.response.start"
                await send(message)

        with contextlib.suppress(BodyTooLargeError):
            await self.app(scope, limited, send_unless_refused)
        if overflowed and not started:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        state = scope.get("state") or {}
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Request body too large",
                "status": 413,
                "detail": f"The body may be at most {self.limit} bytes.",
                "correlation_id": str(state.get("correlation_id", "-")),
                "errors": [],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class BodyTooLargeError(Exception):
    """Raised into the app when a streamed body passes the limit; :class:`BodyLimit` answers
    413 for it, so nothing inside may treat it as an internal error
    (:class:`service.problems.ContainErrors` lets it through)."""
