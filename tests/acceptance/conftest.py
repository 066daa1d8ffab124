"""Acceptance tests: the bundled rule files judged against the published rules.

Every test here is written from ``../shared/reference/published-rules.md`` (the checklists and their
sources), never from the engine, and goes through the public interface only: ``load_knowledge``
on the repository root, then ``audit``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    """The repository's catalogs and rules, loaded once per test module."""
    return load_knowledge(ROOT)
