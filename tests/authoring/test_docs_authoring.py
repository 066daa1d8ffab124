"""The rule-authoring guide's examples are real: they load, their cases pass, the diff is exact."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.authoring.conftest import ROOT, run_cli
from tests.docs.test_docs import CATALOG

GUIDE = (ROOT / "docs" / "rule-authoring.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(yaml|text)\n(.*?)```", GUIDE, re.S)
YAML = [body for kind, body in BLOCKS if kind == "yaml"]
HEADER = YAML[0].split("requirements:")[0]


def block(marker: str, kind: str = "yaml") -> str:
    (found,) = [body for k, body in BLOCKS if k == kind and marker in body]
    return found


def demo_tree(tmp_path: Path) -> Path:
    (tmp_path / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(CATALOG)
    rules = tmp_path / "rules" / "tx" / "2025"
    rules.mkdir(parents=True)
    (rules / "demo.yaml").write_text(YAML[0])
    return rules


def test_every_requirement_form_loads_as_a_rule_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "catalogs" / "tx", tmp_path / "catalogs" / "tx")
    rules = tmp_path / "rules" / "tx" / "2025"
    rules.mkdir(parents=True)
    shutil.copy(ROOT / "rules" / "tx" / "2025" / "fhsp.yaml", rules / "fhsp.yaml")
    forms = block("english_one:")
    (rules / "forms.yaml").write_text(HEADER.replace("demo-diploma", "demo-forms") + forms)
    code, out, _ = run_cli("rules", "validate", str(tmp_path))
    assert code == 0, out
    for operator in ("course", "all", "any", "n_of", "credits", "courses", "sequence", "gpa"):
        assert f"\n    {operator}:" in forms or f"      - {operator}:" in forms, operator
    for operator in ("credential", "assessment", "hours", "goal", "requirement", "policies"):
        assert f"{operator}:" in forms, operator


def test_the_rule_test_example_passes(tmp_path: Path) -> None:
    rules = demo_tree(tmp_path)
    (rules / "demo.tests.yaml").write_text(block("ruleset: demo-diploma"))
    code, out, _ = run_cli("rules", "test", str(rules / "demo.yaml"))
    assert code == 0, out
    assert out.endswith("5 case(s): 5 passed, 0 failed\n")


def test_the_diff_example_is_what_the_command_prints(tmp_path: Path) -> None:
    rules = demo_tree(tmp_path)
    draft = YAML[0]
    for old, new in (
        ("    credits: 2\n    from: {subject: math}\n    min_grade: C",
         "    credits: 3\n    from: {subject: math}\n    min_grade: B"),
        ("      - credits: 2\n        from: {attribute: \"tx:programming-language\"}",
         "      - credits: 1\n        from: {attribute: \"tx:programming-language\"}"),
        ("  electives:\n    credits: 1\n    from: {}\n", ""),
    ):  # fmt: skip
        assert old in draft, old
        draft = draft.replace(old, new)
    (tmp_path / "draft.yaml").write_text(draft)
    code, out, err = run_cli(
        "rules", "diff", str(rules / "demo.yaml"), str(tmp_path / "draft.yaml")
    )
    assert code == 0, err
    assert out == block("demo-diploma (catalog year 2025)", kind="text")
