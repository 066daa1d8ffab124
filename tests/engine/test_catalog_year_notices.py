"""An audit says when it used a catalog or rule-set version newer than the student's catalog year.

A student is audited under the newest version no later than their catalog year; when none is that
old, the oldest is used (the audit can still be read), and the result says so rather than passing
a 2025 rule set off as the one a 2022 entrant follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic_core import to_json

from engine import render_text
from engine.audit import audit, audit_document
from engine.graph import CourseGraph
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file
from engine.results import MAX_NOTICES
from engine.student import Student
from tests.conftest import catalog, course, ruleset, student

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(ROOT)


def texas_junior(**changes: object) -> Student:
    """The bundled Texas junior (FHSP 2025, NCAA D1 2023), class of 2027, with ``changes``."""
    data = load_student_file(ROOT / "samples" / "students" / "tx-junior-on-track.json")
    record = data.model_dump(mode="json", exclude_none=True)
    record.pop("catalog_year")
    return Student.model_validate({**record, **changes})


def test_a_student_older_than_every_version_is_told_which_were_used(kb: Knowledge) -> None:
    student = texas_junior()  # class of 2027: entered grade 9 in fall 2023
    result = audit(knowledge=kb, student=student)
    assert result.notices == (
        "No TX catalog is loaded for catalog year 2023 (the fall the class of 2027 entered "
        "grade 9); the oldest, tx-2025 (2025), was used.",
        "tx-fhsp has no version for catalog year 2023 (the fall the class of 2027 entered "
        "grade 9); its oldest, 2025, was used.",
    )  # ncaa-d1 has a 2023 version: nothing to say about it
    assert [g.version for g in result.goals] == [2025, 2023]
    report = render_text(result).splitlines()
    assert report[1] == f"Note: {result.notices[0]}"
    assert report[2] == f"Note: {result.notices[1]}"
    # The document the service sends is what the model would serialise.
    document = audit_document(knowledge=kb, student=student)
    assert to_json(document) == result.model_dump_json().encode()


def test_the_students_own_catalog_year_is_named_as_the_source(kb: Knowledge) -> None:
    result = audit(knowledge=kb, student=texas_junior(catalog_year=2024, cohort=2029))
    assert all("(the student's catalog_year)" in notice for notice in result.notices)
    assert len(result.notices) == 2


def test_a_student_with_a_version_of_their_year_gets_no_notice(kb: Knowledge) -> None:
    student = texas_junior(catalog_year=2026)  # newer than every version: the newest applies
    result = audit(knowledge=kb, student=student)
    assert result.notices == ()
    document = audit_document(knowledge=kb, student=student)
    assert "notices" not in document
    assert not any(line.startswith("Note:") for line in render_text(result).splitlines())


def test_notices_stay_within_their_bound_however_many_sets_are_judged() -> None:
    # A goal requirement may name any number of sets, each judged and each older than the
    # student's year: the list keeps its bound, and its last notice counts the rest.
    cat = catalog(course("ART", subject="art"))
    named = [ruleset({"art": {"course": "ART"}}, id=f"set-{i:02d}") for i in range(60)]
    ids = [s.id for s in named]
    top = ruleset({f"r{k}": {"goal": ids[k : k + 20]} for k in range(0, 60, 20)}, id="top")
    kb = Knowledge(
        catalogs={"TX": [cat]},
        rulesets={s.id: [s] for s in [top, *named]},
        graphs={cat.id: CourseGraph(cat.courses)},
    )
    result = audit(knowledge=kb, student=student(catalog_year=2020, goals=["top"]))
    assert len(result.notices) == MAX_NOTICES
    assert result.notices[0].startswith("No TX catalog is loaded for catalog year 2020")
    assert result.notices[1].startswith("top has no version for catalog year 2020")
    # 1 catalog + 61 sets = 62 notices: 48 shown after the catalog's, the last counts 13.
    assert result.notices[-1] == "...and 13 more rule sets likewise."
