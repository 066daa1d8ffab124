"""The counselor page in a real browser: a real uvicorn on loopback and Debian's Chromium.

The browser is ``/usr/bin/chromium`` (``scripts/test`` installs Debian's package when it is
missing) driven by Playwright's Python API with ``executable_path``: no browser is downloaded.
axe-core comes from npm, pinned in ``tests/web/package-lock.json`` and installed by
``scripts/test`` into ``tests/web/node_modules`` (git-ignored). When either is unavailable the
browser tests are skipped with the reason, never failed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("GRADPATH_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-output" / "screenshots"
LOGS: dict[int, IO[str]] = {}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(env_extra: dict[str, str], open_access: bool) -> tuple[str, subprocess.Popen[str]]:
    """``gradpath serve`` under uvicorn on a free loopback port, once it answers /readyz."""
    port = free_port()
    env = {**os.environ, **env_extra}
    for name in ("GRADPATH_OPEN_ACCESS", "GRADPATH_API_KEYS", "GRADPATH_OAUTH_CLIENTS"):
        if name not in env_extra:
            env.pop(name, None)
    argv = [sys.executable, "-c", "from cli.main import main; main()", "serve", "--port", str(port)]
    if open_access:
        argv.append("--open-access")
    # The log goes to a file, not a pipe: a pipe nobody reads fills up and stalls the server.
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    LOGS[proc.pid] = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return base, proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = stop(proc)
            pytest.fail(f"server did not start:\n{out}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen[str]) -> str:
    """End the server this module started (by its process) and return what it printed."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    log = LOGS.pop(proc.pid)
    log.seek(0)
    out = log.read()
    log.close()
    return out


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The service in local open-access mode, as ``bash scripts/run`` starts it."""
    base, proc = start_server({}, open_access=True)
    try:
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (scripts/test installs Debian's chromium with apt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        if shutil.which("npm") is None:
            pytest.skip("axe-core is not installed and npm is unavailable to install it")
        pytest.skip(f"{AXE} is missing: run `npm ci --prefix tests/web` (scripts/test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def api(base: str, method: str, path: str, body: Any = None) -> Any:
    """The API's own answer, to check what the page shows against."""
    response = httpx.request(method, f"{base}{path}", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "samples" / "students" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data
