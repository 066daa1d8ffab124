"""Compile the engine's hot modules with mypyc: ``python -m cli.native [--if-stale]``.

``scripts/setup`` runs it with ``--if-stale`` on every set-up, so a fresh clone gets the
compiled build and an edited module is compiled again; ``engine/_native.py`` decides at import
whether the build matches the source (and otherwise runs the source). Without a C compiler the
build is skipped with a message and the engine runs as pure Python: same results, slower.

The build runs in a temporary copy of the package, so it never writes half a file into the
tree: each compiled module is then moved into place whole (a new file, not an overwrite, so a
server running the old build keeps its copy), and the record of sources comes last.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

__all__ = ["build", "main"]

ROOT = Path(__file__).resolve().parent.parent

#: Run by the interpreter in the temporary copy: mypyc's setuptools build, in place.
_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
paths = sys.argv[1:]
sys.argv = sys.argv[:1]
setup(
    name="gradpath-native",
    ext_modules=mypycify(paths, opt_level="3", group_name="engine.native"),
    script_args=["build_ext", "--inplace"],
)
"""


def _guard() -> ModuleType:
    """``engine/_native.py`` loaded on its own: importing ``engine`` would load the old build."""
    spec = importlib.util.spec_from_file_location("_gradpath_native", ROOT / "engine/_native.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(log: Path) -> str | None:
    """Compile ``MODULES`` into the tree; ``None`` on success, else why not (details in ``log``)."""
    guard = _guard()
    if shutil.which(os.environ.get("CC", "cc")) is None:
        return "no C compiler (cc)"
    with tempfile.TemporaryDirectory(prefix="gradpath-native-") as tmp:
        work = Path(tmp)
        shutil.copytree(
            ROOT / "engine",
            work / "engine",
            ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "native.json"),
        )
        shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")  # mypy's settings
        paths = [str(guard.source_path(m).relative_to(ROOT)) for m in guard.MODULES]
        # Hash the copies: the record must describe exactly what was compiled.
        digests = {
            m: guard.source_digest(work / p) for m, p in zip(guard.MODULES, paths, strict=True)
        }
        with log.open("w", encoding="utf-8") as out:
            done = subprocess.run(
                [sys.executable, "-c", _SETUP, *paths],
                cwd=work,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            return f"mypyc failed (exit {done.returncode})"
        built = guard.compiled_files(work / "engine")
        if set(built) != {*guard.MODULES, guard.RUNTIME}:
            return f"mypyc built {sorted(built)}, not the expected modules"
        for path in built.values():
            target = guard.HERE / path.name
            staging = target.with_name(f".{path.name}.new")
            shutil.copy2(path, staging)
            os.replace(staging, target)
        manifest = {"cache_tag": sys.implementation.cache_tag, "modules": digests}
        staging = guard.MANIFEST.with_name(".native.json.new")
        staging.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(staging, guard.MANIFEST)
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    guard = _guard()
    if "--if-stale" in args and guard.current_build()[0]:
        return 0
    log = ROOT / ".venv" / "native-build.log"
    log.parent.mkdir(exist_ok=True)
    print(
        f"compiling {len(guard.MODULES)} engine modules with mypyc, about a minute (log in {log})",
        file=sys.stderr,
        flush=True,
    )
    problem = build(log)
    if problem is not None:
        print(f"no compiled build ({problem}): the engine runs as pure Python", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
