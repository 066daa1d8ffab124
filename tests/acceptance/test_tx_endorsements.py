"""Texas endorsements (19 TAC §74.13), 2025 catalog: STEM, Business and Industry, Public Services,
Arts and Humanities, Multidisciplinary Studies.

Written from ``../shared/reference/published-rules.md`` §3, "Checklist: an endorsement (§74.13)",
and the text of §74.13 (version effective 2025-08-01; the April 2025 amendment retitled Principles
of Technology as Physics for Engineering):

- (c) "A student must earn at least 26 credits to earn an endorsement."
- (e)(1) the Foundation High School Program; (e)(2) a fourth math credit from the listed courses
  (Algebra II, Precalculus, AQR, ..., Statistics, AP math, Engineering Mathematics, Mathematics
  for Medical Professionals, ...); (e)(3) a fourth science credit; (e)(4) two more electives.
- (f) STEM: Algebra II, Chemistry and Physics (or Physics for Engineering), and a CTE sequence
  ending in the STEM cluster, four computer science credits, five math credits (two courses that
  require Algebra II), five science credits, or three credits from no more than two of those.
- (g) Business and Industry: four or more CTE credits with two courses in one cluster including an
  advanced course (third or later in the sequence), the final course in agriculture, construction,
  arts/AV, business, finance, hospitality, IT, manufacturing, marketing or transportation; or four
  English electives with three levels of journalism, public speaking or debate.
- (h) Public Services: the same CTE rule with Education and Training, Government, Health Science,
  Human Services or Law and Public Safety; or four JROTC courses.
- (i) Arts and Humanities: five social studies credits; four levels of one language; two levels
  each of two languages; four fine arts credits from one or two disciplines; four English
  electives.
- (j) Multidisciplinary Studies: four advanced courses (district-defined, §74.13(d)); four credits
  in each foundation subject including English IV and Chemistry and/or Physics; or four credits of
  AP, IB or dual credit in the core subjects, languages or fine arts.

Courses are those of catalogs/tx/2025/courses.yaml; which CTE courses are "advanced" (level 3 or 4
of their TEA program of study) and which non-CTE courses the district calls advanced are stated in
that catalog. Grades are Texas numeric grades; 70 passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

STEM = "tx-endorsement-stem"
BUSINESS = "tx-endorsement-business-industry"
PUBLIC = "tx-endorsement-public-services"
ARTS = "tx-endorsement-arts-humanities"
MULTI = "tx-endorsement-multidisciplinary"
ENDORSEMENTS = (STEM, BUSINESS, PUBLIC, ARTS, MULTI)
SEQUENCE = {
    STEM: "stem_sequence",
    BUSINESS: "business_industry_sequence",
    PUBLIC: "public_services_sequence",
    ARTS: "arts_humanities_sequence",
    MULTI: "multidisciplinary_sequence",
}

Row = dict[str, Any]


def take(course: str, level: int, grade: str | float | None = 85, **extra: Any) -> Row:
    """One transcript row; a full-year course unless ``term=`` says otherwise."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


# The 19 credits every endorsement shares: the Foundation program's subject areas with a fourth
# math (Precalculus) and a fourth science (Environmental Systems). Alone, they meet no
# endorsement's own sequence (checked below).
CORE: dict[str, list[Row]] = {
    "english": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12)],  # 4
    "math": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11), take("PRECAL", 12)],  # 4
    "science": [take("BIO", 9), take("CHEM", 10), take("PHYS", 11), take("ENVSYS", 12)],  # 4
    "social_studies": [
        take("WGEO", 9),
        take("USHIST", 11),
        take("USGOV", 12, term="fall"),
        take("ECON", 12, term="spring"),
    ],  # 3
    "pe": [take("FPF", 9, term="fall"), take("TEAMSPT", 9, term="spring")],  # 1
    "lote": [take("SPAN1", 9), take("SPAN2", 10)],  # 2
    "fine_arts": [take("ART1", 10)],  # 1
}  # 19 credits

# One-credit electives that belong to no endorsement sequence: Peer Assistance and Leadership,
# Reading I, Athletics I-IV (the PE credit is already earned, so these are electives).
FILLER = [
    take("PALS", 11),
    take("READ1", 9),
    take("ATH1", 9),
    take("ATH2", 10),
    take("ATH3", 11),
    take("ATH4", 12),
]
HALF = [take("HEALTH", 9, term="fall"), take("STUDYSK", 9, term="spring")]  # 0.5 + 0.5


def transcript(sequence: Sequence[Row], fillers: int, **areas: list[Row]) -> list[Row]:
    """The 19 core credits (some areas replaced), an endorsement's courses, and filler electives."""
    assert not set(areas) - set(CORE)
    core = [row for area, rows in CORE.items() for row in areas.get(area, rows)]
    return [*core, *sequence, *FILLER[:fillers]]


def run(kb: Knowledge, rows: Sequence[Row], goal: str) -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-ENDORSE",
            "jurisdiction": "TX",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
        }
    )
    result = audit(knowledge=kb, student=student, goals=[goal])
    assert not result.unrecognized, result.unrecognized
    return next(g for g in result.goals if g.goal == goal)


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def earned(goal: GoalResult, name: str) -> float:
    progress = requirement(goal, name).progress
    assert progress is not None
    return progress.earned


def only_sequence_differs(goal: GoalResult, endorsement: str) -> None:
    """Every requirement but the endorsement's own sequence is met."""
    for r in goal.requirements:
        if r.name != SEQUENCE[endorsement]:
            assert r.status == "met", r.name


# Sequences used in several tests (each with its credit count).
ENGINEERING = [take("POE", 9), take("ENGDES1", 10), take("ENGDES2", 11), take("ROBO1", 12)]  # 4
HEALTH = [take("PHS", 9), take("MEDTERM", 10), take("HST", 11), take("HSCLIN", 11)]  # 4
CULINARY = [take("INTROCUL", 9), take("CULART", 10), take("ADVCUL", 11)]  # 1 + 2 + 2 = 5


# --------------------------------------------------------------------------------------------
# (c), (e): what every endorsement requires
# --------------------------------------------------------------------------------------------


def test_the_core_alone_meets_no_endorsement_sequence(kb: Knowledge) -> None:
    """The shared fixture is neutral: with 26 credits but no sequence, every endorsement is unmet
    on its own sequence only."""
    rows = transcript([], 6) + HALF
    for goal_id in ENDORSEMENTS:
        goal = run(kb, rows, goal_id)
        assert requirement(goal, SEQUENCE[goal_id]).status == "unmet", goal_id
        only_sequence_differs(goal, goal_id)
        assert goal.status == "unmet"


@pytest.mark.parametrize(
    ("goal_id", "sequence", "fillers"),
    [
        pytest.param(STEM, ENGINEERING, 3, id="stem"),
        pytest.param(BUSINESS, CULINARY, 2, id="business-industry"),
        pytest.param(PUBLIC, HEALTH, 3, id="public-services"),
        pytest.param(ARTS, [take("SPAN3", 11), take("SPAN4", 12)], 5, id="arts-humanities"),
        pytest.param(MULTI, [take("SPAN3", 11), take("CRWRIT", 11)], 5, id="multidisciplinary"),
    ],
)
def test_exactly_26_credits_with_the_sequence_is_met(
    kb: Knowledge, goal_id: str, sequence: list[Row], fillers: int
) -> None:
    """(c) "at least 26 credits", (e)(2)-(4): 4 math, 4 science, 7 electives, and the sequence."""
    goal = run(kb, transcript(sequence, fillers), goal_id)
    assert goal.status == "met"
    assert earned(goal, "total_credits") == 26
    assert earned(goal, "electives") == 7
    assert earned(goal, "math") == 4
    assert earned(goal, "science") == 4


@pytest.mark.parametrize(
    ("goal_id", "sequence", "fillers"),
    [
        pytest.param(STEM, ENGINEERING, 2, id="stem"),
        pytest.param(BUSINESS, CULINARY, 1, id="business-industry"),
        pytest.param(PUBLIC, HEALTH, 2, id="public-services"),
        pytest.param(ARTS, [take("SPAN3", 11), take("SPAN4", 12)], 4, id="arts-humanities"),
        pytest.param(MULTI, [take("SPAN3", 11), take("CRWRIT", 11)], 4, id="multidisciplinary"),
    ],
)
def test_25_5_credits_is_one_half_credit_short(
    kb: Knowledge, goal_id: str, sequence: list[Row], fillers: int
) -> None:
    """(c): the same transcript with a half-credit elective in place of a full one (25.5)."""
    rows = [*transcript(sequence, fillers), take("STUDYSK", 9, term="fall")]
    goal = run(kb, rows, goal_id)
    assert earned(goal, "total_credits") == 25.5
    assert requirement(goal, "total_credits").status == "unmet"
    assert requirement(goal, SEQUENCE[goal_id]).status == "met"
    assert goal.status == "unmet"


@pytest.mark.parametrize("goal_id", ENDORSEMENTS)
def test_a_fourth_math_credit_is_required(kb: Knowledge, goal_id: str) -> None:
    """(e)(2): with Algebra I, Geometry and Algebra II only (an elective in Precalculus' place),
    the fourth math credit is missing."""
    rows = transcript(
        [*ENGINEERING, *HEALTH, *CULINARY, take("SPAN3", 11), take("SPAN4", 12)],
        0,
        math=CORE["math"][:3],
    )
    goal = run(kb, rows, goal_id)
    assert requirement(goal, "math").status == "unmet"
    assert earned(goal, "math") == 3
    assert goal.status == "unmet"


@pytest.mark.parametrize("goal_id", ENDORSEMENTS)
def test_mathematical_models_is_not_a_fourth_math_credit(kb: Knowledge, goal_id: str) -> None:
    """(e)(2)'s list leaves out Mathematical Models with Applications (MMA), which §74.12 allows as
    the Foundation's third credit. Algebra I, Geometry, MMA and Algebra II are four math credits
    (MMA third, Algebra II fourth); Algebra I, Geometry and MMA with a fourth year of a non-math
    elective are three."""
    sequence = [*ENGINEERING, *HEALTH, *CULINARY]
    with_alg2 = [take("ALG1", 9), take("GEOM", 10), take("MATHMOD", 11), take("ALG2", 12)]
    goal = run(kb, transcript(sequence, 0, math=with_alg2), goal_id)
    assert requirement(goal, "math").status == "met"
    no_list_course = [take("ALG1", 9), take("GEOM", 10), take("MATHMOD", 11), take("PALS", 12)]
    goal = run(kb, transcript(sequence, 0, math=no_list_course), goal_id)
    assert earned(goal, "math") == 3
    assert requirement(goal, "math").status == "unmet"


@pytest.mark.parametrize("goal_id", ENDORSEMENTS)
def test_a_fourth_science_credit_is_required(kb: Knowledge, goal_id: str) -> None:
    """(e)(3): Biology, Chemistry and Physics only."""
    rows = transcript(
        [*ENGINEERING, *HEALTH, *CULINARY, take("SPAN3", 11), take("SPAN4", 12)],
        0,
        science=CORE["science"][:3],
    )
    goal = run(kb, rows, goal_id)
    assert requirement(goal, "science").status == "unmet"
    assert earned(goal, "science") == 3
    assert goal.status == "unmet"


@pytest.mark.parametrize("goal_id", ENDORSEMENTS)
def test_the_foundation_program_is_required(kb: Knowledge, goal_id: str) -> None:
    """(e)(1): no fine arts credit, so the Foundation program is not complete."""
    rows = transcript(
        [*ENGINEERING, *HEALTH, *CULINARY, take("SPAN3", 11), take("SPAN4", 12)], 2, fine_arts=[]
    )
    goal = run(kb, rows, goal_id)
    assert requirement(goal, "fine_arts").status == "unmet"
    assert goal.status == "unmet"


# --------------------------------------------------------------------------------------------
# (f) STEM
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "fillers"),
    [
        pytest.param(ENGINEERING, 3, id="cte-engineering-sequence"),
        pytest.param(
            [take("FUNDCS", 9), take("CS1", 10), take("CS2", 11), take("CS3", 12)],
            3,
            id="four-computer-science-credits",
        ),
        pytest.param([take("APCALCAB", 12)], 6, id="five-math-credits"),
        pytest.param([take("APCHEM", 12)], 6, id="five-science-credits"),
        pytest.param(
            [take("POE", 9), take("ROBO1", 10), take("FUNDCS", 11)],
            4,
            id="three-credits-from-cte-and-computer-science",
        ),
    ],
)
def test_stem_options(kb: Knowledge, sequence: list[Row], fillers: int) -> None:
    """(f)(1)-(5): each option alone, with Algebra II, Chemistry and Physics."""
    goal = run(kb, transcript(sequence, fillers), STEM)
    assert requirement(goal, "stem_courses").status == "met"
    assert requirement(goal, "stem_sequence").status == "met"
    assert goal.status == "met"


def test_stem_without_a_sequence_is_unmet(kb: Knowledge) -> None:
    """(f)(1)-(5) all fall short: Statistics as the fourth math (it does not require Algebra II) and
    Physics as the fourth science (Biology, IPC, Chemistry, Physics), so no math or science beyond
    the core; two STEM CTE courses, neither advanced (Principles of Engineering, Robotics I), and
    two IT courses: four CTE credits without an advanced STEM course, and only two credits from the
    CTE and computer science categories."""
    math = [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11), take("STATS", 12)]
    science = [take("BIO", 9), take("IPC", 10), take("CHEM", 11), take("PHYS", 12)]
    cte = [take("POE", 9), take("ROBO1", 10), take("PIT", 11), take("CPROG1", 12)]
    goal = run(kb, transcript(cte, 3, math=math, science=science), STEM)
    assert requirement(goal, "stem_sequence").status == "unmet"
    only_sequence_differs(goal, STEM)
    # One advanced STEM course (Engineering Design and Presentation II) in place of an IT course
    # makes it a sequence.
    cte = [take("POE", 9), take("ROBO1", 10), take("PIT", 11), take("ENGDES2", 12)]
    goal = run(kb, transcript(cte, 3, math=math, science=science), STEM)
    assert requirement(goal, "stem_sequence").status == "met"
    assert goal.status == "met"


@pytest.mark.parametrize(
    ("science", "met"),
    [
        pytest.param(
            [take("BIO", 9), take("CHEM", 10), take("AQUATIC", 11), take("ENVSYS", 12)],
            False,
            id="no-physics",
        ),
        pytest.param(
            [take("BIO", 9), take("CHEM", 10), take("PHYSENG", 11), take("ENVSYS", 12)],
            True,
            id="physics-for-engineering-in-place-of-physics",
        ),
        pytest.param(
            [take("BIO", 9), take("IPC", 10), take("PHYS", 11), take("ENVSYS", 12)],
            False,
            id="no-chemistry",
        ),
    ],
)
def test_stem_requires_chemistry_and_physics(kb: Knowledge, science: list[Row], met: bool) -> None:
    """(f): "Algebra II, chemistry, and physics or Physics for Engineering" (2025 title of
    Principles of Technology)."""
    goal = run(kb, transcript(ENGINEERING, 3, science=science), STEM)
    assert requirement(goal, "stem_courses").status == ("met" if met else "unmet")
    assert goal.status == ("met" if met else "unmet")


def test_stem_requires_algebra_ii(kb: Knowledge) -> None:
    """(f): Algebra I, Geometry, Algebraic Reasoning and Statistics are four math credits (both on
    the (e)(2) list) but no Algebra II."""
    math = [take("ALG1", 9), take("GEOM", 10), take("ALGREAS", 11), take("STATS", 12)]
    goal = run(kb, transcript(ENGINEERING, 3, math=math), STEM)
    assert requirement(goal, "math").status == "met"
    assert requirement(goal, "stem_courses").status == "unmet"
    assert goal.status == "unmet"


# --------------------------------------------------------------------------------------------
# (g) Business and Industry
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "fillers", "met"),
    [
        pytest.param(CULINARY, 2, True, id="culinary-arts-with-advanced-culinary"),
        pytest.param(
            [take("INTROWELD", 10), take("WELD1", 11), take("WELD2", 12)],
            2,
            True,
            id="welding-with-welding-ii",
        ),
        pytest.param(
            [take("PBMF", 9), take("BIM1", 10), take("MONEY", 11), take("ACCT1", 12)],
            3,
            False,
            id="four-cte-credits-no-advanced-course",
        ),
        pytest.param(
            [take("PBMF", 9), take("BIM1", 10), take("BIM2", 11)],
            4,
            False,
            id="advanced-course-but-only-3-cte-credits",
        ),
        pytest.param(
            [take("PBMF", 9), take("PIT", 10), take("PAFNR", 11), take("PCONST", 12)],
            3,
            False,
            id="four-clusters-no-two-courses-in-one",
        ),
        pytest.param(HEALTH, 3, False, id="health-science-is-a-public-services-cluster"),
        pytest.param(
            [take("JOURN", 9), take("YRBK1", 10), take("YRBK2", 11), take("YRBK3", 12)],
            3,
            True,
            id="journalism-and-three-levels-of-yearbook",
        ),
        pytest.param(
            [take("JOURN", 9), take("YRBK1", 10), take("DEBATE1", 11), take("PUBSPK1", 12)],
            3,
            False,
            id="four-english-electives-without-three-levels-of-one",
        ),
    ],
)
def test_business_and_industry(kb: Knowledge, sequence: list[Row], fillers: int, met: bool) -> None:
    """(g)(1): 4+ CTE credits, two courses in one listed cluster including an advanced course;
    (g)(2): four English electives with three levels of journalism, speech or debate."""
    goal = run(kb, transcript(sequence, fillers), BUSINESS)
    assert requirement(goal, "business_industry_sequence").status == ("met" if met else "unmet")
    only_sequence_differs(goal, BUSINESS)
    assert goal.status == ("met" if met else "unmet")


# --------------------------------------------------------------------------------------------
# (h) Public Services
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "fillers", "met"),
    [
        pytest.param(HEALTH, 3, True, id="health-science-theory-and-clinical"),
        pytest.param(
            [take("PLPS", 9), take("LE1", 10), take("LE2", 11), take("CRIMINV", 12)],
            3,
            True,
            id="law-enforcement",
        ),
        pytest.param(
            [take("JROTC1", 9), take("JROTC2", 10), take("JROTC3", 11), take("JROTC4", 12)],
            3,
            True,
            id="four-jrotc-courses",
        ),
        pytest.param(
            [take("JROTC1", 9), take("JROTC2", 10), take("JROTC3", 11)],
            4,
            False,
            id="three-jrotc-courses",
        ),
        pytest.param(CULINARY, 2, False, id="culinary-is-a-business-and-industry-cluster"),
        pytest.param(
            [take("PET", 9), take("HGD", 10), take("PHS", 11), take("PLPS", 12)],
            3,
            False,
            id="education-and-training-without-an-advanced-course",
        ),
    ],
)
def test_public_services(kb: Knowledge, sequence: list[Row], fillers: int, met: bool) -> None:
    """(h)(1): 4+ CTE credits in Education and Training, Government, Health Science, Human
    Services or Law and Public Safety, two in one cluster with an advanced course; (h)(2): four
    JROTC courses."""
    goal = run(kb, transcript(sequence, fillers), PUBLIC)
    assert requirement(goal, "public_services_sequence").status == ("met" if met else "unmet")
    only_sequence_differs(goal, PUBLIC)
    assert goal.status == ("met" if met else "unmet")


# --------------------------------------------------------------------------------------------
# (i) Arts and Humanities
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "fillers", "met"),
    [
        pytest.param(
            [take("APEURO", 10), take("APPSYCH", 11)], 5, True, id="five-social-studies-credits"
        ),
        pytest.param(
            [take("APEURO", 10), take("APMICRO", 12, term="fall"), take("STUDYSK", 9, term="fall")],
            5,
            False,
            id="four-and-a-half-social-studies-credits",
        ),
        pytest.param([take("SPAN3", 11), take("SPAN4", 12)], 5, True, id="four-levels-of-spanish"),
        pytest.param(
            [take("FREN1", 11), take("FREN2", 12)], 5, True, id="two-levels-of-spanish-and-french"
        ),
        pytest.param(
            [take("SPAN3", 11), take("FREN1", 12)],
            5,
            False,
            id="three-levels-of-spanish-and-one-of-french",
        ),
        pytest.param(
            [take("ART2", 11), take("BAND1", 10), take("BAND2", 11)],
            4,
            True,
            id="four-fine-arts-credits-in-art-and-music",
        ),
        pytest.param(
            [take("BAND1", 10), take("THEA1", 11), take("DANCE1", 12)],
            4,
            False,
            id="four-fine-arts-credits-in-three-disciplines",
        ),
        pytest.param(
            [take("CRWRIT", 10), take("LITGEN", 11), take("HUMAN", 12)],
            4,
            True,
            id="english-iv-and-three-english-electives",
        ),
    ],
)
def test_arts_and_humanities(kb: Knowledge, sequence: list[Row], fillers: int, met: bool) -> None:
    """(i)(1)-(6): five social studies credits; four levels of one language; two levels each of
    two languages; four fine arts credits from one or two disciplines; four English electives."""
    goal = run(kb, transcript(sequence, fillers), ARTS)
    assert requirement(goal, "arts_humanities_sequence").status == ("met" if met else "unmet")
    only_sequence_differs(goal, ARTS)
    assert goal.status == ("met" if met else "unmet")


# --------------------------------------------------------------------------------------------
# (j) Multidisciplinary Studies
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "fillers", "met", "areas"),
    [
        pytest.param(
            [take("SPAN3", 11), take("CRWRIT", 11)],
            5,
            True,
            {},
            id="four-advanced-courses",
        ),
        pytest.param([take("SPAN3", 11)], 6, False, {}, id="three-advanced-courses"),
        pytest.param([take("MAS", 10)], 6, True, {}, id="four-credits-in-each-foundation-subject"),
        pytest.param(
            [take("MAS", 10)],
            6,
            False,
            {
                "english": [
                    take("ENG1", 9),
                    take("ENG2", 10),
                    take("ENG3", 11),
                    take("RESWRIT", 12),
                ]
            },
            id="four-in-each-subject-without-english-iv",
        ),
        pytest.param(
            HALF,
            6,
            True,
            {
                "english": [
                    take("ENG1", 9),
                    take("ENG2", 10),
                    take("APLANG", 11),
                    take("APLIT", 12),
                ],
                "social_studies": [
                    take("APHG", 9),
                    take("APUSH", 11),
                    take("APGOV", 12, term="fall"),
                    take("APMACRO", 12, term="spring"),
                ],
                "science": [take("BIO", 9), take("CHEM", 10), take("PHYS", 11), take("ESS", 12)],
                "math": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11), take("STATS", 12)],
            },
            id="four-ap-credits",
        ),
    ],
)
def test_multidisciplinary(
    kb: Knowledge, sequence: list[Row], fillers: int, met: bool, areas: dict[str, list[Row]]
) -> None:
    """(j)(1): four advanced courses (this district: Precalculus, Environmental Systems, Spanish
    III, Creative Writing are four); (j)(2): four credits in each foundation subject including
    English IV and Chemistry or Physics; (j)(3): four AP credits in core subjects."""
    rows = transcript(sequence, fillers, **areas)
    goal = run(kb, rows, MULTI)
    assert requirement(goal, "multidisciplinary_sequence").status == ("met" if met else "unmet")
    only_sequence_differs(goal, MULTI)
    assert goal.status == ("met" if met else "unmet")


def test_a_sequence_in_progress_is_in_progress(kb: Knowledge) -> None:
    """A senior whose only advanced course (Health Science Theory) is this year's: the endorsement
    is in progress, not met."""
    sequence = [
        take("PHS", 9),
        take("MEDTERM", 10),
        take("PLPS", 11),
        take("HST", 12, status="in_progress"),
    ]
    goal = run(kb, transcript(sequence, 3), PUBLIC)
    assert requirement(goal, "public_services_sequence").status == "in_progress"
    assert goal.status == "in_progress"
