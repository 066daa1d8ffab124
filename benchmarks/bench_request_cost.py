"""Where the CPU of one ``POST /v1/audit`` request goes, in process (no network, no client).

``bench_http.py`` measures the real server, where an audit request costs several times a
trivial one; this says why, part by part, on the same students (40-row synthetic Texas students,
FHSP + NCAA D1). The app is ``create_app`` with an API key, called as uvicorn calls it (ASGI,
with its lifespan), one request at a time; each figure is the median over ``--repeat`` passes of
the mean microseconds per request over ``--students`` students:

- ``GET /healthz`` and ``POST /v1/audit``, whole (middleware, auth, routing, the route);
- the parts of the audit the route runs: the JSON body parsed, the request validated into
  models, the engine (``audit_document``), the document serialized;
- what any request costs (the ``/healthz`` request), and the rest: what the framework costs
  an audit request beyond those (its dependencies, auth, the body read, the log fields).

The parts run in tight loops, warmer than inside requests, and the rest is the whole less the
parts, so it carries every part's noise: read it over the default run (200 students, 7 passes).

Run: ``.venv/bin/python benchmarks/bench_request_cost.py
[--students 200] [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_audit import synthetic_student  # noqa: E402
from pydantic_core import to_json  # noqa: E402

from engine._native import STATUS as ENGINE_BUILD  # noqa: E402
from engine.audit import audit_document  # noqa: E402
from service.app import create_app  # noqa: E402
from service.schemas import AuditRequest  # noqa: E402
from service.settings import ApiKey, Settings, hash_secret  # noqa: E402

KEY = "bench-request-cost-key-0123"


async def call(app: Any, method: str, path: str, body: bytes) -> int:
    """One request through the ASGI app, as uvicorn makes it; the response status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {KEY}".encode()),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        return {"type": "http.disconnect"}

    status = 0

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def per_item(run: Callable[[], object], count: int, repeat: int) -> float:
    """Median over ``repeat`` passes of the mean microseconds per item of one pass."""
    passes = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        passes.append((time.perf_counter() - start) / count * 1e6)
    return statistics.median(passes)


async def measure(students: int, repeat: int) -> dict[str, float]:
    settings = Settings(
        api_keys=(ApiKey(id="bench", sha256=hash_secret(KEY)),),
        rate_limit_per_minute=10**9,
        rate_limit_burst=10**9,
    )
    app = create_app(settings)
    knowledge = app.state.knowledge
    rng = random.Random(2025)
    bodies = [
        json.dumps({"student": synthetic_student(rng, i).model_dump(mode="json")}).encode()
        for i in range(students)
    ]
    async with app.router.lifespan_context(app):
        for body in bodies:  # warm every path once, and check the requests are right
            assert await call(app, "POST", "/v1/audit", body) == 200
        assert await call(app, "GET", "/healthz", b"") == 200
        parsed = [json.loads(b) for b in bodies]
        requests = [AuditRequest.model_validate(p) for p in parsed]
        documents = [
            audit_document(knowledge=knowledge, student=r.student, goals=r.goals) for r in requests
        ]
        gc.collect()

        async def requests_of(method: str, path: str, payloads: list[bytes]) -> None:
            for body in payloads:
                await call(app, method, path, body)

        async def timed_whole(method: str, path: str, payloads: list[bytes]) -> float:
            passes = []
            for _ in range(repeat):
                start = time.perf_counter()
                await requests_of(method, path, payloads)
                passes.append((time.perf_counter() - start) / len(payloads) * 1e6)
            return statistics.median(passes)

        figures = {
            "GET /healthz (whole)": await timed_whole("GET", "/healthz", [b""] * students),
            "POST /v1/audit (whole)": await timed_whole("POST", "/v1/audit", bodies),
            "  JSON body parsed": per_item(
                lambda: [json.loads(b) for b in bodies], students, repeat
            ),
            "  request validated": per_item(
                lambda: [AuditRequest.model_validate(p) for p in parsed], students, repeat
            ),
            "  engine (audit_document)": per_item(
                lambda: [
                    audit_document(knowledge=knowledge, student=r.student, goals=r.goals)
                    for r in requests
                ],
                students,
                repeat,
            ),
            "  document serialized": per_item(
                lambda: [to_json(d) for d in documents], students, repeat
            ),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    figures = asyncio.run(measure(args.students, args.repeat))
    audit = figures["POST /v1/audit (whole)"]
    parts = sum(v for k, v in figures.items() if k.startswith("  "))
    print(f"in process, one request at a time; engine: {ENGINE_BUILD}")
    for name, value in figures.items():
        share = f"{value / audit:6.0%} of the audit" if name.startswith("  ") else ""
        print(f"{name:<28} {value:8.0f} us  {share}")
    healthz = figures["GET /healthz (whole)"]
    rest = audit - parts - healthz
    print(f"{'  as any request (/healthz)':<28} {healthz:8.0f} us  {healthz / audit:6.0%}")
    print(f"{'  the rest (routing, auth)':<28} {rest:8.0f} us  {rest / audit:6.0%}")
    print(
        f"audit request / trivial request: {audit / healthz:.1f}x; the 30% target needs at most "
        f"{1 / 0.3:.1f}x (before network and client costs, which both pay)"
    )


if __name__ == "__main__":
    main()
