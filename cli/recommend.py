"""``gradpath recommend``: careers ranked for a student, the routes to one, leverage courses.

A thin adapter: it reads the student file, builds the interests and preferences from the
options, calls :func:`engine.recommend.recommend` (or :func:`engine.recommend.pathway` with
``--career``) and prints a table or JSON. Exit codes follow ``gradpath``: 0 success, 1 bad
input (a broken student file, an unknown subject or career, an invalid interest code), 2 usage.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from engine.errors import AuthoringError, GradPathError, StudentDataError
from engine.knowledge import load_knowledge
from engine.loader import load_student_file
from engine.recommend import Interests, Preferences, pathway, recommend
from engine.recommend.render import render_pathway, render_recommendations

__all__ = ["register"]


class Format(StrEnum):
    text = "text"
    json = "json"


def _root(root: Path | None) -> Path:
    if root is not None:
        return root
    env = os.environ.get("GRADPATH_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


#: Which option each field of the interests and preferences comes from.
_OPTIONS = {
    "riasec": "--interests",
    "clusters": "--cluster",
    "subjects": "--subject",
    "max_years": "--max-years",
    "routes": "--route",
}


def _inputs(
    riasec: str | None,
    clusters: list[str],
    subjects: list[str],
    max_years: int | None,
    routes: list[str],
) -> tuple[Interests, Preferences]:
    try:
        # A code typed on the command line may be lower case or padded ('si'); the API takes
        # the code as its schema states it (upper case), so the adapter reads it here.
        code = riasec.strip().upper() or None if riasec is not None else None
        interests = Interests.model_validate(
            {"riasec": code, "clusters": clusters, "subjects": subjects}
        )
        preferences = Preferences.model_validate({"max_years": max_years, "routes": routes})
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            value = err.get("input")
            lines.append(f"{_OPTIONS.get(field, field)} {value!r}: {err['msg']}")
        typer.echo("error: " + "\n       ".join(lines), err=True)
        raise typer.Exit(1) from None
    return interests, preferences


def recommend_command(
    student: Annotated[Path, typer.Argument(help="student JSON file")],
    interests: Annotated[
        str | None,
        typer.Option("--interests", "-i", help="the student's Holland (RIASEC) code, e.g. SI"),
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="show this many careers")] = 10,
    cluster: Annotated[
        list[str] | None, typer.Option("--cluster", help="a liked career cluster (slug); repeat")
    ] = None,
    subject: Annotated[
        list[str] | None, typer.Option("--subject", help="a liked school subject; repeat")
    ] = None,
    max_years: Annotated[
        int | None,
        typer.Option("--max-years", help="at most this many years of education after high school"),
    ] = None,
    route: Annotated[
        list[str] | None,
        typer.Option("--route", help="a preferred route kind (apprenticeship, ...); repeat"),
    ] = None,
    career: Annotated[
        str | None,
        typer.Option("--career", "-c", help="show the routes to this career and the gaps"),
    ] = None,
    courses: Annotated[
        int, typer.Option("--courses", min=0, help="how many leverage courses to list")
    ] = 5,
    output: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.text,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root", help="folder with catalogs/, rules/ and careers/ (default: bundled)"
        ),
    ] = None,
) -> None:
    """Rank the bundled careers for STUDENT, or show the routes to one (--career)."""
    wanted, prefs = _inputs(interests, cluster or [], subject or [], max_years, route or [])
    try:
        knowledge = load_knowledge(_root(root))
        record = load_student_file(student)
        if career is not None:
            view = pathway(knowledge=knowledge, student=record, career=career)
            data = view.model_dump(mode="json")
            text = render_pathway(view)
        else:
            result = recommend(
                knowledge=knowledge,
                student=record,
                interests=wanted,
                preferences=prefs,
                limit=top,
                courses=courses,
            )
            data = result.model_dump(mode="json")
            text = render_recommendations(result)
    except AuthoringError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1) from None
    except StudentDataError as exc:
        if exc.source == "interests":  # from --subject: say so, not "invalid student record"
            for problem in exc.problems:
                typer.echo(f"error: --subject: {problem.msg}", err=True)
        else:
            typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None
    except GradPathError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if output is Format.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    """Add ``recommend`` to the ``gradpath`` command."""
    app.command("recommend")(recommend_command)
