"""Schemathesis against the served OpenAPI document: every operation, every default check.

The schema is the one the app serves at ``/openapi.json`` (``test_openapi.py`` pins it to
``docs/openapi.json``), loaded in-process from the ASGI app: no server, no port. Every check
schemathesis enables by default runs on every response (``call_and_validate`` with no
``checks=``): not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance, response_headers_conformance, positive_data_acceptance,
negative_data_rejection, missing_required_header, ignored_auth, unsupported_method (405 with
``Allow``), allow_header_conformance, use_after_free, ensure_resource_availability and
object_level_authorization (the last three need resources a test creates: this API creates
none); max_response_time is off unless given a limit, and this suite sets no timing limits.
None is switched off. What FastAPI and the middleware answer on their own (400, 401,
403, 413, 429) is documented in the OpenAPI document instead (:mod:`service.openapi_doc`).

Two checks are told one more status each, with the reason:

* ``negative_data_rejection`` also accepts 413: a body over ``GRADPATH_MAX_BODY_BYTES`` is
  refused before anything parses it, which is a rejection (e.g. a 1,000,001-character draft rule
  file whose JSON-escaped text passes 1 MiB).
* ``positive_data_acceptance`` also accepts 422: a schema-valid request may name what is not
  there (a goal no rule set has, a catalog for a jurisdiction the service does not hold) and the
  engine refuses it. The custom check ``valid_requests_pass_request_validation`` keeps the rest
  of what that check guards: such a 422 must never be request validation's own, except for the
  listed ``KNOWN_GAPS`` (rules the models enforce that the schema does not yet state).

Three callers: a key holding every scope (the fuzzing proper; ``ignored_auth`` also resends each
accepted case without the key and with a wrong one), no key (schemathesis makes up credentials:
401), and a key with only the ``rules`` scope (403 on the evaluate routes).

Each operation of the served document gets a test per caller, named after its body:
``test_every_operation_fast__<operation>`` (``FAST_EXAMPLES`` cases) in the normal stage, and
``test_every_operation_deep__<operation>`` (``DEEP_EXAMPLES`` cases, marked ``slow``; under
``--hypothesis-profile=deep``, CI's slow stage, also the coverage phase of boundary values,
missing parameters and unexpected methods). All are derandomized and keep no example database,
so CI repeats the same cases. Plans are capped at 0.2 s so what-ifs stay quick.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Response
from schemathesis.schemas import BaseSchema

from service.app import create_app
from service.problems import NOT_VALID
from tests.depth import deep_run
from tests.service.conftest import KEYS
from tests.service.conftest import settings as service_settings

FAST_EXAMPLES = 15
DEEP_EXAMPLES = 200
REFUSED_EXAMPLES = 5  # auth answers before the body is read: a few cases suffice

#: schemathesis' default expected statuses (``schemathesis/config/_checks.py``), each plus one:
#: a schema-valid request may be refused by the engine (422), an oversized one by the body limit
#: (413) before anything reads it.
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx", "422"]
NEGATIVE_STATUSES = [
    *("400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429", "5xx"),
    "413",
]

#: A rule set whose shape the schema admits but whose ``n_of`` asks more than it lists.
DRAFT_WITH_TOO_FEW_OPTIONS = {
    "id": "draft-set",
    "title": "Draft",
    "kind": "graduation",
    "jurisdiction": "TX",
    "catalog_year": 2025,
    "source": {"citation": "a draft", "year": 2025},
    "requirements": {"math": {"n_of": 3, "of": [{"course": "ALG1"}]}},
}
STUDENT = {"id": "s-1", "jurisdiction": "TX", "cohort": 2027, "grade_level": 11}
AUDIT, RECOMMEND = "/v1/audit", "/v1/recommend"


@dataclass(frozen=True)
class Gap:
    """A rule the models enforce that the published schema does not state, and its fix."""

    name: str
    pattern: str  # over "<loc>: <msg>" of a problem's errors
    fix: str
    body: dict[str, Any]  # schema-valid, refused by the rule (``test_known_gaps_are_still_open``)
    path: str = "/v1/audit"


def _row(**fields: Any) -> dict[str, Any]:
    return {"student": {**STUDENT, "transcript": [{"grade_level": 9, **fields}]}}


#: Rules the engine's models enforce that the published schema does not state, so a request the
#: schema admits can still fail request validation. Each entry names the fix, and
#: ``test_known_gaps_are_still_open`` fails once it is made.
KNOWN_GAPS = (
    Gap(
        "draft-rule-authoring",
        r"^body\.scenarios\.\d+\.rules\.",
        "none planned: a draft rule set inside a what-if is checked as `gradpath validate` checks "
        "an authored file, and the schema states its shape, not every authoring rule",
        {
            "student": STUDENT,
            "scenarios": [{"name": "draft", "rules": [DRAFT_WITH_TOO_FEW_OPTIONS]}],
        },
        "/v1/whatif",
    ),
)


#: The same cases on every run, no deadline (a case may plan), and no health check for slow or
#: large generation (a what-if body with inline draft rule sets is both): neither is a failure.
REPEATABLE = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


def _app() -> FastAPI:
    """The service with test keys, limits high enough that 429 hides nothing, quick plans."""
    return create_app(service_settings(plan_time_limit_seconds=0.2, plan_budget_seconds=2.0))


def _schema(app: FastAPI, *, bearer: str | None, coverage: bool) -> BaseSchema:
    data: dict[str, Any] = {
        "generation": {"deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": coverage}},
        "checks": {
            "positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES},
            "negative_data_rejection": {"expected-statuses": NEGATIVE_STATUSES},
        },
        "operations": [
            {
                # Negative coverage of a what-if body (scenarios of inline rule sets) runs to
                # more than 100,000 cases; its negative inputs come from the fuzzing phase.
                "include-path": "/v1/whatif",
                "phases": {"coverage": {"generation": {"mode": "positive"}}},
            }
        ],
    }
    if bearer is not None:
        data["auth"] = {"openapi": {"HTTPBearer": {"bearer": bearer}}}
    config = schemathesis.Config.from_dict(data)
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


APP = _app()
fast = _schema(APP, bearer=KEYS["both"], coverage=False)
# The coverage phase's cases are built when the tests are collected (seconds of work): only
# under the deep profile, CI's slow stage, where they run.
deep = _schema(APP, bearer=KEYS["both"], coverage=deep_run())
no_key = _schema(APP, bearer=None, coverage=False)
rules_key = _schema(APP, bearer=KEYS["rules"], coverage=False)


def _where_what(error: dict[str, Any]) -> str:
    """``"body.student.transcript.0: <msg>"`` for one item of a problem's ``errors``."""
    return ".".join(str(part) for part in error.get("loc", ())) + f": {error.get('msg')}"


@schemathesis.check
def valid_requests_pass_request_validation(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    """A schema-valid request is never refused by request validation, only by the engine.

    ``positive_data_acceptance`` is told that a 422 may answer a schema-valid request (a goal id
    that no rule set has, a course the catalog lacks); this check keeps what it would otherwise
    lose: such a 422 must be the engine's refusal, never the request schema's own, which would
    mean the published schema admits what the models refuse.
    """
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body = response.json()
    if not isinstance(body, dict) or body.get("title") != NOT_VALID:
        return None
    unknown = [
        error
        for error in body.get("errors", [])
        if not any(re.search(gap.pattern, _where_what(error)) for gap in KNOWN_GAPS)
    ]
    if unknown:
        raise AssertionError(f"a schema-valid request failed request validation: {unknown}")
    return None


def test_every_operation_fast(case: Case) -> None:
    """``FAST_EXAMPLES`` fuzzed cases of each operation, every default check (normal stage)."""
    case.call_and_validate()


def test_every_operation_deep(case: Case) -> None:
    """``DEEP_EXAMPLES`` fuzzed cases of each operation plus, under the deep profile, coverage."""
    case.call_and_validate()


def test_every_operation_without_a_key(case: Case) -> None:
    """Credentials schemathesis makes up are refused with the documented 401."""
    case.call_and_validate()


def test_every_operation_with_a_narrow_key(case: Case) -> None:
    """A key with only the ``rules`` scope: the evaluate routes answer the documented 403."""
    case.call_and_validate()


# The four above are the bodies; pytest runs them once per operation, below.
for _body in (
    test_every_operation_fast,
    test_every_operation_deep,
    test_every_operation_without_a_key,
    test_every_operation_with_a_narrow_key,
):
    _body.__test__ = False  # type: ignore[attr-defined]


def _per_operation(body: Callable[[Case], None]) -> Callable[[Case], None]:
    """A fresh function running ``body`` (Hypothesis keeps its settings on the function)."""

    def test(case: Case) -> None:
        body(case)

    test.__doc__ = body.__doc__
    return test


def _others(label: str) -> Callable[[Any], bool]:
    """A schemathesis filter matching every operation but ``label``.

    ``include(name=...)`` does not narrow a schema whose config has ``operations`` entries: the
    config adds an include that matches everything, and includes are alternatives.
    """

    def other(ctx: Any) -> bool:
        return bool(ctx.operation.label != label)

    return other


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


#: Every operation of the served document, e.g. "POST /v1/audit".
OPERATIONS = [
    f"{method.upper()} {path}"
    for path, methods in APP.openapi()["paths"].items()
    for method in methods
]

# One test function per operation and caller, named after its body: ``-k every_operation_fast``
# selects a family. schemathesis' own per-operation items share one pytest node id under pytest
# 9 (it builds them from the function's name), so pytest-xdist would run only the first; a
# function each keeps the ids apart and lets xdist spread them.
for _label in OPERATIONS:
    for _body, _schema_for, _examples in (
        (test_every_operation_fast, fast, FAST_EXAMPLES),
        (test_every_operation_deep, deep, DEEP_EXAMPLES),
        (test_every_operation_without_a_key, no_key, REFUSED_EXAMPLES),
        (test_every_operation_with_a_narrow_key, rules_key, REFUSED_EXAMPLES),
    ):
        _one = _schema_for.exclude(_others(_label))  # include() would also keep the rest
        _test = _one.parametrize()(
            settings(REPEATABLE, max_examples=_examples)(_per_operation(_body))
        )
        if _body is test_every_operation_deep:
            _test = pytest.mark.slow(_test)
        globals()[f"{_body.__name__}__{_slug(_label)}"] = _test


def _request_schema(path: str) -> Any:
    """A validator for the published request body of ``POST path``."""
    spec = APP.openapi()
    media = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return jsonschema_rs.Draft202012Validator({**media["schema"], "components": spec["components"]})


@pytest.mark.parametrize("gap", KNOWN_GAPS, ids=lambda gap: gap.name)
def test_known_gaps_are_still_open(gap: Gap) -> None:
    """Each known gap's example is valid under the published schema and refused by the model.

    When the schema learns the rule, the example stops being schema-valid: remove the entry.
    """
    closed = f"closed: {gap.fix}; remove it from KNOWN_GAPS"
    assert _request_schema(gap.path).is_valid(gap.body), closed
    with TestClient(APP) as client:
        response = client.post(gap.path, json=gap.body, headers={"X-API-Key": KEYS["both"]})
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == NOT_VALID
    assert any(re.search(gap.pattern, _where_what(e)) for e in problem["errors"]), problem


#: Gaps the schema has closed: it now refuses each of these (path, body), as the model does.
CLOSED_GAPS: dict[str, tuple[str, dict[str, Any]]] = {
    "row-without-course": (AUDIT, _row(grade="A")),
    "row-with-null-course": (AUDIT, _row(course=None, grade="A")),
    "completed-row-without-grade": (AUDIT, _row(course="ALG1")),
    "completed-row-with-null-grade": (AUDIT, _row(course="ALG1", status="completed", grade=None)),
    "grade-over-100": (AUDIT, _row(course="ALG1", grade=101)),
    "grade-below-0": (AUDIT, _row(course="ALG1", grade=-0.5)),
    "grade-not-a-letter": (AUDIT, _row(course="ALG1", grade="Z")),
    "grade-f-plus": (AUDIT, _row(course="ALG1", grade="F+")),
    "service-without-hours": (
        AUDIT,
        {"student": {**STUDENT, "experiences": [{"kind": "service", "id": "svc"}]}},
    ),
    "riasec-repeat": (RECOMMEND, {"student": STUDENT, "interests": {"riasec": "SIS"}}),
    "riasec-double": (RECOMMEND, {"student": STUDENT, "interests": {"riasec": "AA"}}),
}
#: ... and admits these, which the model accepts.
ADMITTED: dict[str, tuple[str, dict[str, Any]]] = {
    "sced-only": (AUDIT, _row(sced="02052", grade="b+")),
    "planned-without-grade": (AUDIT, _row(course="ALG1", status="planned")),
    "pass-with-blanks": (AUDIT, _row(course="ALG1", grade=" Pass ")),
    "numeric-bounds": (
        AUDIT,
        {
            "student": {
                **STUDENT,
                "transcript": [
                    {"grade_level": 9, "course": "ALG1", "grade": 0},
                    {"grade_level": 9, "course": "GEOM", "grade": 100},
                ],
            }
        },
    ),
    "credential-without-hours": (
        AUDIT,
        {"student": {**STUDENT, "experiences": [{"kind": "credential", "id": "cna"}]}},
    ),
    "riasec-three-letters": (RECOMMEND, {"student": STUDENT, "interests": {"riasec": "SIC"}}),
    "riasec-one-letter": (RECOMMEND, {"student": STUDENT, "interests": {"riasec": "R"}}),
}


@pytest.mark.parametrize(("path", "body"), CLOSED_GAPS.values(), ids=CLOSED_GAPS.keys())
def test_the_schema_refuses_what_the_model_refuses(path: str, body: dict[str, Any]) -> None:
    assert not _request_schema(path).is_valid(body)
    with TestClient(APP) as client:
        response = client.post(path, json=body, headers={"X-API-Key": KEYS["both"]})
    assert response.status_code == 422
    assert response.json()["title"] == NOT_VALID


@pytest.mark.parametrize(("path", "body"), ADMITTED.values(), ids=ADMITTED.keys())
def test_the_schema_admits_what_the_model_accepts(path: str, body: dict[str, Any]) -> None:
    assert _request_schema(path).is_valid(body)
    if path == AUDIT:
        body = {**body, "goals": ["tx-fhsp"]}
    with TestClient(APP) as client:
        response = client.post(path, json=body, headers={"X-API-Key": KEYS["both"]})
    assert response.status_code == 200, response.json()


def _import_csv(text: str) -> Any:
    with TestClient(APP) as client:
        return client.post(
            "/v1/import/csv",
            params={"jurisdiction": "TX", "cohort": 2027, "student_id": "s-1"},
            content=text.encode(),
            headers={"X-API-Key": KEYS["both"], "Content-Type": "text/csv"},
        )


def test_a_csv_with_a_lone_carriage_return_is_read_not_a_500() -> None:
    """Found by the coverage phase: a bare CR inside the text crashed the csv reader (500)."""
    response = _import_csv("course,grade_level,grade\rALG1,9,A\n")
    assert response.status_code == 200, response.text
    assert response.json()["student"]["transcript"] == [
        {"course": "ALG1", "grade_level": 9, "grade": "A"}
    ]


def test_a_csv_field_over_the_csv_limit_is_a_422_naming_the_line() -> None:
    """A field past the csv module's 131,072-character limit is refused, not a 500."""
    response = _import_csv("course,grade_level\n" + "x" * 140_000 + ",9\n")
    assert response.status_code == 422, response.text
    assert (
        "line 2: the CSV cannot be read: field larger than field limit"
        in (response.json()["detail"])
    )
