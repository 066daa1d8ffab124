"""Local parallelism: one process per core, each loading the knowledge once.

Processes, not threads: durable-rules (the policy step) is one host per process and not
thread-safe beyond its lock, and the audit is CPU-bound Python. Workers start with ``spawn``
(no fork of a parent that runs a progress thread), load the knowledge in their initializer,
freeze it out of the garbage collector's sight, and exit on their own if the parent dies (a
``kill -9`` of the batch must not leave orphans behind). With one worker everything runs in
the calling process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from engine.batch.items import BatchOptions, WorkItem
from engine.batch.work import knowledge_for, process_chunk
from engine.errors import GradPathError

__all__ = ["BackendError", "LocalBackend", "Outcomes"]

Outcomes = list[dict[str, Any]]


class BackendError(GradPathError):
    """Workers could not run (a worker died, the cluster is unreachable); a rerun resumes."""

    code = "batch-backend"


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(3)  # the batch is gone; nothing of ours is half-written (atomic chunks)


def _init_worker(key: str, parent: int) -> None:
    knowledge_for(key)
    gc.collect()
    gc.freeze()  # long-lived knowledge: keep the cyclic collector from walking it
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose run is given up (Ctrl-C, a failed commit, a dead worker): kill its
    workers rather than cancel futures and wait.

    Their chunks are not committed, so a rerun redoes them. Cancelling the queued futures
    instead races with the pool noticing that a worker died (Ctrl-C reaches the workers too):
    on Python 3.11 its manager thread then fails on the cancelled future, the queue's feeder
    thread stays blocked on a full pipe, and the interpreter hangs at exit.
    """
    processes = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True)


class LocalBackend:
    """Chunks audited by ``workers`` local processes, at most a few chunks in flight each."""

    def __init__(self, root: Path, workers: int | None = None) -> None:
        self.key = str(root.resolve())
        self.workers = max(1, workers or os.cpu_count() or 1)

    def describe(self) -> str:
        return f"{self.workers} local process{'es' if self.workers > 1 else ''}"

    def run(
        self, chunks: Iterable[tuple[int, list[WorkItem]]], options: BatchOptions
    ) -> Iterator[tuple[int, Outcomes]]:
        """Completed chunks, in completion order."""
        if self.workers == 1:
            knowledge_for(self.key)
            gc.collect()
            gc.freeze()
            for number, items in chunks:
                yield number, process_chunk(self.key, items, options)
            return
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.key, os.getpid()),
        )
        finished_cleanly = False
        try:
            pending: dict[Future[Outcomes], int] = {}
            source = iter(chunks)
            exhausted = False
            while True:
                while not exhausted and len(pending) < 2 * self.workers:
                    nxt = next(source, None)
                    if nxt is None:
                        exhausted = True
                        break
                    pending[pool.submit(process_chunk, self.key, nxt[1], options)] = nxt[0]
                if not pending:
                    finished_cleanly = True
                    return
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: pending[f]):
                    yield pending.pop(future), future.result()
        except BrokenProcessPool as exc:
            raise BackendError(f"a worker process died ({exc}); rerun to resume") from None
        finally:
            if finished_cleanly:
                pool.shutdown(wait=True)
            else:
                _abandon(pool)
