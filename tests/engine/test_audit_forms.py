"""The three forms of one audit agree: typed result, JSON document, summary.

The service and the batch send ``audit_document`` without validating it, so it must be exactly
what ``AuditResult`` would serialise (byte for byte as JSON: an int where a float belongs would
change the text a portal parses); the batch and impact counts read ``audit_summary``, so its
verdicts must be the full audit's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from pydantic_core import to_json

from engine.audit import audit, audit_document, audit_summary, summary_of
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file
from engine.results import AuditResult
from engine.student import Student
from tests.depth import deep_settings
from tests.strategies import students

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples" / "students").glob("*.json"))
TX_GOALS = ["tx-fhsp", "tx-dla", "ncaa-d1"]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(ROOT)


def check_forms(kb: Knowledge, student: Student, goals: list[str] | None) -> AuditResult:
    document = audit_document(knowledge=kb, student=student, goals=goals)
    typed = audit(knowledge=kb, student=student, goals=goals)
    assert to_json(document) == typed.model_dump_json().encode()
    summary = audit_summary(knowledge=kb, student=student, goals=goals)
    assert summary.catalog == typed.catalog
    assert summary.unrecognized == len(typed.unrecognized)
    assert [g.goal for g in summary.goals] == [g.goal for g in typed.goals]
    for short, full in zip(summary.goals, typed.goals, strict=True):
        assert (short.status, short.summary, short.version) == (
            full.status,
            full.summary,
            full.version,
        )
        assert short.requirements == {r.name: r.status for r in full.requirements}
        assert short.credits == (full.credits.model_dump() if full.credits else None)
        assert [dict(a) for a in short.alerts] == [a.model_dump() for a in full.alerts]
        assert short.added_by == (full.added_by.model_dump() if full.added_by else None)
        assert summary_of(full.model_dump(mode="json")) == short
    return typed


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_student_gets_the_same_audit_in_each_form(kb: Knowledge, path: Path) -> None:
    student = load_student_file(path)
    check_forms(kb, student, None)
    if student.jurisdiction == "TX":
        check_forms(kb, student, TX_GOALS)


@deep_settings(40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_texas_transcripts_get_the_same_audit_in_each_form(
    kb: Knowledge, data: st.DataObject
) -> None:
    catalog = kb.catalog_for("TX", 2025)
    student = data.draw(students(catalog))
    experiences = data.draw(
        st.lists(
            st.sampled_from(
                [
                    {"kind": "credential", "id": "high-school-diploma", "status": "planned"},
                    {"kind": "flag", "id": "emergent-bilingual"},
                ]
            ),
            max_size=1,
        )
    )
    grade_level = data.draw(st.integers(9, 12))
    student = student.model_copy(
        update={"grade_level": grade_level, "cohort": 2029 + (12 - grade_level)}
    )
    if experiences and experiences[0]["kind"] == "credential":
        student = Student.model_validate(
            {**student.model_dump(mode="json"), "experiences": experiences}
        )
    check_forms(kb, student, TX_GOALS)


def test_a_met_endorsement_settles_dla_in_the_summary_but_the_audit_shows_them_all(
    kb: Knowledge,
) -> None:
    student = load_student_file(ROOT / "samples" / "students" / "tx-senior-complete.json")
    typed = check_forms(kb, student, ["tx-dla"])
    (dla,) = typed.goals
    endorsement = next(r for r in dla.requirements if r.name == "endorsement")
    assert endorsement.status == "met"
    # The explained audit names every endorsement's status, not only the first one met.
    assert endorsement.reason.count("tx-endorsement-") == 5
