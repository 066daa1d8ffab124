"""The bundled sample students against the audits worked out by hand (samples/students/EXPECTED.md).

Those expectations were derived from the rule text and the catalog, not from the engine's output:
each status, amount and GPA below is quoted from that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import GoalResult, Knowledge, audit, load_knowledge, load_student_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "students"

STATUS = {"M": "met", "P": "in_progress", "U": "unmet"}
FHSP = "english math science social_studies pe lote fine_arts electives total_credits"
NCAA = (
    "core_english core_math core_science core_extra core_social_science core_additional "
    "core_gpa progression_ten progression_seven graduation"
)
STEM = FHSP + " stem_courses stem_sequence"
DLA = FHSP + " endorsement algebra_ii"
NCAA_D2 = (
    "core_english core_math core_science core_extra core_social_science core_additional "
    "core_gpa graduation"
)


def expect(goal: str, names: str, letters: str) -> tuple[str, dict[str, str]]:
    """``expect("P", FHSP, "PPPPMMMPP")``: the goal's status, then each requirement's."""
    keys = names.split()
    assert len(keys) == len(letters)
    return STATUS[goal], {k: STATUS[c] for k, c in zip(keys, letters, strict=True)}


# From the tables in samples/students/EXPECTED.md, in the order of the requirements there.
EXPECTED: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "tx-junior-on-track": {
        "tx-fhsp": expect("P", FHSP, "PPPPMMMPP"),
        "ncaa-d1": expect("P", NCAA, "PPMPMPPMPP"),
    },
    "tx-senior-complete": {
        "tx-fhsp": expect("M", FHSP, "MMMMMMMMM"),
        "ncaa-d1": expect("M", NCAA, "MMMMMMMMMM"),
    },
    "tx-sophomore-off-track": {"tx-fhsp": expect("U", FHSP, "UUUUPUMUU")},
    "tx-transfer-sced": {
        "tx-fhsp": expect("P", FHSP, "PPPPPMPPP"),
        "ncaa-d1": expect("P", NCAA, "PPMPPPPPPP"),
    },
    "tx-senior-stem-dla": {
        "tx-fhsp": expect("P", FHSP, "PMMPMMMMM"),
        "tx-endorsement-stem": expect("P", STEM, "PMPPMMMMPMM"),
        "tx-dla": expect("P", DLA, "PMPPMMMMMPM"),
        "ncaa-d2": expect("P", NCAA_D2, "MMMMMPPP"),
    },
}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(ROOT)


def goals_of(name: str, knowledge: Knowledge) -> dict[str, GoalResult]:
    result = audit(knowledge=knowledge, student=load_student_file(SAMPLES / f"{name}.json"))
    return {g.goal: g for g in result.goals}


CASES = [(s, g) for s, goals in EXPECTED.items() for g in goals]


@pytest.mark.parametrize(("sample", "goal"), CASES)
def test_statuses_match_hand_worked_audit(sample: str, goal: str, knowledge: Knowledge) -> None:
    result = goals_of(sample, knowledge)[goal]
    status, requirements = EXPECTED[sample][goal]
    actual = {r.name: r.status for r in result.requirements}
    assert actual == requirements
    assert result.status == status


def amounts(goal: GoalResult, name: str) -> tuple[float, float, float]:
    req = next(r for r in goal.requirements if r.name == name)
    assert req.progress is not None
    return (req.progress.earned, req.progress.in_progress, req.progress.planned)


def test_junior_amounts_and_gpa(knowledge: Knowledge) -> None:
    goals = goals_of("tx-junior-on-track", knowledge)
    fhsp, ncaa = goals["tx-fhsp"], goals["ncaa-d1"]
    assert fhsp.credits is not None
    assert (fhsp.credits.earned, fhsp.credits.in_progress, fhsp.credits.planned) == (14, 7, 5)
    assert amounts(fhsp, "electives")[0] == 3.0  # HEALTH + WHIST/WGEO + PROFCOMM + PHS
    gpa = next(r for r in ncaa.requirements if r.name == "core_gpa")
    assert gpa.value == 3.25  # 32.5 points over 10 completed units
    assert amounts(ncaa, "progression_ten")[0] == 10.0
    assert amounts(ncaa, "progression_seven")[0] == 6.0


def test_senior_core_gpa_uses_best_16_units(knowledge: Knowledge) -> None:
    ncaa = goals_of("tx-senior-complete", knowledge)["ncaa-d1"]
    gpa = next(r for r in ncaa.requirements if r.name == "core_gpa")
    assert gpa.value == 3.218  # 51.5 / 16; all 19 units would give 2.973
    core = [r for r in ncaa.requirements if r.name and r.name.startswith("core_")]
    course_of = {row.index: row.course for row in ncaa.rows}
    used = {course_of[a.index] for r in core if r.name != "core_gpa" for a in r.applied}
    for child in (c for r in core for c in r.children):
        used |= {course_of[a.index] for a in child.applied}
    assert {"ALG2", "CHEM", "SPAN2"}.isdisjoint(used)  # the three worst units the breakdown spares


def test_sophomore_failed_algebra_and_repeat(knowledge: Knowledge) -> None:
    fhsp = goals_of("tx-sophomore-off-track", knowledge)["tx-fhsp"]
    assert {row.index: row.use for row in fhsp.rows}[1] == "failed"
    assert fhsp.credits is not None
    assert (fhsp.credits.earned, fhsp.credits.in_progress) == (6.0, 6.5)
    assert amounts(fhsp, "electives")[:2] == (1.5, 2.0)
    math = next(r for r in fhsp.requirements if r.name == "math")
    assert "GEOM" in math.children[1].candidates


def test_stem_dla_senior_amounts_and_gpa(knowledge: Knowledge) -> None:
    goals = goals_of("tx-senior-stem-dla", knowledge)
    stem, dla, d2 = goals["tx-endorsement-stem"], goals["tx-dla"], goals["ncaa-d2"]
    assert stem.credits is not None
    assert (stem.credits.earned, stem.credits.in_progress, stem.credits.planned) == (25, 6.5, 0.5)
    assert amounts(stem, "total_credits")[0] == 25.0  # needs 26
    assert amounts(stem, "math")[0] == 4.0
    assert amounts(stem, "science")[:2] == (3.0, 1.0)  # APCHEM in progress is the fourth
    endorsement = next(r for r in dla.requirements if r.name == "endorsement")
    assert "tx-endorsement-stem is in progress" in endorsement.reason
    gpa = next(r for r in d2.requirements if r.name == "core_gpa")
    assert gpa.value == 3.266  # 49 points over 15 completed units


def test_transfer_sced_rows_and_unrecognised(knowledge: Knowledge) -> None:
    result = audit(
        knowledge=knowledge, student=load_student_file(SAMPLES / "tx-transfer-sced.json")
    )
    assert [(u.index, u.course, u.sced) for u in result.unrecognized] == [
        (6, None, "22999"),
        (13, "ZZZ999", None),
    ]
    fhsp, ncaa = result.goals
    assert {row.index: row.course for row in fhsp.rows}[14] == "ENG3"  # 12-character SCED id
    assert fhsp.credits is not None
    assert (fhsp.credits.earned, fhsp.credits.in_progress, fhsp.credits.planned) == (11.5, 6.5, 5)
    gpa = next(r for r in ncaa.requirements if r.name == "core_gpa")
    assert gpa.value == 3.111
    assert amounts(ncaa, "progression_ten")[0] == 9.0
