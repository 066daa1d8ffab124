"""Request examples for the OpenAPI document, built from the bundled sample students.

A portal engineer's first call is usually "Try it out" on ``/docs``. Without examples Swagger UI
fills a body from the schema (``"id": "string"``, ``"jurisdiction": "string"``), which the
service refuses, so the first answer anyone saw was a 422. These are real requests: the samples
under ``samples/students/`` (synthetic, opaque ids) in the shape each route takes, and
``tests/service/test_openapi_examples.py`` sends every one and expects a 200.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["AUDIT", "CSV", "PLAN", "RECOMMEND", "VALIDATE", "WHATIF"]

_SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "students"


class _MissingSampleError(Exception):
    """A sample file is not beside the code (an install without the repository's samples)."""


def _student(name: str) -> dict[str, Any]:
    try:
        text = (_SAMPLES / f"{name}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _MissingSampleError from None
    data: dict[str, Any] = json.loads(text)
    return data


def _examples(**built: Callable[[], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The examples whose samples are present: the document loses an example, never the
    service its start-up, where the samples were not installed."""
    out: dict[str, dict[str, Any]] = {}
    for name, build in built.items():
        with contextlib.suppress(_MissingSampleError):
            out[name.replace("_", "-")] = build()
    return out


def _example(summary: str, value: Any, description: str = "") -> dict[str, Any]:
    example: dict[str, Any] = {"summary": summary, "value": value}
    if description:
        example["description"] = description
    return example


AUDIT = _examples(
    tx_junior=lambda: _example(
        "Texas junior on track (FHSP and NCAA Division I)",
        {"student": _student("tx-junior-on-track")},
        "The student's own goals are audited when `goals` is left out.",
    ),
    ca_sophomore_uc=lambda: _example(
        "California sophomore with gaps, audited for UC only",
        {"student": _student("ca-sophomore-gaps"), "goals": ["uc-ag"]},
        "`goals` replaces the student's own goals for this request.",
    ),
)

PLAN = _examples(
    fl_junior=lambda: _example(
        "Florida junior with gaps: the courses that close them",
        {"student": _student("fl-junior-gaps"), "constraints": {"max_courses_per_term": 7}},
    ),
)

WHATIF = _examples(
    tx_sophomore=lambda: _example(
        "Texas sophomore off track: three scenarios against the record",
        {
            "student": _student("tx-sophomore-off-track"),
            "scenarios": [
                {
                    "name": "Algebra I failed again",
                    "regrade": [{"course": "ALG1", "grade_level": 10, "grade": "F"}],
                },
                {"name": "NCAA Division I too", "goals": ["tx-fhsp", "ncaa-d1"]},
                {
                    "name": "Geometry this summer",
                    "add": [
                        {"course": "GEOM", "grade_level": 10, "term": "summer", "status": "planned"}
                    ],
                },
            ],
        },
    ),
)

RECOMMEND = _examples(
    tx_sophomore=lambda: _example(
        "Careers and next courses for a Texas sophomore",
        {"student": _student("tx-sophomore-off-track"), "top": 5, "courses": 3},
    ),
)

VALIDATE = {
    "draft-with-a-typo": _example(
        "A draft rule set with a misspelt key",
        {
            "file": "rules/tx/2025/draft.yaml",
            "text": "schema_version: 1\n"
            "id: draft\n"
            "title: Draft local diploma\n"
            "kind: graduation\n"
            "jurisdiction: TX\n"
            "catalog_year: 2025\n"
            "source: {citation: draft, year: 2026}\n"
            "requirements:\n"
            "  math:\n"
            "    credits: 4\n"
            "    from: {subject: math}\n"
            "    min_grde: C\n",
        },
        "The answer lists the error at line 12, column 5, with a did-you-mean.",
    ),
}

#: A course history as ``gradpath import csv`` reads it (the query gives the jurisdiction).
CSV = (
    "student_id,course,grade_level,term,grade,credits,status\n"
    "S-1001,ENG1,9,year,B+,1,completed\n"
    "S-1001,ALG1,9,year,A-,1,completed\n"
    "S-1001,BIO,9,year,B,1,completed\n"
    "S-1001,ENG2,10,year,,1,in_progress\n"
)
