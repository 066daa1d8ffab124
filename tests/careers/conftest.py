"""Careers tests: the bundled careers/ read through the public engine API, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="package")
def kb() -> Knowledge:
    """The repository's catalogs, rules and careers, loaded once for this package."""
    return load_knowledge(ROOT)
