"""Parallel runs: the same bytes for any number of local processes, and a ``kill -9`` resumes.

The kill test runs the real command in its own process group, kills the group with SIGKILL once
some chunks are committed, and reruns the same command: the result must equal a clean run's,
with the committed chunks taken over rather than audited again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.batch.batchkit import read_jsonl, run_local, students, write_jsonl
from tests.conftest import ROOT

GRADPATH = [sys.executable, "-c", "from cli.main import main; main()"]


def test_two_processes_write_the_same_bytes_as_one(tmp_path: Path, files: dict[str, bytes]) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", [*students(14), "{bad", {"id": "X"}])
    one = run_local(source, tmp_path / "one.jsonl", files=files, chunk_size=4, workers=1)
    two = run_local(source, tmp_path / "two.jsonl", files=files, chunk_size=4, workers=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    for suffix in (".errors.jsonl", ".summary.json"):
        assert (tmp_path / f"one.jsonl{suffix}").read_bytes() == (
            tmp_path / f"two.jsonl{suffix}"
        ).read_bytes()
    assert (one.audited, one.errors) == (two.audited, two.errors) == (14, 2)


def _batch(source: Path, out: Path, *extra: str) -> list[str]:
    return [
        *GRADPATH,
        "batch",
        "--students",
        str(source),
        "--out",
        str(out),
        "--chunk-size",
        "2",
        "--no-progress",
        *extra,
    ]


def test_a_run_killed_with_sigkill_resumes_without_duplicates_or_gaps(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    records = students(80)
    source = write_jsonl(tmp_path / "s.jsonl", records)
    clean = tmp_path / "clean.jsonl"
    run_local(source, clean, files=files, chunk_size=2)
    out = tmp_path / "out.jsonl"
    parts = tmp_path / "out.jsonl.parts"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        _batch(source, out, "--workers", "2"),
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: the kill takes the workers too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(parts.glob("chunk-*.jsonl"))) < 5:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "no chunk was committed in time"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
    committed = len(list(parts.glob("chunk-*.jsonl")))
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    assert 5 <= committed < 40, "the run was not interrupted midway"
    rerun = subprocess.run(
        _batch(source, out, "--workers", "1"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "from an earlier run" in rerun.stdout
    assert out.read_bytes() == clean.read_bytes()
    got = [r["student"] for r in read_jsonl(out)]
    assert got == [r["id"] for r in records]  # each once, in input order
    summary = json.loads((tmp_path / "out.jsonl.summary.json").read_text())
    assert summary["audited"] == 80
    assert not parts.exists()
