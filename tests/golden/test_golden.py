"""Golden files: the full audit (JSON and text report) of every bundled sample student.

A change to any verdict, amount, reason or row shows up here as a diff to review. To accept
intended changes, rerun with ``GRADPATH_UPDATE_GOLDEN=1`` and read the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine import Knowledge, audit, load_knowledge, load_student_file, render_text

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SAMPLES = sorted((ROOT / "samples" / "students").glob("*.json"))
UPDATE = os.environ.get("GRADPATH_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(ROOT)


def check(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual)
        if not UPDATE:
            pytest.fail(f"golden file {path.name} was missing and has been written; review it")
    assert actual == path.read_text(), f"{path.name} differs (GRADPATH_UPDATE_GOLDEN=1 rewrites)"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_audit_matches_golden(sample: Path, knowledge: Knowledge) -> None:
    result = audit(knowledge=knowledge, student=load_student_file(sample))
    dumped = json.dumps(result.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"
    check(HERE / f"{sample.stem}.audit.json", dumped)
    check(HERE / f"{sample.stem}.report.txt", render_text(result))


def test_every_sample_has_golden_files() -> None:
    names = {p.name for p in HERE.glob("*.audit.json")}
    assert names == {f"{p.stem}.audit.json" for p in SAMPLES}
