"""``gradpath careers ...`` and ``gradpath validate`` on careers, through typer's runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_search_nurse_lists_the_nursing_careers() -> None:
    done = runner.invoke(app, ["careers", "search", "nurse"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].startswith("registered-nurse ")
    assert "29-1141" in lines[0]
    assert "Bachelor's degree" in lines[0]
    assert any(line.startswith("nursing-assistant ") for line in lines)
    assert lines[-1] == "3 career(s) match"


def test_search_json_carries_the_career_facts() -> None:
    done = runner.invoke(app, ["careers", "search", "nurse", "--format", "json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["count"] == len(data["results"]) == 3
    first = data["results"][0]
    assert first["goal"] == "career-registered-nurse"
    assert first["cluster"] == "health-science"
    assert "pos:nursing-science" in first["programs"]
    assert first["source"]["url"].startswith("https://www.bls.gov/ooh/")


def test_search_by_cluster_alone() -> None:
    done = runner.invoke(app, ["careers", "search", "--cluster", "finance", "-f", "json"])
    assert done.exit_code == 0, done.output
    results = json.loads(done.output)["results"]
    assert len(results) >= 3
    assert {r["cluster"] for r in results} == {"finance"}


def test_no_match_is_a_clear_success() -> None:
    done = runner.invoke(app, ["careers", "search", "xyzzy"])
    assert done.exit_code == 0
    assert done.output.strip() == "no careers match 'xyzzy'"


def test_an_unknown_cluster_is_an_error_with_a_suggestion() -> None:
    done = runner.invoke(app, ["careers", "search", "nurse", "--cluster", "helth-science"])
    assert done.exit_code == 1
    assert "did you mean 'health-science'?" in done.output


def test_search_needs_words_or_a_cluster() -> None:
    assert runner.invoke(app, ["careers", "search"]).exit_code == 2


def test_show_gives_soc_education_programs_and_the_route_per_state() -> None:
    done = runner.invoke(app, ["careers", "show", "career-registered-nurse"])
    assert done.exit_code == 0, done.output
    assert "SOC 29-1141; typical entry education: Bachelor's degree" in done.output
    assert "in TX the route starts from: tx-fhsp" in done.output
    assert "in CA the route starts from: uc-ag or csu-ag or ca-grad" in done.output


def test_show_an_unknown_career_suggests() -> None:
    done = runner.invoke(app, ["careers", "show", "registered-nurs"])
    assert done.exit_code == 1
    assert "did you mean 'registered-nurse'?" in done.output


def test_check_passes_when_every_route_set_is_bundled() -> None:
    done = runner.invoke(app, ["careers", "check"])
    assert done.exit_code == 0, done.output
    assert "resolves to a bundled rule set" in done.output


def test_check_lists_route_sets_not_bundled_yet(tmp_path: Path) -> None:
    for folder in ("catalogs", "rules", "careers"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.rmtree(tmp_path / "rules" / "ny")  # as if New York's diploma had not landed yet
    done = runner.invoke(app, ["careers", "check", "--root", str(tmp_path)])
    assert done.exit_code == 1
    assert "ny-regents: not bundled yet; named by" in done.output
    # ... and loading still works for everyone else:
    assert runner.invoke(app, ["validate", str(tmp_path)]).exit_code == 0


def test_validate_reports_a_broken_career_file_with_its_position(tmp_path: Path) -> None:
    for folder in ("catalogs", "rules", "careers"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    path = tmp_path / "careers" / "finance.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "programs: [accounting-finance]", "programs: [acct]", 1
        ),
        encoding="utf-8",
    )
    done = runner.invoke(app, ["validate", str(tmp_path)])
    assert done.exit_code == 1
    assert "careers/finance.yaml:" in done.output
    assert "got 'acct'" in done.output
    single = runner.invoke(app, ["validate", str(path)])
    assert single.exit_code == 1
    assert "got 'acct'" in single.output
