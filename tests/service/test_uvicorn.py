"""The real server: `gradpath serve` under uvicorn on a loopback port, called over TCP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from service.settings import hash_secret
from tests.conftest import ROOT
from tests.service.conftest import sample

KEY = "uvicorn-test-key-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = {
        **os.environ,
        "GRADPATH_API_KEYS": json.dumps(
            [{"id": "uvicorn-test", "sha256": hash_secret(KEY), "scopes": ["evaluate"]}]
        ),
    }
    env.pop("GRADPATH_OPEN_ACCESS", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"server did not start:\n{out}")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout:
            # Left open, the pipe is closed by the garbage collector later, and its
            # ResourceWarning fails whichever test happens to be running then.
            proc.stdout.close()


def test_real_server_audits_over_tcp(server: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = server
    headers = {"Authorization": f"Bearer {KEY}"}
    response = httpx.post(f"{base}/v1/audit", json={"student": sample()}, headers=headers)
    assert response.status_code == 200
    assert [g["goal"] for g in response.json()["goals"]] == ["tx-fhsp", "ncaa-d1"]
    assert httpx.post(f"{base}/v1/audit", json={"student": sample()}).status_code == 401


def test_serve_says_where_to_point_a_browser_and_which_mode(
    server: tuple[str, subprocess.Popen[str]],
) -> None:
    base, proc = server
    proc.terminate()
    out, _ = proc.communicate(timeout=10)
    assert f"GradPath API {base}" in out
    assert f"counselor page: {base}/ " in out
    assert f"{base}/docs" in out
    assert "mode: keys required: 1 API key(s)" in out
    # The bundled rules carry warnings (tests/authoring/test_selector_values.py): said, not fatal.
    assert "rules: 6 warning(s), none refused; `gradpath validate` lists them" in out
