"""Importers: other systems' transcript formats turned into GradPath's student record.

Each importer is a pure function from already-parsed input to an :class:`ImportResult`: the
student JSON it could build, and every source row it could not map, with the reason. Nothing is
dropped or changed silently: a row GradPath cannot read faithfully is listed, not guessed. A
source that cannot be read at all raises :class:`SourceError` (a ``ValueError``) saying where.
"""

from engine.importers.common import (
    MAX_UNMAPPED,
    ImportResult,
    RowLimitError,
    SourceError,
    StudentHeader,
    UnmappedRow,
)
from engine.importers.csv import import_csv
from engine.importers.edfi import import_edfi

__all__ = [
    "MAX_UNMAPPED",
    "ImportResult",
    "RowLimitError",
    "SourceError",
    "StudentHeader",
    "UnmappedRow",
    "import_csv",
    "import_edfi",
]
