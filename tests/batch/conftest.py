"""Batch fixtures."""

from __future__ import annotations

import pytest

from engine.batch import knowledge_files
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def files() -> dict[str, bytes]:
    """The bundled knowledge's files (what a Dask worker receives)."""
    return knowledge_files(ROOT)
