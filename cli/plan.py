"""``gradpath plan`` and ``gradpath whatif``: a term-by-term plan, and scenarios compared.

A thin adapter: it reads the files, builds the constraints from the options, calls
:func:`engine.planning.plan` or :func:`engine.planning.whatif` and prints text or JSON. Exit
codes follow ``gradpath``: 0 a result was printed (including "no plan exists", which is an
answer, not an error), 1 bad input, 2 usage.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from engine.errors import AuthoringError, GradPathError, StudentDataError
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file
from engine.planning import (
    PlanConstraints,
    ScenarioSet,
    plan,
    render_plan,
    render_whatif,
    whatif,
)

__all__ = ["register"]


class Format(StrEnum):
    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="text or json")]
RootOption = Annotated[
    Path | None,
    typer.Option("--root", help="folder with catalogs/ and rules/ (default: the bundled ones)"),
]
GoalOption = Annotated[
    list[str] | None, typer.Option("--goal", "-g", help="goal id; repeat for several")
]


def _knowledge(root: Path | None) -> Knowledge:
    if root is None:
        env = os.environ.get("GRADPATH_ROOT")
        root = Path(env) if env else Path(__file__).resolve().parent.parent
    return load_knowledge(root)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(1)


def _problems(exc: ValidationError, source: str) -> str:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        lines.append(f"{source}: {where}: {err['msg']} [{err['type']}]")
    return "\n".join(lines)


def _lock(text: str) -> dict[str, Any]:
    """``ALG2``, ``ALG2@11`` or ``ALG2@11:fall``."""
    course, _, when = text.partition("@")
    out: dict[str, Any] = {"course": course}
    if when:
        grade, _, term = when.partition(":")
        out["grade_level"] = grade
        if term:
            out["term"] = term
    return out


def _dump(data: Any) -> str:
    return json.dumps(data.model_dump(mode="json"), indent=2, ensure_ascii=False)


def plan_command(
    student: Annotated[Path, typer.Argument(help="student JSON file")],
    goal: GoalOption = None,
    max_per_term: Annotated[
        int | None, typer.Option("--max-per-term", help="at most N courses per term")
    ] = None,
    max_credits: Annotated[
        float | None, typer.Option("--max-credits-per-term", help="at most N credits per term")
    ] = None,
    summer: Annotated[
        bool | None, typer.Option("--summer/--no-summer", help="allow summer terms")
    ] = None,
    lock: Annotated[
        list[str] | None,
        typer.Option("--lock", help="course to include: ID, ID@GRADE or ID@GRADE:TERM"),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="course id never to plan")
    ] = None,
    prefer: Annotated[
        list[str] | None,
        typer.Option("--prefer", help="subject or attribute you like (e.g. cte:health-science)"),
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="solver budget in seconds")
    ] = 5.0,
    output: FormatOption = Format.text,
    root: RootOption = None,
) -> None:
    """Plan STUDENT's courses term by term to meet their goals (or --goal ...)."""
    liked = list(prefer or [])
    try:
        constraints = PlanConstraints.model_validate(
            {
                "max_courses_per_term": max_per_term,
                "max_credits_per_term": max_credits,
                "allow_summer": summer,
                "lock": [_lock(x) for x in lock or []],
                "exclude": list(exclude or []),
                "prefer_subjects": [x for x in liked if ":" not in x],
                "prefer_attributes": [x for x in liked if ":" in x],
                "time_limit": time_limit,
            }
        )
    except ValidationError as exc:
        raise _fail(_problems(exc, "options")) from None
    try:
        knowledge = _knowledge(root)
        record = load_student_file(student)
        result = plan(
            knowledge=knowledge, student=record, goals=goal or None, constraints=constraints
        )
    except AuthoringError as exc:
        raise _fail(exc.render()) from None
    except StudentDataError as exc:
        raise _fail(exc.message) from None
    except GradPathError as exc:
        raise _fail(f"error: {exc.message}") from None
    typer.echo(
        _dump(result) if output is Format.json else render_plan(result), nl=output is Format.json
    )


def whatif_command(
    student: Annotated[Path, typer.Argument(help="student JSON file")],
    scenarios: Annotated[Path, typer.Argument(help="scenarios JSON file")],
    goal: GoalOption = None,
    output: FormatOption = Format.text,
    root: RootOption = None,
) -> None:
    """Audit and plan STUDENT under each scenario of SCENARIOS and compare with the base."""
    try:
        text = scenarios.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{scenarios}: cannot read: {exc.strerror}") from None
    try:
        spec = ScenarioSet.model_validate_json(text)
    except ValidationError as exc:
        raise _fail(_problems(exc, str(scenarios))) from None
    try:
        knowledge = _knowledge(root)
        record = load_student_file(student)
        result = whatif(knowledge=knowledge, student=record, scenarios=spec, goals=goal or None)
    except AuthoringError as exc:
        raise _fail(exc.render()) from None
    except StudentDataError as exc:
        raise _fail(exc.message) from None
    except GradPathError as exc:
        raise _fail(f"error: {exc.message}") from None
    typer.echo(
        _dump(result) if output is Format.json else render_whatif(result), nl=output is Format.json
    )


def register(app: typer.Typer) -> None:
    """Add ``plan`` and ``whatif`` to the ``gradpath`` command."""
    app.command("plan")(plan_command)
    app.command("whatif")(whatif_command)
