"""Allocation and evaluation semantics on small hand-made sets."""

from __future__ import annotations

from tests.conftest import catalog, course, req, row, ruleset, run, student

CAT = catalog(
    course("ENG1", subject="english"),
    course("ENG2", subject="english"),
    course("ALG1", subject="math"),
    course("GEOM", subject="math"),
    course("CSA", subject="cs", attributes=["math-4th"]),
    course("ART1", subject="fine-arts"),
    course("PE1", 0.5, subject="pe", repeatable=True),
    course("SPAN1", subject="lote", sequence={"track": "spanish", "level": 1}),
    course("SPAN2", subject="lote", sequence={"track": "spanish", "level": 2}),
    course("FREN1", subject="lote", sequence={"track": "french", "level": 1}),
)


def test_course_counts_once_in_a_set() -> None:
    rset = ruleset(
        {
            "math": {"credits": 2, "from": {"subject": "math"}},
            "electives": {"credits": 1, "from": {}},
        }
    )
    goal = run(CAT, rset, student(row("ALG1"), row("GEOM")))
    assert req(goal, "math").status == "met"
    assert req(goal, "electives").status == "unmet"
    assert goal.status == "unmet"


def test_flow_finds_assignment_a_greedy_walk_misses() -> None:
    # CSA may count as math or as the elective; ALG1 only as math. Taking rows in transcript
    # order, a greedy walk gives CSA to math and then has nothing for "fourth".
    rset = ruleset(
        {
            "fourth": {"credits": 1, "from": {"attribute": "math-4th"}},
            "math": {"credits": 1, "from": {"subject": ["math", "cs"]}},
        }
    )
    goal = run(CAT, rset, student(row("CSA"), row("ALG1", level=10)))
    assert goal.status == "met"
    assert [a.course for a in req(goal, "fourth").applied] == ["CSA"]
    assert [a.course for a in req(goal, "math").applied] == ["ALG1"]


def test_in_progress_and_planned_give_in_progress() -> None:
    rset = ruleset({"english": {"credits": 2, "from": {"subject": "english"}}})
    goal = run(CAT, rset, student(row("ENG1"), row("ENG2", status="in_progress", level=10)))
    r = req(goal, "english")
    assert (r.status, r.progress.earned, r.progress.in_progress) == ("in_progress", 1, 1)
    assert goal.status == "in_progress"


def test_sequence_needs_two_levels_of_one_language() -> None:
    rset = ruleset({"lote": {"sequence": 2, "from": {"subject": "lote"}}})
    assert run(CAT, rset, student(row("SPAN1"), row("FREN1"))).status == "unmet"
    assert run(CAT, rset, student(row("SPAN1"), row("SPAN2", level=10))).status == "met"


def test_failed_course_gives_no_credit_and_repeat_counts() -> None:
    rset = ruleset({"math": {"course": "ALG1"}})
    failed = run(CAT, rset, student(row("ALG1", "F")))
    assert failed.status == "unmet"
    repeated = run(CAT, rset, student(row("ALG1", "F"), row("ALG1", "C", level=10, repeat=True)))
    assert repeated.status == "met"


def test_share_counts_courses_already_used() -> None:
    rset = ruleset(
        {
            "english": {"credits": 2, "from": {"subject": "english"}},
            "total": {"credits": 3, "from": {}, "share": True},
        }
    )
    goal = run(CAT, rset, student(row("ENG1"), row("ENG2"), row("ART1")))
    assert goal.status == "met"


def test_any_picks_the_option_that_fits() -> None:
    rset = ruleset(
        {
            "lote": {
                "any": [
                    {"sequence": 2, "from": {"subject": "lote"}},
                    {"credits": 2, "from": {"subject": "cs"}},
                ]
            },
            "elective": {"credits": 1, "from": {}},
        }
    )
    goal = run(CAT, rset, student(row("SPAN1"), row("SPAN2", level=10), row("ART1")))
    assert goal.status == "met"


def test_before_a_grade_or_a_term_of_it() -> None:
    by_grade = ruleset({"early": {"credits": 1, "from": {"subject": "english"}, "before": 12}})
    by_term = ruleset(
        {
            "early": {
                "credits": 1,
                "from": {"subject": "english"},
                "before": {"grade": 12, "term": "spring"},
            }
        }
    )
    summer_after_11 = student(row("ENG1", level=11, term="summer"))
    fall_of_12 = student(row("ENG1", level=12, term="fall", credits=1))
    year_of_12 = student(row("ENG1", level=12))
    assert run(CAT, by_grade, summer_after_11).status == "met"
    assert run(CAT, by_grade, fall_of_12).status == "unmet"
    assert run(CAT, by_term, fall_of_12).status == "met"
    assert run(CAT, by_term, year_of_12).status == "unmet"  # a year course ends in spring


def test_from_takes_a_list_of_selectors_any_of_which_may_match() -> None:
    rset = ruleset(
        {"either": {"credits": 2, "from": [{"subject": "english"}, {"attribute": "math-4th"}]}}
    )
    assert run(CAT, rset, student(row("ENG1"), row("CSA"))).status == "met"
    assert run(CAT, rset, student(row("ENG1"), row("ALG1"))).status == "unmet"


def test_two_alternatives_never_count_the_same_leftover_row() -> None:
    # Found by the planner's brute-force check: K1 must not satisfy both r1 and r2.
    cat = catalog(course("K0"), course("K1"), course("K2"))
    rset = ruleset(
        {
            "r0": {"course": "K0"},
            "r1": {"any": [{"course": "K0"}, {"course": "K1"}]},
            "r2": {"any": [{"course": "K2"}, {"course": "K0"}, {"course": "K1"}]},
        }
    )
    goal = run(cat, rset, student(row("K0"), row("K1")))
    assert goal.status == "unmet"
    statuses = sorted(r.status for r in goal.requirements)
    assert statuses == ["met", "met", "unmet"]
    counted = [
        a.course for r in goal.requirements for node in (r, *r.children) for a in node.applied
    ]
    assert sorted(counted) == ["K0", "K1"]  # each row counted once


def test_an_unused_alternative_of_a_met_requirement_says_it_is_not_counted() -> None:
    cat = catalog(course("A"), course("B"))
    rset = ruleset({"r": {"any": [{"course": "A"}, {"course": "B"}]}})
    goal = run(cat, rset, student(row("A"), row("B")))
    (r,) = goal.requirements
    assert r.status == "met"
    chosen, other = r.children
    assert chosen.status == "met"
    assert [a.course for a in chosen.applied] == ["A"]
    assert other.status == "unmet"
    assert other.applied == ()
    assert other.reason.startswith("Not counted: another option of this requirement was used")
    assert "(B)" in other.reason


def test_a_failed_attempt_a_passing_repeat_replaced_is_out_of_the_gpa() -> None:
    # "D/F grades count in the GPA unless the course is repeated" (UC); NCAA's best grade and
    # Florida's grade forgiveness read the same. Until the repeat is completed the F counts.
    rset = ruleset({"math_gpa": {"gpa": 3.0, "from": {"subject": "math"}}})
    repeated = run(
        CAT, rset, student(row("ALG1", "F"), row("ALG1", "B", level=10), row("GEOM", "B", level=10))
    )
    assert req(repeated, "math_gpa").status == "met"
    assert [(r.course, r.grade, r.use) for r in repeated.rows if r.course == "ALG1"] == [
        ("ALG1", "F", "superseded"),
        ("ALG1", "B", "credit"),
    ]
    pending = run(
        CAT,
        rset,
        student(
            row("ALG1", "F"),
            row("ALG1", status="in_progress", level=10),
            row("GEOM", "B", level=10),
        ),
    )
    assert req(pending, "math_gpa").status == "unmet"
    assert [r.use for r in pending.rows if r.course == "ALG1"] == ["failed", "credit"]


def test_summer_after_opens_a_gpa_window_a_summer_early() -> None:
    # UC: "grades 10-11, including the summer after grade 9 through the summer after grade 11".
    # A summer row carries the grade it follows: grade 9 summer is the summer after grade 9.
    window = {"gpa": 3.0, "from": {"subject": "math"}, "grade_levels": [10, 11]}
    uc_like = ruleset({"math_gpa": {**window, "summer_after": [9]}})
    plain = ruleset({"math_gpa": window})
    summer_c = student(row("ALG1", "C", level=9, term="summer"), row("GEOM", "B", level=10))
    assert req(run(CAT, plain, summer_c), "math_gpa").status == "met"  # the B alone: 3.0
    assert req(run(CAT, uc_like, summer_c), "math_gpa").status == "unmet"  # (C + B) / 2 = 2.5
    spring_c = student(row("ALG1", "C", level=9, term="spring"), row("GEOM", "B", level=10))
    assert req(run(CAT, uc_like, spring_c), "math_gpa").status == "met"  # spring is grade 9
    grade8_summer = student(row("ALG1", "C", level=8, term="summer"), row("GEOM", "B", level=10))
    assert req(run(CAT, uc_like, grade8_summer), "math_gpa").status == "met"


def test_forgive_with_keeps_an_f_counted_until_a_repeat_earns_that_grade() -> None:
    # Florida, s. 1003.4282(5): a D or F is replaced only by "a grade of 'C' or higher"; "any
    # course grade not replaced ... shall be included in the calculation of the ... GPA".
    grading = {"repeats": "best", "forgive_with": "C"}
    rset = ruleset({"math_gpa": {"gpa": 2.0, "from": {"subject": "math"}}}, grading=grading)
    for_a_d = run(CAT, rset, student(row("ALG1", "F"), row("ALG1", "D", level=10)))
    assert [(r.grade, r.use) for r in for_a_d.rows] == [("F", "failed"), ("D", "credit")]
    assert "only a repeat graded C or better replaces it" in for_a_d.rows[0].note
    assert req(for_a_d, "math_gpa").status == "unmet"  # (0 + 1) / 2
    for_a_c = run(CAT, rset, student(row("ALG1", "F"), row("ALG1", "C", level=10)))
    assert [(r.grade, r.use) for r in for_a_c.rows] == [("F", "superseded"), ("C", "credit")]
    assert req(for_a_c, "math_gpa").status == "met"  # the C alone
    # Without forgive_with any passing repeat replaces the F (UC, NCAA).
    lenient = ruleset({"math_gpa": {"gpa": 1.0, "from": {"subject": "math"}}})
    replaced = run(CAT, lenient, student(row("ALG1", "F"), row("ALG1", "D", level=10)))
    assert [r.use for r in replaced.rows] == ["superseded", "credit"]
