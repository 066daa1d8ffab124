"""One course-history CSV holding many students, split into one CSV per student.

:func:`engine.importers.import_csv` reads one student; a district's export holds all of them,
one line per course attempt. Lines are grouped by the ``student_id`` column. When every
student's lines are contiguous (an export sorted by student, the usual case) the file is
streamed; otherwise the groups are gathered in memory first (fine for a district; sort a state's
file by student_id). Either way students come out in order of first appearance, and each group
keeps the input line numbers of its rows, so unmapped rows point into the real file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from engine.batch.items import WorkItem
from engine.importers.csv import COLUMNS, field_map

__all__ = ["FACT_COLUMNS", "CsvInputError", "count_csv_students", "read_csv_students"]

#: Optional per-student columns (normalised names) that the single-student importer ignores.
FACT_COLUMNS = ("jurisdiction", "cohort", "current_grade_level")


class CsvInputError(ValueError):
    """The CSV as a whole cannot be read (no header, no student_id column, not UTF-8)."""


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _layout(path: Path, header: list[str]) -> tuple[int, dict[str, int]]:
    """The student id column and the fact columns; a header that no student of the file could
    be imported with (the importer reads the same header for each) stops the run here, rather
    than failing every student, or grouping students by the wrong column."""
    names = [_norm(h) for h in header]
    sid = next((i for i, n in enumerate(names) if n in COLUMNS["student_id"]), None)
    if sid is None:
        raise CsvInputError(
            f"{path}:1: the header needs a student id column "
            f"({', '.join(COLUMNS['student_id'])}) to tell students apart"
        )
    try:
        # Two columns for one field (``Student,Student ID``: a name and an id) are refused by
        # the importer; grouping by the first of them would group students by name.
        fields = field_map(header)
    except ValueError as exc:
        raise CsvInputError(f"{path}:1: {exc}") from None
    if "course" not in fields and "sced" not in fields:
        raise CsvInputError(f"{path}:1: the header needs a 'course' or 'sced' column")
    if "grade_level" not in fields:
        raise CsvInputError(f"{path}:1: the header needs a 'grade_level' column")
    facts = {n: i for i, n in enumerate(names) if n in FACT_COLUMNS}
    return sid, facts


def _lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for each record, the line it starts on (a quoted field may hold a
    line break); a header check on the first."""
    start = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise CsvInputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise CsvInputError(f"{path}:{start}: unreadable CSV: {exc}") from None


def _text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _groups(path: Path) -> tuple[list[str], Iterator[tuple[str, list[tuple[int, list[str]]]]]]:
    lines = _lines(path)
    try:
        _, header = next(lines)
    except StopIteration:
        raise CsvInputError(f"{path}: the CSV is empty: it needs a header line") from None
    sid_col, _ = _layout(path, header)
    contiguous = _is_contiguous(path, sid_col)

    def stream() -> Iterator[tuple[str, list[tuple[int, list[str]]]]]:
        current: str | None = None
        group: list[tuple[int, list[str]]] = []
        for line_no, cells in lines:
            if not any(c.strip() for c in cells):
                continue
            sid = cells[sid_col].strip() if sid_col < len(cells) else ""
            if current is not None and sid != current:
                yield current, group
                group = []
            current = sid
            group.append((line_no, cells))
        if current is not None:
            yield current, group

    def gathered() -> Iterator[tuple[str, list[tuple[int, list[str]]]]]:
        groups: dict[str, list[tuple[int, list[str]]]] = {}
        for line_no, cells in lines:
            if not any(c.strip() for c in cells):
                continue
            sid = cells[sid_col].strip() if sid_col < len(cells) else ""
            groups.setdefault(sid, []).append((line_no, cells))
        yield from groups.items()

    return header, (stream() if contiguous else gathered())


def _is_contiguous(path: Path, sid_col: int) -> bool:
    """Whether each student's lines form one run (one cheap pass over the id column)."""
    closed: set[str] = set()
    current: str | None = None
    lines = _lines(path)
    next(lines, None)
    for _, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        sid = cells[sid_col].strip() if sid_col < len(cells) else ""
        if sid != current:
            if sid in closed:
                return False
            if current is not None:
                closed.add(current)
            current = sid
    return True


def count_csv_students(path: Path) -> int:
    """How many students the file holds (distinct student ids, blank counted once)."""
    lines = _lines(path)
    try:
        _, header = next(lines)
    except StopIteration:
        return 0
    sid_col, _ = _layout(path, header)
    seen = {
        (cells[sid_col].strip() if sid_col < len(cells) else "")
        for _, cells in lines
        if any(c.strip() for c in cells)
    }
    return len(seen)


def read_csv_students(path: Path, start: int = 0) -> Iterator[WorkItem]:
    """One :class:`WorkItem` per student, numbered from ``start`` in order of first appearance."""
    header, groups = _groups(path)
    _, fact_cols = _layout(path, header)
    for offset, (sid, group) in enumerate(groups):
        index = start + offset
        first = group[0][0]
        where = f"{path}:{first}"
        if not sid:
            numbers = ", ".join(str(n) for n, _ in group[:5])
            more = "" if len(group) <= 5 else f" and {len(group) - 5} more"
            yield WorkItem(
                index,
                where,
                "error",
                f"line(s) {numbers}{more}: empty student id: each line needs one",
            )
            continue
        facts: dict[str, str] = {}
        for name, col in fact_cols.items():
            values = {cells[col].strip() for _, cells in group if col < len(cells)} - {""}
            if len(values) > 1:
                facts = {"conflict": f"{name} differs between lines of student {sid}"}
                break
            if values:
                facts[name] = values.pop()
        yield WorkItem(
            index,
            where,
            "csv",
            _text(header, [cells for _, cells in group]),
            lines=tuple(n for n, _ in group),
            facts=tuple(sorted(facts.items())),
            student=sid,
        )
