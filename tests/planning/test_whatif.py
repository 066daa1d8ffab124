"""What-if scenarios: each change of the issue, compared with the base."""

from __future__ import annotations

import pytest

from engine.errors import StudentDataError
from engine.graph import CourseGraph
from engine.knowledge import Knowledge
from engine.planning import ScenarioSet, whatif
from tests.conftest import catalog, course, row, ruleset, student
from tests.planning.factories import knowledge


def _kb() -> Knowledge:
    cat = catalog(
        course("ALG1", subject="math", sced="02052"),
        course("GEOM", subject="math", sced="02072", prerequisites={"course": "ALG1"}),
        course("ART", subject="art"),
    )
    rset = ruleset({"math": {"credits": 2, "from": {"subject": "math"}}}, id="diploma")
    arts = ruleset({"art": {"course": "ART"}}, id="arts")
    return knowledge(cat, rset, arts)


def _student() -> object:
    return student(row("ALG1", level=9), grade_level=11, goals=["diploma"])


def test_drop_regrade_add_and_goals_are_compared_with_the_base() -> None:
    spec = ScenarioSet.model_validate(
        {
            "scenarios": [
                {"name": "fail algebra", "regrade": [{"course": "ALG1", "grade": "F"}]},
                {"name": "drop algebra", "drop": [{"course": "ALG1"}]},
                {
                    "name": "geometry now",
                    "add": [{"course": "GEOM", "grade_level": 11, "status": "in_progress"}],
                },
                {"name": "arts too", "goals": ["diploma", "arts"]},
            ]
        }
    )
    result = whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]
    assert [c.course for c in result.base.plan.courses] == ["GEOM"]
    fail, drop, now, arts = result.scenarios
    assert fail.courses_added == ("ALG1",)
    assert fail.credits_delta == 1
    assert fail.terms_delta == 1
    assert drop.courses_added == ("ALG1",)
    assert now.plan.added_courses == 0
    assert now.courses_removed == ("GEOM",)
    assert now.credits_delta == -1
    assert [(g.goal, g.before, g.after) for g in arts.goals] == [("arts", None, "unmet")]
    assert arts.courses_added == ("ART",)
    changed = {(c.requirement, c.before, c.after) for c in now.requirements}
    assert ("diploma > math", "unmet", "in_progress") in changed
    assert [(g.goal, g.before, g.after) for g in now.goals] == [("diploma", "unmet", "in_progress")]
    assert "+1 credits" in fail.summary


def test_draft_rule_set_given_inline() -> None:
    spec = ScenarioSet.model_validate(
        {
            "scenarios": [
                {
                    "name": "stricter draft",
                    "rules": [
                        {
                            "id": "diploma",
                            "title": "Draft diploma",
                            "kind": "graduation",
                            "jurisdiction": "TX",
                            "catalog_year": 2025,
                            "source": {"citation": "draft for discussion", "year": 2026},
                            "requirements": {
                                "math": {"credits": 2, "from": {"subject": "math"}},
                                "art": {"course": "ART"},
                            },
                        }
                    ],
                }
            ]
        }
    )
    result = whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]
    (draft,) = result.scenarios
    assert draft.courses_added == ("ART",)
    assert any(c.requirement == "diploma > art" and c.before is None for c in draft.requirements)


def test_moving_to_another_state_carries_rows_by_sced_code() -> None:
    tx = catalog(course("ALG1", subject="math", sced="02052"), course("ART", subject="art"))
    wa = catalog(
        course("WA-ALG1", subject="math", sced="02052"),
        course("WA-ALG2", subject="math", prerequisites={"course": "WA-ALG1"}),
        jurisdiction="WA",
    )
    tx_set = ruleset({"math": {"credits": 1, "from": {"subject": "math"}}}, id="tx-dip")
    wa_set = ruleset(
        {"math": {"credits": 2, "from": {"subject": "math"}}}, id="wa-dip", jurisdiction="WA"
    )
    kb = Knowledge(
        catalogs={"TX": [tx], "WA": [wa]},
        rulesets={"tx-dip": [tx_set], "wa-dip": [wa_set]},
        graphs={tx.id: CourseGraph(tx.courses), wa.id: CourseGraph(wa.courses)},
    )
    stu = student(row("ALG1", level=9), grade_level=11, goals=["tx-dip"])
    spec = ScenarioSet.model_validate(
        {"scenarios": [{"name": "move", "jurisdiction": "WA", "goals": ["wa-dip"]}]}
    )
    result = whatif(knowledge=kb, student=stu, scenarios=spec)
    (move,) = result.scenarios
    assert move.audit.jurisdiction == "WA"
    assert move.audit.unrecognized == ()
    assert [c.course for c in move.plan.courses] == ["WA-ALG2"]


def test_a_drop_that_matches_nothing_is_a_clear_error() -> None:
    spec = ScenarioSet.model_validate({"scenarios": [{"name": "x", "drop": [{"course": "BIO"}]}]})
    with pytest.raises(StudentDataError, match="no transcript row of BIO matches"):
        whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]


def test_another_catalog_year() -> None:
    old = catalog(course("ALG1", subject="math"), course("ART", subject="art"), year=2024)
    new = catalog(
        course("ALG1", subject="math"),
        course("ART", subject="art", grade_levels=[9]),
        course("ART2", subject="art"),
    )
    rset = ruleset({"art": {"course": "ART"}}, id="arts", catalog_year=2024)
    kb = Knowledge(
        catalogs={"TX": [old, new]},
        rulesets={"arts": [rset]},
        graphs={old.id: CourseGraph(old.courses), new.id: CourseGraph(new.courses)},
    )
    stu = student(grade_level=11, goals=["arts"], catalog_year=2025)
    spec = ScenarioSet.model_validate({"scenarios": [{"name": "2024", "catalog_year": 2024}]})
    result = whatif(knowledge=kb, student=stu, scenarios=spec)
    assert result.base.plan.status == "infeasible"
    (older,) = result.scenarios
    assert older.audit.catalog_year == 2024
    assert [c.course for c in older.plan.courses] == ["ART"]
    assert "no plan exists" not in older.summary
