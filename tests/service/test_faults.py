"""Faults, on the real server (`gradpath serve --workers 2`): a worker killed under load, and
rules reloaded on SIGHUP, good and broken.

The batch side of issue 11's faults (a run killed with SIGKILL resumes with no lost or
duplicated rows) is tests/batch/test_parallel.py::
test_a_run_killed_with_sigkill_resumes_without_duplicates_or_gaps: it kills the whole process
group mid-run, resumes, and checks the output byte for byte against an uninterrupted run, each
student once and in input order.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from service.reload import FOLDERS, digest
from tests.conftest import ROOT
from tests.service.conftest import sample
from tests.service.test_server_workers import _holds_connection, children, serve, wait_until

THREADS = 4
#: A request sent this long after the kill must not meet the dead worker (the kill is
#: asynchronous: for a moment after ``os.kill`` returns the worker's sockets may still be open).
GRACE = 0.5


@dataclass(frozen=True)
class Outcome:
    started: float
    ended: float
    result: int | str  # the HTTP status, or the transport error's class name


def test_a_worker_killed_under_load_loses_only_its_requests_in_flight(tmp_path: Path) -> None:
    bodies: list[tuple[str, dict[str, Any]]] = [
        ("/v1/audit", {"student": sample("tx-junior-on-track")}),
        ("/v1/audit", {"student": sample("ca-senior-uc-bound")}),
        ("/v1/plan", {"student": sample("tx-senior-complete")}),
        ("/v1/audit", {"student": sample("wa-sophomore-gaps")}),
    ]
    outcomes: list[Outcome] = []
    stop = threading.Event()

    def portal(offset: int) -> None:
        # A new connection for every request, so both workers keep getting work, the killed
        # worker's share included (its socket stays open in the supervisor for the new one).
        limits = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(timeout=120, limits=limits) as client:
            n = offset
            while not stop.is_set():
                path, body = bodies[n % len(bodies)]
                n += 1
                started = time.monotonic()
                result: int | str
                try:
                    result = client.post(base + path, json=body).status_code
                except httpx.TransportError as exc:
                    result = type(exc).__name__
                outcomes.append(Outcome(started, time.monotonic(), result))

    def succeeded(after: float) -> int:
        return sum(1 for o in list(outcomes) if o.result == 200 and o.started > after)

    with serve(tmp_path / "server.log") as (base, proc), ThreadPoolExecutor(THREADS) as pool:
        port = int(base.rsplit(":", 1)[1])
        clients = [pool.submit(portal, i) for i in range(THREADS)]
        try:
            wait_until(lambda: succeeded(0) >= 40)  # the load flows through both workers
            before = children(proc.pid)
            victim = min(before)
            killed = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            wait_until(lambda: len(children(proc.pid) - before) == 1, 120)
            (replacement,) = children(proc.pid) - before
            wait_until(lambda: _holds_connection(replacement, port), 120)
            serving = time.monotonic()
            wait_until(lambda: succeeded(serving) >= 40, 120)
        finally:
            stop.set()
            for future in clients:
                future.result()
        assert proc.poll() is None
    failed = [o for o in outcomes if o.result != 200]
    # No error answers at all: only connections cut by the kill, and only those in flight.
    assert all(isinstance(o.result, str) for o in failed), failed
    assert all(o.started <= killed + GRACE and o.ended >= killed for o in failed), failed
    # The surviving worker answered while the replacement was loading the rules.
    meanwhile = [o for o in outcomes if killed + GRACE < o.started and o.ended < serving]
    assert any(o.result == 200 for o in meanwhile)


# Rules reloaded on SIGHUP.

FHSP = Path("rules/tx/2025/fhsp.yaml")
THIRD_MATH = "      - credits: 1\n        from: {attribute: tx:advanced-math}\n"


def _edit(root: Path, old: str, new: str) -> None:
    path = root / FHSP
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _fhsp(base: str) -> dict[str, Any]:
    body = {"student": sample("tx-senior-complete"), "goals": ["tx-fhsp"]}
    response = httpx.post(f"{base}/v1/audit", json=body, timeout=60)
    assert response.status_code == 200, response.text
    (goal,) = response.json()["goals"]
    assert isinstance(goal, dict)
    return goal


def _ready_everywhere(base: str) -> list[dict[str, Any]]:
    """``/readyz`` over ten new connections, which the kernel spreads over both workers."""
    return [httpx.get(f"{base}/readyz", timeout=10).json() for _ in range(10)]


def _reloads(log: Path, outcome: str) -> set[int]:
    """Workers that logged a reload with this outcome (``reloaded``, ``reload refused``)."""
    return {int(p) for p in re.findall(rf"worker (\d+): rules {outcome}", log.read_text())}


def test_sighup_serves_good_rules_and_keeps_the_old_ones_when_a_file_is_broken(
    tmp_path: Path,
) -> None:
    root = tmp_path / "data"
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, root / folder)
    log = tmp_path / "server.log"
    with serve(log, root) as (base, proc):
        workers = children(proc.pid)
        first = httpx.get(f"{base}/readyz", timeout=10).json()
        assert first["rules"]["sha256"] == digest(root)[0]
        assert first["reload_error"] is None
        before = _fhsp(base)
        assert before["status"] == "met"
        assert before["title"] == "Texas Foundation High School Program"

        # A good edit: a new title, and four advanced math credits instead of one.
        _edit(root, "title: Texas Foundation High School Program\n", "title: Texas FHSP 2\n")
        _edit(root, THIRD_MATH, THIRD_MATH.replace("credits: 1", "credits: 4"))
        good = digest(root)[0]
        proc.send_signal(signal.SIGHUP)
        wait_until(lambda: _reloads(log, "reloaded") | _reloads(log, "reload refused") == workers)
        assert _reloads(log, "reloaded") == workers, log.read_text()
        assert {r["rules"]["sha256"] for r in _ready_everywhere(base)} == {good}
        after = _fhsp(base)
        assert (after["title"], after["status"]) == ("Texas FHSP 2", "unmet")

        # A broken edit: a misspelt key. Both workers refuse it and keep the good rules.
        text = (root / FHSP).read_text(encoding="utf-8")
        line = text.splitlines().index("requirements:") + 1
        _edit(root, "\nrequirements:\n", "\nrequirments:\n")
        proc.send_signal(signal.SIGHUP)
        wait_until(lambda: _reloads(log, "reload refused") == workers)
        for ready in _ready_everywhere(base):
            assert ready["rules"]["sha256"] == good
            error = ready["reload_error"]
            assert error["total"] >= 1
            assert {k: error["errors"][0][k] for k in ("file", "line", "column", "code")} == {
                "file": FHSP.as_posix(),
                "line": line,
                "column": 1,
                "code": "unknown-key",
            }
            assert "requirments" in error["errors"][0]["message"]
        assert _fhsp(base) == after
        server_log = log.read_text()
        assert f"{FHSP.as_posix()}:{line}:1: unknown key 'requirments'" in server_log
        assert sample("tx-senior-complete")["id"] not in server_log

        # A worker dies meanwhile: its replacement cannot load the broken files, the other
        # worker keeps serving the good rules, and the supervisor does not give up.
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: "cannot load the rules" in log.read_text(), 120)
        wait_until(lambda: "the other workers serve" in log.read_text(), 60)
        assert proc.poll() is None
        (survivor,) = children(proc.pid)
        assert survivor == max(workers)
        assert {r["rules"]["sha256"] for r in _ready_everywhere(base)} == {good}
        assert _fhsp(base) == after

        # Fixed again: the error clears and the fixed rules are served.
        _edit(root, "\nrequirments:\n", "\nrequirements:\n")
        proc.send_signal(signal.SIGHUP)
        wait_until(lambda: log.read_text().count(f"worker {survivor}: rules reloaded") == 2, 60)
        for ready in _ready_everywhere(base):
            assert ready["rules"]["sha256"] == good
            assert ready["reload_error"] is None
        assert "Traceback" not in log.read_text()
        assert proc.poll() is None
