"""Middle school, high-leverage courses and the pathway view, through the public API."""

from __future__ import annotations

import pytest

from engine import Knowledge
from engine.errors import UnknownGoalError
from engine.recommend import WEIGHTS, Interests, pathway, recommend, riasec_match
from tests.recommend.conftest import sample, student


def test_a_seventh_grader_with_no_transcript_is_ranked_on_interests(kb: Knowledge) -> None:
    who = student(grade_level=7, cohort=2031)
    result = recommend(knowledge=kb, student=who, interests=Interests(riasec="AE"), limit=10)
    assert result.stage == "middle_school"
    assert result.weights == WEIGHTS["middle_school"]
    assert result.weights["interests"] > sum(
        w for name, w in result.weights.items() if name != "interests"
    )
    for fit in result.careers:
        strengths = next(p for p in fit.parts if p.name == "strengths")
        assert strengths.score is None
        assert strengths.points == 0.0
    assert all(riasec_match("AE", fit.riasec or "") >= 0.6 for fit in result.careers[:5])
    assert any("Middle school" in note for note in result.notes)
    # next year is grade 8, and high school (grade 9) is where the careers' courses start
    assert result.courses
    offered = {c.id: c.grade_levels for c in kb.catalog_for("TX", 2025).courses}
    assert all(set(offered[c.course]) & {8, 9} for c in result.courses)


def test_an_eighth_grader_with_algebra_i_early(kb: Knowledge) -> None:
    who = student(
        grade_level=8,
        transcript=[{"course": "ALG1", "grade_level": 8, "grade": "A"}],
    )
    result = recommend(knowledge=kb, student=who, interests=Interests(riasec="IR"))
    assert result.stage == "middle_school"
    top = result.careers[0]
    assert riasec_match("IR", top.riasec or "") == 1.0
    strengths = next(p for p in top.parts if p.name == "strengths")
    assert strengths.score is not None  # Algebra I is a graded high-school course
    # Algebra I is done: Geometry (its successor) is offered next and keeps careers open
    courses = [c.course for c in result.courses]
    assert "ALG1" not in courses
    assert "GEOM" in courses


def test_leverage_courses_are_open_next_and_serve_the_top_careers(kb: Knowledge) -> None:
    who = sample("tx-sophomore-off-track")
    result = recommend(knowledge=kb, student=who, interests=Interests(riasec="RI"), courses=10)
    taken = {row.course for row in who.transcript}
    offered = {c.id: c for c in kb.catalog_for("TX", 2025).courses}
    top_ids = [f.career for f in result.careers[:12]]
    counts = [c.count for c in result.courses]
    assert counts == sorted(counts, reverse=True)
    for course in result.courses:
        assert course.course not in taken
        assert who.grade_level + 1 in offered[course.course].grade_levels
        assert course.of == 12
        assert course.count == len(course.opens) == len(course.reasons)
        assert set(course.opens) <= set(top_ids)
        for career, reason in zip(course.opens, course.reasons, strict=True):
            assert reason.startswith(f"{career}: ")
    # the count is checked against the audit: a course named as serving a requirement is
    # among that requirement's candidates or eligible courses
    first = result.courses[0]
    assert first.count >= 6


def test_pathway_lists_each_route_with_its_goals_and_gaps(kb: Knowledge) -> None:
    view = pathway(knowledge=kb, student=sample("ca-sophomore-gaps"), career="architect")
    assert [r.kind for r in view.routes] == ["bachelor"]
    goals = [g.goal for g in view.routes[0].goals]
    assert sorted(goals) == ["csu-ag", "uc-ag"]
    for goal in view.routes[0].goals:
        assert goal.status == "unmet"
        assert goal.gaps
        assert all(g.status == "unmet" for g in goal.gaps)
        assert goal.credits_to_add == pytest.approx(sum(g.credits_to_add for g in goal.gaps))
    names = [g.requirement for g in view.coursework]
    assert "concentrator" in names
    assert "route" not in names


def test_pathway_in_texas_goes_through_the_diploma(kb: Knowledge) -> None:
    view = pathway(
        knowledge=kb, student=sample("tx-junior-on-track"), career="career-registered-nurse"
    )
    assert [(r.kind, [g.goal for g in r.goals]) for r in view.routes] == [
        ("bachelor", ["tx-fhsp"]),
        ("associate", ["tx-fhsp"]),
    ]
    assert view.routes[0].status == "in_progress"


def test_pathway_for_an_unknown_career(kb: Knowledge) -> None:
    with pytest.raises(UnknownGoalError, match="did you mean 'registered-nurse'"):
        pathway(knowledge=kb, student=sample("tx-junior-on-track"), career="registered-nurs")


def test_a_senior_with_no_term_left_gets_no_next_courses(kb: Knowledge) -> None:
    """Every grade-12 course is done or under way: there is no term to take a next course in
    (the planner's calendar is empty), so none is suggested, and a note says why."""
    senior = recommend(knowledge=kb, student=sample("tx-senior-stem-dla"), limit=5)
    assert senior.courses == ()
    assert "No term is left before graduation" in " ".join(senior.notes)
    junior = recommend(knowledge=kb, student=sample("tx-sophomore-off-track"), limit=5)
    assert junior.courses
    assert not any("No term is left" in note for note in junior.notes)
