"""The student record: an opaque id, a transcript, experiences and goals; nothing identifying.

GradPath never needs a name, birth date or address, so the model has no place for one, and
``extra="forbid"`` refuses a record that tries to add one.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StrictFloat,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from engine.grades import parse_letter
from engine.model import ID_PATTERN, FrozenModel, Term, YesNo
from engine.policy_model import Flag

__all__ = [
    "MAX_GOAL",
    "MAX_GOALS",
    "MAX_TRANSCRIPT",
    "Experience",
    "RowStatus",
    "Student",
    "TranscriptRow",
]

RowStatus = Literal["completed", "in_progress", "planned"]
#: Nine digits, dashed or not: what a US Social Security number looks like.
SSN_LIKE = r"^\d{3}-?\d{2}-?\d{4}$"


def _not_ssn_like(value: str) -> str:
    if re.match(SSN_LIKE, value):
        raise ValueError("an id must not look like a Social Security number (use an opaque id)")
    return value


#: An id in a student record: opaque, never an SSN (the schema says so too, with ``not``).
OpaqueId = Annotated[
    str,
    Field(pattern=ID_PATTERN, max_length=64, json_schema_extra={"not": {"pattern": SSN_LIKE}}),
    AfterValidator(_not_ssn_like),
]
#: A grade written as text: a letter A+ .. F, or P/F (also Pass/Fail), in any case, blanks around
#: it allowed. The schema publishes it and the model reads grades with it, so the two agree.
GRADE_TEXT = r"^[ \t\r\n]*([A-Da-d][+-]?|[Ff]|[Pp]([Aa][Ss][Ss])?|[Ff][Aa][Ii][Ll])[ \t\r\n]*$"
_GRADE_TEXT = re.compile(GRADE_TEXT)
#: A row's grade as the schema states it (the model's own checks give the messages).
Grade = Annotated[
    Annotated[str, Field(max_length=8)] | float | None,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": 8, "pattern": GRADE_TEXT},
                {"type": "number", "minimum": 0, "maximum": 100},
                {"type": "null"},
            ],
            "default": None,
            "description": "a letter A+ .. F, a number 0-100, or P/F",
        }
    ),
]
#: Rules across fields of a row, stated in its schema (each clause the model checks too).
_ROW_RULES: dict[str, Any] = {
    "allOf": [
        {  # named by catalog id or by SCED code
            "anyOf": [
                {"required": ["course"], "properties": {"course": {"not": {"type": "null"}}}},
                {"required": ["sced"], "properties": {"sced": {"not": {"type": "null"}}}},
            ]
        },
        {  # a completed row (the default status) has a grade
            "anyOf": [
                {
                    "required": ["status"],
                    "properties": {"status": {"enum": ["in_progress", "planned"]}},
                },
                {"required": ["grade"], "properties": {"grade": {"not": {"type": "null"}}}},
            ]
        },
    ]
}
#: Rows one student record may carry; the service lowers it (``GRADPATH_MAX_TRANSCRIPT_ROWS``).
MAX_TRANSCRIPT = 500
#: Goals one student record may name, and the length of one goal id.
MAX_GOALS = 50
MAX_GOAL = 80


class TranscriptRow(FrozenModel):
    """One course attempt. Name the course by catalog id (``course``) or SCED code (``sced``)."""

    model_config = ConfigDict(json_schema_extra=_ROW_RULES)

    course: str | None = Field(default=None, pattern=ID_PATTERN, max_length=64)
    sced: str | None = Field(default=None, pattern=r"^\d{5}([A-Z][0-9.]{4}\d{2})?$", max_length=12)
    title: str | None = Field(default=None, max_length=200)
    grade_level: int = Field(ge=6, le=12)
    term: Term = "year"
    grade: Grade = None
    credits: StrictFloat | None = Field(default=None, ge=0, le=10)
    status: RowStatus = "completed"
    repeat: YesNo = False

    @field_validator("grade", mode="before")
    @classmethod
    def _grade_not_boolean(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("grade must be a letter, a number 0-100, or P/F, not true/false")
        return value

    @field_validator("grade")
    @classmethod
    def _grade_is_known(cls, value: str | float | None) -> str | float | None:
        if value is None:
            return None
        if isinstance(value, str):
            if not _GRADE_TEXT.match(value):
                raise ValueError(
                    f"grade {value!r} is not a letter (A+ .. F), a number 0-100, or P/F"
                )
            text = value.strip().upper()
            if text in ("P", "PASS", "F", "FAIL"):
                return "P" if text.startswith("P") else "F"
            letter = parse_letter(text)
            assert letter is not None  # every other text GRADE_TEXT admits is a letter
            return letter
        if not 0 <= value <= 100:
            raise ValueError(f"numeric grade {value} is outside 0-100")
        return float(value)

    @model_validator(mode="after")
    def _identified_and_graded(self) -> TranscriptRow:
        if self.course is None and self.sced is None:
            raise ValueError("a transcript row needs 'course' (catalog id) or 'sced' (SCED code)")
        if self.status == "completed" and self.grade is None:
            raise ValueError("a completed row needs a 'grade'")
        return self


class Experience(FrozenModel):
    """Something other than a course: a credential, an assessment, or hours of experience."""

    # Hours of work-based learning or service are required: the schema says so too.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"kind": {"enum": ["credential", "assessment"]}}},
                {"required": ["hours"], "properties": {"hours": {"type": "number"}}},
            ]
        }
    )

    kind: Literal["credential", "assessment", "work_based_learning", "service"]
    id: OpaqueId
    score: StrictFloat | None = None
    hours: StrictFloat | None = Field(default=None, ge=0, le=10000)
    grade_level: int | None = Field(default=None, ge=6, le=12)
    status: Literal["completed", "planned"] = "completed"

    @model_validator(mode="after")
    def _hours_for_hour_kinds(self) -> Experience:
        if self.kind in ("work_based_learning", "service") and self.hours is None:
            raise ValueError(f"a {self.kind} experience needs 'hours'")
        return self


class Student(FrozenModel):
    """A student as GradPath sees one: no names, birth dates or addresses, an opaque id."""

    schema_version: Literal[1] = 1
    id: OpaqueId = Field(description="opaque identifier, never a name or an SSN")
    jurisdiction: str = Field(pattern=r"^[A-Z]{2,8}$", max_length=8)
    cohort: int = Field(ge=2000, le=2100, description="expected graduation year")
    grade_level: int = Field(ge=6, le=12)
    catalog_year: int | None = Field(default=None, ge=2000, le=2100)
    residency: Literal["resident", "nonresident"] | None = None
    flags: tuple[Flag, ...] = Field(
        default=(),
        max_length=20,
        description="program memberships state policies may read (iep, english_learner, ...)",
    )
    transcript: tuple[TranscriptRow, ...] = Field(default=(), max_length=MAX_TRANSCRIPT)
    experiences: tuple[Experience, ...] = Field(default=(), max_length=200)
    goals: tuple[Annotated[str, Field(max_length=MAX_GOAL)], ...] = Field(
        default=(), max_length=MAX_GOALS
    )
