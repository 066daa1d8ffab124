"""Running the app under uvicorn: one process, or several each with its own listening socket.

With several workers, every worker listens on its own socket bound with ``SO_REUSEPORT`` to the
same port, and the kernel spreads connections across them. (uvicorn's own supervisor shares one
listening socket; measured here, the first worker to wake accepted all 16 of a client's
keep-alive connections and the second served none, so two workers did the work of one.) A small
supervisor restarts a worker that dies, and stops if workers cannot start at all.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

__all__ = ["run"]

log = logging.getLogger("gradpath.server")

#: uvicorn's exit code for a worker that failed before serving (the app or a file is broken).
STARTUP_FAILURE = 3
#: A worker that dies sooner than this after starting, twice in a row, is not restarted again.
MIN_LIFETIME = 5.0


def _no_delay(sock: socket.socket) -> None:
    """TCP_NODELAY on a listening socket: Linux copies it to the sockets it accepts, and
    without it each response (headers, then body, two writes) waits ~40 ms for the client's
    delayed ACK. (One worker needs none of this: asyncio binds its own socket and sets it.)"""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _reuse_port_socket(host: str, port: int, backlog: int) -> socket.socket:
    """A listening socket on ``host:port`` that other sockets may share (``SO_REUSEPORT``)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    _no_delay(sock)
    sock.bind(address)
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def _serve(config: uvicorn.Config, sock: socket.socket) -> None:
    """A worker: serve the app on its own socket until told to stop."""
    config.configure_logging()
    uvicorn.Server(config).run(sockets=[sock])


def _config(host: str, port: int) -> uvicorn.Config:
    # Module-level target and plain config: both are pickled to the spawned workers.
    return uvicorn.Config(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        access_log=False,  # our own access log has no query strings or bodies
        log_level="info",
    )


def run(host: str, port: int, workers: int) -> None:
    """Serve ``service.app:create_app`` until interrupted."""
    config = _config(host, port)
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    sockets = [_reuse_port_socket(host, port, config.backlog) for _ in range(workers)]
    _Supervisor(config, sockets).run()


class _Supervisor:
    """Starts one worker per socket, restarts a worker that dies, stops them all on a signal."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        self.config = config
        self.sockets = sockets
        self.context = multiprocessing.get_context("spawn")
        self.stop = threading.Event()
        self.workers: list[tuple[BaseProcess, float, int]] = []  # process, started, quick deaths

    def _start(self, index: int, quick_deaths: int = 0) -> tuple[BaseProcess, float, int]:
        process = self.context.Process(
            target=_serve, args=(self.config, self.sockets[index]), name=f"gradpath-{index}"
        )
        process.start()
        return process, time.monotonic(), quick_deaths

    def _signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop.set()

    def run(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._signal)
        self.workers = [self._start(i) for i in range(len(self.sockets))]
        log.info("started %d workers: %s", len(self.workers), [p.pid for p, _, _ in self.workers])
        try:
            while not self.stop.wait(0.5):
                self._keep_alive()
        finally:
            for process, _, _ in self.workers:
                if process.is_alive():
                    process.terminate()  # uvicorn finishes the requests in flight
            for process, _, _ in self.workers:
                process.join(timeout=30)
                if process.is_alive():
                    process.kill()

    def _keep_alive(self) -> None:
        for index, (process, started, quick) in enumerate(self.workers):
            if process.is_alive():
                continue
            process.join()
            quick = quick + 1 if time.monotonic() - started < MIN_LIFETIME else 0
            if process.exitcode == STARTUP_FAILURE or quick >= 2:
                log.error(
                    "worker %s cannot start (exit %s); stopping", process.pid, process.exitcode
                )
                self.stop.set()
                return
            log.warning("worker %s died (exit %s); starting another", process.pid, process.exitcode)
            self.workers[index] = self._start(index, quick)
