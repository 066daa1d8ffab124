"""``gradpath serve`` and ``gradpath openapi``: the HTTP service from the command line."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

__all__ = ["register"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _settings_or_exit() -> object:
    from service.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"GRADPATH_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        typer.echo(f"error: service settings are not valid: {problems}", err=True)
        raise typer.Exit(1) from None


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="worker processes")] = 1,
    root: Annotated[
        Path | None, typer.Option("--root", help="folder with catalogs/ and rules/")
    ] = None,
    open_access: Annotated[
        bool,
        typer.Option(
            "--open-access",
            help="serve without API keys (local use only; same as GRADPATH_OPEN_ACCESS=true)",
        ),
    ] = False,
) -> None:
    """Start the HTTP API (uvicorn) on the bundled catalogs and rules.

    Send SIGHUP (kill -HUP PID) to reload catalogs/, rules/ and careers/.
    The new files are served only if every one loads without errors;
    otherwise the old rules stay in force, and GET /readyz and the log
    give each error with file:line:col.
    """
    if root is not None:
        os.environ["GRADPATH_ROOT"] = str(root.resolve())
    if open_access:
        os.environ["GRADPATH_OPEN_ACCESS"] = "true"
    settings = _settings_or_exit()
    if settings.open_access and host not in LOOPBACK:  # type: ignore[attr-defined]
        typer.echo(
            f"error: open access is for local use only; bind to 127.0.0.1, not {host}, "
            "or configure GRADPATH_API_KEYS",
            err=True,
        )
        raise typer.Exit(2)
    from service.app import create_app

    app = create_app(settings)  # type: ignore[arg-type]  # fail here, clearly, if a file is broken
    mode = settings.mode  # type: ignore[attr-defined]
    base = f"http://{host}:{port}"
    typer.echo(f"GradPath API {base}  (mode: {mode})")
    typer.echo(f"  counselor page: {base}/   API docs: {base}/docs")
    typer.echo(f"  client: POST {base}/v1/audit   spec: {base}/openapi.json")
    warned = len(app.state.knowledge.warnings)
    if warned:  # served all the same; an operator should know (validate lists them)
        typer.echo(f"  rules: {warned} warning(s), none refused; `gradpath validate` lists them")
    from service.server import LOG_FORMAT, run

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)

    run(host, port, workers)


def openapi_command(
    out: Annotated[Path, typer.Option("--out", help="file to write")] = Path("docs/openapi.json"),
) -> None:
    """Write the OpenAPI 3.1 document of the v1 API (committed; a test keeps it current)."""
    from service.app import create_app
    from service.settings import Settings

    spec = create_app(Settings(open_access=False)).openapi()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(spec, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    typer.echo(f"wrote {out}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("openapi")(openapi_command)
