"""POST /v1/rules/validate: a draft rule or catalog file checked as `gradpath validate` would."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Annotated, TypeAlias

import yaml
from fastapi import APIRouter, Body, Request
from yaml import events as ev

from engine.errors import AuthoringError, Diagnostic, capped, split_severity
from engine.knowledge import build_knowledge
from engine.loader import Loaded, LoadedTree, load_text
from engine.model import Catalog, RequirementSet
from engine.yamlsource import MAX_DEPTH
from service import examples
from service.auth import RulesAuthor
from service.deps import TreeDep, log_extra
from service.schemas import ValidateRequest, ValidateResponse, ValidationProblem

__all__ = ["router"]

router = APIRouter(prefix="/v1/rules", tags=["rules"])


def _kind(text: str) -> str:
    """``catalog`` when the top level has a ``courses`` key, else ``ruleset``.

    A cheap look at parser events only: nothing is constructed (``yaml.safe_load`` would build
    dates, integers of any length and arbitrarily deep lists, raising on ``2025-02-30`` or
    overflowing the stack on ``[[[[...``, and take seconds on a 1 MB body). It stops at the first
    top-level ``courses`` key, the first error, or past the loader's depth limit (libyaml takes
    minutes on 100,000 nested ``{``); :func:`engine.loader.load_text` reports the problems.
    """
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    depth = 0  # open lists and mappings; 1 inside the top-level mapping
    key_next = True  # at depth 1: the next node is a key of the top-level mapping
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, ev.CollectionStartEvent):
                if depth == 0 and not isinstance(event, ev.MappingStartEvent):
                    return "ruleset"
                depth += 1
                if depth > MAX_DEPTH:  # the loader refuses it; libyaml is quadratic in flow depth
                    return "ruleset"
            elif isinstance(event, ev.CollectionEndEvent):
                depth -= 1
                if depth == 0:
                    return "ruleset"
                if depth == 1:
                    key_next = not key_next
            elif isinstance(event, ev.ScalarEvent | ev.AliasEvent):
                if depth == 0:
                    return "ruleset"
                if depth == 1:
                    if key_next and isinstance(event, ev.ScalarEvent) and event.value == "courses":
                        return "catalog"
                    key_next = not key_next
    except yaml.YAMLError:
        pass
    return "ruleset"


#: ``ValidateResponse.errors`` and ``.warnings`` list at most this many problems each.
MAX_LISTED = 1000


def _listed(found: Sequence[Diagnostic]) -> list[ValidationProblem]:
    """``found`` in at most :data:`MAX_LISTED` lines, the last counting every problem left out.

    The loader already cuts a file's problems and adds a ``too-many-errors`` note, which a plain
    ``[:1000]`` would drop with a real problem; the checks against the bundled tree are not cut
    at all. Either way the author is told how many problems were left out.
    """
    return [ValidationProblem.of(d) for d in capped(found, MAX_LISTED)]


@router.post(
    "/validate",
    response_model=ValidateResponse,
    summary="Validate a draft rule or catalog file",
    description="Every error with line and column: the file's own mistakes, then its references "
    "(courses, requirements, extended sets) checked against the bundled catalogs and rules. "
    "The draft replaces a bundled file of the same id and year for the check, and what it "
    "would break in other bundled files (a course a rule names, a set another extends) is "
    "listed too, each problem with its own ``file``.",
)
def validate(
    body: Annotated[ValidateRequest, Body(openapi_examples=examples.VALIDATE)],
    request: Request,
    tree: TreeDep,
    _caller: RulesAuthor,
) -> ValidateResponse:
    kind = body.kind or _kind(body.text)
    raw = body.text.encode()
    try:
        loaded: Loaded[Catalog] | Loaded[RequirementSet] = (
            load_text(Catalog, raw, body.file)
            if kind == "catalog"
            else load_text(RequirementSet, raw, body.file)
        )
    except AuthoringError as exc:
        log_extra(request, kind=kind, errors=len(exc.diagnostics))
        return ValidateResponse(valid=False, kind=kind, errors=_listed(exc.diagnostics))
    # In context: the bundled tree with the draft in place of the file it would replace (of its
    # own kind only: a rule set and a catalog may share an id and year).
    key = (loaded.model.id, loaded.model.catalog_year)
    catalogs, rulesets = list(tree.catalogs), list(tree.rulesets)
    if isinstance(loaded.model, Catalog):
        catalogs = [c for c in catalogs if (c.model.id, c.model.catalog_year) != key]
        catalogs.append(loaded)
    else:
        rulesets = [r for r in rulesets if (r.model.id, r.model.catalog_year) != key]
        rulesets.append(loaded)
    found = _problems(dataclasses.replace(tree, catalogs=catalogs, rulesets=rulesets))
    mine = [d for d in found if d.file == body.file]
    theirs = [d for d in found if d.file != body.file]
    if theirs:  # what the draft breaks elsewhere: a course a bundled rule names, a set it extends
        before = _baseline(tree)
        mine += sorted((d for d in theirs if _seen(d) not in before), key=_seen)
    errors, warnings = split_severity(mine)
    log_extra(request, kind=kind, errors=len(errors), warnings=len(warnings))
    return ValidateResponse(
        valid=not errors,
        kind=kind,
        errors=_listed(errors),
        warnings=_listed(warnings),
    )


def _problems(tree: LoadedTree) -> list[Diagnostic]:
    """Every cross-file error and warning of ``tree`` (its files' own problems were reported)."""
    try:
        return build_knowledge(dataclasses.replace(tree, diagnostics=[])).warnings
    except AuthoringError as exc:
        return list(exc.diagnostics)


_Seen: TypeAlias = tuple[str, int, int, str, str]
#: The problems the bundled tree has without any draft (warnings only: it loaded), by tree.
_before: tuple[LoadedTree, frozenset[_Seen]] | None = None


def _seen(d: Diagnostic) -> _Seen:
    return (d.file, d.line, d.column, d.code, d.message)


def _baseline(tree: LoadedTree) -> frozenset[_Seen]:
    """:func:`_problems` of the bundled ``tree``, computed once per loaded tree."""
    global _before
    cached = _before
    if cached is not None and cached[0] is tree:
        return cached[1]
    found = frozenset(_seen(d) for d in _problems(tree))
    _before = (tree, found)
    return found
