"""``gradpath plan`` and ``gradpath whatif`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOPHOMORE = str(ROOT / "samples" / "students" / "tx-sophomore-off-track.json")


def gradpath(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_plan_text_shows_a_term_by_term_table() -> None:
    done = gradpath("plan", SOPHOMORE, "--goal", "tx-fhsp", "--max-per-term", "6")
    assert done.returncode == 0, done.stderr
    assert "term               credits  courses" in done.stdout
    assert "grade 12 spring" in done.stdout
    assert "Why each course:" in done.stdout


def test_plan_json_is_the_result_model() -> None:
    done = gradpath("plan", SOPHOMORE, "--format", "json", "--max-per-term", "6")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["status"] == "optimal"
    assert data["goals"] == ["tx-fhsp"]
    per_term: dict[tuple[int, str], int] = {}
    for course in data["courses"]:
        assert course["serves"], course
    for term in data["terms"]:
        per_term[(term["grade_level"], term["term"])] = len(term["planned"]) + len(term["existing"])
    assert max(per_term.values()) <= 6


def test_plan_reports_bad_options_and_unknown_courses() -> None:
    bad = gradpath("plan", SOPHOMORE, "--max-per-term", "0")
    assert bad.returncode == 1
    assert "max_courses_per_term" in bad.stderr
    unknown = gradpath("plan", SOPHOMORE, "--lock", "NOPE")
    assert unknown.returncode == 1
    assert "'NOPE' is not in catalog" in unknown.stderr
    assert "Traceback" not in unknown.stderr + bad.stderr


def test_whatif_compares_scenarios(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(
        json.dumps({"scenarios": [{"name": "add NCAA", "goals": ["tx-fhsp", "ncaa-d1"]}]})
    )
    done = gradpath("whatif", SOPHOMORE, str(scenarios))
    assert done.returncode == 0, done.stderr
    assert "== base" in done.stdout
    assert "== add NCAA" in done.stdout
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"scenarios": [{"name": "x", "drop": [{"curse": "A"}]}]}))
    bad = gradpath("whatif", SOPHOMORE, str(broken))
    assert bad.returncode == 1
    assert "scenarios.0.drop.0" in bad.stderr
