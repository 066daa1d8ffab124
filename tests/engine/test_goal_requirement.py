"""``goal`` requirements: a set met when other sets are met, each audited on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import audit
from engine.errors import AuthoringError
from engine.knowledge import build_knowledge
from engine.loader import load_tree
from tests.conftest import row, student

CATALOG = """\
schema_version: 1
id: tx-2025
title: test catalog
jurisdiction: TX
catalog_year: 2025
source: {citation: test fixture, year: 2025}
courses:
  - {id: ALG2, title: Algebra II, subject: math, credits: 1}
  - {id: CHEM, title: Chemistry, subject: science, credits: 1}
  - {id: ART1, title: Art I, subject: fine-arts, credits: 1}
"""


def header(set_id: str) -> str:
    return (
        f"schema_version: 1\nid: {set_id}\ntitle: {set_id}\nkind: endorsement\n"
        "jurisdiction: TX\ncatalog_year: 2025\nsource: {citation: test fixture, year: 2025}\n"
    )


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "catalogs/tx/2025").mkdir(parents=True)
    (tmp_path / "catalogs/tx/2025/courses.yaml").write_text(CATALOG)
    (tmp_path / "rules/tx/2025").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / "rules/tx/2025" / name).write_text(text)
    return tmp_path


SETS = {
    "stem.yaml": header("stem")
    + "requirements:\n  core:\n    all: [{course: ALG2}, {course: CHEM}]\n",
    "arts.yaml": header("arts") + "requirements:\n  art:\n    course: ART1\n",
    "dla.yaml": header("dla")
    + "requirements:\n"
    + "  endorsement:\n    title: At least one endorsement\n    goal: [stem, arts]\n"
    + "  algebra-ii:\n    course: ALG2\n",
}


@pytest.fixture
def knowledge(tmp_path: Path):  # type: ignore[no-untyped-def]
    return build_knowledge(load_tree(tree(tmp_path, SETS)))


def test_met_when_any_named_set_is_met_each_with_its_own_courses(knowledge) -> None:  # type: ignore[no-untyped-def]
    # ALG2 counts toward the STEM set and, independently, toward the DLA's own Algebra II.
    result = audit(
        knowledge=knowledge,
        student=student(row("ALG2", level=11), row("CHEM", level=11)),
        goals=["dla"],
    )
    (dla,) = result.goals  # the referenced sets are audited but not reported
    assert dla.goal == "dla"
    assert dla.status == "met"
    endorsement = next(r for r in dla.requirements if r.name == "endorsement")
    assert endorsement.status == "met"
    assert "stem is met" in endorsement.reason
    assert "arts is unmet" in endorsement.reason


def test_unmet_when_no_named_set_is_met(knowledge) -> None:  # type: ignore[no-untyped-def]
    result = audit(knowledge=knowledge, student=student(row("ALG2", level=11)), goals=["dla"])
    (dla,) = result.goals
    assert dla.status == "unmet"
    assert next(r for r in dla.requirements if r.name == "endorsement").status == "unmet"


def test_in_progress_when_the_best_named_set_is_in_progress(knowledge) -> None:  # type: ignore[no-untyped-def]
    stu = student(row("ALG2", level=11), row("ART1", level=12, status="in_progress"))
    result = audit(knowledge=knowledge, student=stu, goals=["stem", "dla"])
    stem, dla = result.goals
    assert stem.status == "unmet"
    assert next(r for r in dla.requirements if r.name == "endorsement").status == "in_progress"
    assert dla.status == "in_progress"


def test_unknown_set_is_an_error_at_its_position(tmp_path: Path) -> None:
    files = {"dla.yaml": header("dla") + "requirements:\n  e:\n    goal: [stem, artz]\n"}
    files["stem.yaml"] = SETS["stem.yaml"]
    files["arts.yaml"] = SETS["arts.yaml"]
    with pytest.raises(AuthoringError) as caught:
        build_knowledge(load_tree(tree(tmp_path, files)))
    (problem,) = caught.value.diagnostics
    assert (problem.line, problem.column, problem.code) == (10, 18, "unknown-ruleset")
    assert "no rule set with id 'artz' (did you mean 'arts'?)" in problem.message


def test_sets_requiring_each_other_are_a_cycle_error(tmp_path: Path) -> None:
    files = {
        "a.yaml": header("set-a") + "requirements:\n  other:\n    goal: set-b\n",
        "b.yaml": header("set-b") + "requirements:\n  other:\n    goal: [set-a]\n",
    }
    with pytest.raises(AuthoringError) as caught:
        build_knowledge(load_tree(tree(tmp_path, files)))
    (problem,) = caught.value.diagnostics
    assert problem.code == "goal-cycle"
    assert "set-a -> set-b -> set-a" in problem.message
    assert problem.file.endswith("a.yaml")
    assert problem.line == 10
