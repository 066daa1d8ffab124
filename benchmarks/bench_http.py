"""HTTP throughput: the real server (uvicorn, 2 workers) driven over loopback.

Starts ``gradpath serve --workers 2`` with an API key, then for each endpoint sends a fixed
number of requests from ``--concurrency`` concurrent keep-alive connections (asyncio) and
prints requests per second and p50/p99 latency: ``POST /v1/audit`` (40-row synthetic Texas
students, FHSP + NCAA D1, as in bench_audit.py) and ``GET /healthz`` (trivial) in the same run.
Targets: >= 400 audits/s, audit p99 <= 50 ms, audit throughput >= 30% of the trivial endpoint's.

The load generator shares the machine's 2 cores with the server, so the figures are a floor.

Run: ``.venv/bin/python benchmarks/bench_http.py [--requests 3000] [--concurrency 16]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_audit import synthetic_student  # noqa: E402
from served import free_port, start_server  # noqa: E402

KEY = "bench-http-key-0123456789"


async def _connection(
    port: int, requests: list[bytes], latencies: list[float], statuses: list[int]
) -> None:
    """One keep-alive connection sending ``requests`` one after another."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for raw in requests:
            start = time.perf_counter()
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in lines
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - start) * 1000)
            statuses.append(int(lines[0].split()[1]))
    finally:
        writer.close()


def _request(method: str, path: str, body: bytes | None) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KEY}\r\n"
    if body is None:
        return (head + "\r\n").encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def drive(
    port: int, method: str, path: str, bodies: list[bytes], total: int, concurrency: int
) -> tuple[float, list[float], int]:
    """Send ``total`` requests over ``concurrency`` connections; wall s, per-request ms, errors.

    A minimal HTTP/1.1 keep-alive client on asyncio streams: a full client library costs a few
    milliseconds of CPU per request, and on a shared 2-core machine that would measure the
    client rather than the server.
    """
    per = total // concurrency
    plans = [
        [
            _request(method, path, bodies[(c * per + i) % len(bodies)] if bodies else None)
            for i in range(per)
        ]
        for c in range(concurrency)
    ]
    latencies: list[float] = []
    statuses: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, plan, latencies, statuses) for plan in plans))
    wall = time.perf_counter() - started
    return wall, latencies, sum(1 for s in statuses if s >= 300)


def report(name: str, wall: float, latencies: list[float], errors: int) -> float:
    latencies.sort()
    rps = len(latencies) / wall
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"{name:<16} {len(latencies):>6} requests  {rps:8.1f} req/s  "
        f"p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  errors {errors}"
    )
    return rps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(2025)
    bodies = [
        json.dumps({"student": synthetic_student(rng, i).model_dump(mode="json")}).encode()
        for i in range(200)
    ]
    port = free_port()
    proc = start_server(port, args.workers, KEY, "bench")
    try:
        # Warm both workers' caches and the connection pool.
        asyncio.run(drive(port, "POST", "/v1/audit", bodies, 400, args.concurrency))
        trivial = asyncio.run(drive(port, "GET", "/healthz", [], args.requests, args.concurrency))
        audits = asyncio.run(
            drive(port, "POST", "/v1/audit", bodies, args.requests, args.concurrency)
        )
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(
        f"server: uvicorn, {args.workers} workers; client: {args.concurrency} connections; "
        "same 2-core machine"
    )
    trivial_rps = report("GET /healthz", *trivial)
    audit_rps = report("POST /v1/audit", *audits)
    p99 = sorted(audits[1])[min(len(audits[1]) - 1, int(len(audits[1]) * 0.99))]
    ratio = audit_rps / trivial_rps
    print(
        f"targets: audits/s >= 400 -> {audit_rps:.0f} "
        f"({'met' if audit_rps >= 400 else 'NOT met'}); "
        f"audit p99 <= 50 ms -> {p99:.1f} ({'met' if p99 <= 50 else 'NOT met'}); "
        f"audit/trivial >= 30% -> {ratio:.0%} ({'met' if ratio >= 0.3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
