"""Each bundled state policy fires exactly when its source says it should (and not otherwise).

Cases are written from each policy's cited source (in the rule file beside it), through the public
``audit``: what a counselor would see (alerts, recommendations, the note on a requirement, a goal
added) for a student who meets the condition, and its absence for one who just misses it.
"""

from __future__ import annotations

from engine import Knowledge, audit
from engine.student import Student
from tests.policy.conftest import (
    alert_ids,
    goal_of,
    make_student,
    recommendation_ids,
    requirement,
    row,
    run_audit,
)

# ---- Texas Foundation High School Program (19 TAC §74.12) ------------------------------------


def test_cs_for_lote_substitution_is_shown_on_lote(kb: Knowledge) -> None:
    # §74.12(b)(5)(A)(ii): two credits in computer programming languages satisfy LOTE.
    student = make_student(row("CS1", "B", 9), row("CS2", "A", 10))
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    lote = requirement(goal, "lote")
    assert lote.status == "met"
    assert [(p.policy, p.action) for p in lote.policies] == [("tx-cs-for-lote", "substitute")]
    assert "§74.12(b)(5)(A)(ii)" in lote.reason


def test_cs_for_lote_not_noted_when_two_language_credits(kb: Knowledge) -> None:
    student = make_student(
        row("CS1", "B", 9), row("CS2", "A", 10), row("SPAN1", "A", 9), row("SPAN2", "B", 10)
    )
    lote = requirement(goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp"), "lote")
    assert lote.policies == ()


def test_cs_for_lote_not_noted_with_one_programming_credit(kb: Knowledge) -> None:
    student = make_student(row("CS1", "B", 9))
    lote = requirement(goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp"), "lote")
    assert lote.policies == ()


def test_lote_second_credit_alert_after_one_level(kb: Knowledge) -> None:
    # §74.12(b)(5)(C)-(D): one LOTE credit done, none scheduled: a substitute may be agreed.
    student = make_student(row("SPAN1", "C", 9), grade_level=11)
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    assert "tx-lote-second-credit" in alert_ids(goal)
    assert "tx-lote-second-credit" in recommendation_ids(goal)
    assert requirement(goal, "lote").status == "unmet"  # an alert changes no verdict


def test_lote_second_credit_silent_when_second_level_is_planned(kb: Knowledge) -> None:
    student = make_student(row("SPAN1", "C", 9), row("SPAN2", level=11, status="planned"))
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    assert "tx-lote-second-credit" not in alert_ids(goal)


def test_lote_second_credit_silent_before_any_lote(kb: Knowledge) -> None:
    goal = goal_of(run_audit(kb, make_student(row("ENG1")), "tx-fhsp"), "tx-fhsp")
    assert "tx-lote-second-credit" not in alert_ids(goal)


def test_failed_algebra_1_raises_credit_recovery(kb: Knowledge) -> None:
    # 19 TAC §74.26: no credit below 70; the failed course must be retaken or recovered.
    student = make_student(row("ENG1", "B"), row("ALG1", "F"), grade_level=10)
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    alert = next(a for a in goal.alerts if a.policy == "tx-failed-foundation-course")
    assert alert.severity == "warning"
    assert alert.message == "Algebra I was failed (F, grade 9) and has not been passed since."
    rec = next(r for r in goal.recommendations if r.policy == "tx-failed-foundation-course")
    assert (rec.experience, rec.message) == (
        "credit-recovery",
        "Retake Algebra I or enrol in credit recovery to earn the credit.",
    )


def test_failed_then_passed_algebra_1_is_quiet(kb: Knowledge) -> None:
    student = make_student(row("ALG1", "F", 9), row("ALG1", "C", 10, repeat=True))
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    assert "tx-failed-foundation-course" not in alert_ids(goal)


def test_failed_with_retake_in_progress_is_quiet(kb: Knowledge) -> None:
    student = make_student(row("ALG1", "F", 9), row("ALG1", level=10, status="in_progress"))
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    assert "tx-failed-foundation-course" not in alert_ids(goal)


def test_failed_elective_is_not_a_foundation_failure(kb: Knowledge) -> None:
    goal = goal_of(run_audit(kb, make_student(row("ART1", "F")), "tx-fhsp"), "tx-fhsp")
    assert "tx-failed-foundation-course" not in alert_ids(goal)


def test_off_track_after_grade_9(kb: Knowledge) -> None:
    # On-track indicator: at least 5 full-year credits by the end of grade 9.
    rows = [row(c) for c in ("ENG1", "ALG1", "BIO", "WGEO")]
    goal = goal_of(run_audit(kb, make_student(*rows, grade_level=10), "tx-fhsp"), "tx-fhsp")
    alert = next(a for a in goal.alerts if a.policy == "tx-off-track-after-grade-9")
    assert alert.severity == "critical"
    assert alert.message.startswith("Off track: 4 credits earned by grade 10;")
    assert goal.alerts[0].severity == "critical"  # most severe first


def test_on_track_with_five_credits_and_grade_9_not_judged(kb: Knowledge) -> None:
    five = [row(c) for c in ("ENG1", "ALG1", "BIO", "WGEO", "ART1")]
    goal = goal_of(run_audit(kb, make_student(*five, grade_level=10), "tx-fhsp"), "tx-fhsp")
    assert "tx-off-track-after-grade-9" not in alert_ids(goal)
    ninth = make_student(row("ENG1"), grade_level=9)
    goal = goal_of(run_audit(kb, ninth, "tx-fhsp"), "tx-fhsp")
    assert "tx-off-track-after-grade-9" not in alert_ids(goal)


def test_at_risk_flags(kb: Knowledge) -> None:
    # TEC §29.081(d): emergent bilingual, foster care, homeless.
    for flag in ("english_learner", "foster_care", "homeless"):
        student = make_student(row("ENG1"), flags=[flag])
        assert (
            alert_ids(goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")).count(
                "tx-at-risk-indicator"
            )
            == 1
        )
    for flags in ([], ["iep"], ["military_connected"]):
        student = make_student(row("ENG1"), flags=flags)
        goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
        assert "tx-at-risk-indicator" not in alert_ids(goal)


def test_two_at_risk_flags_fire_the_policy_once(kb: Knowledge) -> None:
    student = make_student(row("ENG1"), flags=["english_learner", "homeless"])
    goal = goal_of(run_audit(kb, student, "tx-fhsp"), "tx-fhsp")
    assert alert_ids(goal).count("tx-at-risk-indicator") == 1


# ---- NCAA Division I ---------------------------------------------------------------------------

CORE = ["ENG1", "ENG2", "ENG3", "ENG4", "ALG1", "GEOM", "ALG2", "PRECAL", "BIO", "CHEM"]
CORE += ["PHYS", "WGEO", "USHIST", "WHIST", "SPAN1", "SPAN2"]


def _core(grade: str) -> list[dict[str, object]]:
    return [row(c, grade, 9 + i // 4) for i, c in enumerate(CORE)]


def test_low_core_gpa_adds_the_academic_redshirt_goal(kb: Knowledge) -> None:
    student = make_student(*_core("D"), grade_level=12, cohort=2026)
    result = run_audit(kb, student, "ncaa-d1")
    goal = goal_of(result, "ncaa-d1")
    assert requirement(goal, "core_gpa").status == "unmet"
    assert "ncaa-academic-redshirt" in alert_ids(goal)
    added = goal_of(result, "ncaa-d1-redshirt")
    assert added.added_by is not None
    assert (added.added_by.policy, added.added_by.action) == ("ncaa-academic-redshirt", "apply_set")
    assert [g.goal for g in result.goals] == ["ncaa-d1", "ncaa-d1-redshirt"]


def test_good_core_gpa_adds_nothing(kb: Knowledge) -> None:
    result = run_audit(kb, make_student(*_core("A"), grade_level=12, cohort=2026), "ncaa-d1")
    assert [g.goal for g in result.goals] == ["ncaa-d1"]
    assert "ncaa-academic-redshirt" not in alert_ids(result.goals[0])


def test_redshirt_already_asked_for_is_not_added_twice(kb: Knowledge) -> None:
    student = make_student(*_core("D"), grade_level=12, cohort=2026)
    result = audit(knowledge=kb, student=student, goals=["ncaa-d1", "ncaa-d1-redshirt"])
    assert [g.goal for g in result.goals] == ["ncaa-d1", "ncaa-d1-redshirt"]
    assert result.goals[1].added_by is None


def test_ten_seven_missed_in_senior_year(kb: Knowledge) -> None:
    rows = [row("ENG1", "A", 9), row("ALG1", "A", 9), row("BIO", "A", 10)]
    goal = goal_of(run_audit(kb, make_student(*rows, grade_level=12), "ncaa-d1"), "ncaa-d1")
    alert = next(a for a in goal.alerts if a.policy == "ncaa-ten-seven-at-risk")
    assert alert.severity == "critical"


def test_ten_seven_not_judged_before_senior_year_or_when_met(kb: Knowledge) -> None:
    rows = [row("ENG1", "A", 9), row("ALG1", "A", 9), row("BIO", "A", 10)]
    goal = goal_of(run_audit(kb, make_student(*rows, grade_level=11), "ncaa-d1"), "ncaa-d1")
    assert "ncaa-ten-seven-at-risk" not in alert_ids(goal)
    done = make_student(*_core("A"), grade_level=12, cohort=2026)
    goal = goal_of(run_audit(kb, done, "ncaa-d1"), "ncaa-d1")
    assert "ncaa-ten-seven-at-risk" not in alert_ids(goal)


def test_register_with_the_eligibility_center_in_grades_10_and_11(kb: Knowledge) -> None:
    for grade, expected in ((9, False), (10, True), (11, True), (12, False)):
        student = make_student(row("ENG1"), grade_level=grade)
        goal = goal_of(run_audit(kb, student, "ncaa-d1"), "ncaa-d1")
        assert ("ncaa-register" in recommendation_ids(goal)) is expected, grade


def test_failed_core_course_warns_about_recovery_courses(kb: Knowledge) -> None:
    goal = goal_of(run_audit(kb, make_student(row("ENG1", "F")), "ncaa-d1"), "ncaa-d1")
    alert = next(a for a in goal.alerts if a.policy == "ncaa-recovery-course-approval")
    assert alert.message.startswith("English I (core) was failed")
    recovered = make_student(row("ENG1", "F", 9), row("ENG1", "B", 10, repeat=True))
    goal = goal_of(run_audit(kb, recovered, "ncaa-d1"), "ncaa-d1")
    assert "ncaa-recovery-course-approval" not in alert_ids(goal)
    non_core = make_student(row("ART1", "F"))
    goal = goal_of(run_audit(kb, non_core, "ncaa-d1"), "ncaa-d1")
    assert "ncaa-recovery-course-approval" not in alert_ids(goal)


# ---- University of California: validation --------------------------------------------------


def _ca(*rows: dict[str, object]) -> Student:
    return make_student(*rows, jurisdiction="CA", grade_level=12, cohort=2026)


def test_uc_algebra_1_d_validated_by_algebra_2(kb: Knowledge) -> None:
    student = _ca(row("ALG1", "D", 9), row("GEOM", "B", 10), row("ALG2", "B", 11))
    goal = goal_of(run_audit(kb, student, "uc-ag"), "uc-ag")
    alert = next(a for a in goal.alerts if a.policy == "uc-validation-algebra-1")
    assert alert.message.startswith("Algebra I (D) is validated by a higher-level math course")


def test_uc_algebra_1_not_validated_by_geometry_or_a_d_in_algebra_2(kb: Knowledge) -> None:
    for rows in (
        [row("ALG1", "D", 9), row("GEOM", "B", 10)],
        [row("ALG1", "D", 9), row("ALG2", "D", 11)],
        [row("ALG1", "B", 9), row("ALG2", "B", 11)],
    ):
        goal = goal_of(run_audit(kb, _ca(*rows), "uc-ag"), "uc-ag")
        assert "uc-validation-algebra-1" not in alert_ids(goal)


def test_uc_language_validation(kb: Knowledge) -> None:
    spanish = _ca(row("SPAN1", "F", 9), row("SPAN2", "C", 10))
    goal = goal_of(run_audit(kb, spanish, "uc-ag"), "uc-ag")
    assert "uc-validation-spanish" in alert_ids(goal)
    assert "uc-validation-french" not in alert_ids(goal)
    french = _ca(row("FREN1", "D", 9), row("FREN2", "B", 10))
    goal = goal_of(run_audit(kb, french, "uc-ag"), "uc-ag")
    assert "uc-validation-french" in alert_ids(goal)
    no = _ca(row("SPAN1", "D", 9), row("SPAN2", "D", 10))
    goal = goal_of(run_audit(kb, no, "uc-ag"), "uc-ag")
    assert "uc-validation-spanish" not in alert_ids(goal)


# ---- Florida: personal financial literacy from the 2023-24 entrants --------------------------


def test_fl_pfl_skipped_for_an_older_cohort(kb: Knowledge) -> None:
    student = make_student(jurisdiction="FL", cohort=2026, grade_level=12)
    goal = goal_of(run_audit(kb, student, "fl-standard"), "fl-standard")
    pfl = requirement(goal, "personal_financial_literacy")
    assert pfl.status == "met"
    assert [(p.policy, p.action) for p in pfl.policies] == [("fl-pfl-from-2023-entrants", "skip")]
    assert pfl.reason.startswith("Does not apply (policy fl-pfl-from-2023-entrants)")
    assert pfl.reason.endswith("this student's class is 2026.")
    assert pfl.applied == ()


def test_fl_pfl_applies_from_the_class_of_2027(kb: Knowledge) -> None:
    student = make_student(jurisdiction="FL", cohort=2027, grade_level=12)
    goal = goal_of(run_audit(kb, student, "fl-standard"), "fl-standard")
    pfl = requirement(goal, "personal_financial_literacy")
    assert pfl.status == "unmet"
    assert pfl.policies == ()


# ---- New York: safety net for students with disabilities ------------------------------------


def test_ny_safety_net_for_a_student_with_an_iep(kb: Knowledge) -> None:
    student = make_student(jurisdiction="NY", flags=["iep"], grade_level=12, cohort=2026)
    goal = goal_of(run_audit(kb, student, "ny-regents"), "ny-regents")
    assert alert_ids(goal).count("ny-safety-net-disability") == 1


def test_ny_safety_net_needs_an_iep_and_a_missing_exam(kb: Knowledge) -> None:
    student = make_student(jurisdiction="NY", grade_level=12, cohort=2026)
    goal = goal_of(run_audit(kb, student, "ny-regents"), "ny-regents")
    assert "ny-safety-net-disability" not in alert_ids(goal)
    exams = [
        {"kind": "assessment", "id": e, "score": 80}
        for e in (
            "ny-regents-ela",
            "ny-regents-algebra-1",
            "ny-regents-chemistry",
            "ny-regents-global-history-2",
        )
    ]
    passed = make_student(
        jurisdiction="NY", flags=["iep"], grade_level=12, cohort=2026, experiences=exams
    )
    goal = goal_of(run_audit(kb, passed, "ny-regents"), "ny-regents")
    for name in ("regents_ela", "regents_math", "regents_science", "regents_social_studies"):
        assert requirement(goal, name).status == "met"
    assert "ny-safety-net-disability" not in alert_ids(goal)


# ---- Washington: on-time graduation supports (RCW 28A.320.192) --------------------------------


def test_wa_supports_for_homeless_and_foster_students(kb: Knowledge) -> None:
    for flags in (["homeless"], ["foster_care"], ["homeless", "foster_care"]):
        student = make_student(jurisdiction="WA", flags=flags, grade_level=10, cohort=2028)
        goal = goal_of(run_audit(kb, student, "wa-grad"), "wa-grad")
        assert alert_ids(goal) == ["wa-on-time-graduation-support"]
        assert recommendation_ids(goal) == ["wa-on-time-graduation-support"]


def test_wa_supports_not_raised_without_those_flags(kb: Knowledge) -> None:
    for flags in ([], ["iep"], ["english_learner"]):
        student = make_student(jurisdiction="WA", flags=flags, grade_level=10, cohort=2028)
        goal = goal_of(run_audit(kb, student, "wa-grad"), "wa-grad")
        assert "wa-on-time-graduation-support" not in alert_ids(goal)
