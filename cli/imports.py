"""``gradpath import edfi|csv``: other systems' transcripts to a GradPath student record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from engine.importers import ImportResult, StudentHeader, import_csv, import_edfi

__all__ = ["imports"]

imports = typer.Typer(
    name="import", help="Turn Ed-Fi or CSV transcripts into a student record.", no_args_is_help=True
)

Jurisdiction = Annotated[str, typer.Option("--jurisdiction", "-j", help="e.g. TX")]
Cohort = Annotated[int | None, typer.Option(help="graduation year (else from the source)")]
Grade = Annotated[int | None, typer.Option("--grade-level", help="current grade level")]
StudentId = Annotated[str | None, typer.Option("--student-id", help="opaque id to use")]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="write the student JSON here")]
Crosswalk = Annotated[
    Path | None, typer.Option(help="JSON object: local course code -> catalog course id")
]


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        typer.echo(f"error: cannot read {path}: {exc.strerror}", err=True)
    except (ValueError, UnicodeDecodeError) as exc:
        typer.echo(f"error: {path} is not valid {what}: {exc}", err=True)
    raise typer.Exit(1)


def _header(
    jurisdiction: str, cohort: int | None, grade: int | None, sid: str | None
) -> StudentHeader:
    try:
        return StudentHeader(
            jurisdiction=jurisdiction.upper(), cohort=cohort, grade_level=grade, student_id=sid
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _crosswalk(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    data = _read_json(path, "JSON")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        typer.echo(f"error: {path} must be a JSON object of code -> course id", err=True)
        raise typer.Exit(1)
    return {str(k): v for k, v in data.items()}


def _emit(result: ImportResult, out: Path | None) -> None:
    text = json.dumps(result.student, indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out} ({len(result.student.get('transcript', []))} rows)", err=True)
    for row in result.unmapped:
        typer.echo(f"unmapped {row.source}: {row.reason}", err=True)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)


@imports.command("edfi")
def edfi_command(
    bundle: Annotated[Path, typer.Argument(help="Ed-Fi bundle (JSON)")],
    jurisdiction: Jurisdiction,
    cohort: Cohort = None,
    grade_level: Grade = None,
    student_id: StudentId = None,
    crosswalk: Crosswalk = None,
    out: Out = None,
) -> None:
    """Import an Ed-Fi Data Standard 5.x bundle (courseTranscripts, courses, ...)."""
    from cli.main import default_root
    from engine.knowledge import load_knowledge

    data = _read_json(bundle, "JSON")
    if not isinstance(data, dict):
        typer.echo(f"error: {bundle} must hold a JSON object of Ed-Fi resources", err=True)
        raise typer.Exit(1)
    header = _header(jurisdiction, cohort, grade_level, student_id)
    knowledge = load_knowledge(default_root())
    cats = knowledge.catalogs.get(header.jurisdiction, [])
    known = frozenset(c.id for cat in cats for c in cat.courses) if cats else None
    try:
        result = import_edfi(data, header, known, _crosswalk(crosswalk))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _emit(result, out)


@imports.command("csv")
def csv_command(
    file: Annotated[Path, typer.Argument(help="course-history CSV with a header line")],
    jurisdiction: Jurisdiction,
    cohort: Annotated[int, typer.Option(help="graduation year")],
    grade_level: Grade = None,
    student_id: StudentId = None,
    crosswalk: Crosswalk = None,
    out: Out = None,
) -> None:
    """Import a flat course-history CSV (one line per course attempt)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: cannot read {file} as UTF-8 text: {exc}", err=True)
        raise typer.Exit(1) from None
    header = _header(jurisdiction, cohort, grade_level, student_id)
    try:
        result = import_csv(text, header, _crosswalk(crosswalk))
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _emit(result, out)
