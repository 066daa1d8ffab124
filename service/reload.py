"""Reloading catalogs, rules and careers on SIGHUP: all of the new files, or none of them.

State staff fix a rule file and the service should serve it without a restart, and without
dropping a request; a broken file must never take the good rules out of service. On SIGHUP
(sent to the supervisor, which forwards it to every worker, or to a single-process server)
each worker:

1. reads and checks the whole tree in a thread, exactly as at start-up (``load_tree`` then
   ``build_knowledge``), so the event loop keeps answering requests meanwhile;
2. when the tree has no errors, swaps ``app.state.tree`` and ``app.state.knowledge`` together,
   on the event loop: request dependencies are read there too, so no request sees one
   without the other, and a request already running keeps the objects it was given;
3. otherwise keeps serving what it had, and logs the errors as ``file:line:col: message``
   (rule and catalog files only: no student data is involved).

``GET /readyz`` shows the rules in force (a SHA-256 over the paths and bytes of every file
under ``catalogs/``, ``rules/`` and ``careers/``, and when they were loaded) and, when the last
reload was refused, its errors. Reloads queue behind each other; the digest is taken just
before the files are read, so an edit made during a reload shows up at the next one.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
import os
import signal
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.errors import AuthoringError, Diagnostic
from engine.knowledge import Knowledge, build_knowledge
from engine.loader import LoadedTree, load_tree

__all__ = ["FOLDERS", "Reloader", "RulesVersion", "digest", "load", "on_sighup"]

log = logging.getLogger("gradpath.reload")

#: What ``load_tree`` reads under the data root.
FOLDERS = ("catalogs", "rules", "careers")


@dataclass(frozen=True)
class RulesVersion:
    """Which files a worker serves: their digest, how many, and when they were loaded."""

    sha256: str
    files: int
    loaded_at: datetime


@dataclass(frozen=True)
class ReloadFailure:
    """A refused reload: when, and every error found (the rules in force did not change)."""

    at: datetime
    diagnostics: tuple[Diagnostic, ...]


def digest(root: Path) -> tuple[str, int]:
    """SHA-256 over the relative path and content of every file under :data:`FOLDERS`."""
    total = hashlib.sha256()
    count = 0
    for folder in FOLDERS:
        for path in sorted(p for p in (root / folder).rglob("*") if p.is_file()):
            total.update(path.relative_to(root).as_posix().encode() + b"\0")
            total.update(hashlib.sha256(path.read_bytes()).digest())
            count += 1
    return total.hexdigest(), count


def load(root: Path) -> tuple[LoadedTree, Knowledge, RulesVersion]:
    """The tree and knowledge under ``root`` with their version; ``AuthoringError`` if wrong."""
    sha, files = digest(root)
    tree = load_tree(root)
    knowledge = build_knowledge(tree)  # raises on the tree's own errors too
    return tree, knowledge, RulesVersion(sha, files, datetime.now(UTC))


def _where(d: Diagnostic) -> str:
    return f"{d.file}:{d.line}:{d.column}: {d.message} [{d.code}]"


class Reloader:
    """Holds the version in force and the last refusal; runs one reload at a time."""

    def __init__(self, root: Path, version: RulesVersion) -> None:
        self.root = root
        self.version = version
        self.failure: ReloadFailure | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[bool]] = set()

    async def reload(self, state: Any) -> bool:
        """Load the tree again; swap it into ``state`` if it has no errors. True if swapped."""
        async with self._lock:
            try:
                tree, knowledge, version = await asyncio.to_thread(load, self.root)
            except AuthoringError as exc:
                self._refuse(exc.diagnostics)
                return False
            except Exception as exc:  # unreadable folder or a bug: the old rules stay in force
                log.exception("worker %d: rules reload failed; keeping %s", os.getpid(), self)
                self._refuse([_failed(exc)])
                return False
            state.tree, state.knowledge = tree, knowledge  # one step of the event loop
            self.version, self.failure = version, None
            _refreeze()
            log.warning(
                "worker %d: rules reloaded: %d files, sha256 %s",
                os.getpid(),
                version.files,
                version.sha256[:12],
            )
            return True

    def schedule(self, state: Any) -> None:
        """Start a reload from a signal handler (keeping a reference until it is done)."""
        task = asyncio.get_running_loop().create_task(self.reload(state))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _refuse(self, diagnostics: Sequence[Diagnostic]) -> None:
        errors = tuple(d for d in diagnostics if d.is_error) or tuple(diagnostics)
        self.failure = ReloadFailure(datetime.now(UTC), errors)
        log.error(
            "worker %d: rules reload refused, still serving %s: %d error(s)\n%s",
            os.getpid(),
            self,
            len(errors),
            "\n".join(_where(d) for d in errors[:50]),
        )

    def __str__(self) -> str:
        loaded = self.version.loaded_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"sha256 {self.version.sha256[:12]} loaded {loaded}"


def _failed(exc: Exception) -> Diagnostic:
    """An unexpected failure as a diagnostic; its text stays in the log, not in ``/readyz``."""
    return Diagnostic(
        file="-",
        line=0,
        column=0,
        message=f"the reload failed ({type(exc).__name__}); see the server log",
        code="reload-failed",
    )


def _refreeze() -> None:
    """Let the collector free the old knowledge, then hide the new one from it again.

    Start-up freezes the loaded knowledge (``service.app``), so the old one sits in the
    permanent generation; one full collection here is the price of a reload.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def on_sighup(reloader: Reloader, state: Any) -> AsyncIterator[None]:
    """While the app runs, SIGHUP reloads the rules (only where signals can be handled:
    the main thread of a server process, not a test client's portal thread)."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(hangup, reloader.schedule, state)
    try:
        yield
    finally:
        loop.remove_signal_handler(hangup)
