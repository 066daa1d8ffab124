"""An audit leaves no reference cycles behind: what it builds is freed as soon as it returns.

Cyclic garbage waits for the cyclic collector, and its collections (each walking every young
object) were the largest single cost left in an audit once recursive closures in allocation
and judging kept every row and outcome of an evaluation in a cycle.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.audit import audit_document, audit_summary
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples" / "students").glob("*.json"))


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(ROOT)


@pytest.fixture
def saved_garbage() -> Iterator[list[object]]:
    """Garbage the cyclic collector finds, kept for inspection instead of freed."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()


def _engine_objects(garbage: list[object]) -> Counter[str]:
    return Counter(
        type(o).__qualname__ for o in garbage if type(o).__module__.startswith("engine.")
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_an_audit_leaves_no_engine_object_in_a_cycle(
    kb: Knowledge, sample: Path, saved_garbage: list[object]
) -> None:
    student = load_student_file(sample)
    audit_document(knowledge=kb, student=student)  # the first run compiles and caches sets
    audit_summary(knowledge=kb, student=student)
    gc.collect()
    saved_garbage.clear()
    for _ in range(3):
        audit_document(knowledge=kb, student=student)
        audit_summary(knowledge=kb, student=student)
    gc.collect()
    assert _engine_objects(saved_garbage) == Counter()
