"""Compiled builds of the engine's hot modules (mypyc), used only while they match their source.

``python -m cli.native`` (run by ``scripts/setup``) compiles the modules in ``MODULES`` to C
extensions beside their source with mypyc, mypy's compiler for typed Python: the same code, an
audit about 1.5 times faster (``benchmarks/bench_audit.py`` prints which build it timed). It
records each source's SHA-256 in ``native.json``.

Python prefers an extension module to a ``.py`` of the same name, so a build older than its
source would run old code without a word. Importing :mod:`engine` imports this module first: it
hashes the sources against the record and, if any differs, a compiled module is missing or
unlisted, the record is for another interpreter, or ``GRADPATH_PURE=1`` is set, it sets every
compiled module aside and the source runs instead. All or none: compiled modules call each other
directly, so one stale module cannot run beside the others' compiled code. ``STATUS`` says which
build runs and why.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = [
    "MANIFEST",
    "MODULES",
    "STATUS",
    "choose",
    "compiled_files",
    "current_build",
    "source_digest",
]

#: The package's directory, and the directory it sits in (module paths are relative to it).
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Modules the build compiles: the audit's hot path (allocation, evaluation, explanations, rows).
MODULES = (
    "engine.allocate",
    "engine.evaluate",
    "engine.explain",
    "engine.goal_result",
    "engine.normalize",
    "engine.outcomes",
    "engine.policy_facts",
)
#: The shared runtime library of the compiled group (mypyc's ``group_name`` + ``__mypyc``).
RUNTIME = "engine.native__mypyc"
#: What the build compiled: each module's source SHA-256 and the interpreter it was built for.
MANIFEST = HERE / "native.json"


def source_path(module: str) -> Path:
    return ROOT.joinpath(*module.split(".")).with_suffix(".py")


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compiled_files(directory: Path = HERE) -> dict[str, Path]:
    """Extension modules of the package in ``directory``, by module name."""
    found: dict[str, Path] = {}
    for path in directory.iterdir():
        # The interpreter's suffixes, most specific first (``.cpython-311-...so``, then ``.so``).
        suffix = next((s for s in EXTENSION_SUFFIXES if path.name.endswith(s)), None)
        if suffix is not None and path.is_file():
            found[f"engine.{path.name[: -len(suffix)]}"] = path
    return found


def choose(
    manifest: Mapping[str, object] | None,
    digests: Mapping[str, str],
    present: Sequence[str],
    *,
    cache_tag: str,
    pure: bool,
) -> tuple[bool, str]:
    """Whether the compiled build may run, and why (pure: the caller gathered the facts).

    ``digests`` are the current sources' hashes of ``MODULES``; ``present`` the compiled
    modules found beside them.
    """
    if not present:
        return False, "pure Python (no compiled build: python -m cli.native makes one)"
    if pure:
        return False, "pure Python (GRADPATH_PURE is set)"
    if manifest is None:
        return False, "pure Python (compiled modules without a record of their sources)"
    if manifest.get("cache_tag") != cache_tag:
        return False, f"pure Python (the compiled build is for {manifest.get('cache_tag')})"
    recorded = manifest.get("modules")
    if not isinstance(recorded, dict):
        return False, "pure Python (the record of the compiled build is unreadable)"
    expected = {*MODULES, RUNTIME}
    if set(present) != expected:
        odd = sorted(set(present) ^ expected)
        return False, f"pure Python (compiled modules missing or unlisted: {', '.join(odd)})"
    for module in MODULES:
        if recorded.get(module) != digests.get(module):
            return False, (
                f"pure Python ({source_path(module).relative_to(ROOT)} changed since it was "
                "compiled: scripts/setup compiles it again)"
            )
    return True, f"compiled (mypyc: {len(MODULES)} modules)"


class _SourceOnly(MetaPathFinder):
    """Finds the listed modules' ``.py`` source, so their extension modules are not loaded."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, source_path(fullname))


def _read_manifest() -> dict[str, object] | None:
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def current_build(*, pure: bool = False) -> tuple[bool, str]:
    """Whether the compiled build beside the sources may run, and why (see :func:`choose`)."""
    present = sorted(compiled_files())
    if not present:
        return choose(None, {}, (), cache_tag="", pure=pure)
    digests = {m: source_digest(source_path(m)) for m in MODULES if source_path(m).exists()}
    return choose(
        _read_manifest(),
        digests,
        present,
        cache_tag=sys.implementation.cache_tag or "",
        pure=pure,
    )


def _install() -> str:
    use, status = current_build(pure=os.environ.get("GRADPATH_PURE", "") not in ("", "0"))
    if not use:
        names = frozenset(m for m in compiled_files() if source_path(m).exists())
        if names:
            sys.meta_path.insert(0, _SourceOnly(names))
    return status


#: Which build of the engine runs in this process, and why.
STATUS = _install()
