"""Batch test helpers: small synthetic inputs built from the sample students (no real person)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.batch import BatchOptions, LocalBackend, run_batch
from engine.batch.readers import InputFormat
from engine.batch.runner import BatchReport
from engine.batch.writers import OutputFormat
from tests.conftest import ROOT

SAMPLES = sorted((ROOT / "samples/students").glob("*.json"))
EDFI_BUNDLE = ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json"


def students(n: int) -> list[dict[str, Any]]:
    """``n`` student records cycling through the samples, with fresh opaque ids."""
    records = [json.loads(p.read_text()) for p in SAMPLES]
    out = []
    for i in range(n):
        record = dict(records[i % len(records)])
        record["id"] = f"B-{i:05d}"
        out.append(record)
    return out


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """One line per record: dicts as JSON, strings as they are (to plant bad lines)."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_local(
    source: Path,
    out: Path,
    *,
    files: dict[str, bytes],
    input_format: InputFormat = "jsonl",
    output_format: OutputFormat = "jsonl",
    options: BatchOptions | None = None,
    chunk_size: int = 4,
    workers: int = 1,
    restart: bool = False,
) -> BatchReport:
    return run_batch(
        source=source,
        input_format=input_format,
        out=out,
        output_format=output_format,
        options=options or BatchOptions(),
        backend=LocalBackend(ROOT, workers),
        knowledge_files=files,
        chunk_size=chunk_size,
        restart=restart,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
