"""Refuse student input that carries personal data, rather than accept and ignore it.

GradPath needs no name, birth date, address, email, phone or SSN. A record that brings one is a
sign the caller is sending more than it should: it gets a 422 naming the field (never echoing
its value), so the data is not stored, logged or passed on, and the caller learns to drop it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import ValidationError, ValidatorFunctionWrapHandler, WrapValidator

from engine.student import Student

__all__ = ["StudentIn", "personal_data_paths", "reject_personal_data"]

_KEY = re.compile(
    r"(^|_)(first|last|middle|given|family|full|legal|preferred|student|maiden|sur|nick)?_?name$"
    r"|birth|^dob$|address|street|^city$|zip|postal|e_?mail|phone|mobile|ssn|social_security",
)
#: Names that are not a person's: a portal's SIS export brings ``course_name`` or ``schoolName``
#: on its rows. Refused all the same (no student model has such a field), but as the unknown key
#: it is, at its place: not as personal data, which hides every other error of the record.
_NOT_A_PERSON = re.compile(
    r"(^|_)(course|school|district|program|catalog|file|rule|goal|career|cluster|subject|"
    r"section|term|organization|org|institution|college|campus|test|exam|assessment|"
    r"credential|pathway|class|department|sced)_?name$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_SSN = re.compile(r"^\d{3}-?\d{2}-?\d{4}$")


@lru_cache(maxsize=4096)
def _personal_key(key: str) -> bool:
    """Whether a key names personal data (cached: records repeat the same few keys)."""
    norm = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", key).lower().replace("-", "_")
    return _KEY.search(norm) is not None and _NOT_A_PERSON.search(norm) is None


def personal_data_paths(data: Any, path: tuple[str | int, ...] = ()) -> list[str]:
    """Dotted paths of keys (and of id values) that look like personal data."""
    found: list[str] = []
    # Paths are built only for a hit or a container to enter: most values of a transcript row
    # are scalars, and this runs on every request.
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and _personal_key(key):
                found.append(".".join(str(p) for p in (*path, key)))
            elif key == "id" and isinstance(value, str):
                if _EMAIL.match(value) or _SSN.match(value):
                    found.append(
                        ".".join(str(p) for p in (*path, key)) + " (looks like an email or SSN)"
                    )
            elif isinstance(value, dict | list):
                found.extend(personal_data_paths(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, dict | list):
                found.extend(personal_data_paths(value, (*path, i)))
    return found


def reject_personal_data(data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Pydantic wrap-validator for student input: a record that fails is checked for personal data.

    A record that validates cannot carry any: every student model forbids unknown keys, no field
    is named like personal data (``tests/service/test_privacy.py`` walks the schema to keep it
    so), and ids refuse emails and SSNs. So the walk over every key of every row (a tenth of a
    millisecond per request, the largest cost of the API's own on an audit) runs only to name
    the personal data in a refusal, and such a record is refused with that message alone.
    """
    try:
        return handler(data)
    except ValidationError:
        found = personal_data_paths(data)
        if found:
            raise ValueError(
                "personal data is not accepted (GradPath needs only an opaque id): remove "
                + ", ".join(found[:10])
            ) from None
        raise


#: A student record as the API accepts it: personal data refused with a message that says so.
StudentIn = Annotated[Student, WrapValidator(reject_personal_data)]
