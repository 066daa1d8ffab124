"""POST /v1/import/edfi and /v1/import/csv: other systems' transcripts to a student record.

The result is returned, never stored. Rows that cannot be mapped are listed with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from starlette.concurrency import run_in_threadpool

from engine.importers import (
    ImportResult,
    RowLimitError,
    SourceError,
    StudentHeader,
    import_csv,
    import_edfi,
)
from engine.knowledge import Knowledge
from service import examples
from service.auth import Evaluator
from service.deps import KnowledgeDep, SettingsDep, log_extra
from service.problems import ProblemError, ProblemItem

__all__ = ["router"]

router = APIRouter(prefix="/v1/import", tags=["import"])

Jurisdiction = Annotated[str, Query(pattern=r"^[A-Z]{2,8}$", max_length=8, description="e.g. TX")]
Cohort = Annotated[int | None, Query(ge=2000, le=2100, description="graduation year")]
Grade = Annotated[int | None, Query(ge=6, le=12, description="current grade level")]
StudentId = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", max_length=64, description="opaque id"),
]


def _known(knowledge: Knowledge, jurisdiction: str) -> frozenset[str] | None:
    cats = knowledge.catalogs.get(jurisdiction)
    if not cats:
        return None
    return frozenset(c.id for cat in cats for c in cat.courses)


def _finish(request: Request, result: ImportResult, fmt: str) -> ImportResult:
    rows = len(result.student.get("transcript", []))
    log_extra(request, format=fmt, rows=rows, unmapped=len(result.unmapped))
    return result


def _bad_source(exc: ValueError) -> ProblemError:
    """422 for a source the importer refused; ``loc`` goes into the bundle where it can."""
    if isinstance(exc, RowLimitError):  # the importer stopped at the row after the limit
        return ProblemError(
            422,
            "Transcript too long",
            f"At most {exc.limit} transcript rows per student.",
            [ProblemItem(loc=["body"], msg=str(exc), type="too_long")],
        )
    where = list(exc.path) if isinstance(exc, SourceError) else []
    return ProblemError(
        422,
        "The source cannot be imported",
        str(exc),
        [ProblemItem(loc=["body", *where], msg=str(exc)[:1000], type="import_error")],
    )


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    """Where a CSV stops being UTF-8: the line and the byte, which is what a counselor needs to
    find it (an accented name saved by a spreadsheet as Windows-1252, say)."""
    line = raw.count(b"\n", 0, exc.start) + 1
    return (
        f"the CSV is not UTF-8 text: line {line} has byte 0x{raw[exc.start]:02X} "
        "(save the file as UTF-8)"
    )


@router.post(
    "/edfi",
    response_model=ImportResult,
    summary="Import an Ed-Fi (Data Standard 5.x) bundle",
    description="A JSON object with `courseTranscripts` and, optionally, `courses` (for SCED "
    "codes), `studentAcademicRecords` and `graduationPlans` (for the graduation year).",
)
def edfi(
    request: Request,
    bundle: Annotated[dict[str, Any], Body(description="Ed-Fi resources by name")],
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
    jurisdiction: Jurisdiction,
    cohort: Cohort = None,
    grade_level: Grade = None,
    student_id: StudentId = None,
) -> ImportResult:
    header = StudentHeader(
        jurisdiction=jurisdiction, cohort=cohort, grade_level=grade_level, student_id=student_id
    )
    try:
        result = import_edfi(
            bundle,
            header,
            _known(knowledge, jurisdiction),
            max_rows=settings.max_transcript_rows,
        )
    except ValueError as exc:
        raise _bad_source(exc) from None
    return _finish(request, result, "edfi")


@router.post(
    "/csv",
    response_model=ImportResult,
    summary="Import a flat course-history CSV",
    description="A header line, then one line per course attempt. Columns: course (or sced), "
    "grade_level, term, grade, credits, status, repeat, title, student_id.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {
                    "schema": {"type": "string", "maxLength": 1048576},
                    "example": examples.CSV,
                }
            },
        }
    },
)
async def csv(
    request: Request,
    settings: SettingsDep,
    _caller: Evaluator,
    jurisdiction: Jurisdiction,
    cohort: Annotated[int, Query(ge=2000, le=2100, description="graduation year")],
    grade_level: Grade = None,
    student_id: StudentId = None,
) -> ImportResult:
    raw = await request.body()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _bad_source(ValueError(_not_utf8(raw, exc))) from None
    header = StudentHeader(
        jurisdiction=jurisdiction, cohort=cohort, grade_level=grade_level, student_id=student_id
    )
    try:
        # In the thread pool: a 1 MiB CSV takes a few hundred milliseconds to read, which on
        # the event loop would hold every other request of this worker.
        result = await run_in_threadpool(
            import_csv, text, header, max_rows=settings.max_transcript_rows
        )
    except ValueError as exc:
        raise _bad_source(exc) from None
    return _finish(request, result, "csv")
