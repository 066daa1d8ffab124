"""docs/security.md names real tests: each ``file::function`` in its claims table exists."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

DOC = ROOT / "docs" / "security.md"


def named_tests() -> list[tuple[str, str]]:
    return re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", DOC.read_text(encoding="utf-8"))


def test_every_test_the_security_page_names_exists() -> None:
    named = named_tests()
    assert len(named) >= 30
    missing = []
    for path, name in named:
        file = ROOT / path
        if not file.is_file():
            missing.append(f"{path} (no such file)")
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        functions = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        if name not in functions:
            missing.append(f"{path}::{name}")
    assert not missing, "docs/security.md names tests that do not exist: " + ", ".join(missing)


def test_the_page_is_linked_from_the_readme_and_the_api_guide() -> None:
    for page in ("README.md", "docs/api.md"):
        assert "security.md" in (ROOT / page).read_text(encoding="utf-8"), page
