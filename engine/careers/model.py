"""What a career file says: careers of one cluster, and the routes file's defaults.

A career is authored in national terms only (programs of study, subjects, national attributes,
goal ids), so one file serves every state: :mod:`engine.careers.compile` turns it into a
requirement set for the catalog of whichever state a student is in.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StrictFloat, field_validator, model_validator

from engine.careers.vocabulary import ClusterSlug, EntryEducation, ProgramSlug, RouteKind
from engine.model import SLUG, FrozenModel, Source

__all__ = [
    "RIASEC_LETTERS",
    "Career",
    "CareerFile",
    "Coursework",
    "RiasecCode",
    "Route",
    "RouteDefaults",
    "SetId",
    "check_riasec",
    "distinct_letters_pattern",
]

SetId = Annotated[str, Field(pattern=SLUG, description="a rule-set (goal) id, e.g. 'uc-ag'")]
Jurisdiction = Annotated[str, Field(pattern=r"^[A-Z]{2,8}$")]
Phrase = Annotated[str, Field(min_length=1, max_length=80)]
#: Rule sets that lead along one route in one state (any one will do) [3].
SetIds = Annotated[tuple[SetId, ...], Field(max_length=20)]


#: Holland's six interest types, in O*NET's order: Realistic, Investigative, Artistic, Social,
#: Enterprising, Conventional.
RIASEC_LETTERS = "RIASEC"


def distinct_letters_pattern(letters: str, most: int) -> str:
    """A regular expression of 1 to ``most`` distinct letters of ``letters``, for schemas.

    Written out letter by letter (``R(?:I[ASEC]?|A[ISEC]?|...)?|I(...)?|...``) with no
    lookahead or backreference, so JSON Schema validators, schemathesis' generator and
    pydantic's Rust regex all read it alike: the published schema states that a code never
    repeats a letter, as :func:`check_riasec` enforces with its own message.
    """

    def after(used: str, left: int) -> str:
        rest = "".join(c for c in letters if c not in used)
        if left == 1:
            return f"[{rest}]"
        return "(?:" + "|".join(f"{c}{after(used + c, left - 1)}?" for c in rest) + ")"

    return f"^{after('', most)}$"


RiasecCode = Annotated[
    str,
    Field(
        pattern=r"^[RIASEC]{1,3}$",
        max_length=3,
        description="Holland (RIASEC) interest code, strongest first: 1-3 distinct letters "
        "of R I A S E C, e.g. 'SIC' (O*NET's first, second and third interest high points)",
        # The model checks the letters with the short pattern and a repeat with a message
        # that names it; the schema states both in one pattern.
        json_schema_extra={"pattern": distinct_letters_pattern(RIASEC_LETTERS, 3)},
    ),
]


def check_riasec(value: str) -> str:
    """Refuse a code naming a letter twice ('SSI'): each letter is one high point."""
    if len(set(value)) != len(value):
        raise ValueError(f"interest code {value!r} repeats a letter; give 1-3 distinct letters")
    return value


def _one_or_many(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


class Coursework(FrozenModel):
    """Recommended credits from a subject or a national attribute (``lab-science``, ``cte:...``).

    ``note`` carries advice no national selector can check (e.g. "including Algebra II": no
    attribute names Algebra II in every state); the counselor reads it, the audit does not.
    """

    credits: StrictFloat = Field(gt=0, le=10)
    subject: tuple[Annotated[str, Field(pattern=SLUG)], ...] = Field(default=(), max_length=20)
    attribute: tuple[Annotated[str, Field(min_length=1, max_length=64)], ...] = Field(
        default=(), max_length=20
    )
    title: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=300)

    @field_validator("subject", "attribute", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _one_or_many(value)

    @model_validator(mode="after")
    def _needs_a_selector(self) -> Coursework:
        if not self.subject and not self.attribute:
            raise ValueError("coursework needs 'subject' or 'attribute'")
        return self


class Route(FrozenModel):
    """One way from high school to the career; ``sets`` overrides the defaults per state."""

    kind: RouteKind
    title: str = Field(min_length=1, max_length=200)
    sets: dict[Jurisdiction, SetIds] = Field(
        default_factory=dict,
        description="rule sets that lead here in a state (any one will do), e.g. CA: [uc-ag]",
    )


class Career(FrozenModel):
    """One occupation: its SOC code, entry education, programs of study, coursework and routes."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=120)
    aliases: tuple[Phrase, ...] = Field(default=(), max_length=20)
    keywords: tuple[Phrase, ...] = Field(default=(), max_length=30)
    soc: str = Field(pattern=r"^\d{2}-\d{4}$", description="2018 SOC code, e.g. '29-1141'")
    entry_education: EntryEducation = Field(description="BLS typical education needed for entry")
    riasec: RiasecCode | None = Field(
        default=None,
        description="O*NET interest high points for the SOC code (the file's interests_source)",
    )
    cluster_2024: str | None = Field(
        default=None, max_length=80, description="overrides the file's 2024 cluster name"
    )
    programs: tuple[ProgramSlug, ...] = Field(min_length=1, max_length=6)
    coursework: tuple[Coursework, ...] = Field(default=(), max_length=12)
    routes: tuple[Route, ...] = Field(min_length=1, max_length=6)
    description: str | None = Field(default=None, max_length=1000)
    source: Source

    @field_validator("programs", mode="before")
    @classmethod
    def _programs_listify(cls, value: Any) -> Any:
        return _one_or_many(value)

    @field_validator("riasec")
    @classmethod
    def _riasec_distinct(cls, value: str | None) -> str | None:
        return None if value is None else check_riasec(value)


class CareerFile(FrozenModel):
    """A ``careers/<cluster>.yaml`` file: the careers of one National Career Cluster."""

    schema_version: Literal[1] = 1
    cluster: ClusterSlug
    cluster_2024: str | None = Field(
        default=None,
        max_length=80,
        description="the cluster's name in the 2024 framework, only where confirmed",
    )
    catalog_year: int = Field(ge=2000, le=2100, description="the year the data was reviewed")
    source: Source
    interests_source: Source | None = Field(
        default=None,
        description="where the careers' riasec codes come from (O*NET OnLine, Interests)",
    )
    careers: tuple[Career, ...] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _codes_cite_a_source(self) -> CareerFile:
        if self.interests_source is None and any(c.riasec for c in self.careers):
            raise ValueError("careers give 'riasec' codes: cite them in 'interests_source'")
        return self


class RouteDefaults(FrozenModel):
    """``careers/routes.yaml``: which rule sets lead to each kind of route, per state.

    ``diplomas`` is every state's diploma set, the fallback for any route a state does not
    list (an apprenticeship in Texas needs the Texas diploma).
    """

    schema_version: Literal[1] = 1
    source: Source
    diplomas: dict[Jurisdiction, SetId] = Field(min_length=1)
    routes: dict[RouteKind, dict[Jurisdiction, SetIds]] = Field(default_factory=dict)
