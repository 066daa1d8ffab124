"""Running a batch on an existing Dask distributed cluster.

The knowledge travels once per worker: a worker plugin carries the bytes of every catalog,
rule and career file (under a megabyte), and each worker builds its ``Knowledge`` from them
when it joins (:class:`KnowledgePlugin`, also applied to workers that join later), so workers
need no shared file system with the client. Students travel in partitions (the batch's
chunks); results stream back as partitions finish and are committed at once, so a client
crash loses at most the partitions in flight, and a rerun resumes.

Workers must run one thread each (``dask worker --nthreads 1``, or
``LocalCluster(threads_per_worker=1)``): the policy step's durable-rules host is one per
process and not thread-safe beyond its lock; :class:`DaskBackend` refuses anything else.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import distributed
from distributed import WorkerPlugin

from engine.batch.fingerprint import knowledge_hash
from engine.batch.items import BatchOptions, WorkItem
from engine.batch.local import BackendError, Outcomes
from engine.batch.work import install_knowledge, process_chunk
from engine.knowledge import load_knowledge

__all__ = ["DaskBackend", "KnowledgePlugin", "require_single_threaded"]

# distributed's client API is untyped; it is used through these names only.
_dd: Any = distributed

PLUGIN_NAME = "gradpath-knowledge"


class KnowledgePlugin(WorkerPlugin):
    """Builds the knowledge on each worker from the shipped files, once."""

    name = PLUGIN_NAME

    def __init__(self, key: str, files: dict[str, bytes]) -> None:
        self.key = key
        self.files = files

    def setup(self, worker: Any) -> None:
        folder = Path(tempfile.mkdtemp(prefix="gradpath-knowledge-"))
        try:
            for name, data in self.files.items():
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            install_knowledge(self.key, load_knowledge(folder), replace=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        gc.collect()
        gc.freeze()


def require_single_threaded(workers: dict[str, Any], address: str | None) -> None:
    """Refuse a cluster without workers, or whose workers run several threads each.

    ``workers`` is the scheduler's ``scheduler_info()["workers"]``.
    """
    if not workers:
        raise BackendError(f"the Dask cluster at {address} has no workers")
    threads = sorted({int(w["nthreads"]) for w in workers.values()})
    if threads != [1]:
        raise BackendError(
            f"the Dask workers run {'/'.join(map(str, threads))} threads each: start "
            "them with one thread (dask worker --nthreads 1); audits need a process each"
        )


class DaskBackend:
    """Chunks audited as Dask tasks on the cluster at ``address`` (or an open ``client``)."""

    def __init__(self, files: dict[str, bytes], *, address: str | None = None) -> None:
        self.files = files
        self.address = address
        self.key = f"sha256:{knowledge_hash(files)}"

    def describe(self) -> str:
        return f"Dask cluster at {self.address}"

    def _connect(self) -> Any:
        if self.address is not None:
            # A malformed address fails inside the Client, which then blocks the exit for 40 s
            # closing itself and prints a traceback: check it first.
            addressing = _dd.comm.addressing
            try:
                scheme, location = addressing.parse_address(self.address)
                if scheme in ("tcp", "tls"):
                    addressing.parse_host_port(location)
            except ValueError as exc:
                raise BackendError(
                    f"{self.address} is not a Dask scheduler address ({exc}): "
                    "give one such as tcp://scheduler:8786"
                ) from None
        try:
            return _dd.Client(self.address, timeout="20s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BackendError(
                f"cannot reach the Dask scheduler at {self.address}: {exc}"
            ) from None

    def run(
        self, chunks: Iterable[tuple[int, list[WorkItem]]], options: BatchOptions
    ) -> Iterator[tuple[int, Outcomes]]:
        """Completed chunks, in completion order."""
        with self._connect() as client:
            workers = client.scheduler_info(n_workers=-1)["workers"]
            require_single_threaded(workers, self.address)
            client.register_plugin(KnowledgePlugin(self.key, self.files))
            limit = 2 * len(workers) + 2
            source = iter(chunks)
            numbers: dict[str, int] = {}
            running = _dd.as_completed(loop=client.loop)
            pending: dict[str, Any] = {}
            run_id = uuid.uuid4().hex[:12]

            def submit() -> bool:
                nxt = next(source, None)
                if nxt is None:
                    return False
                future = client.submit(
                    process_chunk,
                    self.key,
                    nxt[1],
                    options,
                    key=f"gradpath-chunk-{run_id}-{nxt[0]}",
                    pure=False,
                    retries=1,
                )
                numbers[future.key] = nxt[0]
                running.add(future)
                pending[future.key] = future
                return True

            active = 0
            while active < limit and submit():
                active += 1
            try:
                for future in running:
                    try:
                        outcomes: Outcomes = future.result()
                    except Exception as exc:
                        raise BackendError(f"a Dask task failed: {exc}; rerun to resume") from None
                    number = numbers.pop(future.key)
                    pending.pop(future.key, None)
                    future.release()
                    yield number, outcomes
                    submit()
            finally:
                for left in pending.values():
                    if not left.done():
                        left.cancel()
