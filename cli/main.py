"""``gradpath``: audit a student and validate rule files from the command line.

The CLI only translates: it reads files, calls the engine, prints results and maps errors to exit
codes. Exit codes: 0 success; 1 the input is wrong (a rule file, a student record, an unknown
goal), with every problem printed; 2 the command itself is wrong (usage).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import batch as _batch
from cli import careers as _careers
from cli import imports as _imports
from cli import plan as _plan
from cli import recommend as _recommend
from cli import rules as _rules
from cli import serve as _serve
from cli import synth as _synth
from engine.audit import audit
from engine.errors import (
    AuthoringError,
    Diagnostic,
    GradPathError,
    StudentDataError,
    split_severity,
)
from engine.explain import render_text
from engine.knowledge import build_knowledge, load_knowledge
from engine.loader import (
    CAREER_ROUTES_FILE,
    Loaded,
    load_career_file,
    load_career_routes,
    load_catalog,
    load_ruleset,
    load_student_file,
    load_tree,
)
from engine.schema import SCHEMAS, schema_text

__all__ = ["app", "default_root", "main"]

app = typer.Typer(
    name="gradpath",
    help="Audit transcripts against graduation, admission and pathway rules authored as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def default_root() -> Path:
    """The folder holding ``catalogs/`` and ``rules/``: $GRADPATH_ROOT or the bundled ones."""
    env = os.environ.get("GRADPATH_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


RootOption = Annotated[
    Path | None,
    typer.Option("--root", help="folder with catalogs/ and rules/ (default: the bundled ones)"),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="text or json")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


@app.command("audit")
def audit_command(
    student: Annotated[Path, typer.Argument(help="student JSON file")],
    goal: Annotated[
        list[str] | None, typer.Option("--goal", "-g", help="goal id; repeat for several")
    ] = None,
    output: FormatOption = OutputFormat.text,
    root: RootOption = None,
) -> None:
    """Audit STUDENT against their goals (or --goal ...) and print the report."""
    try:
        knowledge = load_knowledge(root or default_root())
        record = load_student_file(student)
        result = audit(knowledge=knowledge, student=record, goals=goal or None)
    except AuthoringError as exc:
        raise _fail(exc.render()) from None
    except StudentDataError as exc:
        raise _fail(exc.message) from None
    except GradPathError as exc:
        raise _fail(f"error: {exc.message}") from None
    if output is OutputFormat.json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
    else:
        typer.echo(render_text(result), nl=False)


def _validate_paths(paths: list[Path]) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for path in paths:
        if path.is_dir() and ((path / "catalogs").is_dir() or (path / "rules").is_dir()):
            try:
                diagnostics.extend(build_knowledge(load_tree(path)).warnings)
            except AuthoringError as exc:
                diagnostics.extend(exc.diagnostics)
            continue
        files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            if file.name.endswith(".tests.yaml"):
                continue
            if not file.exists():
                diagnostics.append(Diagnostic(str(file), 1, 1, "no such file", "not-found"))
                continue
            is_catalog = "catalogs" in file.parts or _looks_like_catalog(file)
            load: Callable[[Path], Loaded[object]] = load_catalog if is_catalog else load_ruleset
            if "careers" in file.parts:  # one file alone: its own checks, not cross-file ones
                load = load_career_routes if file.name == CAREER_ROUTES_FILE else load_career_file
            try:
                load(file)
            except AuthoringError as exc:
                diagnostics.extend(exc.diagnostics)
    return diagnostics


def report_diagnostics(diagnostics: list[Diagnostic], output: str) -> None:
    """Print validation results; exit 1 when any is an error (warnings alone pass)."""
    errors, warnings = split_severity(diagnostics)
    if output == "json":
        found = {"errors": errors, "warnings": warnings}
        typer.echo(json.dumps({k: [d.as_dict() for d in v] for k, v in found.items()}, indent=2))
    else:
        for diag in [*errors, *warnings]:
            typer.echo(diag.render())
        said = f" ({len(warnings)} warning(s))" if warnings else ""
        if errors:
            typer.echo(f"{len(errors)} error(s){said}", err=True)
        else:
            typer.echo(f"all rule and catalog files are valid{said}")
    if errors:
        raise typer.Exit(1)


def _looks_like_catalog(file: Path) -> bool:
    try:
        head = file.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return False
    return "\ncourses:" in head and "\nrequirements:" not in head


@app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="files or folders (default: everything bundled)")
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Check rule and catalog files; print every error and warning with file:line:col.

    Exits 1 if any is an error (warnings alone pass).
    """
    report_diagnostics(_validate_paths(paths or [default_root()]), output.value)


@app.command("schema")
def schema_command(
    out: Annotated[Path, typer.Option("--out", help="folder to write the schemas to")] = Path(
        "docs/schema"
    ),
) -> None:
    """Write JSON Schemas for rule, catalog and student files (for editors and CI)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        (out / name).write_text(schema_text(name), encoding="utf-8")
        typer.echo(f"wrote {out / name}")


# Command groups that live in their own modules.
_serve.register(app)
app.add_typer(_imports.imports)
app.add_typer(_careers.careers)
_plan.register(app)
_recommend.register(app)
_batch.register(app)
_rules.register(app)
_synth.register(app)


def main() -> None:
    """Entry point: a user sees a message and an exit code, never a traceback."""
    try:
        app(standalone_mode=True)
    except GradPathError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    except Exception as exc:  # the last line of defence: report, do not dump a traceback
        typer.echo(f"internal error ({type(exc).__name__}): {exc}", err=True)
        typer.echo("please report this with the command you ran", err=True)
        sys.exit(70)
