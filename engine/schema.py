"""JSON Schemas of the authored files, so editors check rule and catalog YAML as staff type.

The schemas are generated from the same pydantic models the loader validates with, so an editor
and ``gradpath validate`` can never disagree on what a key means.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from engine.authoring.ruletests import CaseFile
from engine.careers.model import CareerFile, RouteDefaults
from engine.model import Catalog, RequirementSet
from engine.student import Student

__all__ = ["SCHEMAS", "schema_text"]

#: File name under docs/schema/ -> the model it describes.
SCHEMAS: dict[str, type[BaseModel]] = {
    "ruleset.schema.json": RequirementSet,
    "catalog.schema.json": Catalog,
    "student.schema.json": Student,
    "careers.schema.json": CareerFile,
    "career-routes.schema.json": RouteDefaults,
    "ruletests.schema.json": CaseFile,
}


def schema_text(name: str) -> str:
    """The JSON Schema (draft 2020-12) for ``name``, as stable, sorted text."""
    model = SCHEMAS[name]
    schema: dict[str, Any] = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://gradpath.example/schema/{name}"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
