"""POST /v1/rules/validate: what `gradpath validate` says, over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import ROOT
from tests.service.conftest import auth

HEAD = (
    "schema_version: 1\nid: draft-diploma\ntitle: Draft\nkind: graduation\njurisdiction: TX\n"
    "catalog_year: 2025\nsource: {citation: Draft rule, year: 2025}\n"
)


def test_a_bundled_rule_file_is_valid(client: TestClient) -> None:
    text = (ROOT / "rules/tx/2025/fhsp.yaml").read_text(encoding="utf-8")
    response = client.post("/v1/rules/validate", json={"text": text}, headers=auth("rules"))
    assert response.status_code == 200
    assert response.json() == {"valid": True, "kind": "ruleset", "errors": [], "warnings": []}


def test_a_selector_value_no_course_carries_is_a_warning_with_its_place(
    client: TestClient,
) -> None:
    text = HEAD + (
        "requirements:\n"
        "  english:\n"
        "    credits: 4\n"
        "    from: {subject: englsh}\n"
        "  electives:\n"
        "    credits: 2\n"
        "    from: {attribute: no-such-kind, not_attribute: [tx:advanced-math, not-a-kind]}\n"
    )
    body = client.post("/v1/rules/validate", json={"text": text}, headers=auth("rules")).json()
    assert body["valid"] is True  # a warning does not make the file invalid
    assert body["errors"] == []
    assert [(w["line"], w["column"], w["code"], w["severity"]) for w in body["warnings"]] == [
        (11, 21, "matches-no-course", "warning"),
        (14, 23, "matches-no-course", "warning"),
        (14, 71, "matches-no-course", "warning"),
    ]
    first, second, third = (w["message"] for w in body["warnings"])
    assert first == (
        "subject 'englsh' is on no course of any TX catalog: this matches no course until a "
        "catalog lists one (did you mean 'english'?)"
    )
    assert second.startswith("attribute 'no-such-kind' is on no course of any TX catalog")
    assert "this excludes nothing" in third


def test_a_syntax_or_schema_error_has_line_and_column(client: TestClient) -> None:
    text = HEAD + "requirements:\n  math:\n    credits: 4\n    form: {subject: math}\n"
    body = client.post(
        "/v1/rules/validate",
        json={"text": text, "file": "rules/tx/draft.yaml"},
        headers=auth("rules"),
    ).json()
    assert body["valid"] is False
    assert {e["file"] for e in body["errors"]} == {"rules/tx/draft.yaml"}
    unknown = next(e for e in body["errors"] if e["code"] == "unknown-key")
    assert (unknown["line"], unknown["column"]) == (11, 5)
    assert "'form'" in unknown["message"]
    assert "did you mean 'from'" in unknown["message"]


def test_references_are_checked_against_the_bundled_catalog(client: TestClient) -> None:
    text = HEAD + "requirements:\n  math:\n    course: ALG9\n"
    body = client.post("/v1/rules/validate", json={"text": text}, headers=auth("rules")).json()
    assert body["valid"] is False
    (error,) = body["errors"]
    assert (error["line"], error["column"], error["code"]) == (10, 13, "unknown-course")
    assert "did you mean 'ALG2'" in error["message"] or "did you mean 'ALG1'" in error["message"]


def test_validation_needs_the_rules_scope(client: TestClient) -> None:
    response = client.post("/v1/rules/validate", json={"text": HEAD}, headers=auth("evaluate"))
    assert response.status_code == 403
