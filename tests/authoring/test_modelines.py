"""Every bundled YAML file tells editors which JSON Schema to check it against, and it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.schema import SCHEMAS
from tests.authoring.conftest import ROOT


def expected_schema(path: Path) -> str:
    if path.name.endswith(".tests.yaml"):
        return "ruletests.schema.json"
    top = path.relative_to(ROOT).parts[0]
    if top == "careers":
        return "career-routes.schema.json" if path.name == "routes.yaml" else "careers.schema.json"
    return {"rules": "ruleset.schema.json", "catalogs": "catalog.schema.json"}[top]


FILES = sorted(
    p for folder in ("rules", "catalogs", "careers") for p in (ROOT / folder).rglob("*.yaml")
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modeline_points_at_the_right_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), path
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    name = expected_schema(path)
    assert name in SCHEMAS
    assert target == ROOT / "docs" / "schema" / name
    assert target.is_file()
