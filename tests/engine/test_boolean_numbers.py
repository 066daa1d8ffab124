"""A YAML 1.1 ``yes``/``on`` (or a JSON ``true``) where a number belongs is refused at its place.

Pydantic reads a boolean as 1 for a number field: ``n_of: on`` would silently require one
option, ``credits: yes`` make a course one credit, ``"credits": true`` on a transcript row
count a credit nobody recorded. Each case changes one value of a bundled file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.errors import AuthoringError, StudentDataError
from engine.loader import load_student, load_text
from engine.model import Catalog, RequirementSet
from service.app import create_app
from tests.conftest import ROOT
from tests.service.conftest import auth, sample, settings

CASES = [
    # file, model, text to replace, replacement, expected message part
    (
        "rules/tx/2025/endorsement-arts-humanities.yaml",
        RequirementSet,
        "      - n_of: 2\n",
        "      - n_of: on\n",
        "expected a whole number, got on (read as true)",
    ),
    (
        "rules/tx/2025/fhsp.yaml",
        RequirementSet,
        "      - credits: {at_least: 2}\n",
        "      - credits: {at_least: yes}\n",
        "expected a number, got yes (read as true)",
    ),
    (
        "catalogs/tx/2025/courses.yaml",
        Catalog,
        "    credits: 1\n",
        "    credits: yes\n",
        "expected a number, got yes (read as true)",
    ),
]


@pytest.mark.parametrize(("path", "model", "old", "new", "message"), CASES)
def test_a_boolean_for_a_number_in_a_file_is_an_error_at_its_line(
    path: str, model: type, old: str, new: str, message: str
) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    line = changed[: changed.index(new)].count("\n") + 1
    with pytest.raises(AuthoringError) as info:
        load_text(model, changed.encode(), Path(path).name)
    found = [(d.line, d.code) for d in info.value.diagnostics if message in d.message]
    assert found == [(line, "wrong-type")], info.value.diagnostics


def _values(data: Any, key: str) -> list[Any]:
    """Every value of ``key`` anywhere in ``data``."""
    if isinstance(data, dict):
        own = [data[key]] if key in data else []
        return own + [v for value in data.values() for v in _values(value, key)]
    if isinstance(data, list | tuple):
        return [v for value in data for v in _values(value, key)]
    return []


def test_a_whole_number_written_as_a_decimal_still_reads() -> None:
    """JSON Schema's integer allows ``2.0``: it reads as 2 (a boolean is the only refusal)."""
    path = ROOT / "rules/tx/2025/endorsement-arts-humanities.yaml"
    text = path.read_text(encoding="utf-8").replace("      - n_of: 2\n", "      - n_of: 2.0\n")
    loaded = load_text(RequirementSet, text.encode(), path.name)
    assert _values(loaded.model.model_dump(), "n_of") == [2]


def _with_true_credits() -> dict[str, Any]:
    student = sample()
    student["transcript"][0]["credits"] = True
    return student


def test_a_transcript_row_with_true_credits_is_refused() -> None:
    with pytest.raises(StudentDataError) as info:
        load_student(_with_true_credits(), source="student.json")
    assert "transcript.0.credits: expected a number, got true" in str(info.value)


def test_the_api_refuses_true_credits_at_their_place() -> None:
    with TestClient(create_app(settings())) as client:
        response = client.post("/v1/audit", json={"student": _with_true_credits()}, headers=auth())
        assert response.status_code == 422
    assert [e["loc"] for e in response.json()["errors"]] == [
        ["body", "student", "transcript", 0, "credits"]
    ]


@pytest.mark.parametrize(
    ("path", "extra", "loc"),
    [
        (
            "/v1/plan",
            {"constraints": {"max_courses_per_term": True}},
            ["constraints", "max_courses_per_term"],
        ),
        ("/v1/plan", {"constraints": {"time_limit": True}}, ["constraints", "time_limit"]),
        ("/v1/recommend", {"preferences": {"max_years": False}}, ["preferences", "max_years"]),
    ],
)
def test_the_api_refuses_booleans_for_limits(
    path: str, extra: dict[str, Any], loc: list[str]
) -> None:
    # ``true`` read as one course a term (or one solver second); ``false``, meant as "no limit",
    # read as 0 years of education after high school.
    with TestClient(create_app(settings())) as client:
        response = client.post(path, json={"student": sample(), **extra}, headers=auth())
        assert response.status_code == 422, response.text
    assert [e["loc"][1:3] for e in response.json()["errors"]] == [loc]
