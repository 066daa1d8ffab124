"""The worked example in docs/policies.md runs as written: the rule file validates against the
Texas catalog, and auditing the example student prints the report lines the guide shows."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from engine import audit, load_knowledge, load_student, render_text
from tests.policy.conftest import ROOT

GUIDE = (ROOT / "docs" / "policies.md").read_text()


def block(name: str, language: str) -> str:
    found = re.search(rf"<!-- example: {name} -->\n```{language}\n(.*?)```", GUIDE, re.DOTALL)
    assert found is not None, f"docs/policies.md has no '{name}' example"
    return found.group(1)


def test_the_guide_example_runs_as_shown(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "catalogs" / "tx", tmp_path / "catalogs" / "tx")
    rules = tmp_path / "rules" / "tx" / "2025"
    rules.mkdir(parents=True)
    (rules / "demo-policies.yaml").write_text(block("rule file", "yaml"))
    knowledge = load_knowledge(tmp_path)
    student = load_student(json.loads(block("student", "json")))
    report = render_text(audit(knowledge=knowledge, student=student))
    expected = block("report", "text")
    assert expected in report


def test_the_guide_lists_every_condition_outcome_and_flag() -> None:
    from engine.policy_model import CONDITION_KEYS, FLAGS, OUTCOME_KEYS

    for key in (*CONDITION_KEYS, *OUTCOME_KEYS):
        assert f"`{key}" in GUIDE, key
    for flag in FLAGS:
        assert f"`{flag}`" in GUIDE, flag
