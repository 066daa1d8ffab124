"""Inputs of a batch: JSON Lines, course-history CSV, Parquet, or a folder of Ed-Fi bundles.

Every reader yields one :class:`WorkItem` per student, numbered by position in the input, and
never parses more than it must (workers parse and validate). Formats:

- ``jsonl``: one student record (the student JSON schema) per line; blank lines are skipped.
- ``csv``: the course-history CSV of :mod:`engine.importers.csv`, many students in one file,
  grouped by ``student_id`` (:mod:`engine.batch.csvgroup`).
- ``parquet``: one row per student, a string column ``student`` holding the student JSON
  record (what ``pyarrow``/Spark/pandas write from a JSON Lines file); other columns are ignored.
- ``edfi``: a folder of ``*.json`` Ed-Fi bundles, one student per file, in file-name order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from engine.batch.csvgroup import CsvInputError, count_csv_students, read_csv_students
from engine.batch.items import WorkItem

__all__ = ["InputError", "InputFormat", "count_students", "detect_format", "read_students"]

InputFormat = Literal["jsonl", "csv", "parquet", "edfi"]
SUFFIXES: dict[str, InputFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
#: A JSON line longer than this is reported as an error, not parsed (a student is a few KB).
MAX_LINE_BYTES = 4 * 1024 * 1024
PARQUET_COLUMN = "student"
BOM = b"\xef\xbb\xbf"


class InputError(ValueError):
    """The input as a whole cannot be read: the run cannot start (one student's problem never
    raises this; it becomes an error record)."""


def detect_format(path: Path) -> InputFormat:
    """The format named by ``path``: a folder is Ed-Fi bundles, else the file's suffix."""
    if path.is_dir():
        return "edfi"
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(SUFFIXES))
        raise InputError(f"{path}: cannot tell the format from the suffix (known: {known})")
    return found


def _blank(raw: bytes, line_no: int) -> bool:
    """Whether a JSON Lines line holds nothing (a byte-order mark alone on line 1 included)."""
    if line_no == 1 and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    return not raw.strip()


def _refuse_a_document(path: Path) -> None:
    """Stop on a pretty-printed JSON document (a student file, an array of students): read as
    JSON Lines, each of its lines would be counted as a student and reported as invalid JSON,
    in a run that exits 0. A first line that is a lone ``{`` or ``[`` begins no record."""
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if _blank(raw, line_no):
                continue
            if line_no == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
            if raw.strip() in (b"{", b"["):
                raise InputError(
                    f"{path}:{line_no}: this is one JSON document spread over lines, not JSON "
                    "Lines: the batch reads one student record per line (e.g. jq -c '.[]' for "
                    "an array, jq -c . for one student)"
                )
            return


def _jsonl(path: Path) -> Iterator[WorkItem]:
    _refuse_a_document(path)
    index = 0
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if _blank(raw, line_no):
                continue
            where = f"{path}:{line_no}"
            if len(raw) > MAX_LINE_BYTES:
                reason = f"line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB"
                yield WorkItem(index, where, "error", reason)
            else:
                try:
                    text = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    yield WorkItem(index, where, "error", f"not UTF-8 at byte {exc.start + 1}")
                else:
                    yield WorkItem(index, where, "json", text)
            index += 1


def _parquet(path: Path) -> Iterator[WorkItem]:
    import pyarrow.parquet as pq  # imported here: only Parquet runs pay for it

    try:
        source = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own ArrowInvalid/OSError family
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from None
    if PARQUET_COLUMN not in source.schema_arrow.names:
        raise InputError(
            f"{path}: no column {PARQUET_COLUMN!r}: the Parquet input holds one row per student "
            f"with the student JSON record in a string column named {PARQUET_COLUMN!r}"
        )
    index = 0
    for batch in source.iter_batches(batch_size=4096, columns=[PARQUET_COLUMN]):
        for value in batch.column(0).to_pylist():
            where = f"{path}:row {index}"
            if isinstance(value, bytes):
                value = value.decode("utf-8", errors="replace")
            if not isinstance(value, str) or not value.strip():
                yield WorkItem(index, where, "error", f"column {PARQUET_COLUMN!r} is empty")
            else:
                yield WorkItem(index, where, "json", value)
            index += 1


def _edfi_files(folder: Path) -> list[Path]:
    """The folder's ``*.json`` files, whatever the case of the suffix: an export written as
    ``S-1.JSON`` is a student, not a file to pass over without a word."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())


def _edfi(folder: Path) -> Iterator[WorkItem]:
    for index, file in enumerate(_edfi_files(folder)):
        where = str(file)
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            yield WorkItem(index, where, "error", f"cannot read: {exc.strerror}")
        except UnicodeDecodeError as exc:
            yield WorkItem(index, where, "error", f"not UTF-8 at byte {exc.start + 1}")
        else:
            yield WorkItem(index, where, "edfi", text)


def read_students(path: Path, fmt: InputFormat) -> Iterator[WorkItem]:
    """Every student of ``path``, in input order."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    try:
        if fmt == "jsonl":
            yield from _jsonl(path)
        elif fmt == "csv":
            yield from read_csv_students(path)
        elif fmt == "parquet":
            yield from _parquet(path)
        else:
            if not path.is_dir():
                raise InputError(f"{path}: Ed-Fi input is a folder of *.json bundles")
            yield from _edfi(path)
    except CsvInputError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def count_students(path: Path, fmt: InputFormat) -> int:
    """How many students ``read_students`` will yield (for progress and ETA)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    try:
        if fmt == "jsonl":
            _refuse_a_document(path)
            with path.open("rb") as handle:
                return sum(1 for n, raw in enumerate(handle, start=1) if not _blank(raw, n))
        if fmt == "csv":
            return count_csv_students(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            try:
                return int(pq.ParquetFile(path).metadata.num_rows)
            except Exception as exc:
                raise InputError(f"{path}: not a readable Parquet file: {exc}") from None
        return len(_edfi_files(path))
    except CsvInputError as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
