"""Ids in a student record are opaque: one that looks like an SSN is refused, by model and schema.

The service already refused such ids as personal data; the published schema did not say so, so
a portal validating against it (and the API fuzzing) could send one believing it valid.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from pydantic import ValidationError

from engine.student import Student

BASE: dict[str, Any] = {"id": "stu-1", "jurisdiction": "TX", "cohort": 2027, "grade_level": 10}
SSN_LIKE = ["123-45-6789", "123456789", "000000000"]
OPAQUE = ["stu-1", "12345678", "1234567890", "123-456-789", "s123456789"]


def _with(student_id: str, experience_id: str = "cpr") -> dict[str, Any]:
    experience = {"kind": "credential", "id": experience_id}
    return {**BASE, "id": student_id, "experiences": [experience]}


@pytest.mark.parametrize("bad", SSN_LIKE)
def test_an_ssn_like_id_is_refused_for_the_student_and_an_experience(bad: str) -> None:
    validator = jsonschema_rs.validator_for(Student.model_json_schema())
    for record, where in ((_with(bad), ("id",)), (_with("stu-1", bad), ("experiences", 0, "id"))):
        with pytest.raises(ValidationError) as refused:
            Student.model_validate(record)
        [error] = refused.value.errors()
        assert error["loc"] == where
        assert "Social Security number" in error["msg"]
        assert not validator.is_valid(record)


@pytest.mark.parametrize("good", OPAQUE)
def test_other_ids_are_accepted_by_model_and_schema_alike(good: str) -> None:
    validator = jsonschema_rs.validator_for(Student.model_json_schema())
    record = _with(good, good)
    assert Student.model_validate(record).id == good
    assert validator.is_valid(record)
