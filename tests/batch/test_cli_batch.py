"""``gradpath batch`` through typer's runner: summary, exit codes, messages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from tests.batch.batchkit import EDFI_BUNDLE, students, write_jsonl

runner = CliRunner()


def batch(*args: str | Path) -> tuple[int, str]:
    done = runner.invoke(app, ["batch", "--no-progress", "--workers", "1", *map(str, args)])
    return done.exit_code, done.output


def test_the_summary_gives_counts_per_goal_and_grade(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", [*students(4), "{"])
    code, output = batch("--students", source, "--out", tmp_path / "o.jsonl", "-g", "tx-fhsp")
    assert code == 0, output
    assert "5 students: 4 audited, 1 errors" in output
    assert "tx-fhsp" in output
    assert "errors (invalid-json 1)" in output
    summary = json.loads((tmp_path / "o.jsonl.summary.json").read_text())
    tally = summary["goals"]["tx-fhsp"]
    assert tally["met"] + tally["in_progress"] + tally["unmet"] == 4
    assert sum(t["students"] for t in tally["by_grade_level"].values()) == 4


def test_csv_history_in_csv_out(tmp_path: Path) -> None:
    source = tmp_path / "h.csv"
    source.write_text(
        "student_id,course,grade_level,term,grade\nH-1,ENG1,9,year,A\nH-2,ALG1,9,year,B\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.csv"
    code, output = batch(
        "--students", source, "--out", out, "-g", "tx-fhsp", "-g", "ncaa-d1", "-j", "tx",
        "--cohort", "2029",
    )  # fmt: skip
    assert code == 0, output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student"], r["goal"], r["cohort"]) for r in rows] == [
        ("H-1", "tx-fhsp", "2029"),
        ("H-1", "ncaa-d1", "2029"),
        ("H-2", "tx-fhsp", "2029"),
        ("H-2", "ncaa-d1", "2029"),
    ]
    assert all(r["status"] == "unmet" for r in rows)


def test_an_unknown_goal_stops_before_the_run(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(1))
    code, output = batch("--students", source, "--out", tmp_path / "o.jsonl", "-g", "tx-fsph")
    assert code == 1
    assert "unknown goal 'tx-fsph'" in output
    assert not (tmp_path / "o.jsonl.parts").exists()


def test_edfi_bundles_need_a_jurisdiction(tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    (folder / "a.json").write_bytes(EDFI_BUNDLE.read_bytes())
    code, output = batch("--students", folder, "--out", tmp_path / "o.jsonl")
    assert code == 2
    assert "pass --jurisdiction" in output
    code, output = batch(
        "--students", folder, "--out", tmp_path / "o.jsonl", "-j", "TX", "-g", "tx-fhsp"
    )
    assert code == 0, output
    assert "1 students: 1 audited, 0 errors" in output


def test_unknown_suffixes_and_finished_outputs_are_explained(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(1))
    code, output = batch("--students", source, "--out", tmp_path / "o.xlsx")
    assert code == 1
    assert "cannot tell the output format" in output
    assert batch("--students", source, "--out", tmp_path / "o.jsonl")[0] == 0
    code, output = batch("--students", source, "--out", tmp_path / "o.jsonl")
    assert code == 1
    assert "exists (a finished run): pass --restart" in output
    assert batch("--students", source, "--out", tmp_path / "o.jsonl", "--restart")[0] == 0


def test_an_unwritable_output_folder_is_reported_not_a_traceback(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(1))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, output = batch("--students", source, "--out", blocker / "o.jsonl")
    assert code == 1
    assert "I/O error on" in output
    assert "rerun to resume" in output
