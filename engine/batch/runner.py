"""A batch run from start (or resume) to the merged output, errors file and summary.

1. Count the students (for progress and ETA) and fingerprint the run (input, options,
   knowledge, chunk size) into the parts folder's manifest.
2. Stream the input in fixed chunks of input positions, skipping chunks already committed by an
   earlier, interrupted run; a backend (local processes or Dask) audits the rest; each finished
   chunk is committed atomically (:mod:`engine.batch.store`).
3. Merge the chunks in input order into the output, the errors file and the summary, checking
   that every position from 0 to the last appears exactly once; then drop the parts.

Because chunks are cut by input position and merged in order, the output is identical for any
number of workers, any backend, and any number of interruptions.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from engine.batch.fingerprint import input_fingerprint, knowledge_hash
from engine.batch.items import BatchOptions, WorkItem
from engine.batch.local import BackendError
from engine.batch.readers import InputFormat, count_students, read_students
from engine.batch.store import PartStore
from engine.batch.summary import Summary
from engine.batch.writers import OutputFormat, open_writer

__all__ = ["Backend", "BatchReport", "OutputExistsError", "parts_folder", "run_batch"]

FORMAT_VERSION = 1
DEFAULT_CHUNK = 250


class Backend(Protocol):
    """Audits chunks somewhere and yields them back as they finish."""

    def describe(self) -> str: ...

    def run(
        self, chunks: Iterable[tuple[int, list[WorkItem]]], options: BatchOptions
    ) -> Iterator[tuple[int, list[dict[str, Any]]]]: ...


class OutputExistsError(ValueError):
    """The output of a finished run is in the way."""


@dataclass(frozen=True)
class BatchReport:
    """What a run did."""

    students: int
    audited: int
    errors: int
    resumed: int
    seconds: float
    summary: dict[str, Any]
    output: Path
    errors_file: Path
    summary_file: Path


def parts_folder(out: Path) -> Path:
    """Where the committed chunks of a run writing ``out`` live until the merge."""
    return out.with_name(out.name + ".parts")


def _chunks(
    items: Iterator[WorkItem], size: int, skip: set[int], seen: list[int]
) -> Iterator[tuple[int, list[WorkItem]]]:
    """Fixed chunks of input positions; ``seen[0]`` counts every item read."""
    current: list[WorkItem] = []
    number = 0
    for item in items:
        seen[0] += 1
        if item.index // size != number:
            if number not in skip:
                yield number, current
            current, number = [], item.index // size
        current.append(item)
    if current and number not in skip:
        yield number, current


def _check_paths(source: Path, outputs: dict[str, Path]) -> None:
    """Refuse outputs that would overwrite the input or each other, or that a later run would
    read as students (a ``*.json`` file written into an Ed-Fi input folder)."""
    given = source.resolve()
    folder = given if source.is_dir() else None
    seen: dict[Path, str] = {}
    for what, path in outputs.items():
        resolved = path.resolve()
        if resolved == given:
            raise OutputExistsError(f"{path}: the {what} would overwrite the input")
        if folder is not None and resolved.parent == folder and resolved.suffix.lower() == ".json":
            raise OutputExistsError(
                f"{path}: the {what} would be written into the input folder {source}, where "
                "the next run would read it as an Ed-Fi bundle: write it elsewhere"
            )
        if resolved in seen:
            raise OutputExistsError(f"{path}: the {what} and the {seen[resolved]} are one file")
        seen[resolved] = what


def _expected(chunk: int, size: int, total: int) -> int:
    return max(0, min(size, total - chunk * size))


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _merge(
    store: PartStore,
    chunks: int,
    size: int,
    total: int,
    out: Path,
    out_format: OutputFormat,
    errors_file: Path,
) -> Summary:
    summary = Summary()
    writer = open_writer(out, out_format)
    errors = open_writer(errors_file, "jsonl")
    try:
        expected = 0
        for chunk in range(chunks):
            for outcome in store.read(chunk):
                if outcome.get("index") != expected:
                    raise BackendError(
                        f"chunk {chunk} of {store.folder} holds position {outcome.get('index')} "
                        f"where {expected} was expected; rerun with --restart"
                    )
                expected += 1
                if "result" in outcome:
                    writer.write(outcome["result"])
                    summary.add(outcome["result"])
                else:
                    errors.write(outcome["error"])
                    summary.add_error(outcome["error"])
        if expected != total:
            raise BackendError(f"the chunks hold {expected} students, the input {total}")
    except BaseException:
        writer.abort()
        errors.abort()
        raise
    writer.commit()
    errors.commit()
    return summary


def run_batch(
    *,
    source: Path,
    input_format: InputFormat,
    out: Path,
    output_format: OutputFormat,
    options: BatchOptions,
    backend: Backend,
    knowledge_files: dict[str, bytes],
    chunk_size: int = DEFAULT_CHUNK,
    errors_file: Path | None = None,
    summary_file: Path | None = None,
    restart: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BatchReport:
    """Audit every student of ``source`` into ``out``; resume an interrupted run of the same.

    ``progress(done, total)`` is called after each committed chunk (and once at the start with
    the students an earlier run already finished).
    """
    started = time.perf_counter()
    errors_file = errors_file or out.with_name(out.name + ".errors.jsonl")
    summary_file = summary_file or out.with_name(out.name + ".summary.json")
    parts = parts_folder(out)
    _check_paths(source, {"output": out, "errors file": errors_file, "summary file": summary_file})
    if out.exists() and not parts.exists() and not restart:
        raise OutputExistsError(f"{out} exists (a finished run): pass --restart to run again")
    total = count_students(source, input_format)
    manifest = {
        "format_version": FORMAT_VERSION,
        "input": str(source.resolve()),
        "input_format": input_format,
        "input_files": input_fingerprint(source),
        "options": options.manifest(),
        "chunk_size": chunk_size,
        "knowledge": knowledge_hash(knowledge_files),
    }
    store = PartStore.open(parts, manifest, restart=restart)
    done = store.done()
    chunks = (total + chunk_size - 1) // chunk_size
    resumed = sum(_expected(c, chunk_size, total) for c in done if c < chunks)
    finished = resumed
    if progress is not None:
        progress(finished, total)
    seen = [0]
    work = _chunks(read_students(source, input_format), chunk_size, done, seen)
    for number, outcomes in backend.run(work, options):
        want = _expected(number, chunk_size, total)
        if len(outcomes) != want:
            raise BackendError(f"chunk {number} came back with {len(outcomes)} of {want} students")
        store.write(number, outcomes)
        finished += len(outcomes)
        if progress is not None:
            progress(finished, total)
    if seen[0] != total:
        raise BackendError(f"{source} changed while it was read ({seen[0]} students, not {total})")
    summary = _merge(store, chunks, chunk_size, total, out, output_format, errors_file)
    data = summary.as_dict()
    _write_json(summary_file, data)
    store.remove()
    return BatchReport(
        students=total,
        audited=summary.students,
        errors=sum(summary.errors.values()),
        resumed=resumed,
        seconds=time.perf_counter() - started,
        summary=data,
        output=out,
        errors_file=errors_file,
        summary_file=summary_file,
    )
