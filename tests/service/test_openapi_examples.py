"""Every request example in the OpenAPI document works: "Try it out" on /docs answers 200.

Swagger UI fills a request from the route's examples; without them it built bodies from the
schema ("id": "string") that the service refused. Each example is sent here as documented.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from service import examples
from tests.service.conftest import auth


def _json_examples(spec: dict[str, Any]) -> list[tuple[str, str, Any]]:
    found = []
    for path, methods in spec["paths"].items():
        for op in methods.values():
            content = op.get("requestBody", {}).get("content", {})
            for name, example in content.get("application/json", {}).get("examples", {}).items():
                found.append((path, name, example["value"]))
    return found


def test_every_json_example_is_answered_with_what_it_promises(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    examples = _json_examples(spec)
    assert {path for path, _, _ in examples} == {
        "/v1/audit",
        "/v1/plan",
        "/v1/whatif",
        "/v1/recommend",
        "/v1/rules/validate",
    }
    for path, name, body in examples:
        answer = client.post(path, json=body, headers=auth("both"))
        assert answer.status_code == 200, (path, name, answer.text[:500])
        data = answer.json()
        if path == "/v1/audit":
            wanted = body.get("goals") or body["student"]["goals"]
            assert [g["goal"] for g in data["goals"]] == wanted
        elif path == "/v1/plan":
            assert data["status"] in ("optimal", "feasible")
            assert data["courses"], "the example student has gaps to close"
        elif path == "/v1/whatif":
            assert [s["name"] for s in data["scenarios"]] == [s["name"] for s in body["scenarios"]]
        elif path == "/v1/recommend":
            assert 0 < len(data["careers"]) <= body["top"]
        else:  # the draft with a misspelt key: refused where the description says
            assert data["valid"] is False
            [error] = data["errors"]
            assert (error["line"], error["column"], error["code"]) == (12, 5, "unknown-key")
            assert "did you mean 'min_grade'" in error["message"]


def test_the_csv_example_imports_its_student(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    csv = spec["paths"]["/v1/import/csv"]["post"]["requestBody"]["content"]["text/csv"]
    answer = client.post(
        "/v1/import/csv?jurisdiction=TX&cohort=2028",
        content=csv["example"].encode(),
        headers={**auth("both"), "content-type": "text/csv"},
    )
    assert answer.status_code == 200, answer.text[:500]
    imported = answer.json()
    assert imported["student"]["id"] == "S-1001"
    assert [r["course"] for r in imported["student"]["transcript"]] == [
        "ENG1",
        "ALG1",
        "BIO",
        "ENG2",
    ]
    assert imported["unmapped"] == []


def test_an_example_whose_sample_is_missing_is_left_out() -> None:
    """An install without samples/ loses the examples, never its start-up."""
    built = examples._examples(
        gone=lambda: examples._example("gone", {"student": examples._student("no-such-sample")}),
        kept=lambda: examples._example("kept", {"text": "x"}),
    )
    assert list(built) == ["kept"]
