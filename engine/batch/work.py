"""The worker side of a batch: raw items -> students -> audits (and plans) -> records.

Runs in worker processes (local pool or Dask). Each student either gives a result record or an
error record with the reason; nothing a single student does (bad JSON, an unknown goal, a bug
in a rule) stops the chunk. Knowledge is loaded once per process and kept in a module-level
cache keyed by its root or content hash (:func:`knowledge_for`, :func:`install_knowledge`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.audit import audit_document, audit_summary
from engine.batch.items import BatchOptions, WorkItem
from engine.batch.records import student_record
from engine.errors import GradPathError, StudentDataError
from engine.importers import StudentHeader, import_csv, import_edfi
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student
from engine.planning import PlanConstraints, plan
from engine.student import Student

__all__ = [
    "ItemError",
    "install_knowledge",
    "knowledge_for",
    "process_chunk",
    "process_item",
]

_KNOWLEDGE: dict[str, Knowledge] = {}
_KNOWN_COURSES: dict[tuple[int, str], frozenset[str] | None] = {}
_LINE = re.compile(r"^line (\d+)$")


class ItemError(Exception):
    """One student cannot be read; ``code`` is stable, ``message`` says what and where."""

    def __init__(self, code: str, message: str, student: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.student = student


def install_knowledge(key: str, knowledge: Knowledge, *, replace: bool = False) -> None:
    """Make ``knowledge`` available to :func:`process_chunk` under ``key`` in this process.

    ``replace`` drops every other knowledge first (a long-lived Dask worker that served last
    night's rules keeps only tonight's).
    """
    if replace:
        _KNOWLEDGE.clear()
        _KNOWN_COURSES.clear()
    _KNOWLEDGE[key] = knowledge


def knowledge_for(key: str) -> Knowledge:
    """The knowledge under ``key``, loading ``key`` as a root folder the first time."""
    found = _KNOWLEDGE.get(key)
    if found is None:
        found = _KNOWLEDGE[key] = load_knowledge(Path(key))
    return found


def _known_courses(knowledge: Knowledge, jurisdiction: str) -> frozenset[str] | None:
    key = (id(knowledge), jurisdiction)
    if key not in _KNOWN_COURSES:
        cats = knowledge.catalogs.get(jurisdiction, [])
        _KNOWN_COURSES[key] = frozenset(c.id for cat in cats for c in cat.courses) or None
    return _KNOWN_COURSES[key]


def _parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ItemError("invalid-json", f"invalid JSON at column {exc.colno}: {exc.msg}") from None
    except (RecursionError, ValueError) as exc:
        raise ItemError("invalid-json", f"invalid {what}: {exc}") from None


def _header(item: WorkItem, options: BatchOptions, student_id: str | None) -> StudentHeader:
    facts = dict(item.facts)
    if "conflict" in facts:
        raise ItemError("invalid-csv", facts["conflict"], student_id)
    jurisdiction = facts.get("jurisdiction") or options.jurisdiction
    if not jurisdiction:
        raise ItemError(
            "no-jurisdiction",
            "no jurisdiction: pass --jurisdiction or add a 'jurisdiction' column",
            student_id,
        )
    cohort = facts.get("cohort") or options.cohort
    grade = facts.get("current_grade_level")
    try:
        return StudentHeader(
            jurisdiction=jurisdiction.upper(),
            cohort=int(cohort) if cohort is not None else None,
            grade_level=int(grade) if grade is not None else None,
        )
    except (ValidationError, ValueError) as exc:
        raise ItemError("invalid-header", f"student facts: {exc}", student_id) from None


def _unmapped_where(item: WorkItem, source: str) -> str:
    """``line k`` of the one-student CSV -> the input file's line.

    The importer names the line a record starts on; the payload is the student's records
    written again, so the record is found by where it starts in the payload (a quoted field
    with a line break makes a record longer than one line) and named by where it started in
    the input.
    """
    match = _LINE.match(source)
    if item.kind != "csv" or not match:
        return source
    reader = csv.reader(io.StringIO(item.payload, newline=""))
    starts: dict[int, int] = {}
    start = 1
    for record, _ in enumerate(reader):
        if record:  # the header is no data row
            starts[start] = record - 1
        start = reader.line_num + 1
    row = starts.get(int(match.group(1)))
    return f"line {item.lines[row]}" if row is not None and row < len(item.lines) else source


def _to_student(
    item: WorkItem, options: BatchOptions, knowledge: Knowledge
) -> tuple[Student, list[dict[str, str]]]:
    if item.kind == "error":
        raise ItemError("unreadable", item.payload)
    if item.kind == "json":
        data = _parse_json(item.payload, "student record")
        sid = data.get("id") if isinstance(data, dict) else None
        try:
            return load_student(data, source=item.where), []
        except StudentDataError as exc:
            problems = "; ".join(p.render() for p in exc.problems)
            raise ItemError(exc.code, problems, sid if isinstance(sid, str) else None) from None
    if item.kind == "edfi":
        bundle = _parse_json(item.payload, "Ed-Fi bundle")
        if not isinstance(bundle, dict):
            raise ItemError("invalid-edfi", "an Ed-Fi bundle is a JSON object of resources")
        header = _header(item, options, None)
        known = _known_courses(knowledge, header.jurisdiction)
        try:
            imported = import_edfi(bundle, header, known)
        except ValueError as exc:
            raise ItemError("invalid-edfi", str(exc)) from None
    else:
        header = _header(item, options, item.student)
        try:
            imported = import_csv(item.payload, header)
        except ValueError as exc:
            raise ItemError("invalid-csv", str(exc), item.student) from None
    unmapped = [
        {"source": _unmapped_where(item, u.source), "reason": u.reason} for u in imported.unmapped
    ]
    try:
        return load_student(imported.student, source=item.where), unmapped
    except StudentDataError as exc:
        problems = "; ".join(p.render() for p in exc.problems)
        raise ItemError(exc.code, problems, imported.student.get("id")) from None


def _result(item: WorkItem, options: BatchOptions, knowledge: Knowledge) -> dict[str, Any]:
    student, unmapped = _to_student(item, options, knowledge)
    goals = list(options.goals) or list(student.goals)
    if not goals:
        raise ItemError(
            "no-goals", "no goals: the record lists none and no --goal was given", student.id
        )
    try:
        # The explanation is built only when the whole audit goes into the output.
        audited = (
            audit_document(knowledge=knowledge, student=student, goals=goals)
            if options.full
            else audit_summary(knowledge=knowledge, student=student, goals=goals)
        )
        planned = None
        if options.plan:
            limits = PlanConstraints(time_limit=options.plan_time_limit)
            planned = plan(knowledge=knowledge, student=student, goals=goals, constraints=limits)
    except GradPathError as exc:
        raise ItemError(exc.code, exc.message, student.id) from None
    return student_record(item.index, student, audited, unmapped=unmapped, plan=planned)


def process_item(item: WorkItem, options: BatchOptions, knowledge: Knowledge) -> dict[str, Any]:
    """``{"index", "result"}`` or ``{"index", "error"}`` for one student; never raises."""
    try:
        return {"index": item.index, "result": _result(item, options, knowledge)}
    except ItemError as exc:
        error = {"code": exc.code, "message": exc.message, "student": exc.student}
    except Exception as exc:  # a bug must cost one student, not the night's run
        error = {
            "code": "internal-error",
            "message": f"{type(exc).__name__}: {exc}"[:2000],
            "student": None,
        }
    return {"index": item.index, "error": {"index": item.index, "where": item.where, **error}}


def process_chunk(
    key: str, items: Sequence[WorkItem], options: BatchOptions
) -> list[dict[str, Any]]:
    """Every item of a chunk, in order, against the knowledge under ``key``."""
    knowledge = knowledge_for(key)
    return [process_item(item, options, knowledge) for item in items]
