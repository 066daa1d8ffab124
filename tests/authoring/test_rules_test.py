"""``gradpath rules test``: the named cases beside every bundled rule file, and broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.authoring.ruletests import case_file_for, load_case_file
from tests.authoring.conftest import ROOT, check_golden, gradpath, run_cli

RULE_FILES = sorted(
    p for p in (ROOT / "rules").rglob("*.yaml") if not p.name.endswith(".tests.yaml")
)

CASES = """\
# yaml-language-server: $schema=../../../docs/schema/ruletests.schema.json
schema_version: 1
ruleset: tx-fhsp
source: 19 TAC §74.12 (2025), the Foundation program checklist
students:
  base:
    jurisdiction: TX
    cohort: 2029
    grade_level: 12
    transcript:
      - {course: ENG1, grade_level: 9, grade: 85}
      - {course: ENG2, grade_level: 10, grade: 85}
      - {course: ENG3, grade_level: 11, grade: 85}
      - {course: ENG4, grade_level: 12, grade: 85}
cases:
  - name: four English credits meet English
    student: base
    expect:
      tx-fhsp:
        status: unmet
        requirements: {english: met, math: unmet}
  - name: a deliberately wrong expectation
    student: {base: base, drop: [ENG4]}
    expect:
      tx-fhsp:
        status: unmet
        requirements: {english: met}
"""


def test_every_bundled_rule_file_has_at_least_five_cases() -> None:
    for rule in RULE_FILES:
        cases = case_file_for(rule)
        assert cases.is_file(), f"{rule.relative_to(ROOT)} has no {cases.name}"
        loaded = load_case_file(cases.read_bytes(), str(cases))
        assert len(loaded.model.cases) >= 5, cases.name
        first = cases.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../../docs/schema/ruletests.schema.json"


def test_every_bundled_case_passes_through_the_cli() -> None:
    done = gradpath("rules", "test")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    count = sum(
        len(load_case_file(case_file_for(r).read_bytes(), "x").model.cases) for r in RULE_FILES
    )
    assert done.stdout.endswith(f"{count} case(s): {count} passed, 0 failed\n")
    assert "FAIL" not in done.stdout


def test_a_failing_case_shows_a_diff(tx_tree: Path) -> None:
    (tx_tree / "rules" / "tx" / "2025" / "fhsp.tests.yaml").write_text(CASES)
    code, out, _ = run_cli("rules", "test", str(tx_tree / "rules"))
    assert code == 1
    assert "  PASS  four English credits meet English" in out
    assert "  FAIL  a deliberately wrong expectation  (rules/tx/2025/fhsp.tests.yaml:22)" in out
    check_golden("test-failing.txt", out)


def test_json_report(tx_tree: Path) -> None:
    path = tx_tree / "rules" / "tx" / "2025" / "fhsp.tests.yaml"
    path.write_text(CASES)
    code, out, _ = run_cli("rules", "test", str(path), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["passed"] is False
    (report,) = data["files"]
    assert [c["passed"] for c in report["cases"]] == [True, False]
    (mismatch,) = report["cases"][1]["mismatches"]
    assert mismatch | {"reason": ""} == {
        "goal": "tx-fhsp",
        "requirement": "english",
        "expected": "met",
        "actual": "unmet",
        "reason": "",
    }


def test_the_rule_file_finds_its_cases(tx_tree: Path) -> None:
    (tx_tree / "rules" / "tx" / "2025" / "fhsp.tests.yaml").write_text(CASES)
    code, out, _ = run_cli("rules", "test", str(tx_tree / "rules" / "tx" / "2025" / "fhsp.yaml"))
    assert code == 1
    assert out.count("PASS") == 1


BROKEN = CASES.replace(
    "tx-fhsp:\n        status: unmet\n        requirements: {english: met, math",
    "tx-fhps:\n        status: unmet\n        requirements: {english: met, math",
)
BROKEN = (
    BROKEN.replace("{english: met}\n", "{englsh: met}\n")
    .replace("{base: base, drop", "{base: bsae, drop")
    .replace(
        "grade_level: 12\n    transcript", "grade_level: 12\n    transcrpt: []\n    transcript"
    )
)


def test_a_broken_case_file_reports_every_problem(tx_tree: Path) -> None:
    path = tx_tree / "rules" / "tx" / "2025" / "fhsp.tests.yaml"
    path.write_text(BROKEN)
    code, out, _ = run_cli("rules", "test", str(path))
    assert code == 1
    assert "unknown key 'transcrpt' (did you mean 'transcript'?)" in out
    check_golden("test-broken-schema.txt", out)
    path.write_text(BROKEN.replace("    transcrpt: []\n", ""))
    code, out, _ = run_cli("rules", "test", str(path))
    assert code == 1
    assert (
        "rules/tx/2025/fhsp.tests.yaml:19:7: unknown goal 'tx-fhps' (did you mean 'tx-fhsp'?)"
        in out
    )
    assert "no student named 'bsae' under 'students:' (did you mean 'base'?)" in out
    assert "tx-fhsp has no requirement 'englsh' (did you mean 'english'?)" in out
    check_golden("test-broken-references.txt", out)


@pytest.mark.parametrize("args", [("no-such.tests.yaml",), ("--format", "yaml")])
def test_bad_arguments(args: tuple[str, ...]) -> None:
    code, out, err = run_cli("rules", "test", *args)
    assert code in (1, 2)
    assert "Traceback" not in out + err
