"""What a student tells the recommender: the interests they have and the preferences they hold.

Interests come in three forms a student or counselor can give (any mix): Holland (RIASEC)
codes from an interest inventory such as O*NET's Interest Profiler, career clusters the student
likes, and school subjects the student likes. Preferences are limits the student sets on the
road after high school. Everything is optional: a recommendation with no interests ranks on the
transcript alone and says so.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from engine.careers.model import RiasecCode, check_riasec
from engine.careers.vocabulary import ClusterSlug, RouteKind
from engine.model import NOT_A_BOOLEAN, SLUG, FrozenModel

__all__ = ["Interests", "Preferences"]


class Interests(FrozenModel):
    """What the student likes; any field may be empty."""

    riasec: RiasecCode | None = Field(
        default=None,
        description="the student's Holland code, strongest first (e.g. 'SI' or 'RIC')",
    )
    clusters: tuple[ClusterSlug, ...] = Field(
        default=(), max_length=16, description="National Career Clusters the student likes"
    )
    subjects: tuple[Annotated[str, Field(pattern=SLUG, max_length=40)], ...] = Field(
        default=(),
        max_length=20,
        description="school subjects the student likes, as the catalog names them ('science')",
    )

    @field_validator("riasec")
    @classmethod
    def _riasec_distinct(cls, value: str | None) -> str | None:
        return None if value is None else check_riasec(value)

    @property
    def given(self) -> bool:
        """Whether the student said anything about their interests."""
        return bool(self.riasec or self.clusters or self.subjects)


class Preferences(FrozenModel):
    """Limits the student sets on the road after high school; each one optional."""

    # ``false`` (meant as "no limit") would read as 0 years.
    max_years: Annotated[int, Field(ge=0, le=10), NOT_A_BOOLEAN] | None = Field(
        default=None,
        description="at most this many years of full-time education after high school",
    )
    routes: tuple[RouteKind, ...] = Field(
        default=(),
        max_length=6,
        description="kinds of route the student prefers (e.g. apprenticeship, certificate)",
    )

    @property
    def given(self) -> bool:
        """Whether the student stated any preference."""
        return self.max_years is not None or bool(self.routes)
