"""POST /v1/rules/validate: a draft rule or catalog file checked as `gradpath validate` would."""

from __future__ import annotations

import dataclasses

import yaml
from fastapi import APIRouter, Request

from engine.errors import AuthoringError, Diagnostic, split_severity
from engine.knowledge import build_knowledge
from engine.loader import Loaded, load_text
from engine.model import Catalog, RequirementSet
from service.auth import RulesAuthor
from service.deps import TreeDep, log_extra
from service.schemas import ValidateRequest, ValidateResponse, ValidationProblem

__all__ = ["router"]

router = APIRouter(prefix="/v1/rules", tags=["rules"])


def _kind(text: str) -> str:
    """``catalog`` when the top level has ``courses``, else ``ruleset`` (a cheap look only)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return "ruleset"
    return "catalog" if isinstance(data, dict) and "courses" in data else "ruleset"


@router.post(
    "/validate",
    response_model=ValidateResponse,
    summary="Validate a draft rule or catalog file",
    description="Every error with line and column: the file's own mistakes, then its references "
    "(courses, requirements, extended sets) checked against the bundled catalogs and rules. "
    "The draft replaces a bundled file of the same id and year for the check.",
)
def validate(
    body: ValidateRequest, request: Request, tree: TreeDep, _caller: RulesAuthor
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
        return ValidateResponse(
            valid=False, kind=kind, errors=[ValidationProblem.of(d) for d in exc.diagnostics[:1000]]
        )
    # In context: the bundled tree with the draft in place of the file it would replace.
    key = (loaded.model.id, loaded.model.catalog_year)
    catalogs = [c for c in tree.catalogs if (c.model.id, c.model.catalog_year) != key]
    rulesets = [r for r in tree.rulesets if (r.model.id, r.model.catalog_year) != key]
    if isinstance(loaded.model, Catalog):
        catalogs.append(loaded)
    else:
        rulesets.append(loaded)
    context = dataclasses.replace(tree, catalogs=catalogs, rulesets=rulesets, diagnostics=[])
    found: list[Diagnostic]
    try:
        found = build_knowledge(context).warnings
    except AuthoringError as exc:
        found = list(exc.diagnostics)
    mine = [d for d in found if d.file == body.file]
    errors, warnings = split_severity(mine)
    log_extra(request, kind=kind, errors=len(errors), warnings=len(warnings))
    return ValidateResponse(
        valid=not errors,
        kind=kind,
        errors=[ValidationProblem.of(d) for d in errors[:1000]],
        warnings=[ValidationProblem.of(d) for d in warnings[:1000]],
    )
