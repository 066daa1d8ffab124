"""Malformed rule, catalog and career files (issue 11, part 2): a clear error, never a crash.

Every mutant of :mod:`tests.fuzz.mutations` runs in one child process (:mod:`tests.fuzz.filecheck`)
under an address-space limit and a per-case time guard (a blow-up kills the child, not pytest);
each must be refused with a diagnostic at the mutated file's expected line. A representative of
every kind then goes through ``gradpath validate`` itself, as an author runs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.authoring.conftest import run_cli
from tests.fuzz.filecheck import CASE_BYTES, CASE_SECONDS, TRACED_SLOWDOWN
from tests.fuzz.mutations import KINDS, ROOT, Mutant, generate

#: Kinds whose error comes from comparing files (build_knowledge), not from reading one.
CROSS_FILE = ("missing-reference", "prerequisite-cycle", "rule-cycle", "duplicates")


def run_mutants(*args: str) -> list[dict[str, object]]:
    """``python -m tests.fuzz.filecheck``: one JSON outcome per mutant."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.filecheck", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def failures(outcomes: list[dict[str, object]]) -> str:
    bad = [o for o in outcomes if o["problem"]]
    return "\n\n".join(f"{o['name']}: {o['problem']}" for o in bad)


@pytest.fixture(scope="module")
def mutants() -> list[Mutant]:
    return generate()


def test_mutants_are_many_varied_and_deterministic(mutants: list[Mutant]) -> None:
    assert len(mutants) >= 100
    kinds = Counter(m.kind for m in mutants)
    assert set(kinds) == set(KINDS), kinds
    touched = {file.split("/")[0] for m in mutants for file in m.files}
    assert touched == {"catalogs", "rules", "careers"}
    assert len({m.name for m in mutants}) == len(mutants)
    again = generate()
    assert [(m.name, dict(m.files)) for m in again] == [(m.name, dict(m.files)) for m in mutants]
    other = generate(seed=2026)
    assert [m.files for m in other] != [m.files for m in mutants]


def test_every_mutant_is_refused_at_its_line_without_crashing(mutants: list[Mutant]) -> None:
    outcomes = run_mutants()
    assert [o["name"] for o in outcomes] == [m.name for m in mutants]
    assert not failures(outcomes), failures(outcomes)
    for outcome in outcomes:
        assert isinstance(outcome["seconds"], float)
        assert outcome["seconds"] < CASE_SECONDS


def _tree(tmp_path: Path, chosen: list[Mutant]) -> Path:
    for folder in ("catalogs", "rules", "careers"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for mutant in chosen:
        for file, raw in mutant.files.items():
            (tmp_path / file).write_bytes(raw)
    return tmp_path


def _one_per_kind(mutants: list[Mutant], kinds: list[str]) -> list[Mutant]:
    """The first mutant of each kind whose files no earlier pick touches."""
    chosen: list[Mutant] = []
    used: set[str] = set()
    for kind in kinds:
        for mutant in mutants:
            if mutant.kind == kind and not used & set(mutant.files):
                chosen.append(mutant)
                used.update(mutant.files)
                break
    return chosen


def assert_reported(output: str, mutant: Mutant) -> None:
    """``output`` has ``file:line:col: message [code]`` for the mutant's file and line."""
    want = mutant.expect
    found = re.findall(rf"^{re.escape(want.file)}:(\d+):(\d+): .+ \[([a-z-]+)\]$", output, re.M)
    assert found, f"{mutant.name}: {want.file} is not named\n{output[:3000]}"
    assert any(
        (want.lines is None or int(line) in want.lines)
        and (want.codes is None or code in want.codes)
        for line, _, code in found
    ), f"{mutant.name}: expected line {want.lines} and {want.codes}, got {found}"


def test_gradpath_validate_names_every_broken_file(tmp_path: Path, mutants: list[Mutant]) -> None:
    """One tree with a mutant of every single-file kind, checked by the command authors run."""
    chosen = _one_per_kind(mutants, [k for k in KINDS if k not in CROSS_FILE])
    assert len(chosen) == len(KINDS) - len(CROSS_FILE)
    root = _tree(tmp_path, chosen)
    done = subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "validate", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    assert "internal error" not in done.stderr
    for mutant in chosen:
        assert_reported(done.stdout, mutant)


@pytest.mark.parametrize("kind", CROSS_FILE)
def test_rules_validate_reports_cross_file_mistakes(
    tmp_path: Path, mutants: list[Mutant], kind: str
) -> None:
    (mutant,) = _one_per_kind(mutants, [kind])
    code, out, err = run_cli("rules", "validate", str(_tree(tmp_path, [mutant])))
    assert code == 1, out
    assert "Traceback" not in out + err
    assert_reported(out, mutant)


@pytest.mark.slow
def test_another_seed_with_memory_measured() -> None:
    """A second, different set of mutants, each case's peak allocation measured."""
    outcomes = run_mutants("--seed", "2026", "--trace-memory")
    assert len(outcomes) >= 100
    assert not failures(outcomes), failures(outcomes)
    for outcome in outcomes:
        assert isinstance(outcome["peak_bytes"], int)
        assert 0 < outcome["peak_bytes"] < CASE_BYTES
        assert isinstance(outcome["seconds"], float)
        assert outcome["seconds"] < CASE_SECONDS * TRACED_SLOWDOWN
