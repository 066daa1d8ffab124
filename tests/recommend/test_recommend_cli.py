"""``gradpath recommend`` through typer's runner: the table, JSON, pathways and errors."""

from __future__ import annotations

import doctest
import importlib
import json
import re

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.recommend.conftest import ROOT, SAMPLES

runner = CliRunner()
JUNIOR = str(SAMPLES / "tx-junior-on-track.json")
SOPHOMORE = str(SAMPLES / "tx-sophomore-off-track.json")


def _figures(row: str) -> list[str]:
    """A table row's one-decimal figures: score, then the parts' points that have evidence."""
    return [token for token in row.split() if re.fullmatch(r"\d+\.\d", token)]


def test_table_with_interests_and_top() -> None:
    done = runner.invoke(app, ["recommend", JUNIOR, "--interests", "SI", "--top", "5"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].startswith("Careers for S-0001 (TX, grade 11, high school")
    assert lines[0].endswith("interests SI")
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("#"))
    rows = lines[header + 1 : header + 6]
    assert [row.split()[0] for row in rows] == ["1", "2", "3", "4", "5"]
    # SI's two full matches lead, tied on every part (score, interests, readiness, grades),
    # the id breaking the tie; without interests Home Health Aide (SRC) leads.
    first, second = rows[0], rows[1]
    assert "Family Medicine Physician" in first
    assert " SI " in first
    assert "Physical Therapist" in second
    assert " SIR " in second
    assert _figures(first) == _figures(second)
    assert _figures(first)[1] == "47.1"  # the whole interests weight: a full match
    assert "5 of 115 careers shown" in done.output


def test_json_is_the_engine_contract() -> None:
    args = ["recommend", SOPHOMORE, "-i", "rc", "--top", "3", "--courses", "2", "-f", "json"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["interests"]["riasec"] == "RC"
    assert [c["rank"] for c in data["careers"]] == [1, 2, 3]
    assert len(data["courses"]) == 2
    assert data["courses"][0]["opens"]
    first = data["careers"][0]
    assert {p["name"] for p in first["parts"]} == {
        "interests",
        "readiness",
        "strengths",
        "preferences",
    }


def test_leverage_courses_are_listed_under_the_table() -> None:
    done = runner.invoke(app, ["recommend", SOPHOMORE, "-i", "RI", "--top", "12"])
    assert done.exit_code == 0, done.output
    assert "Next courses that keep the most of the top 12 careers open:" in done.output
    assert "Geometry" in done.output
    assert "of 12 open" in done.output


def test_pathway_view() -> None:
    done = runner.invoke(app, ["recommend", JUNIOR, "--career", "registered-nurse"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("Routes to Registered Nurse (SOC 29-1141")
    assert "bachelor: Bachelor of Science in Nursing (BSN) [in progress]" in done.output
    assert "tx-fhsp (Texas Foundation High School Program): in progress" in done.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interests", "SSX"], "--interests 'SSX': String should match pattern"),
        (["--subject", "sciense"], "did you mean 'science'?"),
        (["--career", "registered-nurs"], "did you mean 'registered-nurse'?"),
        (["--cluster", "helth"], "--cluster 'helth': Input should be"),
    ],
)
def test_bad_input_is_a_clear_error(args: list[str], message: str) -> None:
    done = runner.invoke(app, ["recommend", JUNIOR, *args])
    assert done.exit_code == 1
    assert message in done.output
    assert "Traceback" not in done.output


def test_a_broken_student_file(tmp_path: object) -> None:
    path = ROOT / "samples" / "students" / "EXPECTED.md"
    done = runner.invoke(app, ["recommend", str(path)])
    assert done.exit_code == 1
    assert "Traceback" not in done.output


@pytest.mark.parametrize(
    "module", ["engine.recommend.interests", "engine.recommend.rank", "engine.recommend.pathways"]
)
def test_docstring_examples_run(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0
    assert failures == 0


def test_the_guide_examples_run_and_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/recommendations.md: its commands run, and its table is what the first one prints."""
    monkeypatch.chdir(ROOT)
    guide = (ROOT / "docs" / "recommendations.md").read_text(encoding="utf-8")
    commands = [
        line.split("gradpath ", 1)[1].split()
        for line in guide.splitlines()
        if line.startswith(".venv/bin/gradpath recommend")
    ]
    assert len(commands) == 3
    outputs = []
    for args in commands:
        done = runner.invoke(app, args)
        assert done.exit_code == 0, (args, done.output)
        outputs.append(done.output)
    table = outputs[0].split("\nnote:", 1)[0].rstrip("\n")
    assert table in guide
    assert "\n".join(outputs[1].splitlines()[:8]) in guide
