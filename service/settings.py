"""Service settings, from environment variables (prefix ``GRADPATH_``) through pydantic-settings.

Secrets are configured as SHA-256 hashes, never in the clear: an API key or client secret is
compared by hashing what the caller sends. Open access exists only for local use and must be
switched on explicitly (``GRADPATH_OPEN_ACCESS=true``); with no keys and no open access every
protected route answers 401, so a forgotten setting fails closed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ApiKey", "OAuthClient", "Scope", "Settings", "hash_secret"]

Scope = Literal["evaluate", "rules"]
SCOPES: tuple[Scope, ...] = ("evaluate", "rules")
SHA256 = r"^[0-9a-f]{64}$"


def hash_secret(secret: str) -> str:
    """The hex SHA-256 of a key or client secret, as settings store it."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(BaseModel):
    """One API key: an id that appears in logs, the key's hash, and what it may do."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    sha256: str = Field(pattern=SHA256)
    scopes: tuple[Scope, ...] = ("evaluate",)


class OAuthClient(BaseModel):
    """A client of the OAuth2 client-credentials flow (as Ed-Fi ODS/API clients use)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    client_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    secret_sha256: str = Field(pattern=SHA256)
    scopes: tuple[Scope, ...] = ("evaluate",)


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="GRADPATH_", extra="ignore", frozen=True)

    root: Path | None = Field(
        default=None, description="folder with catalogs/, rules/ and careers/ (default: bundled)"
    )
    open_access: bool = Field(
        default=False, description="serve without keys: local use only, never in production"
    )
    api_keys: tuple[ApiKey, ...] = ()
    oauth_clients: tuple[OAuthClient, ...] = ()
    token_secret: SecretStr | None = Field(
        default=None, description="HMAC key for access tokens; the same for every worker"
    )
    token_ttl_seconds: int = Field(default=3600, ge=60, le=86400)
    cors_origins: tuple[str, ...] = Field(default=(), description="exact origins allowed")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_transcript_rows: int = Field(default=400, ge=1, le=500)
    max_scenarios: int = Field(default=20, ge=1, le=100)
    plan_time_limit_seconds: float = Field(default=5.0, gt=0, le=60)
    plan_budget_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="planning time per request: a what-if (up to 1 + scenarios plans) stops "
        "between plans once it is spent (422), so one request cannot hold a worker for minutes",
    )
    rate_limit_per_minute: int = Field(default=600, ge=1)
    rate_limit_burst: int = Field(default=60, ge=1)
    auth_failure_limit: int = Field(
        default=10,
        ge=1,
        description="bad keys, tokens or client secrets from one address within the window "
        "that lock it out (429 with Retry-After, even with a good key, until the window passes)",
    )
    auth_failure_window_seconds: int = Field(default=60, ge=1, le=86400)

    @model_validator(mode="after")
    def _tokens_need_a_secret(self) -> Settings:
        if self.oauth_clients and self.token_secret is None:
            raise ValueError(
                "GRADPATH_OAUTH_CLIENTS is set but GRADPATH_TOKEN_SECRET is not: every worker "
                "must sign and check tokens with the same secret"
            )
        return self

    @property
    def mode(self) -> str:
        """How callers are admitted, in words (printed at start-up)."""
        if self.open_access:
            return "OPEN ACCESS (no keys checked; for local use only)"
        parts = [f"{len(self.api_keys)} API key(s)", f"{len(self.oauth_clients)} OAuth client(s)"]
        return "keys required: " + ", ".join(parts)
