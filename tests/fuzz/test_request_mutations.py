"""Real requests, slightly broken: the service answers each with a result or a problem, never 500.

Schemathesis (``test_api_fuzz.py``) builds requests from the schema, so few of them get past
validation into the engine with a transcript and rules that make sense. This starts from real
requests instead (the sample students audited, planned, compared under scenarios and under a
bundled rule file given as a draft, careers ranked, the Ed-Fi sample imported) and changes one
or two places in each: a value swapped for another value the same field takes elsewhere in the
samples or rule files (so most changed requests are still valid and reach the engine), for any
JSON, or a key or list item dropped or repeated. Every answer must be a success or a
problem document (RFC 9457) with its ``errors`` list: a 500 is a bug.

This found a what-if that recursed without end (a draft whose ``goal`` named itself), drafts
naming unknown courses (KeyError), scenarios adding rows past the model's limit, and policy
conditions written as strings (AttributeError): each is pinned by a test of its own too.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from service.app import create_app
from tests.conftest import ROOT
from tests.depth import deep_settings
from tests.service.conftest import KEYS
from tests.service.conftest import settings as service_settings

Path = tuple[str | int, ...]
HEADERS = {"authorization": f"Bearer {KEYS['both']}"}
QUICK = {"time_limit": 0.2}


def _sample(name: str) -> dict[str, Any]:
    text = (ROOT / "samples" / "students" / f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _rule_file(path: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "rules" / path).read_text(encoding="utf-8"))
    return json.loads(json.dumps(data))  # as a client sends it: JSON types only


def _templates() -> list[tuple[str, dict[str, Any]]]:
    """One real request per route and sample student (a few students, to keep it quick)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name in ("tx-junior-on-track", "ca-sophomore-gaps", "wa-junior-on-track"):
        student = _sample(name)
        rows = student["transcript"]
        out += [
            ("/v1/audit", {"student": student}),
            ("/v1/plan", {"student": student, "constraints": QUICK}),
            (
                "/v1/plan",
                {
                    "student": student,
                    "goals": [*student.get("goals", []), "ncaa-d1"],
                    "constraints": {
                        **QUICK,
                        "max_courses_per_term": 6,
                        "allow_summer": True,
                        "lock": [{"course": rows[0]["course"], "grade_level": 12}],
                        "exclude": [
                            next(r["course"] for r in rows if r["course"] != rows[0]["course"])
                        ],
                        "prefer_subjects": ["science"],
                        "last_grade": 12,
                    },
                },
            ),
            (
                "/v1/whatif",
                {
                    "student": student,
                    "constraints": QUICK,
                    "scenarios": [
                        {"name": "drop", "drop": [{"course": rows[0]["course"]}]},
                        {
                            "name": "regrade",
                            "regrade": [{"course": rows[-1]["course"], "grade": "F"}],
                        },
                        {"name": "add", "add": [rows[1]], "goals": ["ncaa-d1"]},
                    ],
                },
            ),
            ("/v1/recommend", {"student": student, "interests": {"riasec": "SI"}, "top": 3}),
            ("/v1/recommend/pathway", {"student": student, "career": "registered-nurse"}),
        ]
    # Bundled rule files given back as drafts: one with policies, one with endorsements.
    for student, goal, path in (
        ("ca-senior-uc-bound", "uc-ag", "ca/2025/uc-ag.yaml"),
        ("tx-sophomore-off-track", "tx-fhsp", "tx/2025/fhsp.yaml"),
    ):
        draft = {"name": "draft", "rules": [_rule_file(path)]}
        body = {"student": _sample(student), "goals": [goal], "constraints": QUICK}
        out.append(("/v1/whatif", {**body, "scenarios": [draft]}))
    bundle = json.loads(
        (ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json").read_text()
    )
    out.append(("/v1/import/edfi?jurisdiction=TX", bundle))
    return out


TEMPLATES = _templates()


def _values_by_key() -> dict[str, list[Any]]:
    """Every scalar (or list of scalars) each key holds anywhere in the templates."""
    found: dict[str, list[Any]] = defaultdict(list)

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                flat = not isinstance(item, dict | list) or all(
                    not isinstance(x, dict | list) for x in item
                )
                if flat and item not in found[key]:
                    found[key].append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for _, body in TEMPLATES:
        walk(body)
    return dict(found)


VALUES = _values_by_key()

ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 3000)
    | st.floats(-10, 1e6, allow_nan=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, path: Path = ()) -> Iterator[Path]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


@st.composite
def broken_requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    route, template = draw(st.sampled_from(TEMPLATES))
    body = copy.deepcopy(template)
    for _ in range(draw(st.integers(1, 2))):
        path = draw(st.sampled_from(list(_paths(body))))
        holder: Any = body
        for part in path[:-1]:
            holder = holder[part]
        last = path[-1]
        choices = ["any json", "drop"] + (["repeat"] if isinstance(holder, list) else [])
        if isinstance(last, str) and VALUES.get(last):
            choices += ["same field"] * 6
        change = draw(st.sampled_from(choices))
        if change == "drop":
            del holder[last]
        elif change == "repeat":
            holder.append(copy.deepcopy(holder[last]))
        elif change == "same field":
            holder[last] = copy.deepcopy(draw(st.sampled_from(VALUES[str(last)])))
        else:
            holder[last] = draw(ANY_JSON)
    return route, body


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(service_settings()), raise_server_exceptions=False) as c:
        yield c


def test_the_templates_are_real_requests(client: TestClient) -> None:
    # Unchanged, every template is answered 200: the changes start from accepted requests.
    for route, body in TEMPLATES:
        response = client.post(route, json=body, headers=HEADERS)
        assert response.status_code == 200, (route, response.text[:300])


@deep_settings(
    100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(request=broken_requests())
def test_a_broken_request_is_answered_with_a_result_or_a_problem(
    client: TestClient, request: tuple[str, dict[str, Any]]
) -> None:
    route, body = request
    response = client.post(route, json=body, headers=HEADERS)
    assert response.status_code < 500, (route, json.dumps(body)[:2000])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert isinstance(response.json()["errors"], list)
