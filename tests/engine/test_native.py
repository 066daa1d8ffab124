"""The compiled build of the hot modules runs only while it matches its source, and audits alike."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine import _native
from engine.audit import audit_document
from engine.evaluate import _SetEvaluator
from engine.knowledge import Knowledge, entering_year, load_knowledge
from engine.normalize import grade_rows, resolve_transcript
from engine.student import Student

ROOT = Path(__file__).resolve().parents[2]
TAG = "cpython-311"
SOURCES = {m: f"sha-{m}" for m in _native.MODULES}
ALL = sorted([*_native.MODULES, _native.RUNTIME])
GOOD = {"cache_tag": TAG, "modules": dict(SOURCES)}


def choose(manifest: dict[str, object] | None, **changes: object) -> tuple[bool, str]:
    facts: dict[str, object] = {"digests": SOURCES, "present": ALL, "pure": False}
    facts.update(changes)
    return _native.choose(
        manifest,
        facts["digests"],  # type: ignore[arg-type]
        facts["present"],  # type: ignore[arg-type]
        cache_tag=TAG,
        pure=bool(facts["pure"]),
    )


def test_a_build_that_matches_its_sources_runs() -> None:
    assert choose(GOOD) == (True, f"compiled (mypyc: {len(_native.MODULES)} modules)")


@pytest.mark.parametrize(
    ("manifest", "changes", "why"),
    [
        (GOOD, {"present": []}, "no compiled build"),
        (GOOD, {"pure": True}, "GRADPATH_PURE is set"),
        (None, {}, "without a record of their sources"),
        ({**GOOD, "cache_tag": "cpython-312"}, {}, "the compiled build is for cpython-312"),
        ({**GOOD, "modules": "?"}, {}, "unreadable"),
        (GOOD, {"present": ALL[1:]}, "missing or unlisted: " + ALL[0]),
        (GOOD, {"present": [*ALL, "engine.graph"]}, "missing or unlisted: engine.graph"),
        (
            GOOD,
            {"digests": {**SOURCES, "engine.evaluate": "edited"}},
            "engine/evaluate.py changed since it was compiled",
        ),
    ],
)
def test_anything_out_of_step_runs_the_source_and_says_why(
    manifest: dict[str, object] | None, changes: dict[str, object], why: str
) -> None:
    use, status = choose(manifest, **changes)
    assert not use
    assert status.startswith("pure Python (")
    assert why in status


def test_extension_files_are_named_by_their_most_specific_suffix(tmp_path: Path) -> None:
    suffix = _native.EXTENSION_SUFFIXES[0]
    (tmp_path / f"allocate{suffix}").write_bytes(b"")
    (tmp_path / "allocate.py").write_text("")
    assert _native.compiled_files(tmp_path) == {"engine.allocate": tmp_path / f"allocate{suffix}"}


COMPILED = _native.STATUS.startswith("compiled")
needs_build = pytest.mark.skipif(
    not COMPILED, reason=f"no compiled build runs here: {_native.STATUS}"
)


def _probe(package_root: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Which build a fresh interpreter loads from ``package_root``: (status, allocate's file)."""
    code = "import engine, engine.allocate as a; print(engine._native.STATUS); print(a.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=package_root,
        env={**os.environ, "PYTHONPATH": str(package_root), **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    status, where = done.stdout.strip().splitlines()
    return status, where


@needs_build
def test_an_edited_module_sets_the_whole_build_aside(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "engine", tmp_path / "engine", ignore=shutil.ignore_patterns("__pycache__")
    )
    status, where = _probe(tmp_path)
    assert status.startswith("compiled")
    assert where.endswith(".so")
    with (tmp_path / "engine" / "normalize.py").open("a", encoding="utf-8") as source:
        source.write("\n# edited after the build\n")
    status, where = _probe(tmp_path)
    assert status.startswith("pure Python (engine/normalize.py changed")
    assert where == str(tmp_path / "engine" / "allocate.py")  # every module, not only the edited
    status, where = _probe(tmp_path, {"GRADPATH_PURE": "1"})
    assert "GRADPATH_PURE" in status


_DUMP = """
import json, sys
from pathlib import Path
import engine
from engine import load_knowledge
from engine.audit import audit_document
from engine.student import Student
assert engine._native.STATUS.startswith("pure Python (GRADPATH_PURE"), engine._native.STATUS
knowledge = load_knowledge(Path(sys.argv[1]))
students = [Student.model_validate(s) for s in json.load(sys.stdin)]
json.dump([audit_document(knowledge=knowledge, student=s) for s in students], sys.stdout)
"""


@needs_build
def test_the_compiled_build_audits_exactly_as_the_source() -> None:
    knowledge: Knowledge = load_knowledge(ROOT)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_audit import synthetic_student
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    rng = random.Random(11)
    students = [synthetic_student(rng, n) for n in range(60)]
    students += [
        Student.model_validate_json(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "samples" / "students").glob("*.json"))
    ]
    given = json.dumps([s.model_dump(mode="json") for s in students])
    done = subprocess.run(
        [sys.executable, "-c", _DUMP, str(ROOT)],
        input=given,
        env={**os.environ, "GRADPATH_PURE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    pure = json.loads(done.stdout)
    compiled = [
        json.loads(json.dumps(audit_document(knowledge=knowledge, student=s))) for s in students
    ]
    assert len(pure) == len(students) > 60
    for student, expected, got in zip(students, pure, compiled, strict=True):
        assert got == expected, student.id


def test_no_compiled_module_caches_through_cached_property() -> None:
    # mypyc compiles ``functools.cached_property`` on a native class into a plain property:
    # the value is built again on every read (the evaluator's row pools were, 10 us a read).
    for module in _native.MODULES:
        source = _native.source_path(module).read_text(encoding="utf-8")
        assert "cached_property" not in source.replace("``functools.cached_property``", ""), module


def test_the_evaluators_lazy_facts_are_built_once() -> None:
    kb = load_knowledge(ROOT)
    student = Student.model_validate_json(
        (ROOT / "samples" / "students" / "tx-junior-on-track.json").read_text()
    )
    catalog = kb.catalog_for(student.jurisdiction, entering_year(student))
    for goal in ("tx-fhsp", "ncaa-d1"):
        cset = kb.compiled(kb.ruleset(goal, entering_year(student)), catalog)
        resolved, _ = resolve_transcript(student, kb.index(catalog))
        rows = grade_rows(resolved, cset.grading, catalog.grading)
        evaluator = _SetEvaluator(cset, rows, student.experiences, {})
        for fact in ("by_course", "accepts", "rows_by_index", "in_order", "by_priority"):
            assert getattr(evaluator, fact) is getattr(evaluator, fact), (goal, fact)
        assert evaluator.by_priority_units is evaluator.by_priority_units
        assert evaluator.accepts  # and they hold what the set reads
