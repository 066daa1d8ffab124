"""Running the app under uvicorn: one process, or several each with its own listening socket.

With several workers, every worker listens on its own socket bound with ``SO_REUSEPORT`` to the
same port, and the kernel spreads connections across them. (uvicorn's own supervisor shares one
listening socket; measured here, the first worker to wake accepted all 16 of a client's
keep-alive connections and the second served none, so two workers did the work of one.) A small
supervisor restarts a worker that dies, and stops if workers cannot start at all (one that cannot
start while others serve, its rule files broken since, is tried again every 30 s). A worker binds
its socket only once its app is loaded, so a replacement takes no connection before it can
answer one: meanwhile the others take them all.

SIGHUP reloads the rules (``service/reload.py``): the supervisor forwards it to every worker,
and a process that has not yet installed its handler ignores it rather than dying.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

from engine.errors import AuthoringError

__all__ = ["LOG_FORMAT", "run"]

log = logging.getLogger("gradpath.server")

#: uvicorn's exit code for a worker that failed before serving (the app or a file is broken).
STARTUP_FAILURE = 3
#: A worker that dies sooner than this after starting, twice in a row, is not restarted again.
MIN_LIFETIME = 5.0
#: A worker that cannot start while others serve is tried again after this many seconds.
RETRY_AFTER = 30
#: Seconds between a worker's checks that its supervisor is still there.
SUPERVISOR_CHECK = 1.0
#: Log lines of the supervisor (``gradpath serve``) and of its workers.
LOG_FORMAT = "%(asctime)s %(name)s %(message)s"


def _no_delay(sock: socket.socket) -> None:
    """TCP_NODELAY on a listening socket: Linux copies it to the sockets it accepts, and
    without it each response (headers, then body, two writes) waits ~40 ms for the client's
    delayed ACK. (One worker needs none of this: asyncio binds its own socket and sets it.)"""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other sockets may share (``SO_REUSEPORT``).

    It is not listening: the kernel hands connections only to listening sockets, so the
    supervisor's copy only holds the port (and fails early if another program has it), and a
    worker's starts taking connections when uvicorn listens on it, once the app has started.
    """
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    _no_delay(sock)
    sock.bind(address)
    return sock


def _serve(config: uvicorn.Config) -> None:
    """A worker: load the app, then join the port and serve until told to stop.

    Binding only after the app and its rules are loaded matters when a worker replaces one
    that died: a socket created before (and kept by the supervisor) queued half the new
    connections for the seconds a replacement takes to load; now they go to the workers
    that are serving. Connections the dead worker had accepted or queued are lost with it.
    """
    config.configure_logging()
    # A spawned process starts with bare logging: without this the access log and the
    # reload messages (INFO) of a worker went nowhere.
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        config.load()
    except AuthoringError as exc:  # files broken since the supervisor started: no traceback
        where = "\n".join(d.render().splitlines()[0] for d in exc.diagnostics[:50])
        log.error(
            "worker %d cannot load the rules: %d error(s)\n%s",
            os.getpid(),
            len(exc.diagnostics),
            where,
        )
        sys.exit(STARTUP_FAILURE)
    sock = _reuse_port_socket(config.host, config.port)
    server = uvicorn.Server(config)
    _stop_with_supervisor(server, os.getppid())
    server.run(sockets=[sock])


def _stop_with_supervisor(server: uvicorn.Server, supervisor: int) -> None:
    """Stop (finishing the requests in flight) once the supervisor is gone.

    A supervisor killed outright (SIGKILL, the out-of-memory killer) cannot stop its workers,
    and they would serve on, unsupervised and holding the port, until killed by hand. A worker
    is re-parented when its parent dies, so its parent id changing is the sign.
    """

    def watch() -> None:
        while not server.should_exit:
            if os.getppid() != supervisor:
                log.warning(
                    "worker %d: the supervisor (%d) is gone; stopping", os.getpid(), supervisor
                )
                server.should_exit = True
                return
            time.sleep(SUPERVISOR_CHECK)

    threading.Thread(target=watch, name="supervisor-watch", daemon=True).start()


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
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # until the app installs its reload
        uvicorn.Server(config).run()
        return
    with _reuse_port_socket(host, port):  # the port is ours (or this fails now, clearly)
        _Supervisor(config, workers).run()


class _Supervisor:
    """Starts the workers, restarts a worker that dies, stops them all on a signal."""

    def __init__(self, config: uvicorn.Config, workers: int) -> None:
        self.config = config
        self.count = workers
        self.context = multiprocessing.get_context("spawn")
        self.stop = threading.Event()
        self.workers: list[tuple[BaseProcess, float, int]] = []  # process, started, quick deaths
        self.retry_at: dict[int, float] = {}  # worker slots that could not start, waiting

    def _start(self, index: int, quick_deaths: int = 0) -> tuple[BaseProcess, float, int]:
        process = self.context.Process(target=_serve, args=(self.config,), name=f"gradpath-{index}")
        # The worker inherits "ignore SIGHUP" until its app installs the reload handler; the
        # supervisor ignores one only while a worker is being forked (it reads the files anew).
        handler = signal.signal(signal.SIGHUP, signal.SIG_IGN)
        try:
            process.start()
        finally:
            signal.signal(signal.SIGHUP, handler)
        return process, time.monotonic(), quick_deaths

    def _signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop.set()

    def _hangup(self, signum: int, frame: FrameType | None) -> None:
        """Reload the rules: forward SIGHUP to every worker."""
        for process, _, _ in self.workers:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGHUP)

    def run(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._signal)
        signal.signal(signal.SIGHUP, self._hangup)
        self.workers = [self._start(i) for i in range(self.count)]
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
        now = time.monotonic()
        for index, (process, started, quick) in enumerate(self.workers):
            if process.is_alive() or self.retry_at.get(index, now) > now:
                continue
            if self.retry_at.pop(index, None) is not None:
                self.workers[index] = self._start(index, quick)
                continue
            process.join()
            quick = quick + 1 if now - started < MIN_LIFETIME else 0
            if process.exitcode == STARTUP_FAILURE or quick >= 2:
                others = [p for i, (p, _, _) in enumerate(self.workers) if i != index]
                if not any(p.is_alive() for p in others):
                    log.error(
                        "worker %s cannot start (exit %s); stopping", process.pid, process.exitcode
                    )
                    self.stop.set()
                    return
                # Rule files broken since the others started (a refused reload): keep serving.
                log.error(
                    "worker %s cannot start (exit %s); the other workers serve; next try in %d s",
                    process.pid,
                    process.exitcode,
                    RETRY_AFTER,
                )
                self.workers[index] = (process, started, quick)
                self.retry_at[index] = now + RETRY_AFTER
                continue
            log.warning("worker %s died (exit %s); starting another", process.pid, process.exitcode)
            self.workers[index] = self._start(index, quick)
