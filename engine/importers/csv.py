"""A flat course-history CSV (one row per course attempt) to a GradPath student record.

Columns are matched by header name, case-insensitively, with common aliases (``course_code``
for ``course``, ``grade_level`` or ``grade level`` ...). Every data row either becomes a
transcript row exactly as written, or is listed as unmapped with its line and the problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from engine.importers.common import (
    ImportResult,
    StudentHeader,
    UnmappedRow,
    add_row,
    add_unmapped,
    student_record,
)
from engine.student import TranscriptRow

__all__ = ["COLUMNS", "import_csv"]

#: GradPath field -> accepted header names (normalised: lower case, spaces and '-' as '_').
COLUMNS: dict[str, tuple[str, ...]] = {
    "student_id": ("student_id", "studentuniqueid", "student"),
    "course": ("course", "course_id", "course_code", "local_course_code"),
    "sced": ("sced", "sced_code"),
    "title": ("title", "course_title"),
    "grade_level": ("grade_level", "grade_level_when_taken", "when_taken"),
    "term": ("term", "session"),
    "grade": ("grade", "final_grade", "letter_grade", "mark"),
    "credits": ("credits", "credit", "attempted_credits"),
    "status": ("status",),
    "repeat": ("repeat", "is_repeat"),
}
TRUE = {"1", "y", "yes", "true", "t", "x"}
FALSE = {"", "0", "n", "no", "false", "f"}


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _field_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _norm(name)
        for target, aliases in COLUMNS.items():
            if key in aliases and target not in found:
                found[target] = position
    return found


def _value(text: str, field: str) -> Any:
    text = text.strip()
    if field in ("grade_level",):
        return int(text) if text.lstrip("-").isdigit() else text
    if field == "credits":
        try:
            return float(text)
        except ValueError:
            return text
    if field == "grade":
        try:
            return float(text)
        except ValueError:
            return text
    if field == "term":
        return text.lower()
    if field == "status":
        return text.lower().replace(" ", "_").replace("-", "_")
    if field == "repeat":
        low = text.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        return text
    return text


def _records(text: str) -> Iterator[list[str]]:
    """The CSV's records; one the csv module cannot read is a ``ValueError`` naming its line.

    ``newline=""`` lets a lone carriage return end a line, as the csv module expects; read
    otherwise, it stops with ``csv.Error``, as it does on a field over its size limit, and that
    error is not a ``ValueError``: callers would see a crash instead of a refusal.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValueError(f"line {reader.line_num}: the CSV cannot be read: {exc}") from None
        yield record


def import_csv(
    text: str,
    header: StudentHeader,
    crosswalk: Mapping[str, str] | None = None,
    *,
    max_rows: int | None = None,
) -> ImportResult:
    """Read ``text`` (CSV with a header line) into a student record and unmapped rows.

    ``crosswalk`` maps local course codes to catalog course ids. With ``max_rows``, a CSV that
    imports more rows is refused (:class:`RowLimitError`) as soon as one row too many is read.
    """
    reader = _records(text)
    try:
        names = next(reader)
    except StopIteration:
        raise ValueError("the CSV is empty: it needs a header line") from None
    columns = _field_map(names)
    if "course" not in columns and "sced" not in columns:
        raise ValueError("the CSV header needs a 'course' or 'sced' column")
    if "grade_level" not in columns:
        raise ValueError("the CSV header needs a 'grade_level' column")
    rows: list[dict[str, Any]] = []
    unmapped: list[UnmappedRow] = []
    ids: set[str] = set()
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"line {line_no}"
        if len(cells) > len(names):
            add_unmapped(unmapped, where, "more cells than header columns")
            continue
        raw = {f: cells[i] for f, i in columns.items() if i < len(cells)}
        sid = raw.pop("student_id", "").strip()
        if sid:
            ids.add(sid)
        data = {f: _value(v, f) for f, v in raw.items() if v.strip() != "" or f == "repeat"}
        if crosswalk and isinstance(data.get("course"), str):
            data["course"] = crosswalk.get(data["course"], data["course"])
        if data.get("status") in ("in_progress", "planned") and data.get("grade") in ("", None):
            data.pop("grade", None)
        try:
            row = TranscriptRow.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in exc.errors()
            )
            add_unmapped(unmapped, where, problems)
            continue
        add_row(rows, row.model_dump(mode="json", exclude_defaults=True), max_rows)
    if len(ids) > 1 and header.student_id is None:
        raise ValueError(f"the CSV holds {len(ids)} student ids; import one student at a time")
    source_id = next(iter(ids)) if len(ids) == 1 else None
    return ImportResult(
        student=student_record(header, source_id, None, rows, unmapped), unmapped=tuple(unmapped)
    )
