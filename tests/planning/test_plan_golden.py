"""Golden plans: the plan (JSON and text) of every bundled sample student for their own goals.

A change to any planned course, term, reason or conflict shows up as a diff to review. To accept
intended changes, rerun with ``GRADPATH_UPDATE_PLANS=1`` and read the diff before committing.
Solver timings and the embedded audit (its own golden files cover it) are left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine import Knowledge, load_knowledge, load_student_file
from engine.planning import plan, render_plan

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "plans"
SAMPLES = sorted((ROOT / "samples" / "students").glob("*.json"))
UPDATE = os.environ.get("GRADPATH_UPDATE_PLANS") == "1"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(ROOT)


def check(path: Path, actual: str) -> None:
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden plan {path.name} was missing and has been written; review it")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{path.name} differs (GRADPATH_UPDATE_PLANS=1 rewrites)"
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_plan_matches_golden(sample: Path, knowledge: Knowledge) -> None:
    result = plan(knowledge=knowledge, student=load_student_file(sample))
    assert result.status != "unknown"
    if result.audit is not None:
        assert all(goal.status != "unmet" for goal in result.audit.goals)
    data = result.model_dump(mode="json", exclude={"solver", "audit"})
    check(
        GOLDEN / f"{sample.stem}.plan.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    )
    check(GOLDEN / f"{sample.stem}.plan.txt", render_plan(result))
