"""Ed-Fi ``studentAcademicRecords`` read as a check on the bundle: are course transcripts missing?

A student academic record is the SIS's own total for one session (school, school year, term):
``sessionEarnedCredits``. The course transcripts of that session, mapped or not, should earn the
same. When they earn less, the bundle is short of transcripts (a page of an ODS/API query not
fetched, a section filtered out), and an audit of it would show gaps the student does not have.
Nothing is added or changed: the import says so, naming the record and the session, and the
counselor or portal fetches the rest.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from engine.importers.common import SourceError
from engine.yamlsource import format_path

__all__ = ["session_warnings"]

#: Credits closer than this are equal (sums of halves and thirds as floats).
TOLERANCE = 1e-6

_Session = tuple[str, str, str]  # (school, school year, term code value), each as JSON


def _session(org: object, year: object, term: object) -> _Session:
    """A session as a key: the bundle's values as JSON text, so a list or an object where a
    number belongs (the bundle is not checked here) is a key that matches nothing, not an error."""

    def text(value: object) -> str:
        return json.dumps(value, sort_keys=True, default=str)

    return (text(org), text(year), text(term))


def _shown(value: object) -> str:
    """A bundle's value as a warning quotes it, cut so a warning stays one short line."""
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _code(descriptor: object) -> object:
    return descriptor.rsplit("#", 1)[-1] if isinstance(descriptor, str) else descriptor


def _credits(value: object, where: tuple[str | int, ...]) -> float | None:
    """A credit count as a finite, non-negative float; absent: None; anything else refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourceError(f"{format_path(where)} is not a number", where)
    try:
        number = float(value)
    except OverflowError:
        raise SourceError(f"{format_path(where)} is too large a number", where) from None
    if not math.isfinite(number) or number < 0:
        raise SourceError(f"{format_path(where)} is {value}, not a credit count", where)
    return number


def _finite(value: object) -> float | None:
    """A transcript's credits as a finite float, else None (the importer lists such a row)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _earned_by_session(transcripts: Sequence[Any]) -> dict[_Session, float | None]:
    """What the transcripts of each session earn; None when one of them does not say."""
    earned: dict[_Session, float | None] = {}
    for record in transcripts:
        if not isinstance(record, Mapping):
            continue  # listed as unmapped by the importer
        ref = record.get("studentAcademicRecordReference")
        if not isinstance(ref, Mapping):
            continue
        term = _code(ref.get("termDescriptor"))
        key = _session(ref.get("educationOrganizationId"), ref.get("schoolYear"), term)
        number = _finite(record.get("earnedCredits"))
        so_far = earned.get(key, 0.0)
        earned[key] = None if so_far is None or number is None else so_far + number
    return earned


def session_warnings(records: object, transcripts: Sequence[Any]) -> list[str]:
    """One warning per academic record whose session the bundle's transcripts earn less of."""
    if records is None:
        return []
    if not isinstance(records, list | tuple):
        top = ("studentAcademicRecords",)
        raise SourceError(f"{format_path(top)} is not an array", top)
    earned = _earned_by_session(transcripts)
    warnings: list[str] = []
    for i, record in enumerate(records):
        where: tuple[str | int, ...] = ("studentAcademicRecords", i)
        if not isinstance(record, Mapping):
            raise SourceError(f"{format_path(where)} is not an object", where)
        reported = _credits(record.get("sessionEarnedCredits"), (*where, "sessionEarnedCredits"))
        org = record.get("educationOrganizationReference")
        year = record.get("schoolYearTypeReference")
        school = org.get("educationOrganizationId") if isinstance(org, Mapping) else None
        school_year = year.get("schoolYear") if isinstance(year, Mapping) else None
        term = _code(record.get("termDescriptor"))
        if reported is None or school_year is None or term is None:
            continue  # nothing to compare against
        found = earned.get(_session(school, school_year, term), 0.0)
        if found is None or found >= reported - TOLERANCE:
            continue  # a transcript that does not say what it earned; or all accounted for
        warnings.append(
            f"{format_path(where)} (school year {_shown(school_year)}, {_shown(term)}) reports "
            f"{reported:g} credits earned; the bundle's courseTranscripts of that session earn "
            f"{found:g}: course transcripts may be missing from the bundle"
        )
    return warnings
