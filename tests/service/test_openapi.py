"""The committed OpenAPI document is the served one, and every schema states its limits."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ROOT

SPEC = ROOT / "docs" / "openapi.json"


def test_served_spec_is_the_committed_one(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    committed = json.loads(SPEC.read_text(encoding="utf-8"))
    assert served == committed, "run `gradpath openapi` and commit docs/openapi.json"
    assert served["openapi"].startswith("3.1")


def _unbounded(node: Any, path: str, out: list[str]) -> None:
    if isinstance(node, dict):
        kind = node.get("type")
        bounded_string = any(k in node for k in ("maxLength", "enum", "const", "format"))
        if kind == "string" and not bounded_string:
            out.append(path)
        if kind == "array" and "maxItems" not in node:
            out.append(path)
        for key, value in node.items():
            _unbounded(value, f"{path}/{key}", out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _unbounded(value, f"{path}/{i}", out)


def test_every_request_schema_states_its_limits(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    request_models = {"AuditRequest", "ValidateRequest"}
    seen: set[str] = set()

    def follow(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        text = json.dumps(schemas[name])
        for other in schemas:
            if f'"#/components/schemas/{other}"' in text:
                follow(other)

    for name in request_models:
        follow(name)
    missing: list[str] = []
    for name in sorted(seen):
        _unbounded(schemas[name], name, missing)
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            for param in op.get("parameters", []):
                _unbounded(param["schema"], f"{method} {path} {param['name']}", missing)
    assert missing == []
