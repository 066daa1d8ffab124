"""The JSON Schemas in docs/schema/ match the models (regenerate: ``gradpath schema``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.schema import SCHEMAS, schema_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_current(name: str) -> None:
    committed = (ROOT / "docs" / "schema" / name).read_text(encoding="utf-8")
    assert committed == schema_text(name), f"docs/schema/{name} is stale: run gradpath schema"


def test_bundled_files_point_editors_at_the_schema() -> None:
    for folder, name in (("rules", "ruleset"), ("catalogs", "catalog")):
        for path in (ROOT / folder).rglob("*.yaml"):
            if path.name.endswith(".tests.yaml"):
                continue
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            target = (path.parent / first.split("$schema=", 1)[1]).resolve()
            assert target == ROOT / "docs" / "schema" / f"{name}.schema.json", path


def test_schema_knows_the_operators() -> None:
    schema = json.loads(schema_text("ruleset.schema.json"))
    text = json.dumps(schema)
    for key in ("n_of", "credits", "sequence", "gpa", "credential", "within", "min_grade"):
        assert f'"{key}"' in text
