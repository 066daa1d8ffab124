"""A flat course-history CSV (one row per course attempt) to a GradPath student record.

Columns are matched by header name, case-insensitively, with common aliases (``course_code``
for ``course``, ``grade_level`` or ``grade level`` ...). Every data row either becomes a
transcript row exactly as written, or is listed as unmapped with its line and the problem.
"""

from __future__ import annotations

import csv
import io
import re
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

__all__ = ["COLUMNS", "field_map", "import_csv"]

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


#: A number as a CSV cell writes one: ASCII digits, an optional point and exponent. Python's
#: ``float`` also reads "1_0" (10), "١" (1), "nan" and "inf": a typo would become a value.
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")


def _norm(name: str) -> str:
    # A byte-order mark is stripped too: text decoded as "utf-8" (not "utf-8-sig") keeps it
    # on the first header name, which then matches no column.
    return name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


def field_map(header: list[str]) -> dict[str, int]:
    """GradPath field -> column; two columns for one field are refused, naming both: reading
    one of them (the first) would drop the other's values silently, and a header such as
    ``Student,Student ID`` (a name and an id) or two ``Grade`` columns (a grade level and a
    mark) is common in exports."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _norm(name)
        for target, aliases in COLUMNS.items():
            if key not in aliases:
                continue
            if target in found:
                first = found[target]
                raise ValueError(
                    f"the CSV header has two columns for {target}: {first + 1} "
                    f"({header[first].strip()!r}) and {position + 1} ({name.strip()!r}); "
                    "keep one"
                )
            found[target] = position
    return found


def _value(text: str, field: str) -> Any:
    text = text.strip()
    if field in ("grade_level",):
        if INTEGER.fullmatch(text):
            return int(text)
        if "_" in text:  # pydantic reads "1_0" as 10, as Python does
            raise ValueError(f"grade_level: {text!r} is not a whole number")
        return text
    if field == "credits":
        if not NUMBER.fullmatch(text):  # pydantic would read "1_0" as 10 and "nan" as NaN
            comma = " (write decimals with a point)" if "," in text else ""
            raise ValueError(f"credits: {text!r} is not a number{comma}")
        return float(text)
    if field == "grade":  # a number, else a letter or P/F (the row's model reads those)
        return float(text) if NUMBER.fullmatch(text) else text
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


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record, ``line`` the one it starts on; one the csv module cannot
    read is a ``ValueError`` naming its line.

    A quoted field may hold a line break, so a record is not always one line: counting records
    would point every later message at the wrong line of the file.

    ``newline=""`` lets a lone carriage return end a line, as the csv module expects; read
    otherwise, it stops with ``csv.Error``, as it does on a field over its size limit, and that
    error is not a ``ValueError``: callers would see a crash instead of a refusal.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValueError(f"line {reader.line_num}: the CSV cannot be read: {exc}") from None
        yield start, record


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
        _, names = next(reader)
    except StopIteration:
        raise ValueError("the CSV is empty: it needs a header line") from None
    columns = field_map(names)
    if "course" not in columns and "sced" not in columns:
        hint = ""
        if len(names) == 1:
            for sep, called in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
                if sep in names[0]:
                    hint = f" (the header is one column: it is separated by {called}, not commas)"
                    break
        raise ValueError("the CSV header needs a 'course' or 'sced' column" + hint)
    if "grade_level" not in columns:
        raise ValueError("the CSV header needs a 'grade_level' column")
    rows: list[dict[str, Any]] = []
    unmapped: list[UnmappedRow] = []
    ids: set[str] = set()
    # Cells a line must have: up to the last named column (a header's trailing commas name none).
    needed = max((i + 1 for i, n in enumerate(names) if n.strip()), default=0)
    for line_no, cells in reader:
        if not any(c.strip() for c in cells):
            continue
        where = f"line {line_no}"
        if len(cells) > len(names):
            add_unmapped(unmapped, where, "more cells than header columns")
            continue
        if len(cells) < needed:
            # A value left out shifts the ones after it: "ALG1,9,1" under
            # "course,grade_level,grade,credits" would import a grade of 1 and no credits.
            add_unmapped(
                unmapped,
                where,
                f"{len(cells)} cells, the header has {needed} columns: is a value missing?",
            )
            continue
        raw = {f: cells[i] for f, i in columns.items() if i < len(cells)}
        sid = raw.pop("student_id", "").strip()
        if sid:
            ids.add(sid)
        try:
            data = {f: _value(v, f) for f, v in raw.items() if v.strip() != "" or f == "repeat"}
        except ValueError as exc:
            add_unmapped(unmapped, where, str(exc))
            continue
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
    # Even with an id to use (``header.student_id`` names the record, it does not choose a
    # student): two students' courses would be merged into one transcript.
    if len(ids) > 1:
        raise ValueError(f"the CSV holds {len(ids)} student ids; import one student at a time")
    source_id = next(iter(ids)) if len(ids) == 1 else None
    return ImportResult(
        student=student_record(header, source_id, None, rows, unmapped), unmapped=tuple(unmapped)
    )
