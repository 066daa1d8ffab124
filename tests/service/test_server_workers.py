"""`gradpath serve --workers 2`: both workers take connections, and a killed worker is replaced."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.service.conftest import sample
from tests.service.test_uvicorn import free_port


def children(pid: int) -> set[int]:
    """Worker processes of the supervisor ``pid`` (from /proc: no extra dependency)."""
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    # spawn starts a resource tracker too: workers are the ones listening on sockets (a
    # worker binds its socket once its app is loaded, and listens once the app has started)
    return {p for p in found if _listens(p)}


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _tcp_rows() -> list[list[str]]:
    rows = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            rows += [line.split() for line in handle.readlines()[1:]]
    return rows


def _listens(pid: int) -> bool:
    try:
        inodes = _socket_inodes(pid)
    except OSError:
        return False
    return any(r[3] == "0A" and r[9] in inodes for r in _tcp_rows())  # 0A = LISTEN


def wait_until(check: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    pytest.fail("timed out")


@contextmanager
def serve(log: Path, root: Path | None = None) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`gradpath serve --workers 2` (open access, loopback) until both workers listen."""
    port = free_port()
    env = {
        **os.environ,
        "GRADPATH_OPEN_ACCESS": "true",
        "GRADPATH_RATE_LIMIT_PER_MINUTE": "1000000",
        "GRADPATH_RATE_LIMIT_BURST": "1000000",
    }
    env.pop("GRADPATH_API_KEYS", None)
    env.pop("GRADPATH_ROOT", None)
    if root is not None:
        env["GRADPATH_ROOT"] = str(root)
    command = [sys.executable, "-c", "from cli.main import main; main()", "serve"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.TransportError:
            return proc.poll() is not None

    try:
        wait_until(ready, 90)
        assert proc.poll() is None, log.read_text(errors="replace")
        wait_until(lambda: len(children(proc.pid)) == 2, 90)
        yield base, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with serve(tmp_path_factory.mktemp("server") / "server.log") as found:
        yield found


def test_connections_reach_both_workers(server: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, proc = server
    port = int(base.rsplit(":", 1)[1])
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(32)]
    try:
        # Each worker has its own SO_REUSEPORT socket, so the kernel spreads connections;
        # with one shared socket the first worker to wake took all of them. (A worker still
        # loading the knowledge accepts its connections once it serves: wait for that.)
        wait_until(
            lambda: len({p for p in children(proc.pid) if _holds_connection(p, port)}) == 2, 90
        )
    finally:
        for conn in conns:
            conn.close()


def _holds_connection(pid: int, port: int) -> bool:
    inodes = _socket_inodes(pid)
    rows = _tcp_rows()
    local = f"{port:04X}"
    # state 01 = ESTABLISHED, on the server's port
    return any(r[1].endswith(":" + local) and r[3] == "01" and r[9] in inodes for r in rows)


def test_a_killed_worker_is_replaced_and_the_service_keeps_answering(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, proc = server
    before = children(proc.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    for _ in range(5):  # the other worker answers meanwhile
        response = httpx.post(f"{base}/v1/audit", json={"student": sample()}, timeout=30)
        assert response.status_code == 200
    wait_until(lambda: len(children(proc.pid) - {victim}) == 2, 90)
    assert victim not in children(proc.pid)
    assert proc.poll() is None


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie its new parent has not reaped yet."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_workers_stop_when_the_supervisor_is_killed_outright(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with serve(log) as (base, proc):
        workers = children(proc.pid)
        assert len(workers) == 2
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        proc.kill()  # SIGKILL: the supervisor cannot stop its workers itself
        proc.wait(timeout=10)
        wait_until(lambda: all(_gone(pid) for pid in workers), 30)
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/healthz", timeout=2)  # nobody is left holding the port
    assert f"the supervisor ({proc.pid}) is gone; stopping" in log.read_text(errors="replace")
