"""Running file mutants the way ``gradpath validate <root>`` does, with time and memory bounded.

:func:`check` reads a mutant's files with :func:`engine.loader.load_text`, swaps them into the
loaded bundled tree and runs :func:`engine.knowledge.build_knowledge`, under a time guard and
optionally ``tracemalloc``. ``python -m tests.fuzz.filecheck`` runs every mutant of
:func:`tests.fuzz.mutations.generate` in one process under an address-space limit and prints one
JSON line per mutant, so a blow-up kills that process, not the test run.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import time
import tracemalloc
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import FrameType
from typing import Any

from pydantic import BaseModel

from engine.careers.model import CareerFile, RouteDefaults
from engine.errors import AuthoringError, Diagnostic
from engine.knowledge import build_knowledge
from engine.loader import Loaded, LoadedTree, load_text, load_tree
from engine.model import Catalog, RequirementSet
from tests.fuzz.mutations import ROOT, SEED, Mutant, generate, model_for

#: A diagnostic longer than this is not a clear message (it dumps the author's input back).
MAX_MESSAGE = 300
#: Per-case bounds: they catch blow-ups, they are not speed targets. tracemalloc slows
#: allocation several times over, so a traced case gets :data:`TRACED_SLOWDOWN` times as long.
CASE_SECONDS = 10.0
TRACED_SLOWDOWN = 4
CASE_BYTES = 200 * 1024 * 1024
#: Address-space limit of the process that runs every mutant (it starts at ~0.5 GB).
PROCESS_BYTES = 2 * 1024 * 1024 * 1024


@dataclass
class Outcome:
    """What happened to one mutant: the diagnostics, the problem if any, seconds, peak bytes."""

    name: str
    kind: str
    problem: str = ""
    seconds: float = 0.0
    peak_bytes: int = 0
    diagnostics: list[str] = field(default_factory=list)


def load_files(files: Mapping[str, bytes]) -> tuple[list[Loaded[Any]], list[Diagnostic]]:
    """Read the mutated files as ``load_tree`` reads each file (hostile bytes meet this)."""
    loaded: list[Loaded[Any]] = []
    diagnostics: list[Diagnostic] = []
    for file, raw in sorted(files.items()):
        try:
            loaded.append(load_text(model_for(file), raw, file))
        except AuthoringError as exc:
            diagnostics.extend(exc.diagnostics)
    return loaded, diagnostics


def swap(tree: LoadedTree, loaded: list[Loaded[Any]], files: Mapping[str, bytes]) -> LoadedTree:
    """``tree`` with the files named in ``files`` replaced by ``loaded`` (those that loaded)."""
    lists: dict[type[BaseModel], list[Loaded[Any]]] = {
        Catalog: [x for x in tree.catalogs if x.file not in files],
        RequirementSet: [x for x in tree.rulesets if x.file not in files],
        CareerFile: [x for x in tree.careers if x.file not in files],
        RouteDefaults: [x for x in tree.career_routes if x.file not in files],
    }
    for item in loaded:
        lists[model_for(item.file)].append(item)
    return replace(
        tree,
        catalogs=lists[Catalog],
        rulesets=lists[RequirementSet],
        careers=lists[CareerFile],
        career_routes=lists[RouteDefaults],
        diagnostics=list(tree.diagnostics),
    )


def cross_check(tree: LoadedTree) -> list[Diagnostic]:
    """The cross-file diagnostics of ``build_knowledge`` (cycles, references, duplicates)."""
    try:
        build_knowledge(tree)
    except AuthoringError as exc:
        return list(exc.diagnostics)
    return []


def judge(mutant: Mutant, diagnostics: list[Diagnostic]) -> str:
    """Why the diagnostics fail the mutant's expectation ("" when they meet it)."""
    if not diagnostics:
        return "accepted: no error at all"
    for d in diagnostics:
        if d.line < 1 or d.column < 1:
            return f"position below 1: {d.render()}"
        if len(d.message) > MAX_MESSAGE:
            return f"a {len(d.message)}-character message: {d.message[:120]}..."
        if any(leak in d.message for leak in _LEAKS):
            return f"a message shows Python internals: {d.message[:200]}"
    want = mutant.expect
    for d in diagnostics:
        if d.file != want.file:
            continue
        if (want.lines is None or d.line in want.lines) and (
            want.codes is None or d.code in want.codes
        ):
            return ""
    lines = sorted(want.lines) if want.lines is not None else "any"
    codes = sorted(want.codes) if want.codes is not None else "any"
    shown = "\n".join(d.render().splitlines()[0] for d in diagnostics[:6])
    return f"no diagnostic in {want.file} at line {lines} with code {codes}; got:\n{shown}"


#: Python talking where the author should read plain words.
_LEAKS = ("got None", "<class ", "Traceback", "object at 0x", "NoneType")


class CaseTimeoutError(Exception):
    """A mutant took longer than :data:`CASE_SECONDS`."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise CaseTimeoutError("the case ran past its time limit")


def check(mutant: Mutant, tree: LoadedTree, *, trace_memory: bool = False) -> Outcome:
    """Run one mutant with a time guard; any exception but ``AuthoringError`` is a failure.

    With ``trace_memory``, ``tracemalloc`` measures reading the mutated files, where hostile
    bytes meet the parser (it slows allocation several times over, so only the slow stage does).
    The cross-file checks run when the mutated files loaded (else ``validate`` would only add
    problems of other files); ``tests/fuzz/test_file_fuzz.py`` runs the real command too.
    """
    outcome = Outcome(mutant.name, mutant.kind)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    started = time.perf_counter()
    diagnostics: list[Diagnostic] = []
    try:
        limit = CASE_SECONDS * (TRACED_SLOWDOWN if trace_memory else 1)
        signal.setitimer(signal.ITIMER_REAL, limit)
        if trace_memory:
            tracemalloc.start()
        try:
            loaded, diagnostics = load_files(mutant.files)
        finally:
            if trace_memory:
                outcome.peak_bytes = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        if not diagnostics:
            diagnostics = cross_check(swap(tree, loaded, mutant.files))
    except BaseException as exc:  # the point: nothing but AuthoringError may escape
        outcome.problem = f"crashed: {type(exc).__name__}: {str(exc)[:300]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        outcome.seconds = time.perf_counter() - started
    outcome.diagnostics = [d.render().splitlines()[0][:400] for d in diagnostics[:20]]
    if not outcome.problem:
        outcome.problem = judge(mutant, diagnostics)
    if outcome.peak_bytes > CASE_BYTES:
        outcome.problem += f" peak memory {outcome.peak_bytes / 2**20:.0f} MB"
    return outcome


def main(argv: list[str] | None = None) -> int:
    """Run every mutant in this process under an address-space limit; JSON lines on stdout."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--only", default="", help="run mutants whose name contains this")
    parser.add_argument(
        "--trace-memory", action="store_true", help="measure each case's peak with tracemalloc"
    )
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (PROCESS_BYTES, PROCESS_BYTES))
    tree = load_tree(ROOT)
    for mutant in generate(args.seed):
        if args.only in mutant.name:
            outcome = check(mutant, tree, trace_memory=args.trace_memory)
            print(json.dumps(outcome.__dict__), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
