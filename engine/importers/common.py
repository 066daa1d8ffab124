"""What every importer returns, and the facts a caller supplies that a source may lack."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from engine.model import ID_PATTERN

__all__ = [
    "MAX_UNMAPPED",
    "ImportResult",
    "RowLimitError",
    "SourceError",
    "StudentHeader",
    "UnmappedRow",
    "add_row",
    "add_unmapped",
    "student_record",
]

#: At most this many unmapped rows are listed; a source with more is refused whole (it is not
#: a course history in the expected form), rather than answered with a truncated list.
MAX_UNMAPPED = 10_000


class SourceError(ValueError):
    """A source that cannot be imported, and where in it: ``path`` holds its keys and indexes
    (``("courses", 0)``), empty for the source as a whole."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


class RowLimitError(SourceError):
    """More rows import than the caller allows (``limit``): said as soon as one row too many is
    read, so a long source is not read to its end only to be refused."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} rows import; the limit is {limit:,}")
        self.limit = limit


class StudentHeader(BaseModel):
    """Facts about the student that transcripts do not carry (or carry ambiguously)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    jurisdiction: str = Field(pattern=r"^[A-Z]{2,8}$", description="e.g. TX")
    cohort: int | None = Field(
        default=None, ge=2000, le=2100, description="graduation year; else read from the source"
    )
    grade_level: int | None = Field(
        default=None, ge=6, le=12, description="current grade; else the highest grade in the rows"
    )
    student_id: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description="opaque id to use; else the source's own student id",
    )
    goals: tuple[str, ...] = Field(default=(), max_length=50)


class UnmappedRow(BaseModel):
    """A source row that was not imported, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(max_length=200, description="where the row is, e.g. 'courseTranscripts[3]'")
    reason: str = Field(max_length=500)


class ImportResult(BaseModel):
    """GradPath's student record built from a source, and the rows that could not be mapped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    student: dict[str, Any] = Field(description="a student record (see the student JSON schema)")
    unmapped: tuple[UnmappedRow, ...] = Field(default=(), max_length=MAX_UNMAPPED)
    warnings: tuple[Annotated[str, Field(max_length=500)], ...] = Field(
        default=(),
        max_length=MAX_UNMAPPED,
        description="what the source itself says is missing (Ed-Fi: a session whose "
        "studentAcademicRecord reports more earned credits than its course transcripts earn)",
    )


def add_unmapped(unmapped: list[UnmappedRow], source: str, reason: str) -> None:
    """List a row that was not imported; past :data:`MAX_UNMAPPED` rows, refuse the source.

    The refusal comes as soon as the limit is passed (a 1 MiB CSV of bad lines is not read to
    its end) and names the first row and its reason, which usually shows what is wrong.
    """
    if len(reason) > 500:
        reason = reason[:499] + "…"
    unmapped.append(UnmappedRow(source=source, reason=reason))
    if len(unmapped) > MAX_UNMAPPED:
        first = unmapped[0]
        raise SourceError(
            f"more than {MAX_UNMAPPED:,} rows cannot be imported (the first, {first.source}: "
            f"{first.reason}); is this a course history in the expected form?"
        )


def add_row(rows: list[dict[str, Any]], row: dict[str, Any], max_rows: int | None) -> None:
    """Keep an imported row; past ``max_rows`` (when given), refuse the source."""
    rows.append(row)
    if max_rows is not None and len(rows) > max_rows:
        raise RowLimitError(max_rows)


def student_record(
    header: StudentHeader,
    source_id: str | None,
    cohort: int | None,
    rows: list[dict[str, Any]],
    unmapped: list[UnmappedRow],
) -> dict[str, Any]:
    """The student JSON: the header's facts first, then what the source said."""
    student_id = header.student_id or source_id
    if student_id is None:
        raise ValueError("the source names no student id: pass one (student_id)")
    found_cohort = header.cohort or cohort
    if found_cohort is None:
        raise ValueError("the source gives no graduation year: pass the cohort")
    levels = [int(r["grade_level"]) for r in rows]
    grade_level = header.grade_level or (max(levels) if levels else None)
    if grade_level is None:
        # Built only when there is an unmapped row to name: a source of no rows at all (a CSV
        # of a header line, an empty courseTranscripts) has none, and unmapped[0] would fail.
        why = (
            f" ({len(unmapped)} unmapped, e.g. {unmapped[0].source}: {unmapped[0].reason})"
            if unmapped
            else " (the source has no transcript rows)"
        )
        raise ValueError(
            "no row could be imported to infer the current grade level from: pass grade_level" + why
        )
    record: dict[str, Any] = {
        "id": student_id,
        "jurisdiction": header.jurisdiction,
        "cohort": found_cohort,
        "grade_level": grade_level,
        "transcript": rows,
    }
    if header.goals:
        record["goals"] = list(header.goals)
    return record
