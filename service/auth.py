"""Who is calling, and may they: API keys with scopes, and OAuth2 client-credentials tokens.

A caller sends ``Authorization: Bearer <api key or access token>`` or ``X-API-Key: <key>``.
Keys are matched by hash in constant time. Access tokens are short-lived, signed with HMAC
(``gp1.<payload>.<signature>``): any worker holding the same ``token_secret`` can check them, and
the service keeps no session state. Scopes: ``evaluate`` (audit, plan, what-if, import) and
``rules`` (validate rule files); reading catalogs and goals needs any valid credential.

Guessing is slowed per client address: after ``auth_failure_limit`` bad keys, forged tokens or
client secrets within the window, the address gets 429 on every authenticated route and on the
token endpoint until the window passes (:class:`service.limits.FailureLimiter`). A token this
service signed that expired, or whose client was since removed, is refused (401 with RFC 6750's
``error="invalid_token"``) but is no guess and is not counted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qs, unquote_plus

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.routing import APIRoute, RouteContext
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer, OAuth2

from service.limits import FailureLimiter, client_key
from service.problems import ProblemError, ProblemItem
from service.settings import SCOPES, OAuthClient, Scope, Settings, hash_secret

__all__ = [
    "Access",
    "Evaluator",
    "Principal",
    "Reader",
    "RulesAuthor",
    "TokenResponse",
    "authenticate",
    "issue_token",
    "route_access",
    "token_request",
]

PREFIX = "gp1"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: ``key_id`` is what logs show, never the key."""

    key_id: str
    scopes: frozenset[str]


OPEN = Principal("open-access", frozenset(SCOPES))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def issue_token(settings: Settings, client_id: str, scopes: tuple[Scope, ...]) -> str:
    """A signed access token for ``client_id`` valid for ``token_ttl_seconds``."""
    assert settings.token_secret is not None
    claims = {
        "sub": client_id,
        "scp": list(scopes),
        "exp": int(time.time()) + settings.token_ttl_seconds,
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{PREFIX}.{payload}.{_sign(settings.token_secret.get_secret_value(), payload)}"


@dataclass(frozen=True)
class _TokenCheck:
    """What a token turned out to be: a caller, or why not.

    ``authentic`` tells a token this service signed (expired, or of a client since removed) from
    a forged one: only a forged token is a guess that counts towards the lock-out. A portal's
    threads all sending the token that just expired must not lock the portal's address out.
    """

    principal: Principal | None
    authentic: bool
    reason: str = ""


_FORGED = _TokenCheck(None, authentic=False)


def _check_token(settings: Settings, token: str) -> _TokenCheck:
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or settings.token_secret is None:
        return _FORGED
    expected = _sign(settings.token_secret.get_secret_value(), parts[1])
    if not hmac.compare_digest(expected, parts[2]):
        return _FORGED
    try:
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return _FORGED
    if not isinstance(claims, dict):
        return _FORGED
    if int(claims.get("exp", 0)) < time.time():
        return _TokenCheck(None, authentic=True, reason="The access token expired.")
    # A token is only as good as its client still is: one removed from the settings (revoked)
    # loses its tokens at once, and one whose scopes were narrowed loses the others.
    client = next((c for c in settings.oauth_clients if c.client_id == claims.get("sub")), None)
    if client is None:
        return _TokenCheck(None, authentic=True, reason="The access token's client is revoked.")
    scopes = frozenset(s for s in claims.get("scp", ()) if s in client.scopes)
    return _TokenCheck(Principal(f"client:{client.client_id}", scopes), authentic=True)


def _credential(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


def _address(request: Request) -> str:
    return client_key(request.client.host if request.client else None)


def _refuse_locked_out(request: Request) -> str:
    """The caller's address; a 429 problem when too many bad credentials came from it."""
    address = _address(request)
    failures: FailureLimiter = request.app.state.auth_failures
    retry = failures.retry_after(address)
    if retry is not None:
        raise ProblemError(
            429,
            "Too many failed attempts",
            f"Too many bad keys, tokens or client secrets came from this address; retry in "
            f"{retry} s.",
            headers={"Retry-After": str(retry)},
        )
    return address


def authenticate(request: Request) -> Principal:
    """The caller of ``request``; a 401 problem, or 429 while its address is locked out."""
    settings: Settings = request.app.state.settings
    if settings.open_access:
        request.state.key_id = OPEN.key_id
        return OPEN
    address = _refuse_locked_out(request)
    secret = _credential(request)
    principal: Principal | None = None
    token = _FORGED
    if secret is not None:
        if secret.startswith(PREFIX + "."):
            token = _check_token(settings, secret)
            principal = token.principal
        else:
            digest = hash_secret(secret)
            for key in settings.api_keys:
                if hmac.compare_digest(digest, key.sha256):
                    principal = Principal(key.id, frozenset(key.scopes))
    if principal is None:
        challenge = 'Bearer realm="gradpath"'
        if token.authentic:  # RFC 6750 §3.1: tell the client to fetch a new token
            challenge += ', error="invalid_token"'
        elif secret is not None:
            request.app.state.auth_failures.failed(address)
        raise ProblemError(
            401,
            "Not authenticated",
            "Send an API key (Authorization: Bearer <key> or X-API-Key) or an access token "
            "from POST /oauth/token."
            if secret is None
            else token.reason or "The key or token is not valid.",
            headers={"WWW-Authenticate": challenge},
        )
    request.state.key_id = principal.key_id
    return principal


@dataclass(frozen=True)
class Access:
    """What a route asks of its caller: a valid credential, holding ``scope`` unless None."""

    scope: Scope | None


#: Every checker made by ``_checker``, with the access it enforces (read by ``route_access``).
_GUARDS: dict[Callable[..., Awaitable[Principal]], Access] = {}


def route_access(route: APIRoute | RouteContext) -> Access | None:
    """The access ``route`` declares through its dependencies; None when it is open to all.

    Tests and the OpenAPI document read it from the route itself, so a route added later is
    checked against what it declares rather than against a list kept by hand.
    """

    def walk(dependant: Dependant) -> Access | None:
        for sub in dependant.dependencies:
            found = _GUARDS.get(sub.call) if sub.call is not None else None
            found = found or walk(sub)
            if found is not None:
                return found
        return None

    dependant: Dependant | None = route.dependant
    return walk(dependant) if dependant is not None else None


def _checker(scope: Scope | None) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers that hold ``scope`` (any valid caller when None).

    The security parameters only document the schemes in OpenAPI; ``authenticate`` reads the
    headers itself so that every scheme goes through one path.
    """

    async def check(
        request: Request,
        _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None,
        _key: Annotated[str | None, Depends(API_KEY)] = None,
        _oauth: Annotated[str | None, Depends(OAUTH)] = None,
    ) -> Principal:
        principal = authenticate(request)
        retry = request.app.state.rate_limiter.take(principal.key_id)
        if retry is not None:
            raise ProblemError(
                429,
                "Too many requests",
                f"Rate limit for this key reached; retry in {retry} s.",
                headers={"Retry-After": str(retry)},
            )
        if scope is not None and scope not in principal.scopes:
            raise ProblemError(403, "Forbidden", f"This key lacks the {scope!r} scope needed here.")
        return principal

    _GUARDS[check] = Access(scope)
    return check


BEARER = HTTPBearer(auto_error=False, description="an API key or an access token")
API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False)
OAUTH = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl="/oauth/token",
            scopes={"evaluate": "audit, plan, what-if, import", "rules": "validate rule files"},
        )
    ),
    auto_error=False,
)
Evaluator = Annotated[Principal, Depends(_checker("evaluate"))]
RulesAuthor = Annotated[Principal, Depends(_checker("rules"))]
Reader = Annotated[Principal, Depends(_checker(None))]


@dataclass(frozen=True)
class TokenResponse:
    access_token: str
    token_type: str
    expires_in: int
    scope: str


def _oauth_error(status: int, error: str, detail: str, field: str | None = None) -> ProblemError:
    """An RFC 6749 §5.2 refusal: the error code is the problem's title."""
    items = [ProblemItem(loc=["body", field], msg=detail, type=error)] if field else []
    return ProblemError(status, error, detail, items, oauth_error=error)


def _basic_credentials(header: str) -> list[tuple[str, str]]:
    """The (client id, secret) pairs HTTP Basic credentials may stand for.

    RFC 6749 §2.3.1 has the client form-encode both before Basic encoding (IdentityModel and
    Spring do); many clients (curl -u, requests) send them as they are. The decoded pair is tried
    too, so a secret with ``+``, ``/``, ``=`` or ``%`` works either way.
    """
    try:
        raw_id, _, raw_secret = _unb64(header.strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return []
    pairs = [(raw_id, raw_secret)]
    decoded = (unquote_plus(raw_id), unquote_plus(raw_secret))
    if decoded != pairs[0]:
        pairs.append(decoded)
    return pairs


async def token_request(request: Request) -> TokenResponse:
    """RFC 6749 §4.4: client credentials in HTTP Basic auth or the form body."""
    settings: Settings = request.app.state.settings
    request.state.no_store = True  # RFC 6749 §5.1: no cache may keep a token (or a refusal)
    address = _refuse_locked_out(request)
    body = (await request.body()).decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    header = request.headers.get("authorization", "")
    in_basic = header[:6].lower() == "basic "
    if in_basic and "client_secret" in form:
        # RFC 6749 §2.3: a client MUST NOT use more than one authentication method at once.
        raise _oauth_error(
            400,
            "invalid_request",
            "Send the client credentials in HTTP Basic auth or in the form, not both.",
            "client_secret",
        )
    grant = form.get("grant_type")
    if not grant:
        raise _oauth_error(400, "invalid_request", "grant_type is missing.", "grant_type")
    if grant != "client_credentials":
        raise _oauth_error(
            400,
            "unsupported_grant_type",
            "Only grant_type=client_credentials is supported.",
            "grant_type",
        )
    if in_basic:
        candidates = _basic_credentials(header[6:])
    else:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        candidates = [(client_id, secret)] if client_id is not None and secret is not None else []
    for client_id, secret in candidates:
        for client in settings.oauth_clients:
            if client_id == client.client_id and hmac.compare_digest(
                hash_secret(secret), client.secret_sha256
            ):
                return _grant(request, settings, client, form.get("scope"))
    request.app.state.auth_failures.failed(address)
    raise ProblemError(
        401,
        "invalid_client",
        "Unknown client or wrong secret.",
        headers={"WWW-Authenticate": 'Basic realm="gradpath"'},
        oauth_error="invalid_client",
    )


def _grant(
    request: Request, settings: Settings, client: OAuthClient, scope: str | None
) -> TokenResponse:
    """A token for ``client`` with the scopes it asked for and holds (all it holds by default).

    RFC 6749 §3.3: a request for more than the client holds is narrowed (the answer's ``scope``
    says what was granted); one for nothing it holds is ``invalid_scope``, not a token that can
    do nothing.
    """
    wanted = scope.split() if scope and scope.strip() else list(client.scopes)
    granted = tuple(s for s in client.scopes if s in wanted)
    if not granted:
        raise _oauth_error(
            400,
            "invalid_scope",
            f"This client may ask for: {' '.join(client.scopes)}.",
            "scope",
        )
    request.state.key_id = f"client:{client.client_id}"
    return TokenResponse(
        issue_token(settings, client.client_id, granted),
        "bearer",
        settings.token_ttl_seconds,
        " ".join(granted),
    )
