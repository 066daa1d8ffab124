"""``gradpath synth``: a seeded synthetic student population, as JSON Lines.

No real student data is needed to try a rule change: the population is drawn from a
jurisdiction's catalog and rule sets alone. Exit codes: 0 written; 1 bad input (no catalog for
the jurisdiction, broken rule files); 2 a usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from engine.authoring.synth import SynthOptions, synthesize
from engine.errors import AuthoringError, GradPathError
from engine.knowledge import load_knowledge

__all__ = ["register"]


def synth_command(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", "-j", help="e.g. TX")],
    count: Annotated[int, typer.Option("--count", "-n", min=1, max=1_000_000)] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="same seed, same students")] = 2025,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="JSON Lines file (default: stdout)")
    ] = None,
    catalog_year: Annotated[
        int | None, typer.Option("--catalog-year", help="default: the newest catalog")
    ] = None,
    goal: Annotated[
        list[str] | None, typer.Option("--goal", "-g", help="a goal every student lists")
    ] = None,
    root: Annotated[
        Path | None, typer.Option("--root", help="folder with catalogs/ and rules/")
    ] = None,
) -> None:
    """Write COUNT synthetic students of JURISDICTION (opaque ids, no personal data)."""
    from cli.main import default_root  # main registers this module: import it lazily

    try:
        knowledge = load_knowledge(root or default_root())
        options = SynthOptions(
            jurisdiction=jurisdiction.upper(),
            count=count,
            seed=seed,
            catalog_year=catalog_year,
            goals=tuple(goal or ()),
        )
        unknown = [g for g in options.goals if g not in knowledge.rulesets]
        if unknown:
            typer.echo(f"error: unknown goal {unknown[0]!r}", err=True)
            raise typer.Exit(1)
        records = synthesize(knowledge=knowledge, options=options)
        handle = out.open("w", encoding="utf-8") if out is not None else sys.stdout
        try:
            written = 0
            for record in records:
                handle.write(json.dumps(record, separators=(",", ":")) + "\n")
                written += 1
        finally:
            if out is not None:
                handle.close()
    except AuthoringError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1) from None
    except GradPathError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if out is not None:
        typer.echo(f"wrote {written} students to {out}", err=True)


def register(app: typer.Typer) -> None:
    """Add ``synth`` to the ``gradpath`` app."""
    app.command("synth")(synth_command)
