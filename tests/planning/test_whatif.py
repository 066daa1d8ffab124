"""What-if scenarios: each change of the issue, compared with the base."""

from __future__ import annotations

import pytest

from engine.errors import StudentDataError
from engine.graph import CourseGraph
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file
from engine.planning import ScenarioSet, whatif
from tests.conftest import ROOT, catalog, course, row, ruleset, run, student
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


def _draft(**changes: object) -> dict[str, object]:
    draft: dict[str, object] = {
        "id": "diploma",
        "title": "Draft diploma",
        "kind": "graduation",
        "jurisdiction": "TX",
        "catalog_year": 2025,
        "source": {"citation": "draft for discussion", "year": 2026},
        "requirements": {"math": {"credits": 2, "from": {"subject": "math"}}},
    }
    return {**draft, **changes}


def test_draft_rule_set_given_inline() -> None:
    stricter = _draft(
        requirements={
            "math": {"credits": 2, "from": {"subject": "math"}},
            "art": {"course": "ART"},
        }
    )
    spec = ScenarioSet.model_validate(
        {"scenarios": [{"name": "stricter draft", "rules": [stricter]}]}
    )
    result = whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]
    (draft,) = result.scenarios
    assert draft.courses_added == ("ART",)
    assert any(c.requirement == "diploma > art" and c.before is None for c in draft.requirements)
    assert draft.warnings == ()
    assert result.base.warnings == ()


def test_a_draft_selector_that_matches_no_course_is_warned_of_and_still_runs() -> None:
    # What ``gradpath validate`` warns of in a file, the scenario's result says: the draft
    # asks for "maths", which no course carries, so that requirement can never be met.
    typo = _draft(requirements={"math": {"credits": 2, "from": {"subject": "maths"}}})
    spec = ScenarioSet.model_validate({"scenarios": [{"name": "typo", "rules": [typo]}]})
    result = whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]
    (draft,) = result.scenarios
    (warning,) = draft.warnings
    assert warning.loc == (
        "scenarios", 0, "rules", 0, "requirements", "math", "from", "subject", 0
    )  # fmt: skip
    assert warning.msg == (
        "scenario 'typo': draft 'diploma', requirement 'math': subject 'maths' is on no course "
        "of any TX catalog: this matches no course until a catalog lists one (did you mean "
        "'math'?)"
    )
    assert warning.type == "matches-no-course"
    assert draft.audit.goals[0].status == "unmet"  # it ran, under the draft as given
    assert result.base.warnings == ()


def test_draft_warnings_keep_their_bound() -> None:
    attributes = [f"tx:missing-{i:03d}" for i in range(120)]
    many = _draft(requirements={"math": {"credits": 2, "from": {"attribute": attributes}}})
    spec = ScenarioSet.model_validate({"scenarios": [{"name": "many", "rules": [many]}]})
    result = whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]
    (draft,) = result.scenarios
    assert len(draft.warnings) == 100
    assert "'tx:missing-098'" in draft.warnings[98].msg
    assert draft.warnings[-1].msg == "...and 21 more warnings like these."
    assert draft.warnings[-1].loc == ("scenarios", 0)


POLICY = {
    "id": "p1",
    "title": "A policy",
    "source": {"citation": "draft for discussion", "year": 2026},
    "when": [{"course": {"course": ["NOPE"]}}],
    "then": [{"alert": "info", "message": "{title} taken"}],
}


# Each broken draft is refused as ``gradpath validate`` refuses such a file, before anything is
# judged (a self-referring goal recursed without end, an unknown course raised KeyError), and
# located at its scenario (index 1), its draft (index 1, after a fine one) and the field.
@pytest.mark.parametrize(
    ("draft", "loc", "message"),
    [
        (
            _draft(extends="no-such-set"),
            ("extends",),
            "extends unknown rule set 'no-such-set'",
        ),
        (
            _draft(extends="arts", remove=["nope"]),
            ("remove", 0),
            "cannot remove 'nope': arts has no such requirement",
        ),
        (
            _draft(requirements={"art": {"course": "NOPE"}}),
            ("requirements", "art", "course"),
            "requirement 'art': course 'NOPE' is in no TX catalog",
        ),
        (
            _draft(requirements={"m": {"credits": 1, "from": {"course": ["ALG1", "NOPE"]}}}),
            ("requirements", "m", "from", "course", 1),
            "course 'NOPE' in 'course' is in no TX catalog",
        ),
        (
            _draft(requirements={"g": {"gpa": 2.0, "over": ["zz"]}}),
            ("requirements", "g", "over"),
            "no requirement named 'zz' in this set",
        ),
        (
            _draft(requirements={"loop": {"goal": ["diploma"]}}),
            ("requirements", "loop", "goal", 0),
            "rule sets require each other through 'goal': diploma -> diploma",
        ),
        (
            _draft(requirements={"g": {"goal": ["nope"]}}),
            ("requirements", "g", "goal", 0),
            "no rule set with id 'nope'",
        ),
        (
            _draft(policies=[POLICY]),
            ("policies", 0, "when", 0, "course", "course"),
            "policy 'p1': course 'NOPE' is not in any TX catalog",
        ),
        (_draft(id="arts2"), ("id",), "given twice (also rules[0])"),
    ],
)
def test_a_broken_draft_is_located_at_its_scenario_and_draft(
    draft: dict[str, object], loc: tuple[str | int, ...], message: str
) -> None:
    fine = _draft(id="arts2")
    scenarios = [{"name": "as is"}, {"name": "draft", "rules": [fine, draft]}]
    spec = ScenarioSet.model_validate({"scenarios": scenarios})
    with pytest.raises(StudentDataError) as refused:
        whatif(knowledge=_kb(), student=_student(), scenarios=spec)  # type: ignore[arg-type]
    (problem,) = refused.value.problems
    assert problem.loc == ("scenarios", 1, "rules", 1, *loc)
    assert problem.msg.startswith("scenario 'draft': ")
    assert message in problem.msg
    assert str(refused.value).startswith("a scenario cannot be applied:")


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
    assert older.audit.notices == () == result.base.audit.notices
    # A year older than every catalog and version: the oldest are used, and the audit says so.
    spec = ScenarioSet.model_validate({"scenarios": [{"name": "2019", "catalog_year": 2019}]})
    (oldest,) = whatif(knowledge=kb, student=stu, scenarios=spec).scenarios
    assert oldest.audit.catalog_year == 2024
    assert oldest.audit.notices == (
        "No TX catalog is loaded for catalog year 2019 (the student's catalog_year); the "
        "oldest, tx-2024 (2024), was used.",
        "arts has no version for catalog year 2019 (the student's catalog_year); its oldest, "
        "2024, was used.",
    )


def test_a_set_naming_a_course_the_catalog_lacks_is_judged_not_crashed() -> None:
    # A national set (no catalog of its own) is checked against no catalog, so it may name a
    # course the student's catalog does not offer: that course is never a candidate.
    cat = catalog(course("ALG1", subject="math"), course("ART", subject="art"))
    national = ruleset(
        {"math": {"course": "ALG3"}, "any_math": {"credits": 1, "from": {"course": ["ALG3"]}}},
        id="national",
        jurisdiction="US",
    )
    result = run(cat, national, student(row("ART", level=9), grade_level=10))
    assert [(r.name, r.status, r.candidates) for r in result.requirements] == [
        ("math", "unmet", ()),
        ("any_math", "unmet", ()),
    ]


def test_a_draft_leaves_the_careers_it_does_not_touch_as_they_are() -> None:
    # Careers compile per state (a Texas route); a scenario with any draft once lost that,
    # and a draft that changes nothing showed a career's route requirement as gone.
    kb = load_knowledge(ROOT)
    data = load_student_file(ROOT / "samples" / "students" / "tx-junior-on-track.json")
    same = _draft(id="tx-fhsp", extends="tx-fhsp", requirements={})
    spec = ScenarioSet.model_validate(
        {"constraints": {"time_limit": 0.5}, "scenarios": [{"name": "same", "rules": [same]}]}
    )
    result = whatif(knowledge=kb, student=data, scenarios=spec, goals=["career-veterinarian"])
    (scenario,) = result.scenarios
    assert scenario.requirements == ()
    assert scenario.audit.goals == result.base.audit.goals
    assert "route" in {r.name for r in scenario.audit.goals[0].requirements}
