"""The career example in docs/careers.md loads beside the bundled catalogs and rules."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from engine import audit, load_knowledge, load_student

ROOT = Path(__file__).resolve().parents[2]


def test_the_documented_career_loads_and_audits(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "careers.md").read_text(), re.S)
    career, routes = blocks[0], blocks[1]
    for folder in ("catalogs", "rules"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "careers").mkdir()
    (tmp_path / "careers" / "health-science.yaml").write_text(career, encoding="utf-8")
    header = "schema_version: 1\nsource: {citation: docs example, year: 2025}\n"
    (tmp_path / "careers" / "routes.yaml").write_text(header + routes, encoding="utf-8")
    kb = load_knowledge(tmp_path)
    assert set(kb.careers.entries) == {"registered-nurse"}
    student = load_student(
        {"id": "S-DOCS", "jurisdiction": "TX", "cohort": 2027, "grade_level": 10, "transcript": []}
    )
    [goal] = audit(knowledge=kb, student=student, goals=["career-registered-nurse"]).goals
    names = [r.name for r in goal.requirements]
    assert names == ["science", "math", "concentrator", "route"]
