"""``gradpath careers search|show|check``: find careers and see what each one asks of a student.

A thin adapter: it loads the bundled (or ``--root``) knowledge, calls the engine's career
search, and prints text or JSON. Exit codes follow ``gradpath``: 0 success (an empty search is a
success that says so), 1 bad input (unknown career or cluster, broken files, pending rule sets
for ``check``), 2 usage.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from engine.careers import CLUSTER_TITLES, CareerBook, CareerEntry, search_careers
from engine.careers.search import clusters_matching
from engine.errors import AuthoringError, GradPathError, did_you_mean, suggest
from engine.knowledge import Knowledge, load_knowledge

__all__ = ["careers"]

careers = typer.Typer(
    name="careers",
    help="Search careers and see their coursework, programs of study and routes.",
    no_args_is_help=True,
)


class Format(StrEnum):
    text = "text"
    json = "json"


RootOption = Annotated[
    Path | None,
    typer.Option("--root", help="folder with catalogs/, rules/ and careers/ (default: bundled)"),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="text or json")]


def _root(root: Path | None) -> Path:
    if root is not None:
        return root
    env = os.environ.get("GRADPATH_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


def _knowledge(root: Path | None) -> Knowledge:
    try:
        return load_knowledge(_root(root))
    except AuthoringError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1) from None
    except GradPathError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None


def _line(entry: CareerEntry) -> str:
    career = entry.career
    return (
        f"{career.id:<34} {career.title[:40]:<40} {career.soc}  "
        f"{entry.cluster_title[:28]:<28}  {entry.education}"
    )


@careers.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="words of a name, alias or keyword")] = "",
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", "-c", help="a cluster slug (health-science) or name words"),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="at most this many")] = 25,
    output: FormatOption = Format.text,
    root: RootOption = None,
) -> None:
    """Find careers by name, alias, keyword, cluster, program of study or SOC code."""
    if not query.strip() and cluster is None:
        typer.echo("give words to search for, or --cluster", err=True)
        raise typer.Exit(2)
    if cluster is not None and not clusters_matching(cluster):
        extra = suggest(cluster.lower(), CLUSTER_TITLES)
        typer.echo(f"error: no career cluster matches {cluster!r}{extra}", err=True)
        typer.echo("clusters: " + ", ".join(CLUSTER_TITLES), err=True)
        raise typer.Exit(1)
    book = _knowledge(root).careers
    hits = search_careers(book, query, cluster=cluster)
    shown = hits[:limit]
    if output is Format.json:
        results = [
            {**h.entry.as_dict(), "score": h.score, "matched": list(h.matched)} for h in shown
        ]
        data = {"query": query, "cluster": cluster, "count": len(hits), "results": results}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    where = f" in cluster {cluster!r}" if cluster else ""
    if not hits:
        typer.echo(f"no careers match {query!r}{where}")
        return
    for hit in shown:
        typer.echo(_line(hit.entry))
    more = f" (showing {len(shown)}; use --limit)" if len(shown) < len(hits) else ""
    typer.echo(f"{len(hits)} career(s) match{where}{more}")


def _entry(book: CareerBook, career_id: str) -> CareerEntry:
    entry = book.get(career_id)
    if entry is None:
        hint = did_you_mean(career_id, book.entries)
        extra = (
            f" (did you mean {hint!r}?)" if hint else f"; try: gradpath careers search {career_id}"
        )
        typer.echo(f"error: no career {career_id!r}{extra}", err=True)
        raise typer.Exit(1)
    return entry


@careers.command("show")
def show_command(
    career_id: Annotated[str, typer.Argument(metavar="ID", help="career id or career-<id>")],
    state: Annotated[
        str | None, typer.Option("--state", "-s", help="show the route for this state, e.g. TX")
    ] = None,
    output: FormatOption = Format.text,
    root: RootOption = None,
) -> None:
    """Show one career: SOC code, entry education, coursework, programs and routes."""
    knowledge = _knowledge(root)
    book = knowledge.careers
    entry = _entry(book, career_id)
    states = [state.upper()] if state else sorted({j for (_, j) in book.variants})
    routes: dict[str, dict[str, object] | None] = {}
    for jurisdiction in states:
        variant = book.variants.get((entry.goal, jurisdiction))
        found = variant.requirements.get("route") if variant is not None else None
        routes[jurisdiction] = (
            found.model_dump(exclude_none=True, by_alias=True) if found is not None else None
        )
    if output is Format.json:
        typer.echo(json.dumps({**entry.as_dict(), "route_by_state": routes}, indent=2))
        return
    career = entry.career
    out = [
        f"{career.title} ({career.id}; goal {entry.goal})",
        f"  SOC {career.soc}; typical entry education: {entry.education}",
        f"  cluster: {entry.cluster_title}"
        + (f" (2024 framework: {entry.cluster_2024})" if entry.cluster_2024 else ""),
        "  programs of study: " + ", ".join(f"pos:{p}" for p in career.programs),
    ]
    if career.riasec:
        out.append(f"  Holland (RIASEC) interest code: {career.riasec}")
    if career.aliases:
        out.append("  also called: " + ", ".join(career.aliases))
    if career.coursework:
        out.append("  recommended coursework:")
        for item in career.coursework:
            what = " or ".join(item.subject + item.attribute)
            note = f" ({item.note})" if item.note else ""
            out.append(f"    - {item.credits:g} credits of {what}{note}")
    out.append("  routes:")
    for route in career.routes:
        out.append(f"    - {route.kind}: {route.title}")
    for jurisdiction, dumped in routes.items():
        goals = _goal_ids(dumped)
        shown = " or ".join(goals) if goals else "no rule set bundled for this state"
        out.append(f"  in {jurisdiction} the route starts from: {shown}")
    out.append(f"  source: {career.source.citation} {career.source.url or ''}".rstrip())
    typer.echo("\n".join(out))


def _goal_ids(node: object) -> list[str]:
    """Every rule-set id under a dumped route node, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        goal = node.get("goal")
        if isinstance(goal, list | tuple):
            found.extend(str(g) for g in goal)
        for child in node.get("any", ()):
            found.extend(_goal_ids(child))
    return list(dict.fromkeys(found))


@careers.command("check")
def check_command(root: RootOption = None) -> None:
    """List route rule sets that careers name but that are not bundled yet (exit 1 if any)."""
    book = _knowledge(root).careers
    if not book.pending:
        typer.echo(f"every route of the {len(book.entries)} careers resolves to a bundled rule set")
        return
    missing: dict[str, set[str]] = {}
    for item in book.pending:
        missing.setdefault(item.ruleset, set()).add(item.career)
    for ruleset, names in sorted(missing.items()):
        typer.echo(f"{ruleset}: not bundled yet; named by {len(names)} career(s)")
    raise typer.Exit(1)
