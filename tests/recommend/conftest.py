"""Recommendation tests: bundled knowledge loaded once, samples, a tree with twin careers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import Knowledge, Student, load_knowledge, load_student
from engine.loader import load_student_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "students"

#: Two careers alike in everything but how much science they ask for.
TWINS = """\
# yaml-language-server: $schema=../docs/schema/careers.schema.json
schema_version: 1
cluster: stem
catalog_year: 2025
source: {citation: test fixture, year: 2025}
interests_source: {citation: "O*NET OnLine, Interests (test fixture)", year: 2024}
careers:
  - id: a-twin-demanding
    title: Demanding Twin
    soc: "17-2141"
    entry_education: bachelors
    riasec: IRC
    programs: [engineering]
    coursework:
      - {subject: science, credits: 8}
    routes:
      - {kind: bachelor, title: "A bachelor's degree"}
    source: {citation: test fixture, year: 2025}
  - id: z-twin-light
    title: Light Twin
    soc: "17-2141"
    entry_education: bachelors
    riasec: IRC
    programs: [engineering]
    coursework:
      - {subject: science, credits: 1}
    routes:
      - {kind: bachelor, title: "A bachelor's degree"}
    source: {citation: test fixture, year: 2025}
"""


@pytest.fixture(scope="package")
def kb() -> Knowledge:
    """The repository's catalogs, rules and careers, loaded once for this package."""
    return load_knowledge(ROOT)


@pytest.fixture(scope="package")
def twins_kb(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The bundled catalogs and rules with only the twin careers."""
    root = tmp_path_factory.mktemp("twins")
    (root / "catalogs").symlink_to(ROOT / "catalogs")
    (root / "rules").symlink_to(ROOT / "rules")
    (root / "careers").mkdir()
    (root / "careers" / "routes.yaml").write_text(
        (ROOT / "careers" / "routes.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (root / "careers" / "stem.yaml").write_text(TWINS, encoding="utf-8")
    return load_knowledge(root)


def sample(name: str) -> Student:
    return load_student_file(SAMPLES / f"{name}.json")


def student(**fields: Any) -> Student:
    """A synthetic student (opaque id, no personal data)."""
    data: dict[str, Any] = {
        "id": "S-REC",
        "jurisdiction": "TX",
        "cohort": 2030,
        "grade_level": 8,
        "catalog_year": 2025,
    }
    data.update(fields)
    return load_student(json.loads(json.dumps(data)))
