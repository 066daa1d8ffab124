"""Running the app under uvicorn, one process or several sharing a listening socket."""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

__all__ = ["NoDelayConfig", "run"]


class NoDelayConfig(uvicorn.Config):
    """uvicorn's config, with TCP_NODELAY on the shared listening socket.

    With several workers uvicorn opens the listening socket itself, with protocol 0, so asyncio
    does not set TCP_NODELAY on the connections it accepts, and each response (headers, then
    body, two writes) waits ~40 ms for the client's delayed ACK: 22 requests a second per
    connection instead of hundreds. Linux copies TCP_NODELAY from the listening socket to the
    sockets it accepts, so it is set there. (Module level: the config is pickled to workers.)
    """

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


def run(host: str, port: int, workers: int) -> None:
    """Serve ``service.app:create_app`` until interrupted."""
    config = NoDelayConfig(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # our own access log has no query strings or bodies
        log_level="info",
    )
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()
