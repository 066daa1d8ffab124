"""The deep run of ``tests/depth.py``: the profile raises the count and proves the examples ran.

Runs pytest on a small suite of its own in a subprocess, with this suite's hooks, once plainly
and once with ``--hypothesis-profile=deep``, and reads what a developer or CI reads: the
outcome and the summary of examples each property ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.depth import DEEP_EXAMPLES

SUITE = """\
from hypothesis import HealthCheck, assume, given, strategies as st

from tests.depth import deep_settings


@deep_settings(7)
@given(st.integers())
def test_goes_deep(n: int) -> None:
    pass


@deep_settings(5)
@given(st.booleans())
def test_runs_out_of_inputs(b: bool) -> None:
    pass


@deep_settings(5, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 10**9))
def test_stops_early(n: int) -> None:
    assume(n % 500 == 0)
"""

#: The suite's hooks, and nothing else of ``tests/conftest.py``.
CONFTEST = "from tests.conftest import *  # noqa: F403\n"


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_small.py").write_text(SUITE, encoding="utf-8")
    (folder / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    # Only Hypothesis's plugin: the others installed (schemathesis, xdist...) take seconds to load.
    plugins = ["-p", "no:cacheprovider", "-p", "_hypothesis_pytestplugin"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *plugins, *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_everyday_run_keeps_each_count_and_says_nothing(tmp_path: Path) -> None:
    done = pytest_in(tmp_path, "--hypothesis-show-statistics", "-k", "not stops_early")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
    assert "Stopped because settings.max_examples=7" in done.stdout
    assert "deep properties" not in done.stdout


def test_the_deep_run_proves_each_count_or_fails(tmp_path: Path) -> None:
    done = pytest_in(tmp_path, "--hypothesis-profile=deep")
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert f"test_goes_deep: {DEEP_EXAMPLES} passing, stopped: settings.max_examples=500" in out
    # Two booleans are the whole search space: stopping there is reported, not failed.
    assert "test_runs_out_of_inputs: 2 passing, stopped: nothing left to do" in out
    assert "FAILED test_small.py::test_stops_early" in out
    assert f"examples, not {DEEP_EXAMPLES} (stopped: settings.max_examples=500, but < 1%" in out
    assert "1 failed, 2 passed" in out
