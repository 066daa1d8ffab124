"""Rows no condition can match are not asserted, and that never changes what fires.

``build_facts`` leaves out transcript rows that no ``course``/``no_course`` condition could take
(engine/policy_facts.py, ``RowNeed``). The property: for every bundled rule set with policies and
any transcript, the policies fired (and their rendered messages) are the same as when every row
is asserted.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from engine.knowledge import Knowledge, load_knowledge
from engine.normalize import grade_rows, resolve_transcript
from engine.policy import CompiledPolicies, evaluate_policies, policies_for
from engine.policy_facts import build_facts
from engine.requirements import compile_set
from engine.student import Student
from tests.conftest import catalog, course, ruleset, student
from tests.depth import deep_settings
from tests.strategies import students

ROOT = Path(__file__).resolve().parents[2]
TX_SETS = ["tx-fhsp", "tx-endorsement-stem", "tx-dla", "ncaa-d1", "ncaa-d1-redshirt", "ncaa-d2"]
SRC = {"citation": "test fixture", "year": 2025}


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(ROOT)


def fired(
    policies: CompiledPolicies, stu: Student, graded: Any, statuses: dict[str, str], every: bool
) -> list[tuple[str, tuple[str, ...]]]:
    plan = dataclasses.replace(policies.plan, needs=None) if every else policies.plan
    facts = build_facts(plan=plan, student=stu, graded=graded, statuses=statuses)
    return [(f.policy.id, f.texts) for f in evaluate_policies(policies, facts)]


@deep_settings(60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_leaving_out_rows_no_condition_can_match_changes_nothing(
    kb: Knowledge, data: st.DataObject
) -> None:
    cat = kb.catalog_for("TX", 2025)
    stu = data.draw(students(cat))
    for goal in TX_SETS:
        rset = kb.ruleset(goal, 2025)
        policies = policies_for(rset, cat)
        if policies is None:
            continue
        cset = kb.compiled(rset, cat)
        resolved, _ = resolve_transcript(stu, kb.index(cat))
        graded = grade_rows(resolved, cset.grading, cat.grading)
        statuses = {
            name: data.draw(st.sampled_from(["met", "in_progress", "unmet"]))
            for name in cset.requirements
        }
        pruned = fired(policies, stu, graded, statuses, every=False)
        assert pruned == fired(policies, stu, graded, statuses, every=True), goal


CAT = catalog(
    course("ALG1", subject="math"),
    course("GEOM", subject="math"),
    course("ENG1", subject="english"),
    course("ART1", subject="art"),
)


def test_a_same_course_negation_written_first_still_sees_the_retake() -> None:
    # The negation comes before the course condition it joins on: a passed retake of the
    # failed course must still be asserted, so the policy does not fire.
    policy = {
        "id": "failed-math",
        "title": "failed math not retaken",
        "source": SRC,
        "when": [
            {"no_course": {"same_course": True, "result": ["passed", "pending"]}},
            {"course": {"subject": "math", "result": "failed"}},
        ],
        "then": [{"alert": "warning", "message": "{title} failed"}],
    }
    rset = ruleset({"math": {"credits": 1, "from": {"subject": "math"}}}, policies=[policy])
    policies = policies_for(rset, CAT)
    assert policies is not None
    failed = {"course": "ALG1", "grade": "F", "grade_level": 9, "term": "year"}
    retake = {"course": "ALG1", "grade": "B", "grade_level": 10, "term": "year", "repeat": True}
    other = {"course": "ENG1", "grade": "A", "grade_level": 9, "term": "year"}
    for rows, expected in (([failed, other], ["failed-math"]), ([failed, retake, other], [])):
        stu = student(*rows)
        resolved, _ = resolve_transcript(stu, CAT)
        graded = grade_rows(resolved, compile_set(rset, CAT).grading, None)
        facts = build_facts(plan=policies.plan, student=stu, graded=graded, statuses={})
        assert [f["course"] for f in facts if f["t"] == "r"] == [r["course"] for r in rows[:-1]]
        assert [f.policy.id for f in evaluate_policies(policies, facts)] == expected
