"""Edge cases of the authoring tools: cases that could pass without testing anything, diffs
that missed or invented a change, impact counts that were off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.authoring import impact as impact_module
from engine.authoring.diff import changed_sets, diff_sets, flow
from engine.authoring.roots import load_sides
from engine.errors import KnowledgeError
from engine.model import RequirementSet
from tests.authoring.conftest import ROOT, run_cli

HEAD = """\
schema_version: 1
ruleset: tx-fhsp
source: 19 TAC §74.12 (2025)
students:
  base:
    jurisdiction: TX
    cohort: 2029
    grade_level: 12
    transcript:
      - {course: ENG1, grade_level: 9, grade: 85}
      - {course: ENG2, grade_level: 10, grade: 85}
    experiences:
      - {kind: credential, id: cna}
cases:
"""


def write_cases(tree: Path, body: str, name: str = "fhsp.tests.yaml") -> Path:
    path = tree / "rules" / "tx" / "2025" / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


# Rule tests -------------------------------------------------------------------------------


def test_a_drop_that_matches_no_course_is_an_error(tx_tree: Path) -> None:
    """``drop: [ENG22]`` (a typo) tested the base student unchanged, and could pass."""
    path = write_cases(
        tx_tree,
        """\
  - name: the typo
    student: {base: base, drop: [ENG2, ENG22]}
    expect: {tx-fhsp: unmet}
""",
    )
    code, out, _ = run_cli("rules", "test", str(path))
    assert code == 1
    assert "rules/tx/2025/fhsp.tests.yaml:16:40: student 'base' has no course 'ENG22'" in out
    assert "(did you mean 'ENG2'?) [nothing-to-drop]" in out
    assert "PASS" not in out


def test_a_drop_of_an_experience_the_student_lacks_is_an_error(tx_tree: Path) -> None:
    path = write_cases(
        tx_tree,
        """\
  - name: the typo
    student: {base: base, drop_experiences: [cma]}
    expect: {tx-fhsp: unmet}
""",
    )
    code, out, _ = run_cli("rules", "test", str(path))
    assert code == 1
    assert "student 'base' has no experience 'cma' to drop (did you mean 'cna'?)" in out


@pytest.mark.parametrize("expectation", ["{}", "{requirements: {}}"])
def test_an_expectation_that_checks_nothing_is_an_error(tx_tree: Path, expectation: str) -> None:
    path = write_cases(
        tx_tree,
        f"""\
  - name: checks nothing
    student: base
    expect:
      tx-fhsp: {expectation}
""",
    )
    code, out, _ = run_cli("rules", "test", str(path))
    assert code == 1
    assert "fhsp.tests.yaml:18:16: the expectation for tx-fhsp checks nothing" in out
    assert "[empty-expectation]" in out


def test_two_cases_of_one_name_are_an_error(tx_tree: Path) -> None:
    """A report names the case that failed: two of one name leave the author guessing which."""
    path = write_cases(
        tx_tree,
        """\
  - name: English only
    student: base
    expect: {tx-fhsp: unmet}
  - name: English only
    student: {base: base, drop: [ENG2]}
    expect: {tx-fhsp: unmet}
""",
    )
    code, out, _ = run_cli("rules", "test", str(path))
    assert code == 1
    assert (
        "fhsp.tests.yaml:18:11: another case is named 'English only' (line 15): a report names "
        "the case that failed, so each name must be unique [duplicate-case]"
    ) in out
    assert "PASS" not in out


def test_rules_validate_checks_what_case_files_name(tx_tree: Path) -> None:
    """``rules validate`` said valid where ``rules test`` could not run the file."""
    path = write_cases(
        tx_tree,
        """\
  - name: misspelt
    student: {base: bsae}
    expect:
      tx-fhsp: {requirements: {englsh: met}}
""",
    )
    code, out, _ = run_cli("rules", "validate", str(path), "--format", "json")
    assert code == 1
    found = {(d["code"], d["line"]) for d in json.loads(out)["errors"]}
    assert found == {("unknown-student", 16), ("unknown-requirement", 18)}
    code, out, _ = run_cli("rules", "validate", str(tx_tree))
    assert code == 1
    assert "tx-fhsp has no requirement 'englsh' (did you mean 'english'?)" in out


def test_a_tree_that_does_not_load_is_reported_once(tx_tree: Path) -> None:
    body = "  - name: one\n    student: base\n    expect: {tx-fhsp: unmet}\n"
    write_cases(tx_tree, body)
    write_cases(tx_tree, body, name="other.tests.yaml")
    rule = tx_tree / "rules" / "tx" / "2025" / "fhsp.yaml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("jurisdiction: TX", "jurisdiction: 9"))
    code, out, _ = run_cli("rules", "test", str(tx_tree / "rules"))
    assert code == 1
    assert out.count("[wrong-type]") + out.count("[invalid-value]") == 1, out
    assert out.endswith("0 case(s): 0 passed, 0 failed; 1 file(s) could not run\n")


# Diff -------------------------------------------------------------------------------------

BASE_SET = {
    "id": "demo",
    "title": "Demo",
    "kind": "graduation",
    "jurisdiction": "TX",
    "catalog_year": 2025,
    "source": {"citation": "Demo code", "year": 2025},
    "grading": {"scale": {"min_passing": "D"}},
    "requirements": {
        "english": {"all": [{"course": "ENG1"}, {"course": "ENG2"}]},
        "lang": {
            "any": [
                {"sequence": 2, "from": {"subject": "lote"}},
                {"credits": 2, "from": [{"course": "CS1"}, {"course": "CS2"}]},
            ]
        },
    },
}


def changes(old: dict[str, object], new: dict[str, object]) -> list[str]:
    a, b = RequirementSet.model_validate(old), RequirementSet.model_validate(new)
    return [c.render() for c in diff_sets(a, b)]


def test_a_zero_is_shown() -> None:
    """``0 == False``: a band's ``min: 0`` was left out as if it were a default."""
    assert flow({"letter": "F", "min": 0}) == "{letter: F, min: 0}"
    assert flow({"min": 0.0, "share": False, "within": []}) == "{min: 0}"


def test_writing_a_default_out_is_no_change() -> None:
    plain = {k: v for k, v in BASE_SET.items() if k != "grading"}
    assert changes(plain, {**plain, "dated_by": "catalog_year"}) == []
    assert changes(plain, {**plain, "grading": {}}) == []
    assert changes({**plain, "dated_by": "catalog_year"}, plain) == []
    assert changes(plain, {**plain, "dated_by": "enrolment"}) == [
        "+ rule set: dated_by added enrolment"
    ]


def test_dropping_the_grading_shows_what_falls_back() -> None:
    plain = {k: v for k, v in BASE_SET.items() if k != "grading"}
    assert changes(BASE_SET, plain) == ["~ rule set: grading.scale.min_passing D -> D- (lowered)"]


def test_moving_items_of_all_any_and_selector_lists_is_no_change() -> None:
    reqs = BASE_SET["requirements"]
    assert isinstance(reqs, dict)
    moved = {
        "english": {"all": [{"course": "ENG2"}, {"course": "ENG1"}]},
        "lang": {
            "any": [
                {"credits": 2, "from": [{"course": "CS2"}, {"course": "CS1"}]},
                {"sequence": 2, "from": {"subject": "lote"}},
            ]
        },
    }
    assert changes(BASE_SET, {**BASE_SET, "requirements": moved}) == []
    inserted = {**moved, "english": {"all": [{"course": "ENG2"}, {"course": "ENG3"}]}}
    inserted["english"]["all"].append({"course": "ENG1"})
    assert changes(BASE_SET, {**BASE_SET, "requirements": inserted}) == [
        "+ requirement 'english': all[1] added {course: ENG3}"
    ]
    lowered = {
        **reqs,
        "lang": {"any": [{"credits": 1, "from": [{"course": "CS1"}, {"course": "CS2"}]}]},
    }
    lowered["lang"]["any"].append({"sequence": 2, "from": {"subject": "lote"}})
    assert changes(BASE_SET, {**BASE_SET, "requirements": lowered}) == [
        "~ requirement 'lang' > any[0]: credits 2 -> 1 (lowered)"
    ]


def test_a_reordered_parent_does_not_change_its_children() -> None:
    a = RequirementSet.model_validate(BASE_SET)
    english = {"all": [{"course": "ENG2"}, {"course": "ENG1"}]}
    b = RequirementSet.model_validate(
        {**BASE_SET, "requirements": {**BASE_SET["requirements"], "english": english}}  # type: ignore[dict-item]
    )
    assert a != b
    assert changed_sets({"demo": [a]}, {"demo": [b]}) == []


@pytest.fixture
def demo_tree(tx_tree: Path) -> Path:
    folder = tx_tree / "rules" / "tx" / "2025"
    parent = (
        "schema_version: 1\nid: {id}\ntitle: Demo\nkind: graduation\njurisdiction: TX\n"
        "catalog_year: 2025\nsource: {{citation: Demo code, year: 2025}}\n"
        "requirements:\n  english: {{course: ENG1}}\n"
    )
    (folder / "demo.yaml").write_text(parent.format(id="demo"), encoding="utf-8")
    (folder / "other.yaml").write_text(parent.format(id="other"), encoding="utf-8")
    (folder / "child.yaml").write_text(
        "schema_version: 1\nid: child\ntitle: Child\nkind: graduation\njurisdiction: TX\n"
        "catalog_year: 2025\nextends: demo\nsource: {citation: District, year: 2025}\n",
        encoding="utf-8",
    )
    return tx_tree


def test_a_new_parent_is_a_change(demo_tree: Path, tmp_path: Path) -> None:
    """Merging resolved ``extends`` away: a child moved to another parent showed 0 changes."""
    child = demo_tree / "rules" / "tx" / "2025" / "child.yaml"
    draft = tmp_path / "draft" / "child.yaml"
    draft.parent.mkdir()
    draft.write_text(child.read_text().replace("extends: demo", "extends: other"))
    code, out, _ = run_cli("rules", "diff", str(child), str(draft))
    assert code == 0
    assert out == "child (catalog year 2025): 1 change(s)\n~ rule set: extends demo -> other\n"
    code, out, _ = run_cli("rules", "diff", str(child), str(draft), "--format", "json")
    assert json.loads(out)["changes"] == [
        {
            "kind": "changed",
            "where": "rule set",
            "field": "extends",
            "old": "demo",
            "new": "other",
            "note": "",
        }
    ]


# Impact -----------------------------------------------------------------------------------

FHSP = ROOT / "rules" / "tx" / "2025" / "fhsp.yaml"
STUDENT = {
    "id": "S1",
    "jurisdiction": "TX",
    "cohort": 2029,
    "grade_level": 12,
    "transcript": [{"course": "ENG1", "grade_level": 9, "grade": 85}],
}


@pytest.fixture
def stricter_fhsp(tmp_path: Path) -> Path:
    """The Foundation program with English I at a B or better."""
    text = FHSP.read_text(encoding="utf-8")
    assert text.count("      - course: ENG1\n") == 1
    path = tmp_path / "draft" / "fhsp.yaml"
    path.parent.mkdir()
    path.write_text(
        text.replace("      - course: ENG1\n", "      - course: ENG1\n        min_grade: B\n")
    )
    return path


def test_a_goal_listed_twice_is_counted_once(tmp_path: Path, stricter_fhsp: Path) -> None:
    students = tmp_path / "s.jsonl"
    students.write_text(json.dumps({**STUDENT, "goals": ["tx-fhsp", "tx-fhsp"]}) + "\n")
    code, out, _ = run_cli(
        "rules", "impact", str(FHSP), str(stricter_fhsp), "-s", str(students),
        "--no-progress", "--format", "json",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["students"] == report["considered"] == 1
    assert report["audited"] == {"tx-fhsp": 1}


def test_a_student_only_the_new_version_cannot_audit_is_reported(
    stricter_fhsp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, after = load_sides(FHSP, stricter_fhsp)
    real = impact_module._statuses

    def statuses(kb, student, goals):  # type: ignore[no-untyped-def]
        if kb is after.knowledge and student.id == "S2":
            raise KnowledgeError("no way to audit S2")
        return real(kb, student, goals)

    monkeypatch.setattr(impact_module, "_statuses", statuses)
    lines = [json.dumps({**STUDENT, "id": sid, "goals": ["tx-fhsp"]}) for sid in ("S1", "S2", "S3")]
    report = impact_module.measure_impact(
        old=FHSP, new=stricter_fhsp, students=lines, sides=(before, after)
    )
    assert report.students == 3
    assert report.considered == 2
    assert report.invalid == ((2, "under the new version: no way to audit S2"),)


def test_an_invalid_record_says_which_field(tmp_path: Path, stricter_fhsp: Path) -> None:
    students = tmp_path / "s.jsonl"
    students.write_text(json.dumps({k: v for k, v in STUDENT.items() if k != "cohort"}) + "\n")
    code, out, _ = run_cli(
        "rules", "impact", str(FHSP), str(stricter_fhsp), "-s", str(students), "--no-progress"
    )
    assert code == 1
    assert "line 1: not a valid student: cohort: Field required\n" in out


def test_an_empty_population(tmp_path: Path, stricter_fhsp: Path) -> None:
    students = tmp_path / "s.jsonl"
    students.write_text("")
    code, out, _ = run_cli(
        "rules", "impact", str(FHSP), str(stricter_fhsp), "-s", str(students),
        "--no-progress", "--format", "json",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert (report["students"], report["changed"], report["transitions"]) == (0, 0, [])
