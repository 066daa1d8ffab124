"""The ``policies:`` block of a rule file: state policy rules as data (if these facts, then that).

A requirement tree says what a diploma needs; a policy says what follows from a student's
situation: "AP Computer Science A may count as the fourth math credit", "a 10th grader with fewer
than 5 credits is off track", "an IEP committee may waive a requirement". Staff write them as
data: ``when`` lists conditions over facts GradPath knows about a student, ``then`` lists
outcomes. Nothing here is code or an expression language; :mod:`engine.policy` compiles these
models into durable-rules rulesets, and :mod:`engine.policy_check` checks their references.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    StrictFloat,
    Tag,
    field_validator,
    model_validator,
)

from engine.model import (
    ID_PATTERN,
    MAX_COURSE_LIST,
    MAX_NAME_LIST,
    SLUG,
    Attribute,
    CourseLevel,
    FrozenModel,
    LetterGrade,
    Selector,
    Source,
    SubjectName,
    YesNo,
)

__all__ = [
    "CONDITION_KEYS",
    "FLAGS",
    "MAX_ALTERNATIVES",
    "MAX_CONDITIONS",
    "OUTCOME_KEYS",
    "PLACEHOLDERS",
    "ROW_PLACEHOLDERS",
    "AlertOutcome",
    "AnyCondition",
    "ApplySetOutcome",
    "Compare",
    "Condition",
    "CourseCondition",
    "CourseMatch",
    "CreditsCondition",
    "Flag",
    "FlagCondition",
    "GoalCondition",
    "GpaCondition",
    "NoCourseCondition",
    "NotFlagCondition",
    "Outcome",
    "Policy",
    "RecommendOutcome",
    "RequirementCondition",
    "Severity",
    "SkipOutcome",
    "StudentCondition",
    "SubstituteOutcome",
    "WaiveOutcome",
    "alternatives",
    "placeholders",
]

#: Student flags a policy may test. A closed list of program memberships, never personal data.
Flag = Literal[
    "iep",
    "section_504",
    "english_learner",
    "foster_care",
    "homeless",
    "military_connected",
    "migrant",
    "gifted",
]
FLAGS: tuple[str, ...] = Flag.__args__  # type: ignore[attr-defined]
Severity = Literal["info", "warning", "critical"]
ReqStatus = Literal["met", "in_progress", "unmet"]
RowStatus = Literal["completed", "in_progress", "planned"]
#: Most conditions in one alternative: durable-rules joins at most 16 facts, one is the trigger.
MAX_CONDITIONS = 15
#: Most alternatives one policy may expand to (each ``any`` multiplies them).
MAX_ALTERNATIVES = 16
#: Template fields every message may use (from the student fact).
PLACEHOLDERS: tuple[str, ...] = ("grade_level", "cohort", "credits", "gpa")
#: Template fields a message may use when its policy matches a course (the first ``course``).
ROW_PLACEHOLDERS: tuple[str, ...] = ("course", "title", "grade", "row_grade_level")


def _as_tuple(value: Any) -> Any:
    if isinstance(value, str | int | float):
        return (value,)
    return value


class Compare(FrozenModel):
    """A numeric test: any combination of bounds, all of which must hold."""

    equals: StrictFloat | None = None
    at_least: StrictFloat | None = None
    at_most: StrictFloat | None = None
    above: StrictFloat | None = None
    below: StrictFloat | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"equals": value}
        return value

    @model_validator(mode="after")
    def _some_bound(self) -> Compare:
        if all(
            v is None for v in (self.equals, self.at_least, self.at_most, self.above, self.below)
        ):
            raise ValueError("a comparison needs equals, at_least, at_most, above or below")
        return self


class CourseMatch(FrozenModel):
    """Which transcript rows a ``course``/``no_course`` condition looks for (keys combine)."""

    course: tuple[Annotated[str, Field(pattern=ID_PATTERN)], ...] = Field(
        default=(), max_length=MAX_COURSE_LIST
    )
    subject: tuple[SubjectName, ...] = Field(default=(), max_length=MAX_NAME_LIST)
    attribute: tuple[Attribute, ...] = Field(default=(), max_length=MAX_NAME_LIST)
    level: tuple[CourseLevel, ...] = Field(default=(), max_length=8)
    result: tuple[Literal["passed", "failed", "pending"], ...] = Field(
        default=(),
        max_length=3,
        description="passed (earns credit), failed, or pending (not yet graded)",
    )
    status: tuple[RowStatus, ...] = Field(default=(), max_length=3)
    min_grade: LetterGrade | None = Field(default=None, description="graded at least this")
    below_grade: LetterGrade | None = Field(default=None, description="graded below this")
    grade_level: Compare | None = Field(default=None, description="the grade it was taken in")
    same_course: YesNo = Field(
        default=False,
        description="the same course as the policy's first 'course' condition matched",
    )

    @field_validator("course", "subject", "attribute", "level", "status", "result", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


class _Cond(FrozenModel):
    pass


class CourseCondition(_Cond):
    """The transcript has a row matching ``course`` (e.g. Algebra I, failed)."""

    course: CourseMatch


class NoCourseCondition(_Cond):
    """The transcript has no row matching ``no_course``."""

    no_course: CourseMatch


class StudentCondition(_Cond):
    """The student's grade level, cohort (expected graduation year) or residency."""

    student: StudentFacts


class StudentFacts(FrozenModel):
    grade_level: Compare | None = None
    cohort: Compare | None = None
    residency: Literal["resident", "nonresident"] | None = None

    @model_validator(mode="after")
    def _something(self) -> StudentFacts:
        if self.grade_level is None and self.cohort is None and self.residency is None:
            raise ValueError("a student condition needs grade_level, cohort or residency")
        return self


class FlagCondition(_Cond):
    """The student carries this flag (e.g. ``iep``)."""

    flag: Flag


class NotFlagCondition(_Cond):
    """The student does not carry this flag."""

    not_flag: Flag


class GoalCondition(_Cond):
    """The student has this goal (a rule-set id, e.g. ``ncaa-d1``)."""

    goal: str = Field(pattern=SLUG)


class RequirementCondition(_Cond):
    """A named requirement of this set has one of ``status`` in the audit before policies."""

    requirement: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    status: tuple[ReqStatus, ...] = Field(min_length=1, max_length=3)

    @field_validator("status", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


class CreditsCondition(_Cond):
    """Credits earned (optionally only from ``from``, optionally counting pending rows)."""

    credits: Compare
    from_: Selector | None = Field(default=None, alias="from")
    counting: tuple[RowStatus, ...] = Field(
        default=("completed",),
        max_length=3,
        description="which rows count: completed, in_progress, planned",
    )

    @field_validator("counting", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


class GpaCondition(_Cond):
    """The unweighted GPA over every graded completed course, on this set's scale."""

    gpa: Compare


class AnyCondition(_Cond):
    """At least one of the listed conditions holds."""

    any: tuple[Condition, ...] = Field(min_length=1, max_length=MAX_ALTERNATIVES)


#: Condition keys in the order a condition is recognised by.
CONDITION_KEYS: tuple[str, ...] = (
    "course",
    "no_course",
    "student",
    "flag",
    "not_flag",
    "goal",
    "requirement",
    "credits",
    "gpa",
    "any",
)


def _keys(value: Any) -> Iterable[str]:
    """The keys of a condition or outcome as written (a dict) or as built (a model); anything
    else (a string, a list) has none, and pydantic refuses it as missing its operator."""
    if isinstance(value, dict):
        return value.keys()
    if isinstance(value, BaseModel):
        return type(value).model_fields.keys()
    return ()


def _condition_tag(value: Any) -> str | None:
    keys = set(_keys(value))
    for key in CONDITION_KEYS:
        if key in keys:
            return key
    return None


Condition = Annotated[
    Annotated[CourseCondition, Tag("course")]
    | Annotated[NoCourseCondition, Tag("no_course")]
    | Annotated[StudentCondition, Tag("student")]
    | Annotated[FlagCondition, Tag("flag")]
    | Annotated[NotFlagCondition, Tag("not_flag")]
    | Annotated[GoalCondition, Tag("goal")]
    | Annotated[RequirementCondition, Tag("requirement")]
    | Annotated[CreditsCondition, Tag("credits")]
    | Annotated[GpaCondition, Tag("gpa")]
    | Annotated[AnyCondition, Tag("any")],
    Discriminator(
        _condition_tag,
        custom_error_type="missing-operator",
        custom_error_message="a condition needs one of: " + ", ".join(CONDITION_KEYS),
    ),
]
StudentCondition.model_rebuild()
AnyCondition.model_rebuild()


Message = Annotated[str, Field(min_length=1, max_length=500)]


class AlertOutcome(FrozenModel):
    """Tell the counselor something, with a severity."""

    alert: Severity
    message: Message


class RecommendOutcome(FrozenModel):
    """Suggest a catalog course or an experience (credit recovery, tutoring, a plan meeting)."""

    recommend: Literal["course", "experience"]
    course: str | None = Field(default=None, pattern=ID_PATTERN)
    experience: str | None = Field(default=None, pattern=SLUG)
    message: Message

    @model_validator(mode="after")
    def _names_one(self) -> RecommendOutcome:
        named = getattr(self, self.recommend)
        if named is None:
            raise ValueError(f"recommend: {self.recommend} needs '{self.recommend}:'")
        return self


class SubstituteOutcome(FrozenModel):
    """Let more courses count toward a requirement (every course-counting part of it)."""

    substitute: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="requirement")
    with_: Selector = Field(alias="with", description="the courses that may count there")
    reason: Message


class WaiveOutcome(FrozenModel):
    """Treat a requirement as met without courses (e.g. an IEP committee's decision)."""

    waive: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="requirement")
    reason: Message


class SkipOutcome(FrozenModel):
    """A requirement does not apply to this student (e.g. an older cohort)."""

    skip: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="requirement")
    reason: Message


class ApplySetOutcome(FrozenModel):
    """Audit another requirement set for this student too (e.g. a required endorsement)."""

    apply_set: str = Field(pattern=SLUG)
    reason: Message


#: Outcome keys in the order an outcome is recognised by.
OUTCOME_KEYS: tuple[str, ...] = ("alert", "recommend", "substitute", "waive", "skip", "apply_set")


def _outcome_tag(value: Any) -> str | None:
    keys = set(_keys(value))
    for key in OUTCOME_KEYS:
        if key in keys:
            return key
    return None


Outcome = Annotated[
    Annotated[AlertOutcome, Tag("alert")]
    | Annotated[RecommendOutcome, Tag("recommend")]
    | Annotated[SubstituteOutcome, Tag("substitute")]
    | Annotated[WaiveOutcome, Tag("waive")]
    | Annotated[SkipOutcome, Tag("skip")]
    | Annotated[ApplySetOutcome, Tag("apply_set")],
    Discriminator(
        _outcome_tag,
        custom_error_type="missing-operator",
        custom_error_message="an outcome needs one of: " + ", ".join(OUTCOME_KEYS),
    ),
]


class Policy(FrozenModel):
    """One state policy rule: when every condition holds, every outcome follows."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=200)
    source: Source
    when: tuple[Condition, ...] = Field(min_length=1, max_length=MAX_CONDITIONS)
    then: tuple[Outcome, ...] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _bounded(self) -> Policy:
        alts = alternatives(self.when)
        if len(alts) > MAX_ALTERNATIVES:
            raise ValueError(
                f"the 'any' conditions expand to {len(alts)} alternatives; at most "
                f"{MAX_ALTERNATIVES} are allowed: split the policy"
            )
        for alt in alts:
            if len(alt) > MAX_CONDITIONS:
                raise ValueError(
                    f"an alternative has {len(alt)} conditions; at most {MAX_CONDITIONS} "
                    "(the rule engine joins at most 16 facts)"
                )
        return self


Leaf = (
    CourseCondition
    | NoCourseCondition
    | StudentCondition
    | FlagCondition
    | NotFlagCondition
    | GoalCondition
    | RequirementCondition
    | CreditsCondition
    | GpaCondition
)


def alternatives(conditions: tuple[Condition, ...]) -> list[tuple[Leaf, ...]]:
    """``when`` in disjunctive normal form: each alternative is a list of plain conditions."""
    out: list[tuple[Leaf, ...]] = [()]
    for cond in conditions:
        if isinstance(cond, AnyCondition):
            options = [alt for sub in cond.any for alt in alternatives((sub,))]
        else:
            options = [(cond,)]
        out = [a + b for a in out for b in options]
        if len(out) > MAX_ALTERNATIVES * 4:  # stop expanding: the caller reports the size
            break
    return out


def placeholders(message: str) -> list[str]:
    """Field names in ``{...}`` of a message template; a bad template raises ``ValueError``.

    A field is a plain name (no attribute access, index, conversion or format spec): templates
    are filled by plain substitution, never by :meth:`str.format`.
    """
    names: list[str] = []
    for _, name, spec, conversion in string.Formatter().parse(message):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"'{{{name}}}' is not a plain field name")
        names.append(name)
    return names
