"""What a run depends on, reduced to comparable values: the knowledge files and the input.

A resumed run must audit against the same rules and read the same input as the run it
continues, or its output would mix two nights. The knowledge is identified by the content of
every file ``load_tree`` reads (the same bytes are what a Dask worker receives); the input by
each file's name, size and modification time (hashing a state's input would cost minutes).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["KNOWLEDGE_FOLDERS", "input_fingerprint", "knowledge_files", "knowledge_hash"]

KNOWLEDGE_FOLDERS = ("catalogs", "rules", "careers")


def knowledge_files(root: Path) -> dict[str, bytes]:
    """Every YAML file under ``root``'s knowledge folders, by path relative to ``root``."""
    out: dict[str, bytes] = {}
    for folder in KNOWLEDGE_FOLDERS:
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*.yaml")):
                if path.is_file():
                    out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def knowledge_hash(files: dict[str, bytes]) -> str:
    """A SHA-256 over names and contents, order-independent."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def input_fingerprint(path: Path) -> list[list[object]]:
    """``[name, size, mtime_ns]`` of the input file, or of each ``*.json`` of an input folder."""
    files = sorted(p for p in path.glob("*.json") if p.is_file()) if path.is_dir() else [path]
    out: list[list[object]] = []
    for file in files:
        stat = file.stat()
        out.append([file.name, stat.st_size, stat.st_mtime_ns])
    return out
