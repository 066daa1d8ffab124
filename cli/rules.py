"""``gradpath rules``: validate, test, diff and measure the impact of rule files.

Exit codes of every command here: 0 success (valid, every case passed, no difference found is
still 0); 1 the input is wrong or a case failed (every problem printed); 2 a usage error.
``rules diff`` and ``rules impact`` exit 0 whether or not the versions differ: a difference is
an answer, not a failure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from engine.authoring.diff import changed_sets, diff_sets
from engine.authoring.impact import CHUNK, ImpactReport, measure_impact
from engine.authoring.roots import Side, find_root, load_sides
from engine.authoring.ruletests import (
    TESTS_SUFFIX,
    FileReport,
    Mismatch,
    check_case_file,
    discover_case_files,
    load_case_file,
    run_case_file,
)
from engine.errors import AuthoringError, Diagnostic
from engine.knowledge import Knowledge, load_knowledge

__all__ = ["register", "rules"]

rules = typer.Typer(
    name="rules",
    help="Check, test, compare and measure rule files before they ship.",
    no_args_is_help=True,
)


def _root_default() -> Path:
    from cli.main import default_root  # main registers this module: import it lazily

    return default_root()


FormatOption = Annotated[str, typer.Option("--format", "-f", help="text or json")]


def _check_format(output: str) -> None:
    if output not in ("text", "json"):
        typer.echo(f"error: --format must be text or json, not {output!r}", err=True)
        raise typer.Exit(2)


def _case_file_problems(targets: list[Path]) -> list[Diagnostic]:
    """Problems of the ``*.tests.yaml`` files under ``targets``: their schema, and their
    references (base students, goals, requirement names, dropped rows) when the tree they sit
    in loads (a tree that does not is reported by the rule-file checks)."""
    problems: list[Diagnostic] = []
    trees: dict[Path, Knowledge | None] = {}
    for target in targets:
        if target.is_dir() or target.name.endswith(TESTS_SUFFIX):
            for file in discover_case_files(target):
                try:
                    load_case_file(file.read_bytes(), str(file))
                except AuthoringError as exc:
                    problems.extend(exc.diagnostics)
                    continue
                except OSError as exc:
                    problems.append(Diagnostic(str(file), 1, 1, str(exc), "io-error"))
                    continue
                root = find_root(file)
                if root is None:
                    continue
                if root not in trees:
                    try:
                        trees[root] = load_knowledge(root)
                    except AuthoringError:
                        trees[root] = None
                knowledge = trees[root]
                if knowledge is not None:
                    problems.extend(check_case_file(file, knowledge, display=str(file)))
    return problems


@rules.command("validate")
def validate_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="files or folders (default: everything bundled)")
    ] = None,
    output: FormatOption = "text",
) -> None:
    """Check rule, catalog and rule-test files; print every error and warning with file:line:col.

    Exits 1 if any is an error (warnings alone pass).

    The same as gradpath validate, which leaves out the *.tests.yaml case files.
    """
    from cli.main import _validate_paths, report_diagnostics  # main registers this module

    _check_format(output)
    targets = paths or [_root_default()]
    rule_files = [p for p in targets if not p.name.endswith(TESTS_SUFFIX)]
    report_diagnostics([*_validate_paths(rule_files), *_case_file_problems(targets)], output)


def _mismatch_lines(m: Mismatch) -> list[str]:
    lines = [f"        - {m.where}: {m.expected}", f"        + {m.where}: {m.actual}"]
    if m.reason:
        lines.append(f"          ({m.reason})")
    return lines


def render_reports(reports: list[FileReport]) -> str:
    """The pass/fail report: each file, each case, and a diff of every failed expectation."""
    out: list[str] = []
    passed = failed = 0
    for report in reports:
        out.append(f"{report.file} ({report.ruleset})")
        for diag in report.diagnostics:
            out.extend("  " + line for line in diag.render().splitlines())
        for case in report.cases:
            if case.passed:
                passed += 1
                out.append(f"  PASS  {case.name}")
                continue
            failed += 1
            out.append(f"  FAIL  {case.name}  ({report.file}:{case.line})")
            if case.error is not None:
                out.append(f"        error: {case.error}")
            else:
                out.append("        --- expected")
                out.append("        +++ actual")
                for mismatch in case.mismatches:
                    out.extend(_mismatch_lines(mismatch))
    broken = sum(1 for r in reports if r.diagnostics)
    summary = f"{passed + failed} case(s): {passed} passed, {failed} failed"
    if broken:
        summary += f"; {broken} file(s) could not run"
    out.append(summary)
    return "\n".join(out) + "\n"


def _report_json(report: FileReport) -> dict[str, object]:
    return {
        "file": report.file,
        "ruleset": report.ruleset,
        "passed": report.passed,
        "errors": [d.as_dict() for d in report.diagnostics],
        "cases": [
            {
                "name": c.name,
                "line": c.line,
                "passed": c.passed,
                "error": c.error,
                "mismatches": [
                    {
                        "goal": m.goal,
                        "requirement": m.requirement,
                        "expected": m.expected,
                        "actual": m.actual,
                        "reason": m.reason,
                    }
                    for m in c.mismatches
                ],
            }
            for c in report.cases
        ],
    }


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


@rules.command("test")
def run_tests_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="case files, rule files or folders (default: every bundled case)"),
    ] = None,
    output: FormatOption = "text",
) -> None:
    """Run the named cases in <rule>.tests.yaml files; exit 1 if any case fails."""
    _check_format(output)
    targets = paths or [_root_default() / "rules"]
    reports: list[FileReport] = []
    trees: dict[Path, Knowledge | None] = {}  # None: the tree did not load (reported once)
    for target in targets:
        files = discover_case_files(target)
        if not files:
            diag = Diagnostic(str(target), 1, 1, "no *.tests.yaml case files here", "no-cases")
            reports.append(FileReport(str(target), "?", diagnostics=(diag,)))
        for file in files:
            if not file.is_file():
                diag = Diagnostic(str(file), 1, 1, "no such case file", "not-found")
                reports.append(FileReport(str(file), "?", diagnostics=(diag,)))
                continue
            root = find_root(file)
            if root is None:
                message = "the case file is in no folder with rules/ and catalogs/"
                diag = Diagnostic(str(file), 1, 1, message, "no-tree")
                reports.append(FileReport(str(file), "?", diagnostics=(diag,)))
                continue
            if root not in trees:
                try:
                    trees[root] = load_knowledge(root)
                except AuthoringError as exc:
                    trees[root] = None
                    reports.append(FileReport(str(root), "?", diagnostics=exc.diagnostics))
            knowledge = trees[root]
            if knowledge is None:
                continue
            reports.append(run_case_file(file, knowledge, display=_display(file, root)))
    if output == "json":
        payload = {
            "passed": all(r.passed for r in reports),
            "files": [_report_json(r) for r in reports],
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        typer.echo(render_reports(reports), nl=False)
    if not all(r.passed for r in reports):
        raise typer.Exit(1)


def _sides(old: Path, new: Path) -> tuple[Side, Side]:
    for path in (old, new):
        if not path.is_file():
            typer.echo(f"error: {path}: no such rule file", err=True)
            raise typer.Exit(1)
    try:
        return load_sides(old, new)
    except AuthoringError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1) from None


@rules.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="the current rule file")],
    new: Annotated[Path, typer.Argument(help="the proposed rule file")],
    output: FormatOption = "text",
) -> None:
    """What a new version of a rule set changes: requirements, credits, courses, grades, policies.

    Both versions are compared with extends resolved. A file outside a folder with rules/ and
    catalogs/ stands in for the same set in the other file's folder.
    """
    _check_format(output)
    before, after = _sides(old, new)
    declared = (before.loaded.model, after.loaded.model)
    changes = diff_sets(before.merged(), after.merged(), declared=declared)
    rset_id, year = after.key
    others = [
        key
        for key in changed_sets(before.knowledge.rulesets, after.knowledge.rulesets)
        if key != after.key and key != before.key
    ]
    if output == "json":
        payload = {
            "ruleset": rset_id,
            "old": {"file": str(old), "catalog_year": before.key[1]},
            "new": {"file": str(new), "catalog_year": year},
            "changes": [c.as_dict() for c in changes],
            "also_changed": [{"ruleset": i, "catalog_year": y} for i, y in others],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    count = len(changes)
    years = f"{year}" if year == before.key[1] else f"{before.key[1]} -> {year}"
    typer.echo(f"{rset_id} (catalog year {years}): {count} change(s)")
    for change in changes:
        typer.echo(change.render())
    if others:
        names = ", ".join(f"{i} {y}" for i, y in others)
        typer.echo(f"rule sets that change with it (extends or goal): {names}")


def _progress_bar(total: int) -> tuple[Progress, Callable[[int], None]]:
    bar = Progress(
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,  # no refresh thread: worker processes may then be forked
    )
    task = bar.add_task("students", total=total)

    def advance(done: int) -> None:
        bar.update(task, completed=done)
        bar.refresh()

    return bar, advance


def _render_impact(report: ImpactReport) -> str:
    out = [
        f"{report.ruleset}: {report.changed} of {report.considered} students change status "
        f"({report.students} read; goals reached by the change: {', '.join(report.goals)})"
    ]
    for goal, audited in report.audited.items():
        moves = [t for t in report.transitions if t.goal == goal]
        changed = sum(t.count for t in moves if t.requirement is None)
        out.append(f"goal {goal}: {changed} of {audited} students change status")
        for t in moves:
            label = "  status" if t.requirement is None else f"  {t.requirement}"
            examples = ", ".join(t.examples)
            out.append(f"{label}: {t.old} -> {t.new}: {t.count} (e.g. {examples})")
    for line, problem in report.invalid[:10]:
        out.append(f"line {line}: not a valid student: {problem}")
    if len(report.invalid) > 10:
        out.append(f"... and {len(report.invalid) - 10} more invalid records")
    return "\n".join(out) + "\n"


def _impact_json(report: ImpactReport) -> dict[str, object]:
    return {
        "ruleset": report.ruleset,
        "goals": list(report.goals),
        "students": report.students,
        "considered": report.considered,
        "changed": report.changed,
        "audited": report.audited,
        "transitions": [
            {
                "goal": t.goal,
                "requirement": t.requirement,
                "old": t.old,
                "new": t.new,
                "count": t.count,
                "examples": list(t.examples),
            }
            for t in report.transitions
        ],
        "invalid": [{"line": line, "problem": problem} for line, problem in report.invalid],
    }


@rules.command("impact")
def impact_command(
    old: Annotated[Path, typer.Argument(help="the current rule file")],
    new: Annotated[Path, typer.Argument(help="the proposed rule file")],
    students: Annotated[
        Path, typer.Option("--students", "-s", help="JSON Lines of students (gradpath synth)")
    ],
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="worker processes (default: cores)")
    ] = None,
    output: FormatOption = "text",
    progress: Annotated[bool, typer.Option(help="show a progress bar on stderr")] = True,
) -> None:
    """How many students change status under NEW, per goal and requirement, with example ids.

    Exit 1 if the files are invalid or a line of STUDENTS is not a valid student record.
    """
    _check_format(output)
    if not students.is_file():
        typer.echo(f"error: {students}: no such file", err=True)
        raise typer.Exit(1)
    sides = _sides(old, new)
    with students.open(encoding="utf-8") as handle:
        total = sum(1 for _ in handle)
    workers = jobs or os.cpu_count() or 1
    if total < 4 * CHUNK:  # starting processes costs more than a small file
        workers = 1
    bar, advance = _progress_bar(total)
    with students.open(encoding="utf-8") as handle:
        if progress:
            bar.start()
        try:
            report = measure_impact(
                old=old,
                new=new,
                students=handle,
                jobs=workers,
                on_progress=advance if progress else None,
                sides=sides,
            )
        finally:
            bar.stop()
    if output == "json":
        typer.echo(json.dumps(_impact_json(report), indent=2))
    else:
        typer.echo(_render_impact(report), nl=False)
    if report.invalid:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``rules`` to the ``gradpath`` app."""
    app.add_typer(rules)
