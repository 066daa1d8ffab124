"""The real server for benchmarks: ``gradpath serve`` on a free loopback port, one API key.

Shared by ``bench_http.py`` and ``load_test.py``, which drive the server as a portal would,
with what they read of it: its processes, their memory and their CPU.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from service.settings import hash_secret

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(
    port: int,
    workers: int,
    key: str,
    key_id: str,
    *,
    ready: Callable[[subprocess.Popen[bytes]], bool] = lambda proc: True,
    timeout: float = 120,
) -> subprocess.Popen[bytes]:
    """``gradpath serve`` with ``key`` (scope evaluate) and the rate limit out of the way.

    Returns once ``/readyz`` answers 200 and ``ready(proc)`` holds; exits if it never does.
    """
    env = {
        **os.environ,
        "GRADPATH_API_KEYS": json.dumps(
            [{"id": key_id, "sha256": hash_secret(key), "scopes": ["evaluate"]}]
        ),
        "GRADPATH_RATE_LIMIT_PER_MINUTE": "100000000",
        "GRADPATH_RATE_LIMIT_BURST": "100000000",
    }
    env.pop("GRADPATH_OPEN_ACCESS", None)
    command = [sys.executable, "-c", "from cli.main import main; main()", "serve"]
    proc = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
            if answer.status_code == 200 and ready(proc):
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.25)
    proc.kill()
    raise SystemExit("the server did not start")


def children(pid: int) -> list[psutil.Process]:
    """Every process the server ``pid`` started (its workers); none once it has exited."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def server_rss(pid: int) -> int:
    """Resident memory of the supervisor and every process it started, in bytes."""
    total = 0
    for process in [psutil.Process(pid), *children(pid)]:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the supervisor and its children."""
    total = 0.0
    for process in [psutil.Process(pid), *children(pid)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total
