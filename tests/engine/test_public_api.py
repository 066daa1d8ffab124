"""The engine's public surface is explicit and complete."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import engine
from engine import _native


def test_all_names_exist_and_are_exported() -> None:
    for name in engine.__all__:
        assert hasattr(engine, name), name


def test_every_module_declares_its_public_surface() -> None:
    for info in pkgutil.iter_modules(engine.__path__):
        if f"engine.{info.name}" == _native.RUNTIME:
            continue  # the compiled build's runtime library, not a module of ours
        module = importlib.import_module(f"engine.{info.name}")
        assert isinstance(getattr(module, "__all__", None), list), info.name
        for name in module.__all__:
            assert hasattr(module, name), f"engine.{info.name}.{name}"
        # Read from the source: a compiled build (engine/_native.py) keeps no module docstring.
        source = Path(engine.__path__[0]) / info.name
        source = source / "__init__.py" if info.ispkg else source.with_suffix(".py")
        doc = ast.get_docstring(ast.parse(source.read_text(encoding="utf-8")))
        assert doc, f"engine.{info.name} needs a docstring saying what it is for"


def test_package_reexports_the_api_the_adapters_use() -> None:
    for name in (
        "audit",
        "load_knowledge",
        "load_student",
        "load_student_file",
        "render_text",
        "AuditResult",
        "AuthoringError",
        "StudentDataError",
        "Student",
    ):
        assert name in engine.__all__
