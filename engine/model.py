"""Authored data: courses, catalogs and requirement sets (students: :mod:`engine.student`).

Every model is a frozen pydantic v2 model with ``extra="forbid"``, so a misspelt key in a rule file
or a student record is an error, never silently ignored. These classes describe what people write;
:mod:`engine.requirements` compiles rule sets into the evaluable form the audit runs.

A student carries an opaque id and no names, birth dates or addresses: GradPath never needs them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StrictFloat,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from engine.grades import GradeScale

__all__ = [
    "ID_PATTERN",
    "MAX_ATTRIBUTE",
    "MAX_CATALOG",
    "MAX_COURSE_LIST",
    "MAX_NAME",
    "MAX_NAME_LIST",
    "MAX_TEXT",
    "MAX_TITLE",
    "OPERATORS",
    "AllReq",
    "AnyReq",
    "AssessmentReq",
    "Attribute",
    "Before",
    "Catalog",
    "Course",
    "CourseLevel",
    "CourseReq",
    "CoursesReq",
    "CredentialReq",
    "CreditsReq",
    "Dating",
    "From",
    "FrozenModel",
    "GoalReq",
    "GpaReq",
    "Grading",
    "HonorsCap",
    "HoursReq",
    "Limit",
    "NOfReq",
    "Name",
    "PlanningDefaults",
    "Prereq",
    "PrereqAll",
    "PrereqAny",
    "PrereqCourse",
    "RefReq",
    "Requirement",
    "RequirementSet",
    "Selector",
    "SequenceInfo",
    "SequenceReq",
    "Source",
    "SubjectName",
    "Term",
    "mixed_dating",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
Term = Literal["year", "fall", "spring", "summer"]
CourseLevel = Literal["general", "pre_ap", "honors", "ap", "ib", "dual_credit", "cte", "remedial"]
SetKind = Literal[
    "graduation",
    "endorsement",
    "distinction",
    "admission",
    "eligibility",
    "career_pathway",
    "program_of_study",
]
#: What a rule set's ``catalog_year`` dates (``dated_by``).
Dating = Literal["catalog_year", "enrolment"]
LetterGrade = Annotated[str, Field(pattern=r"^[A-DF][+-]?$")]

# Limits every authored list and text states in its JSON Schema (maxLength / maxItems), so a
# portal or editor can size its storage. They are round numbers well above the largest value in
# the bundled rules, catalogs and careers when they were set (largest bundled value in brackets).
#: Ids, subjects, requirement names, SCED-free course references [33].
MAX_NAME = 64
#: Course attributes such as ``ca:sector-education-child-development-family-services`` [53].
MAX_ATTRIBUTE = 100
#: Titles [77].
MAX_TITLE = 200
#: Descriptions and notes [1396].
MAX_TEXT = 4000
#: Course ids or SCED prefixes in one list [7].
MAX_COURSE_LIST = 1000
#: Requirement names, credentials, subjects or attributes in one list [17].
MAX_NAME_LIST = 200
#: Courses in one catalog [209].
MAX_CATALOG = 5000
#: Grade levels 6-12.
MAX_GRADE_LEVELS = 7
#: SCED codes with the optional 7-character extension (``^\d{5}([A-Z][0-9.]{4}\d{2})?$``).
MAX_SCED = 12

Name = Annotated[str, Field(max_length=MAX_NAME)]
Attribute = Annotated[str, Field(max_length=MAX_ATTRIBUTE)]
SubjectName = Annotated[str, Field(max_length=MAX_NAME)]


def _not_a_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


#: A count or level as authored. YAML 1.1 reads ``yes`` and ``on`` as true, which pydantic would
#: take as 1 (``n_of: on`` a silent 1); a boolean is refused, and ``2.0`` is still 2, as JSON
#: Schema's integer allows. Fields whose range excludes 0 and 1 need no such guard.
#: The same guard for an optional number's ``Annotated[int, Field(...), NOT_A_BOOLEAN] | None``
#: (constraints written on the inner type keep their JSON Schema names there).
NOT_A_BOOLEAN = BeforeValidator(_not_a_boolean)
WholeNumber = Annotated[int, NOT_A_BOOLEAN]
#: A course load: the catalog's default and a plan's limit.
CoursesPerTerm = Annotated[int, Field(ge=1, le=12), NOT_A_BOOLEAN]
#: A yes/no as authored or sent: only ``true`` or ``false``. Pydantic would read ``0``, ``1``,
#: ``"yes"`` or ``"off"`` as one (``"repeat": 0`` a silent false), which the JSON Schema's
#: boolean refuses; YAML's own ``yes``/``no`` are booleans already when the file is read.
YesNo = Annotated[bool, Strict()]


class FrozenModel(BaseModel):
    """Base of authored data: immutable, and a key it does not know is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _as_tuple(value: Any) -> Any:
    """Let authors write one value or a list wherever a list of values is accepted."""
    if isinstance(value, str | int):
        return (value,)
    return value


# --------------------------------------------------------------------------------------------
# Catalog
# --------------------------------------------------------------------------------------------


class PrereqCourse(FrozenModel):
    """Passed ``course`` with at least ``min_grade``."""

    course: str = Field(pattern=ID_PATTERN)
    min_grade: LetterGrade | None = None


class PrereqAll(FrozenModel):
    all: tuple[Prereq, ...] = Field(min_length=1, max_length=50)


class PrereqAny(FrozenModel):
    any: tuple[Prereq, ...] = Field(min_length=1, max_length=50)


def _prereq_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("course", "all", "any"):
            if key in value:
                return key
        return None
    for key in ("course", "all", "any"):
        if hasattr(value, key):
            return key
    return None


Prereq = Annotated[
    Annotated[PrereqCourse, Tag("course")]
    | Annotated[PrereqAll, Tag("all")]
    | Annotated[PrereqAny, Tag("any")],
    Discriminator(
        _prereq_tag,
        custom_error_type="missing-operator",
        custom_error_message="a prerequisite needs one of 'course', 'all' or 'any'",
    ),
]
PrereqAll.model_rebuild()
PrereqAny.model_rebuild()


class SequenceInfo(FrozenModel):
    """Place of a course in a leveled track, e.g. Spanish level 2."""

    track: str = Field(pattern=SLUG)
    level: WholeNumber = Field(ge=1, le=12)


class Course(FrozenModel):
    """One catalog course. Credits are Carnegie units for the whole course (1.0 = a year)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    sced: str | None = Field(default=None, pattern=r"^\d{5}$")
    subject: str = Field(pattern=SLUG)
    credits: StrictFloat = Field(gt=0, le=10)
    grade_levels: tuple[int, ...] = Field(
        default=(9, 10, 11, 12), min_length=1, max_length=MAX_GRADE_LEVELS
    )
    terms: tuple[Term, ...] = Field(default=("year",), max_length=4)
    level: CourseLevel = "general"
    attributes: tuple[Attribute, ...] = Field(default=(), max_length=50)
    prerequisites: Prereq | None = None
    corequisites: tuple[Name, ...] = Field(default=(), max_length=50)
    sequence: SequenceInfo | None = None
    repeatable: YesNo = False
    description: str | None = Field(default=None, max_length=2000)

    @field_validator("grade_levels")
    @classmethod
    def _grade_levels_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for level in value:
            if not 6 <= level <= 12:
                raise ValueError(f"grade level {level} is outside 6-12")
        return value


class Source(FrozenModel):
    """Where a published rule or data set comes from: cite it, with its year or version."""

    citation: str = Field(min_length=3, max_length=500)
    year: WholeNumber | Annotated[str, Field(max_length=32)]
    url: str | None = Field(default=None, max_length=500)
    accessed: str | None = Field(default=None, max_length=32, description="e.g. 2025-06-30")
    notes: str | None = Field(default=None, max_length=MAX_TEXT)


class PlanningDefaults(FrozenModel):
    """A school's schedule, for plans whose student gives no limits of their own."""

    max_courses_per_term: CoursesPerTerm | None = None
    max_credits_per_term: StrictFloat | None = Field(default=None, gt=0, le=12)
    summer: YesNo = Field(default=False, description="summer terms may be planned")


class Catalog(FrozenModel):
    """A jurisdiction's courses for one catalog year."""

    schema_version: Literal[1] = 1
    id: str = Field(pattern=SLUG)
    title: str = Field(max_length=MAX_TITLE)
    jurisdiction: str = Field(pattern=r"^[A-Z]{2,8}$")
    catalog_year: int = Field(ge=2000, le=2100)
    source: Source
    grading: GradeScale | None = Field(
        default=None,
        description="the schools' own scale: how numbers read as letters and the passing grade",
    )
    planning: PlanningDefaults | None = Field(
        default=None, description="courses or credits per term and summers, for the planner"
    )
    courses: tuple[Course, ...] = Field(min_length=1, max_length=MAX_CATALOG)


# --------------------------------------------------------------------------------------------
# Requirement language
# --------------------------------------------------------------------------------------------


class Selector(FrozenModel):
    """Which courses a requirement draws on. Keys combine with AND; values in a list with OR.

    An empty selector (``from: {}``) matches every course.
    """

    subject: tuple[SubjectName, ...] = Field(default=(), max_length=MAX_NAME_LIST)
    attribute: tuple[Attribute, ...] = Field(default=(), max_length=MAX_NAME_LIST)
    sced: tuple[Annotated[str, Field(max_length=MAX_SCED)], ...] = Field(
        default=(), max_length=MAX_COURSE_LIST, description="SCED code prefixes"
    )
    course: tuple[Name, ...] = Field(default=(), max_length=MAX_COURSE_LIST)
    level: tuple[CourseLevel, ...] = Field(default=(), max_length=8)
    not_course: tuple[Name, ...] = Field(default=(), max_length=MAX_COURSE_LIST)
    not_attribute: tuple[Attribute, ...] = Field(default=(), max_length=MAX_NAME_LIST)

    @field_validator(
        "subject",
        "attribute",
        "sced",
        "course",
        "level",
        "not_course",
        "not_attribute",
        mode="before",
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


def _from_tag(value: Any) -> str:
    return "many" if isinstance(value, list | tuple) else "one"


#: ``from:`` takes one selector, or a list of selectors any of which may match
#: (``[{course: IPC}, {attribute: "tx:advanced-science"}]``).
From = Annotated[
    Annotated[Selector, Tag("one")]
    | Annotated[tuple[Selector, ...], Field(min_length=1, max_length=20), Tag("many")],
    Discriminator(_from_tag),
]


class Limit(FrozenModel):
    """At most ``credits`` of the courses matching ``from`` count toward the requirement."""

    credits: StrictFloat = Field(ge=0, le=100)
    from_: From = Field(alias="from")


class HonorsCap(FrozenModel):
    """Extra GPA point for honors-level grades of C or better, on at most N semesters."""

    max_semesters: WholeNumber = Field(ge=0, le=40)
    max_in_grade: dict[int, int] = Field(default_factory=dict)
    levels: tuple[CourseLevel, ...] = Field(
        default=("honors", "ap", "ib", "dual_credit"), max_length=8
    )


class _Node(FrozenModel):
    title: str | None = Field(default=None, max_length=MAX_TITLE)
    description: str | None = Field(default=None, max_length=2000)


class AllReq(_Node):
    """Every child is met."""

    all: tuple[Requirement, ...] = Field(min_length=1, max_length=100)


class AnyReq(_Node):
    """At least one child is met."""

    any: tuple[Requirement, ...] = Field(min_length=1, max_length=100)


class NOfReq(_Node):
    """At least ``n_of`` of the children are met."""

    n_of: WholeNumber = Field(ge=1, le=100)
    of: tuple[Requirement, ...] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _n_not_above_children(self) -> NOfReq:
        if self.n_of > len(self.of):
            raise ValueError(f"n_of is {self.n_of} but only {len(self.of)} options are listed")
        return self


class Before(FrozenModel):
    """A deadline inside a grade: ``{grade: 12, term: spring}`` = finished before spring of 12."""

    grade: int = Field(ge=7, le=13)
    term: Literal["fall", "spring", "summer"] = "fall"

    def cutoff(self) -> tuple[int, int]:
        """The deadline as (grade level, term order) for comparing with when a row ended."""
        return (self.grade, {"fall": 0, "spring": 1, "summer": 2}[self.term])


def _before_tag(value: Any) -> str:
    return "term" if isinstance(value, dict | Before) else "grade"


#: ``before: 12`` (a grade level) or ``before: {grade: 12, term: spring}``.
BeforeSpec = Annotated[
    Annotated[int, Field(ge=7, le=13), Tag("grade")] | Annotated[Before, Tag("term")],
    Discriminator(_before_tag),
]


class _Leaf(_Node):
    min_grade: LetterGrade | None = None
    before: BeforeSpec | None = Field(
        default=None,
        description="completed before this grade level (or this term of it) begins",
    )
    share: YesNo = Field(
        default=False, description="may count courses that other requirements also count"
    )
    within: tuple[Name, ...] = Field(
        default=(),
        max_length=MAX_NAME_LIST,
        description="only courses applied to these named requirements",
    )

    @field_validator("within", mode="before")
    @classmethod
    def _within_one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


class CourseReq(_Leaf):
    """One named course, passed (with ``min_grade`` if given)."""

    course: str = Field(pattern=ID_PATTERN)


class CreditsReq(_Leaf):
    """At least ``credits`` credits from courses matching ``from``."""

    credits: StrictFloat = Field(gt=0, le=100)
    from_: From = Field(alias="from")
    limits: tuple[Limit, ...] = Field(default=(), max_length=20)


class CoursesReq(_Leaf):
    """At least ``courses`` distinct courses matching ``from`` (counts, never allocates)."""

    courses: WholeNumber = Field(ge=1, le=100)
    from_: From = Field(alias="from")


class SequenceReq(_Leaf):
    """``sequence`` distinct levels of one track (e.g. two years of the same language)."""

    sequence: WholeNumber = Field(ge=1, le=12)
    from_: From = Field(alias="from")


class GpaReq(_Node):
    """Grade point average of at least ``gpa``.

    ``over`` takes the courses applied to the named requirements (e.g. NCAA's 16 core units);
    otherwise every passed or failed attempt matching ``from`` counts.
    """

    gpa: StrictFloat = Field(ge=0, le=5)
    over: tuple[Name, ...] = Field(default=(), max_length=MAX_NAME_LIST)
    from_: From | None = Field(default=None, alias="from")
    grade_levels: tuple[int, ...] = Field(default=(), max_length=MAX_GRADE_LEVELS)
    summer_after: tuple[Annotated[WholeNumber, Field(ge=6, le=12)], ...] = Field(
        default=(),
        max_length=MAX_GRADE_LEVELS,
        description="also count the summer after each of these grades (rows of that grade "
        "level, term summer): UC's window, grades 10-11, opens the summer after grade 9",
    )
    weighted: YesNo = False
    honors_cap: HonorsCap | None = None
    best_grades: YesNo = Field(
        default=False, description="allocate the best grades that still meet 'over'"
    )

    @field_validator("over", mode="before")
    @classmethod
    def _over_one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)

    @model_validator(mode="after")
    def _needs_courses(self) -> GpaReq:
        if not self.over and self.from_ is None:
            raise ValueError("a gpa requirement needs 'over' (requirement names) or 'from'")
        if self.summer_after:
            if self.over or not self.grade_levels:
                raise ValueError(
                    "'summer_after' widens 'grade_levels' of a gpa over 'from': give both"
                )
            inside = sorted(set(self.summer_after) & set(self.grade_levels))
            if inside:
                raise ValueError(
                    f"'summer_after' {inside} already counts through 'grade_levels' (a summer "
                    "row is labelled with the grade it follows)"
                )
        return self


class CredentialReq(_Node):
    """An earned credential (any of the listed ids)."""

    credential: tuple[Name, ...] = Field(min_length=1, max_length=50)

    @field_validator("credential", mode="before")
    @classmethod
    def _credential_one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


class AssessmentReq(_Node):
    """An assessment taken, with at least ``min_score`` when given."""

    assessment: str = Field(pattern=ID_PATTERN)
    min_score: StrictFloat | None = None


class HoursReq(_Node):
    """At least ``hours`` of work-based learning or service."""

    hours: StrictFloat = Field(gt=0, le=10000)
    kind: Literal["work_based_learning", "service"]


class GoalReq(_Node):
    """Another requirement set met for the same student (any of the listed ids).

    Each listed set is audited on its own, with its own allocation of courses: "at least one
    endorsement" is a property of the endorsement sets, not of this set's courses.
    """

    goal: tuple[Annotated[str, Field(pattern=SLUG)], ...] = Field(min_length=1, max_length=20)

    @field_validator("goal", mode="before")
    @classmethod
    def _goal_one_or_many(cls, value: Any) -> Any:
        return _as_tuple(value)


class RefReq(_Node):
    """The named requirement of this set (``requirement: math``)."""

    requirement: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")


#: Operator keys in the order a node is recognised by (``course`` before ``credits``).
OPERATORS: tuple[str, ...] = (
    "all",
    "any",
    "n_of",
    "course",
    "credits",
    "courses",
    "sequence",
    "gpa",
    "credential",
    "assessment",
    "hours",
    "goal",
    "requirement",
)


def _requirement_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in OPERATORS:
            if key in value:
                return key
        return None
    for key in OPERATORS:
        if hasattr(value, key) and not (key == "credits" and isinstance(value, CourseReq)):
            return key
    return None


Requirement = Annotated[
    Annotated[AllReq, Tag("all")]
    | Annotated[AnyReq, Tag("any")]
    | Annotated[NOfReq, Tag("n_of")]
    | Annotated[CourseReq, Tag("course")]
    | Annotated[CreditsReq, Tag("credits")]
    | Annotated[CoursesReq, Tag("courses")]
    | Annotated[SequenceReq, Tag("sequence")]
    | Annotated[GpaReq, Tag("gpa")]
    | Annotated[CredentialReq, Tag("credential")]
    | Annotated[AssessmentReq, Tag("assessment")]
    | Annotated[HoursReq, Tag("hours")]
    | Annotated[GoalReq, Tag("goal")]
    | Annotated[RefReq, Tag("requirement")],
    Discriminator(
        _requirement_tag,
        custom_error_type="missing-operator",
        custom_error_message="a requirement needs one operator: " + ", ".join(OPERATORS),
    ),
]
for _model in (AllReq, AnyReq, NOfReq):
    _model.model_rebuild()


RequirementName = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="lower-case letters, digits, '_' and '-'",
    ),
]


class Grading(FrozenModel):
    """A rule set's grading policy: scale, passing grade, and what a repeated course does."""

    scale: GradeScale = GradeScale()
    repeats: Literal["best", "latest", "first"] = "best"
    lock_before_grade: int | None = Field(
        default=None,
        ge=7,
        le=13,
        description="a repeat taken in this grade or later cannot replace an earlier grade",
    )
    forgive_with: LetterGrade | None = Field(
        default=None,
        description="a failed attempt leaves GPAs only when a repeat earns at least this grade "
        "(Florida's forgiveness: C); unset, any passing repeat replaces it",
    )


class RequirementSet(FrozenModel):
    """A named, versioned set of requirements: a diploma, endorsement, admission or pathway.

    All top-level ``requirements`` must be met. A set may ``extends`` another: it inherits its
    requirements, replaces those it names again and drops those listed in ``remove``.
    """

    schema_version: Literal[1] = 1
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    kind: SetKind
    jurisdiction: str = Field(pattern=r"^[A-Z]{2,8}$")
    catalog_year: int = Field(ge=2000, le=2100)
    dated_by: Dating | None = Field(
        default=None,
        description="what catalog_year dates: the fall a class entered grade 9 (catalog_year, "
        "the default), or the fall a class first enrols after graduating (enrolment: NCAA; the "
        "version applies to every class graduating that year or later); unset in a set that "
        "extends another, the parent's",
    )
    source: Source
    description: str | None = Field(default=None, max_length=MAX_TEXT)
    extends: str | None = Field(default=None, pattern=SLUG)
    remove: tuple[Name, ...] = Field(default=(), max_length=MAX_NAME_LIST)
    grading: Grading | None = None
    allow_sharing: YesNo = Field(
        default=False, description="every requirement may count the same course"
    )
    requirements: dict[RequirementName, Requirement] = Field(default_factory=dict, max_length=200)
    policies: tuple[Policy, ...] = Field(
        default=(),
        max_length=200,
        description="state policy rules: when conditions hold, then outcomes (docs/policies.md)",
    )

    @property
    def dating(self) -> Dating:
        """What ``catalog_year`` dates, ``dated_by`` or its default."""
        return self.dated_by or "catalog_year"

    @property
    def by_enrolment(self) -> bool:
        """Whether versions are dated by the fall a class enrols (national eligibility sets)."""
        return self.dated_by == "enrolment"


def mixed_dating(versions: list[RequirementSet]) -> str | None:
    """Why the versions of one rule set cannot be told apart by date, or ``None``: every
    version must date ``catalog_year`` the same way, or which applies to a class is ambiguous."""
    first = versions[0]
    for other in versions[1:]:
        if other.dating != first.dating:
            return (
                f"{first.id} {first.catalog_year} is dated by {first.dating} but {first.id} "
                f"{other.catalog_year} by {other.dating}: every version of a rule set must be "
                "dated the same way (dated_by)"
            )
    return None


# Policies build on the models above (selectors, sources), so they are imported last.
from engine.policy_model import Policy  # noqa: E402

RequirementSet.model_rebuild()
