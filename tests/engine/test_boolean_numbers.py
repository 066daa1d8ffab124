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
    assert _refused_at("/v1/audit", {"student": _with_true_credits()}) == [
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
        ("/v1/recommend", {"courses": False}, ["courses"]),
        ("/v1/recommend", {"top": True}, ["top"]),
    ],
)
def test_the_api_refuses_booleans_for_limits(
    path: str, extra: dict[str, Any], loc: list[str]
) -> None:
    # ``true`` read as one course a term (or one solver second); ``false``, meant as "no limit",
    # read as 0 years of education after high school.
    assert [where[1:3] for where in _refused_at(path, extra)] == [loc]


def _refused_at(path: str, extra: dict[str, Any]) -> list[list[Any]]:
    """The ``loc`` of each error in the 422 the API answers a sample student plus ``extra``."""
    with TestClient(create_app(settings())) as client:
        response = client.post(path, json={"student": sample(), **extra}, headers=auth())
        assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["errors"]]


# The other way round: a number or a word where a yes/no belongs. Pydantic reads 0, 1, "yes" or
# "off" as a boolean; the JSON Schema says boolean, and found by the API fuzz tests.


def _with_repeat(value: Any) -> dict[str, Any]:
    student = sample()
    student["transcript"][0]["repeat"] = value
    return student


@pytest.mark.parametrize("value", [0, 1, "yes", "false"])
def test_a_transcript_repeat_must_be_true_or_false(value: Any) -> None:
    with pytest.raises(StudentDataError) as caught:
        load_student(_with_repeat(value))
    [problem] = caught.value.problems
    assert problem.loc == ("transcript", 0, "repeat")
    assert problem.msg == f"expected true or false, got {value!r}"


@pytest.mark.parametrize(
    ("path", "extra", "loc"),
    [
        ("/v1/audit", {"student": _with_repeat(0)}, ["student", "transcript", 0, "repeat"]),
        ("/v1/plan", {"constraints": {"allow_summer": 0}}, ["constraints", "allow_summer"]),
    ],
)
def test_the_api_refuses_numbers_for_yes_or_no(
    path: str, extra: dict[str, Any], loc: list[Any]
) -> None:
    assert [where[1:] for where in _refused_at(path, extra)] == [loc]


def test_a_rule_files_yes_or_no_refuses_a_number_at_its_line() -> None:
    text = (ROOT / "catalogs/tx/2025/courses.yaml").read_text(encoding="utf-8")
    changed = text.replace("    credits: 1\n", "    credits: 1\n    repeatable: 1\n", 1)
    with pytest.raises(AuthoringError) as caught:
        load_text(Catalog, changed.encode(), "catalogs/tx/2025/courses.yaml")
    [problem] = caught.value.diagnostics
    assert problem.message == "expected true or false, got 1"
    assert problem.source_line.strip() == "repeatable: 1"
    # YAML's own yes and no are booleans, and still read.
    load_text(Catalog, changed.replace("repeatable: 1", "repeatable: yes").encode(), "x.yaml")
