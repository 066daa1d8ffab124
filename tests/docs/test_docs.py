"""The examples in docs/ are real: they load, validate and audit as the text says."""

from __future__ import annotations

import re
from pathlib import Path

from engine import Student, audit, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
CATALOG = """\
id: tx-2025
title: docs catalog
jurisdiction: TX
catalog_year: 2025
source: {citation: docs example, year: 2025}
courses:
  - {id: ENG1, title: English I, subject: english, credits: 1}
  - {id: ENG2, title: English II, subject: english, credits: 1}
  - {id: ALG1, title: Algebra I, subject: math, credits: 1}
  - {id: GEOM, title: Geometry, subject: math, credits: 1}
  - {id: SPAN1, title: Spanish I, subject: lote, credits: 1, sequence: {track: spanish, level: 1}}
  - {id: SPAN2, title: Spanish II, subject: lote, credits: 1, sequence: {track: spanish, level: 2}}
  - {id: CS1, title: Computer Science I, subject: cs, credits: 1,
     attributes: ["tx:programming-language"]}
  - {id: ART1, title: Art I, subject: fine-arts, credits: 1}
"""


def yaml_blocks(doc: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / doc).read_text(), re.S)


def test_rule_authoring_examples_load_and_audit(tmp_path: Path) -> None:
    base, extension = yaml_blocks("rule-authoring.md")[:2]
    (tmp_path / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(CATALOG)
    rules = tmp_path / "rules" / "tx" / "2025"
    rules.mkdir(parents=True)
    (rules / "demo.yaml").write_text(base)
    header = base.split("requirements:")[0].replace("id: demo-diploma", "id: district-diploma")
    header = header.replace("title: Demo diploma", "title: District diploma")
    body = extension.replace("id: district-diploma\n", "")
    (rules / "district.yaml").write_text(header + body)
    kb = load_knowledge(tmp_path)
    rows = [
        {"course": c, "grade": g, "grade_level": 9 + i // 4}
        for i, (c, g) in enumerate(
            [
                ("ENG1", "A"),
                ("ENG2", "B"),
                ("ALG1", "C"),
                ("GEOM", "B"),
                ("SPAN1", "A"),
                ("SPAN2", "B"),
                ("ART1", "A"),
            ]
        )
    ]
    student = Student.model_validate(
        {"id": "S-DOC", "jurisdiction": "TX", "cohort": 2029, "grade_level": 12, "transcript": rows}
    )
    result = audit(knowledge=kb, student=student, goals=["demo-diploma", "district-diploma"])
    demo, district = result.goals
    assert demo.status == "met"
    # The district set drops electives and raises the total to 8 credits: 7 are not enough.
    assert [r.name for r in district.requirements] == ["english", "math", "language", "total"]
    assert district.status == "unmet"


def test_audit_json_example_fields_exist() -> None:
    text = (ROOT / "docs" / "audit-json.md").read_text()
    from engine.results import GoalResult, RequirementResult

    for field in GoalResult.model_fields:
        assert f"`{field}`" in text, field
    for field in RequirementResult.model_fields:
        assert f"`{field}`" in text, field
