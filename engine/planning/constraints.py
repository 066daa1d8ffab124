"""What a student asks of a plan: loads, summers, courses locked in or left out, preferences.

These are inputs, so they are frozen pydantic models with ``extra="forbid"`` like every record a
person writes: a misspelt key is an error, never silently ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictFloat, field_validator, model_validator

from engine.model import (
    ID_PATTERN,
    Attribute,
    CoursesPerTerm,
    FrozenModel,
    Name,
    SubjectName,
    YesNo,
)

__all__ = ["CONSTRAINTS", "CourseLock", "PlanConstraints", "PlanTerm"]

#: The ``source`` of a :class:`~engine.errors.StudentDataError` raised for plan constraints (its
#: problems are located from the constraints: ``lock.1.course``).
CONSTRAINTS = "constraints"

PlanTerm = Literal["year", "fall", "spring", "summer"]


class CourseLock(FrozenModel):
    """A course the student wants in the plan, optionally in a given grade level and term."""

    course: str = Field(pattern=ID_PATTERN)
    grade_level: int | None = Field(default=None, ge=6, le=12)
    term: PlanTerm | None = None


class PlanConstraints(FrozenModel):
    """Limits and wishes for a plan; anything left out falls back to the catalog's defaults.

    ``prefer_subjects`` and ``prefer_attributes`` break ties between plans that are otherwise
    equal (same credits, courses and completion): a career interest is an attribute such as
    ``cte:health-science`` or ``pos:nursing-science`` (docs/vocabulary.md).
    """

    # ``true`` would read as 1 course (or credit) a term, ``time_limit: true`` as one second.
    max_courses_per_term: CoursesPerTerm | None = None
    max_credits_per_term: StrictFloat | None = Field(default=None, gt=0, le=12)
    allow_summer: YesNo | None = None
    lock: tuple[CourseLock, ...] = Field(default=(), max_length=60)
    exclude: tuple[Name, ...] = Field(default=(), max_length=500)
    prefer_subjects: tuple[SubjectName, ...] = Field(default=(), max_length=50)
    prefer_attributes: tuple[Attribute, ...] = Field(default=(), max_length=50)
    last_grade: int = Field(default=12, ge=7, le=12, description="graduate at the end of it")
    time_limit: StrictFloat = Field(default=5.0, gt=0, le=600, description="solver seconds")

    @field_validator("lock", mode="before")
    @classmethod
    def _lock_ids(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return tuple({"course": v} if isinstance(v, str) else v for v in value)
        return value

    @model_validator(mode="after")
    def _not_both(self) -> PlanConstraints:
        both = {lock.course for lock in self.lock} & set(self.exclude)
        if both:
            raise ValueError(f"courses both locked in and excluded: {', '.join(sorted(both))}")
        return self
