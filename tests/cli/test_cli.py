"""The gradpath command line, run the way a user runs it: as a subprocess, reading its output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "students" / "tx-junior-on-track.json"


def gradpath(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_audit_text_report_names_goals_and_statuses() -> None:
    done = gradpath("audit", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    assert "Texas Foundation High School Program (tx-fhsp, 2025): in progress" in done.stdout
    assert "NCAA Division I" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_audit_json_is_the_documented_contract() -> None:
    done = gradpath("audit", str(SAMPLE), "--goal", "tx-fhsp", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == 1
    assert [g["goal"] for g in data["goals"]] == ["tx-fhsp"]
    goal = data["goals"][0]
    assert {"status", "requirements", "rows", "unused", "summary"} <= set(goal)
    assert all("reason" in r and "status" in r for r in goal["requirements"])


def test_unknown_goal_is_a_clear_error(tmp_path: Path) -> None:
    done = gradpath("audit", str(SAMPLE), "--goal", "tx-fhps")
    assert done.returncode == 1
    assert "unknown goal 'tx-fhps' (did you mean 'tx-fhsp'?)" in done.stderr
    assert "Traceback" not in done.stderr


def test_malformed_student_names_the_field(tmp_path: Path) -> None:
    record = json.loads(SAMPLE.read_text())
    record["transcript"][2]["grade"] = "Q+"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record))
    done = gradpath("audit", str(bad))
    assert done.returncode == 1
    assert "transcript.2.grade" in done.stderr
    assert "Traceback" not in done.stderr


def test_student_file_that_is_not_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "S-1",\n  "jurisdiction": TX}')
    done = gradpath("audit", str(bad))
    assert done.returncode == 1
    assert "line 2" in done.stderr
    assert "Traceback" not in done.stderr


def test_validate_bundled_files_passes() -> None:
    done = gradpath("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


@pytest.fixture
def broken_tree(tmp_path: Path) -> Path:
    rules = tmp_path / "rules" / "tx" / "2025"
    rules.mkdir(parents=True)
    (rules / "bad.yaml").write_text(
        "schema_version: 1\n"
        "id: tx-bad\n"
        "title: Broken\n"
        "kind: graduation\n"
        "jurisdiction: TX\n"
        "catalog_year: 2025\n"
        "source: {citation: test fixture, year: 2025}\n"
        "requirements:\n"
        "  math:\n"
        "    all:\n"
        "      - course: ALG1\n"
        "        min_grde: C\n"
        "  science:\n"
        "    credits: lots\n"
        "    from: {}\n"
    )
    cats = tmp_path / "catalogs" / "tx" / "2025"
    cats.mkdir(parents=True)
    (cats / "courses.yaml").write_text(
        "id: tx-2025\n"
        "title: test\n"
        "jurisdiction: TX\n"
        "catalog_year: 2025\n"
        "source: {citation: test fixture, year: 2025}\n"
        "courses:\n"
        "  - {id: ALG1, title: Algebra I, subject: math, credits: 1,"
        " prerequisites: {course: GEOM}}\n"
        "  - {id: GEOM, title: Geometry, subject: math, credits: 1,"
        " prerequisites: {course: ALG1}}\n"
    )
    return tmp_path


def test_validate_reports_every_error_with_position(broken_tree: Path) -> None:
    done = gradpath("validate", str(broken_tree))
    assert done.returncode == 1
    out = done.stdout
    assert (
        "rules/tx/2025/bad.yaml:12:9: unknown key 'min_grde' (did you mean 'min_grade'?) "
        "[unknown-key]" in out
    )
    assert "rules/tx/2025/bad.yaml:14:14:" in out
    assert "prerequisite cycle: ALG1 -> GEOM -> ALG1" in out
    assert "in requirement 'math' > all[0]" in out


def test_validate_json_for_editors(broken_tree: Path) -> None:
    done = gradpath("validate", str(broken_tree / "rules"), "--format", "json")
    assert done.returncode == 1
    errors = json.loads(done.stdout)["errors"]
    assert {e["code"] for e in errors} == {"unknown-key", "wrong-type"}
    assert all({"file", "line", "column", "message"} <= set(e) for e in errors)
