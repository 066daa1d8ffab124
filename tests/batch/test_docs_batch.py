"""docs/batch.md tells the truth: its example record is what the batch writes, its columns are
the flat output's."""

from __future__ import annotations

import json
import re
from pathlib import Path

from engine.batch import BatchOptions
from engine.batch.records import FLAT_COLUMNS
from tests.batch.batchkit import read_jsonl, run_local, write_jsonl
from tests.conftest import ROOT

DOC = (ROOT / "docs/batch.md").read_text(encoding="utf-8")


def test_the_example_record_is_the_batch_output_for_the_sample(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    (example,) = re.findall(r"```json\n(.*?)```", DOC, re.S)
    record = json.loads((ROOT / "samples/students/tx-junior-on-track.json").read_text())
    source = write_jsonl(tmp_path / "s.jsonl", [record])
    options = BatchOptions(goals=("tx-fhsp", "ncaa-d1"))
    run_local(source, tmp_path / "o.jsonl", files=files, options=options)
    assert read_jsonl(tmp_path / "o.jsonl") == [json.loads(example)]


def test_the_documented_flat_columns_are_the_output_columns() -> None:
    section = DOC.split("`.csv` and `.parquet` are flat", 1)[1].split("Beside the output", 1)[0]
    named = re.findall(r"`([a-z_]+)`", section)
    assert named == [name for name, _ in FLAT_COLUMNS]
