"""Helpers for the rule-authoring tests: the CLI as a user runs it, golden files, small trees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("GRADPATH_UPDATE_GOLDEN") == "1"


def gradpath(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``gradpath`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"},
    )


def check_golden(name: str, actual: str) -> None:
    """Compare with ``golden/<name>``; ``GRADPATH_UPDATE_GOLDEN=1`` rewrites it (review it)."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review it")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (GRADPATH_UPDATE_GOLDEN=1)"


@pytest.fixture
def tx_tree(tmp_path: Path) -> Path:
    """A small project tree: the Texas catalog and the Foundation program only."""
    shutil.copytree(ROOT / "catalogs" / "tx", tmp_path / "catalogs" / "tx")
    rules = tmp_path / "rules" / "tx" / "2025"
    rules.mkdir(parents=True)
    shutil.copy(ROOT / "rules" / "tx" / "2025" / "fhsp.yaml", rules / "fhsp.yaml")
    return tmp_path


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``gradpath`` in this process (faster than a subprocess): exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from cli.main import app

    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr
