"""The OpenAPI document says every answer the service can give, not only what FastAPI derives.

FastAPI documents a route's 200 and, when it has parameters, a 422 in its own error shape. The
service also answers on its own: 401, 403 and 429 from the auth dependency, 413 from the body
limit, the token endpoint's RFC 6749 errors, and every error as an RFC 9457 problem document. A
portal that codes against the document, and the schemathesis fuzz tests that check every answer
against it (``tests/fuzz/test_api_fuzz.py``), need all of them. They are added here from what
each route declares (:func:`service.auth.route_access`, its request body), so a route added later
is documented without a list kept by hand. Route-specific refusals (404, 409) are declared on the
route with :func:`problem_responses`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute

from service.auth import route_access
from service.problems import PROBLEM_JSON, Problem

__all__ = ["PROBLEM_REF", "complete", "problem_responses"]

PROBLEM_REF = "#/components/schemas/Problem"

#: What each refusal means, as the document describes it.
DESCRIPTIONS: dict[int, str] = {
    400: "The body cannot be read as the declared content type (for example JSON that is not "
    "UTF-8)",
    401: "No valid API key or access token (or, at the token endpoint, no valid client): a "
    "problem document; `WWW-Authenticate` names the scheme",
    403: "The key or token lacks the scope this route needs",
    404: "Nothing matches the path",
    409: "The path is ambiguous: the problem says which query parameter settles it",
    413: "The body is larger than the service accepts (`GRADPATH_MAX_BODY_BYTES`, 1 MiB by "
    "default)",
    422: "The request is not valid: a problem document with `errors`",
    429: "Too many requests from this key, or too many bad credentials from this address: "
    "retry after `Retry-After` seconds",
}

#: Headers a refusal always carries.
HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "the authentication scheme to use",
            "required": True,
            "schema": {"type": "string", "maxLength": 100},
        }
    },
    429: {
        "Retry-After": {
            "description": "seconds until a request may succeed",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}

DEFAULT_422 = "#/components/schemas/HTTPValidationError"


#: What the token endpoint's refusals mean instead (RFC 6749 §5.2).
TOKEN_DESCRIPTIONS: dict[int, str] = {
    400: "No or another grant type (`invalid_request`, `unsupported_grant_type`), credentials "
    "both in HTTP Basic and the form (`invalid_request`), or a scope the client does not hold "
    "(`invalid_scope`)",
    401: "Unknown client or wrong secret (`invalid_client`)",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that refuses with these statuses, each a problem document."""
    return {code: _problem(code) for code in codes}


def _problem(code: int, description: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "description": description or DESCRIPTIONS[code],
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }
    if code in HEADERS:
        answer["headers"] = HEADERS[code]
    return answer


def _add(operation: dict[str, Any], *codes: int, says: dict[int, str] | None = None) -> None:
    """Document ``codes`` on ``operation`` unless it documents them itself."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for code in codes:
        responses.setdefault(str(code), _problem(code, (says or {}).get(code)))


def _token_urls(spec: dict[str, Any]) -> set[str]:
    """Paths of the token endpoints that the OAuth2 security schemes name."""
    schemes = spec.get("components", {}).get("securitySchemes", {}).values()
    return {
        flow["tokenUrl"]
        for scheme in schemes
        if scheme.get("type") == "oauth2"
        for flow in scheme.get("flows", {}).values()
        if "tokenUrl" in flow
    }


def _operations(
    spec: dict[str, Any], routes: Sequence[BaseRoute]
) -> Iterator[tuple[RouteContext, str, dict[str, Any]]]:
    """(route, method, its operation in ``spec``) for every documented route."""
    paths: dict[str, Any] = spec.get("paths", {})
    for route in iter_route_contexts(routes):
        if not isinstance(route.original_route, APIRoute) or route.path_format not in paths:
            continue
        for method in sorted(route.methods or ()):
            operation = paths[route.path_format].get(method.lower())
            if operation is not None:
                yield route, method, operation


def complete(spec: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """Add the service's own answers to ``spec`` (FastAPI's document of ``routes``) in place."""
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    tokens = _token_urls(spec)
    for route, method, operation in _operations(spec, routes):
        answer = operation.get("responses", {}).get("422")
        if answer is not None and DEFAULT_422 in str(answer.get("content")):
            # Every error is a problem document (service.problems), never FastAPI's shape.
            operation["responses"]["422"] = _problem(422)
        if method == "POST" and route.path_format in tokens:
            # RFC 6749 §5.2: a bad grant, a bad client; bad secrets lock an address out.
            _add(operation, 400, 401, 429, says=TOKEN_DESCRIPTIONS)
        if "requestBody" in operation:
            _add(operation, 413)
        if getattr(route.original_route, "body_field", None) is not None:
            _add(operation, 400)  # FastAPI's answer to a body it cannot decode
        access = route_access(route)
        if access is not None:
            _add(operation, 401, *((403,) if access.scope is not None else ()), 429)
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return spec
