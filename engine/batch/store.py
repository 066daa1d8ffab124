"""Crash-safe progress: each finished chunk of students is one file, committed atomically.

A chunk (a fixed run of input positions) is written to ``chunk-N.jsonl.tmp``, flushed, fsynced
and renamed to ``chunk-N.jsonl``; the folder is fsynced too. A chunk file therefore exists whole
or not at all, even after ``kill -9`` or a power cut, and a rerun skips exactly the chunks that
exist: no student is audited twice or skipped. Chunks are numbered by input position, not by
worker, so the parts (and the merged output) are the same for any number of workers.

``manifest.json`` records what the parts were made from (input, options, knowledge, chunk
size); a rerun with anything different is refused rather than mixed in.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["ManifestMismatchError", "PartStore"]

MANIFEST = "manifest.json"
PREFIX = "chunk-"
SUFFIX = ".jsonl"


class ManifestMismatchError(ValueError):
    """The parts folder belongs to a different run; ``changed`` names what differs."""

    def __init__(self, folder: Path, changed: list[str]) -> None:
        self.changed = changed
        super().__init__(
            f"{folder} holds the progress of a different run (changed: {', '.join(changed)}); "
            "rerun with --restart to discard it, or restore the original input and options"
        )


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _scrub(value: Any) -> Any:
    """``value`` with every lone surrogate written out as escape text (``\\ud800``).

    Text that is not Unicode can reach an outcome: an escaped surrogate in a JSON record
    (``"\\ud800"``, which ``json.loads`` accepts) copied into an error's ``student``, or a file
    name that is not UTF-8 (Python keeps its bytes as surrogates) in an error's ``where``. UTF-8
    cannot encode it, and the chunk, and so the run and every rerun, would fail on one record.
    """
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


class PartStore:
    """The folder of committed chunks of one run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls, folder: Path, manifest: dict[str, Any], *, restart: bool) -> PartStore:
        """Start or resume a run in ``folder``; refuse parts of a different run."""
        store = cls(folder)
        path = folder / MANIFEST
        if path.exists() and not restart:
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            changed = sorted(k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k))
            if changed:
                raise ManifestMismatchError(folder, changed)
        elif folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob("*.tmp"):  # a write the crash interrupted
            leftover.unlink()
        if not path.exists():
            _write_atomic(path, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
        return store

    def _path(self, chunk: int) -> Path:
        return self.folder / f"{PREFIX}{chunk:08d}{SUFFIX}"

    def done(self) -> set[int]:
        """The chunks already committed."""
        found: set[int] = set()
        for path in self.folder.glob(f"{PREFIX}*{SUFFIX}"):
            number = path.name[len(PREFIX) : -len(SUFFIX)]
            if number.isdigit():
                found.add(int(number))
        return found

    def write(self, chunk: int, outcomes: list[dict[str, Any]]) -> None:
        """Commit one chunk's outcomes (one JSON object per student, in input order)."""
        lines = [json.dumps(o, ensure_ascii=False, sort_keys=True) for o in outcomes]
        text = "\n".join(lines) + "\n"
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            lines = [json.dumps(_scrub(o), ensure_ascii=False, sort_keys=True) for o in outcomes]
            data = ("\n".join(lines) + "\n").encode("utf-8")
        _write_atomic(self._path(chunk), data)

    def read(self, chunk: int) -> Iterator[dict[str, Any]]:
        """A committed chunk's outcomes."""
        with self._path(chunk).open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)

    def remove(self) -> None:
        """Delete the folder once the merged output is safely in place."""
        shutil.rmtree(self.folder, ignore_errors=True)
