"""Outputs of a batch: JSON Lines (one nested record per student), CSV or Parquet (one flat row
per student and goal, :data:`engine.batch.records.FLAT_COLUMNS`).

A writer writes to ``<out>.tmp`` and :meth:`OutputWriter.commit` renames it into place, so the
output file either is complete or does not exist. Errors always go to a JSON Lines file.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from engine.batch.records import FLAT_COLUMNS, flat_rows

__all__ = ["OutputFormat", "OutputWriter", "detect_output", "open_writer"]

OutputFormat = Literal["jsonl", "csv", "parquet"]
SUFFIXES: dict[str, OutputFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
#: Flat rows buffered before a Parquet row group is written.
PARQUET_ROWS = 50_000


def detect_output(path: Path) -> OutputFormat:
    """The output format named by ``path``'s suffix."""
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(SUFFIXES))
        raise ValueError(f"{path}: cannot tell the output format from the suffix (known: {known})")
    return found


class OutputWriter(Protocol):
    """Receives records in input order."""

    def write(self, record: dict[str, Any]) -> None: ...

    def commit(self) -> None: ...

    def abort(self) -> None: ...


class _Base:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def _finish(self, handle: IO[Any] | None) -> None:
        if handle is not None:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.tmp.unlink(missing_ok=True)


class JsonLinesWriter(_Base):
    """One JSON object per line, keys sorted: byte-identical for identical results."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.handle = self.tmp.open("w", encoding="utf-8", newline="\n")

    def write(self, record: dict[str, Any]) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")

    def commit(self) -> None:
        self._finish(self.handle)

    def abort(self) -> None:
        self.handle.close()
        super().abort()


class CsvWriter(_Base):
    """Flat rows with a header line; empty cells for missing values."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.handle = self.tmp.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow([name for name, _ in FLAT_COLUMNS])

    def write(self, record: dict[str, Any]) -> None:
        for row in flat_rows(record):
            self.writer.writerow(["" if row[n] is None else row[n] for n, _ in FLAT_COLUMNS])

    def commit(self) -> None:
        self._finish(self.handle)

    def abort(self) -> None:
        self.handle.close()
        super().abort()


class ParquetWriter(_Base):
    """Flat rows in row groups of :data:`PARQUET_ROWS`, with a fixed schema."""

    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(path)
        types = {"int": pa.int64(), "str": pa.string(), "float": pa.float64()}
        self.pa = pa
        self.schema = pa.schema([(n, types[t]) for n, t in FLAT_COLUMNS])
        self.writer = pq.ParquetWriter(self.tmp, self.schema)
        self.rows: list[dict[str, Any]] = []

    def _flush(self) -> None:
        if self.rows:
            table = self.pa.Table.from_pylist(self.rows, schema=self.schema)
            self.writer.write_table(table)
            self.rows = []

    def write(self, record: dict[str, Any]) -> None:
        self.rows.extend(flat_rows(record))
        if len(self.rows) >= PARQUET_ROWS:
            self._flush()

    def commit(self) -> None:
        self._flush()
        self.writer.close()
        with self.tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        self._finish(None)

    def abort(self) -> None:
        self.writer.close()
        super().abort()


def open_writer(path: Path, fmt: OutputFormat) -> OutputWriter:
    """A writer for ``path`` in ``fmt``."""
    if fmt == "jsonl":
        return JsonLinesWriter(path)
    if fmt == "csv":
        return CsvWriter(path)
    return ParquetWriter(path)
