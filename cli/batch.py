"""``gradpath batch``: audit every student of a file or folder, locally or on a Dask cluster.

A thin adapter over :func:`engine.batch.run_batch`: options to a backend and a run, a rich
progress bar on stderr (rate and ETA), the summary on stdout. Exit codes follow ``gradpath``: 0
the run finished (students that could not be audited are in the errors file, and counted), 1
bad input or a run that could not finish (rerun the same command to resume), 2 usage.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from engine.batch import (
    Backend,
    BackendError,
    BatchOptions,
    BatchReport,
    InputError,
    LocalBackend,
    ManifestMismatchError,
    OutputExistsError,
    detect_format,
    detect_output,
    knowledge_files,
    run_batch,
)
from engine.batch.readers import InputFormat
from engine.batch.writers import OutputFormat
from engine.errors import AuthoringError
from engine.knowledge import load_knowledge

__all__ = ["batch_command", "register"]


class _Rate(ProgressColumn):
    """Students per second over the recent window."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("-- students/s" if speed is None else f"{speed:,.0f} students/s")


def _root(root: Path | None) -> Path:
    if root is not None:
        return root
    env = os.environ.get("GRADPATH_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _print_summary(report: BatchReport, console: Console) -> None:
    data = report.summary
    console.print(
        f"{report.students:,} students: {report.audited:,} audited, {report.errors:,} errors"
        + (f" ({report.resumed:,} from an earlier run)" if report.resumed else "")
        + f" in {report.seconds:,.1f} s"
    )
    table = Table(title="per goal", title_justify="left")
    for name in ("goal", "grade", "students", "met", "in progress", "unmet", "most missing"):
        table.add_column(name, justify="right" if name in ("students", "met") else "left")
    for goal, tally in data["goals"].items():
        rows: list[tuple[str, dict[str, Any]]] = [("all", tally)]
        rows += list(tally["by_grade_level"].items())
        for grade, t in rows:
            missing = ", ".join(f"{n} ({c:,})" for n, c in t["most_missing"][:3])
            table.add_row(
                goal if grade == "all" else "",
                grade,
                f"{t['students']:,}",
                f"{t['met']:,}",
                f"{t['in_progress']:,}",
                f"{t['unmet']:,}",
                missing or "-",
            )
    console.print(table)
    if report.errors:
        codes = ", ".join(f"{c} {n:,}" for c, n in data["errors_by_code"].items())
        console.print(f"errors ({codes}): see {report.errors_file}")
    console.print(f"output: {report.output}  summary: {report.summary_file}")


def batch_command(
    students: Annotated[
        Path,
        typer.Option(
            "--students",
            help="JSON Lines (.jsonl), course-history CSV (.csv), Parquet (.parquet, a 'student' "
            "column of student JSON) or a folder of Ed-Fi bundles (*.json)",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="output: .jsonl (nested), .csv or .parquet (flat)")
    ],
    goal: Annotated[
        list[str] | None,
        typer.Option("--goal", "-g", help="goal id; repeat for several (default: each record's)"),
    ] = None,
    plan: Annotated[bool, typer.Option("--plan", help="also plan each student's courses")] = False,
    full: Annotated[
        bool, typer.Option("--full", help="include each student's whole audit JSON")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="local processes (default: cores)")
    ] = None,
    dask: Annotated[
        str | None, typer.Option("--dask", help="address of a Dask scheduler, e.g. tcp://h:8786")
    ] = None,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, max=100_000, help="students per committed chunk")
    ] = 250,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="errors file (default: OUT.errors.jsonl)")
    ] = None,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="summary JSON (default: OUT.summary.json)")
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", "-j", help="for CSV and Ed-Fi input without one, e.g. TX"),
    ] = None,
    cohort: Annotated[
        int | None, typer.Option(help="graduation year for CSV and Ed-Fi input without one")
    ] = None,
    plan_time_limit: Annotated[
        float, typer.Option("--plan-time-limit", min=0.01, max=600, help="solver seconds")
    ] = 5.0,
    restart: Annotated[
        bool, typer.Option("--restart", help="discard an earlier run's progress and output")
    ] = False,
    show_progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="progress bar on stderr")
    ] = True,
    root: Annotated[
        Path | None,
        typer.Option("--root", help="folder with catalogs/ and rules/ (default: the bundled ones)"),
    ] = None,
) -> None:
    """Audit every student of --students against --goal ...; resumable, parallel, summarised."""
    base = _root(root)
    try:
        input_format: InputFormat = detect_format(students)
        output_format: OutputFormat = detect_output(out)
        knowledge = load_knowledge(base)
    except AuthoringError as exc:
        raise _fail(exc.render()) from None
    except (InputError, ValueError) as exc:
        raise _fail(str(exc)) from None
    known = {r.id for r in knowledge.goals()}
    if not known:
        raise _fail(
            f"{base}: no rule sets found: --root names the folder holding catalogs/ and rules/"
        )
    for wanted in goal or []:
        if wanted not in known:
            raise _fail(f"unknown goal {wanted!r} (see docs/vocabulary.md)")
    if input_format == "edfi" and not jurisdiction:
        raise _fail("Ed-Fi bundles do not name a state: pass --jurisdiction", 2)
    files = knowledge_files(base)
    backend: Backend
    if dask:
        from engine.batch.dask import DaskBackend  # Dask imports only when asked for

        backend = DaskBackend(files, address=dask)
    else:
        backend = LocalBackend(base, workers)
    options = BatchOptions(
        goals=tuple(goal or ()),
        plan=plan,
        full=full,
        jurisdiction=jurisdiction.upper() if jurisdiction else None,
        cohort=cohort,
        plan_time_limit=plan_time_limit,
    )
    err = Console(stderr=True)
    bar = Progress(
        TextColumn("[bold]auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not show_progress,
        speed_estimate_period=60,
    )
    task = bar.add_task("students", total=None)
    started = [False]

    def advance(done: int, total: int) -> None:
        if not started[0]:  # students of an earlier run must not count toward the rate
            started[0] = True
            bar.reset(task, total=total, completed=done)
        else:
            bar.update(task, completed=done, total=total)

    err.print(f"{students} -> {out} on {backend.describe()}")
    try:
        with bar:
            report = run_batch(
                source=students,
                input_format=input_format,
                out=out,
                output_format=output_format,
                options=options,
                backend=backend,
                knowledge_files=files,
                chunk_size=chunk_size,
                errors_file=errors,
                summary_file=summary,
                restart=restart,
                progress=advance,
            )
    except (InputError, OutputExistsError, ManifestMismatchError) as exc:
        raise _fail(str(exc)) from None
    except BackendError as exc:
        raise _fail(exc.message) from None
    except OSError as exc:  # disk full, a folder not writable: committed chunks are kept
        where = f" {exc.filename}" if exc.filename else ""
        raise _fail(
            f"I/O error on{where}: {exc.strerror or exc}; fix it and rerun to resume"
        ) from None
    _print_summary(report, Console())


def register(app: typer.Typer) -> None:
    """Add ``batch`` to the ``gradpath`` command."""
    app.command("batch")(batch_command)
