"""A rule set dated by enrolment (NCAA) applies by the student's class, not their catalog year.

NCAA dates its rules by the fall a student first enrols full time: the 2023 rules are for the
class of 2023 on. A state's catalog year is the fall a class entered grade 9, four years earlier.
So when NCAA adds rules for students enrolling from 2027, the class of 2027 (grade 9 in fall 2023)
is under them, though its catalog year is 2023. The audit, the plan and the recommendations must
all pick that version; the validator refuses versions of one set dated in different ways.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.audit import audit
from engine.errors import AuthoringError
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file
from engine.planning import PlanConstraints, plan
from engine.student import Student
from tests.authoring.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
NCAA_2023 = ROOT / "rules" / "us" / "2023" / "ncaa-d1.yaml"

# An illustrative later version (not a published rule): five social-science units.
LATER = {
    "catalog_year: 2023\n": "catalog_year: 2027\n",
    "title: Social science (2 core units)\n": "title: Social science (5 core units)\n",
}


def project(tmp_path: Path, edits: dict[str, str], year: int = 2027) -> Path:
    """A copy of the bundled project with ``rules/us/{year}/ncaa-d1.yaml``: the bundled file
    with ``edits`` made (and its social-science units raised to 5)."""
    for name in ("catalogs", "rules", "careers"):
        shutil.copytree(ROOT / name, tmp_path / name)
    text = NCAA_2023.read_text()
    text = text.replace(
        "    credits: 2\n    from: {attribute: ncaa-core:social-science}",
        "    credits: 5\n    from: {attribute: ncaa-core:social-science}",
    )
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / "rules" / "us" / str(year)).mkdir()
    (tmp_path / "rules" / "us" / str(year) / "ncaa-d1.yaml").write_text(text)
    return tmp_path


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return load_knowledge(project(tmp_path_factory.mktemp("later"), LATER))


def junior(cohort: int) -> Student:
    """The bundled Texas junior (catalog year 2025 given), moved to the class of ``cohort``."""
    data = load_student_file(ROOT / "samples" / "students" / "tx-junior-on-track.json")
    record = data.model_dump(mode="json", exclude_none=True)
    return Student.model_validate({**record, "cohort": cohort, "goals": ["ncaa-d1"]})


def social_science(kb: Knowledge, student: Student) -> tuple[int, str]:
    (goal,) = audit(knowledge=kb, student=student).goals
    (req,) = [r for r in goal.requirements if r.name == "core_social_science"]
    return goal.version, req.title


def test_each_class_is_audited_under_the_version_for_the_fall_it_enrols(kb: Knowledge) -> None:
    # Every student here gives catalog year 2025, which would pick 2023 for all of them.
    assert social_science(kb, junior(2026)) == (2023, "Social science (2 core units)")
    assert social_science(kb, junior(2027)) == (2027, "Social science (5 core units)")
    assert social_science(kb, junior(2031)) == (2027, "Social science (5 core units)")
    # The redshirt set extends ncaa-d1 and inherits its dating (its own file does not say it).
    (rset,) = kb.rulesets["ncaa-d1-redshirt"]
    assert rset.dated_by == "enrolment"


def test_a_class_enrolling_before_every_version_gets_the_oldest_and_is_told(
    kb: Knowledge,
) -> None:
    result = audit(knowledge=kb, student=junior(2022))
    assert result.goals[0].version == 2023
    assert result.notices == (
        "ncaa-d1 has no version for the class of 2022; its oldest, for students enrolling "
        "from 2023, was used.",
    )


def test_the_plan_closes_the_gaps_of_the_version_the_audit_uses(kb: Knowledge) -> None:
    def social_courses(cohort: int) -> tuple[int, list[str]]:
        result = plan(
            knowledge=kb,
            student=junior(cohort),
            goals=["ncaa-d1"],
            constraints=PlanConstraints(time_limit=5),
        )
        assert result.status == "optimal", result.message
        assert result.audit is not None
        serving = [
            c.course
            for c in result.courses
            if any(s.requirement.startswith("ncaa-d1 > core_social_science") for s in c.serves)
        ]
        return result.audit.goals[0].version, serving

    version, serving = social_courses(2026)
    assert (version, serving) == (2023, [])  # two units already on the transcript
    version, serving = social_courses(2027)
    assert version == 2027
    assert serving  # the plan adds social science to reach five units


def test_validate_refuses_versions_of_one_set_dated_differently(tmp_path: Path) -> None:
    edits = {**LATER, "dated_by: enrolment\n": ""}
    with pytest.raises(AuthoringError) as caught:
        load_knowledge(project(tmp_path, edits))
    (problem,) = [d for d in caught.value.diagnostics if d.is_error]
    assert problem.code == "mixed-dating"
    assert problem.file == "rules/us/2027/ncaa-d1.yaml"
    text = (tmp_path / problem.file).read_text().splitlines()
    assert text[problem.line - 1] == "catalog_year: 2027"
    assert problem.message == (
        "ncaa-d1 2023 is dated by enrolment but ncaa-d1 2027 by catalog_year: every version "
        "of a rule set must be dated the same way (dated_by)"
    )


def test_rule_tests_beside_a_file_test_that_version(tmp_path: Path) -> None:
    # The 2023 cases (classes of 2029) must run against the 2023 file beside them, though
    # those classes fall under the later version everywhere else.
    root = project(tmp_path, LATER)
    code, out, _ = run_cli("rules", "test", str(root / "rules" / "us" / "2023" / "ncaa-d1.yaml"))
    assert code == 0, out
    assert "FAIL" not in out
    # ...and the same cases beside the 2027 file run against it (five social-science units).
    later = root / "rules" / "us" / "2027"
    shutil.copy(root / "rules" / "us" / "2023" / "ncaa-d1.tests.yaml", later)
    code, out, _ = run_cli("rules", "test", str(later / "ncaa-d1.yaml"))
    assert code == 1
    assert "core_social_science" in out
