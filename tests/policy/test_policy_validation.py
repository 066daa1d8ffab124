"""A policy naming an unknown course, requirement, fact, attribute, flag or rule set is an
authoring error at its file:line:col, like any other rule error."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import AuthoringError, Diagnostic, load_knowledge

CATALOG = """\
schema_version: 1
id: tx-2025
title: test catalog
jurisdiction: TX
catalog_year: 2025
source: {citation: test, year: 2025}
courses:
  - {id: ALG1, title: Algebra I, subject: math, credits: 1, attributes: ["tx:core"]}
  - {id: CS1, title: Computer Science I, subject: cs, credits: 1}
"""

HEAD = """\
schema_version: 1
id: demo
title: Demo
kind: graduation
jurisdiction: TX
catalog_year: 2025
source: {citation: test, year: 2025}
requirements:
  math: {course: ALG1}
  lote: {credits: 2, from: {subject: cs}}
policies:
"""


def problems(tmp_path: Path, policies: str) -> list[Diagnostic]:
    (tmp_path / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "rules" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(CATALOG)
    (tmp_path / "rules" / "tx" / "2025" / "demo.yaml").write_text(HEAD + policies)
    with pytest.raises(AuthoringError) as caught:
        load_knowledge(tmp_path)
    return list(caught.value.diagnostics)


def where(diag: Diagnostic) -> tuple[str, int, int, str]:
    return (diag.file, diag.line, diag.column, diag.code)


POLICY = """\
  - id: p1
    title: A policy
    source: {citation: test, year: 2025}
"""


def test_unknown_course_in_a_condition(tmp_path: Path) -> None:
    (diag,) = problems(
        tmp_path,
        POLICY + "    when:\n      - course: {course: ALG2}\n"
        "    then:\n      - alert: info\n        message: hi\n",
    )
    assert where(diag) == ("rules/tx/2025/demo.yaml", 16, 26, "unknown-course")
    assert diag.message == "course 'ALG2' is not in any TX catalog (did you mean 'ALG1'?)"
    assert "policy 'p1'" in diag.breadcrumb
    assert diag.render().startswith("rules/tx/2025/demo.yaml:16:26: course 'ALG2'")


def test_unknown_requirement_in_a_waiver_and_a_condition(tmp_path: Path) -> None:
    diags = problems(
        tmp_path,
        POLICY + "    when:\n      - requirement: maths\n        status: unmet\n"
        "    then:\n      - waive: lotes\n        reason: committee\n",
    )
    assert [where(d) for d in diags] == [
        ("rules/tx/2025/demo.yaml", 16, 22, "unknown-requirement"),
        ("rules/tx/2025/demo.yaml", 19, 16, "unknown-requirement"),
    ]
    assert "did you mean 'math'?" in diags[0].message
    assert "did you mean 'lote'?" in diags[1].message


def test_unknown_requirement_in_a_substitution(tmp_path: Path) -> None:
    (diag,) = problems(
        tmp_path,
        POLICY + "    when:\n      - flag: iep\n    then:\n      - substitute: language\n"
        "        with: {course: CS1}\n        reason: allowed\n",
    )
    assert where(diag) == ("rules/tx/2025/demo.yaml", 18, 21, "unknown-requirement")


def test_unknown_fact_in_a_message(tmp_path: Path) -> None:
    (diag,) = problems(
        tmp_path,
        POLICY + "    when:\n      - flag: iep\n    then:\n      - alert: info\n"
        "        message: 'grade {grade_levle}'\n",
    )
    assert where(diag) == ("rules/tx/2025/demo.yaml", 19, 18, "unknown-fact")
    assert "did you mean 'grade_level'?" in diag.message


def test_a_course_field_needs_a_course_condition(tmp_path: Path) -> None:
    (diag,) = problems(
        tmp_path,
        POLICY + "    when:\n      - flag: iep\n    then:\n      - alert: info\n"
        "        message: 'failed {title}'\n",
    )
    assert diag.code == "unknown-fact"
    assert "needs a 'course' condition" in diag.message


def test_unknown_attribute_and_subject(tmp_path: Path) -> None:
    diags = problems(
        tmp_path,
        POLICY + "    when:\n      - course: {attribute: 'tx:cor'}\n"
        "      - credits: {at_least: 1}\n        from: {subject: mathematics}\n"
        "    then:\n      - alert: info\n        message: hi\n",
    )
    assert [(d.line, d.code) for d in diags] == [(16, "unknown-attribute"), (18, "unknown-subject")]
    assert "did you mean 'tx:core'?" in diags[0].message


def test_unknown_flag_is_refused_by_the_closed_list(tmp_path: Path) -> None:
    (diag,) = problems(
        tmp_path,
        POLICY + "    when:\n      - flag: ell\n    then:\n      - alert: info\n"
        "        message: hi\n",
    )
    assert where(diag) == ("rules/tx/2025/demo.yaml", 16, 15, "invalid-value")
    assert "'english_learner'" in diag.message


def test_unknown_condition_and_unknown_key(tmp_path: Path) -> None:
    diags = problems(
        tmp_path,
        POLICY + "    when:\n      - grade: 10\n      - student: {grade: 10}\n"
        "    then:\n      - alert: info\n        message: hi\n",
    )
    assert [(d.line, d.code) for d in diags] == [(16, "missing-operator"), (17, "unknown-key")]
    assert "a condition needs one of" in diags[0].message


def test_unknown_rule_set_in_a_goal_condition_and_apply_set(tmp_path: Path) -> None:
    diags = problems(
        tmp_path,
        POLICY + "    when:\n      - goal: ncaa-d9\n    then:\n      - apply_set: demo\n"
        "        reason: again\n      - apply_set: nothing-here\n        reason: more\n",
    )
    assert [(d.line, d.code) for d in diags] == [
        (16, "unknown-ruleset"),
        (18, "invalid-value"),
        (20, "unknown-ruleset"),
    ]


def test_same_course_needs_an_earlier_course_condition(tmp_path: Path) -> None:
    (diag,) = problems(
        tmp_path,
        POLICY + "    when:\n      - no_course: {same_course: true}\n"
        "    then:\n      - alert: info\n        message: hi\n",
    )
    assert (diag.line, diag.code) == (16, "invalid-value")


def test_duplicate_policy_ids(tmp_path: Path) -> None:
    one = POLICY + "    when: [{flag: iep}]\n    then: [{alert: info, message: hi}]\n"
    (diag,) = problems(tmp_path, one + one)
    assert (diag.line, diag.code) == (17, "duplicate-policy")  # the second one's id


def test_a_valid_policy_loads(tmp_path: Path) -> None:
    (tmp_path / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "rules" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(CATALOG)
    text = (
        HEAD
        + POLICY
        + (
            "    when:\n      - course: {course: ALG1, result: failed}\n"
            "      - no_course: {same_course: true, result: passed}\n"
            "    then:\n      - alert: warning\n        message: '{title} failed ({grade})'\n"
        )
    )
    (tmp_path / "rules" / "tx" / "2025" / "demo.yaml").write_text(text)
    kb = load_knowledge(tmp_path)
    assert [p.id for p in kb.ruleset("demo", 2025).policies] == ["p1"]
