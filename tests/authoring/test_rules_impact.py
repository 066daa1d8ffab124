"""``gradpath rules impact``: exact counts on a small seeded population, checked by auditing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from engine import Student, audit
from engine.authoring import impact as impact_module
from engine.authoring.roots import load_sides
from engine.authoring.synth import SynthOptions, synthesize
from tests.authoring.conftest import ROOT, check_golden, run_cli

FHSP = ROOT / "rules" / "tx" / "2025" / "fhsp.yaml"
NCAA = ROOT / "rules" / "us" / "2023" / "ncaa-d1.yaml"


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 seeded Texas students, every one listing NCAA Division I."""
    from engine import load_knowledge

    kb = load_knowledge(ROOT)
    path = tmp_path_factory.mktemp("impact") / "tx.jsonl"
    options = SynthOptions("TX", 120, seed=2026, goals=("ncaa-d1",))
    lines = [json.dumps(r) for r in synthesize(knowledge=kb, options=options)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def stricter_ncaa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """NCAA Division I with a core GPA of 3.0 instead of 2.3."""
    text = NCAA.read_text(encoding="utf-8")
    assert text.count("gpa: 2.3") == 1
    text = text.replace("gpa: 2.3", "gpa: 3.0")
    path = tmp_path_factory.mktemp("ncaa") / "ncaa-d1.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def expected(population: Path, new: Path) -> Counter[tuple[str, str | None, str, str]]:
    """The oracle: audit every student under both versions with the public audit."""
    before, after = load_sides(NCAA, new)
    counts: Counter[tuple[str, str | None, str, str]] = Counter()
    for line in population.read_text().splitlines():
        student = Student.model_validate(json.loads(line))
        goals = [g for g in student.goals if g in ("ncaa-d1", "ncaa-d1-redshirt")]
        old = audit(knowledge=before.knowledge, student=student, goals=goals)
        new_result = audit(knowledge=after.knowledge, student=student, goals=goals)
        olds = {g.goal: g for g in old.goals}
        news = {g.goal: g for g in new_result.goals}
        for a, b in ((olds[g], news[g]) for g in goals):
            if a.status != b.status:
                counts[(a.goal, None, a.status, b.status)] += 1
            for ra, rb in zip(a.requirements, b.requirements, strict=True):
                if ra.status != rb.status:
                    counts[(a.goal, ra.name, ra.status, rb.status)] += 1
    return counts


def test_counts_match_an_audit_of_every_student(population: Path, stricter_ncaa: Path) -> None:
    code, out, err = run_cli(
        "rules", "impact", str(NCAA), str(stricter_ncaa), "--students", str(population),
        "--format", "json", "--no-progress",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    got = Counter(
        {
            (t["goal"], t["requirement"], t["old"], t["new"]): t["count"]
            for t in report["transitions"]
        }
    )
    assert got == expected(population, stricter_ncaa)
    assert report["students"] == 120
    assert report["considered"] == 120  # every student lists ncaa-d1
    # The redshirt extends Division I but sets its own core GPA: the change does not reach it.
    assert report["goals"] == ["ncaa-d1"]
    assert sum(t["count"] for t in report["transitions"] if t["requirement"] is None) > 0
    for t in report["transitions"]:
        assert 1 <= len(t["examples"]) <= min(5, t["count"])
    check_golden("impact-ncaa.json", json.dumps(report, indent=1) + "\n")


def test_text_report(population: Path, stricter_ncaa: Path) -> None:
    code, out, _ = run_cli(
        "rules", "impact", str(NCAA), str(stricter_ncaa), "-s", str(population), "--no-progress"
    )
    assert code == 0
    assert out.startswith("ncaa-d1: ")
    assert "goal ncaa-d1: " in out
    assert "  core_gpa: met -> unmet: " in out
    check_golden("impact-ncaa.txt", out)


def test_worker_processes_give_the_same_answer(
    population: Path, stricter_ncaa: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impact_module, "CHUNK", 30)  # four chunks over two workers
    seen: list[int] = []
    with population.open() as handle:
        parallel = impact_module.measure_impact(
            old=NCAA, new=stricter_ncaa, students=handle, jobs=2, on_progress=seen.append
        )
    with population.open() as handle:
        serial = impact_module.measure_impact(old=NCAA, new=stricter_ncaa, students=handle)
    assert parallel == serial
    assert seen == [30, 60, 90, 120]


def test_invalid_records_are_reported_by_line(tmp_path: Path, stricter_ncaa: Path) -> None:
    students = tmp_path / "bad.jsonl"
    students.write_text('{"id": "S1", "jurisdiction": "TX"}\nnot json\n')
    code, out, _ = run_cli(
        "rules", "impact", str(NCAA), str(stricter_ncaa), "-s", str(students), "--no-progress"
    )
    assert code == 1
    assert "line 1: not a valid student" in out
    assert "line 2: not a valid student" in out
    code, _, err = run_cli(
        "rules", "impact", str(NCAA), str(stricter_ncaa), "-s", str(tmp_path / "none.jsonl")
    )
    assert code == 1
    assert "no such file" in err


def test_spawned_workers_load_the_versions_themselves(
    population: Path, stricter_ncaa: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes cannot be forked, each worker loads both versions once."""
    monkeypatch.setattr(impact_module, "CHUNK", 60)
    monkeypatch.setattr(impact_module.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with population.open() as handle:
        spawned = impact_module.measure_impact(old=NCAA, new=stricter_ncaa, students=handle, jobs=2)
    with population.open() as handle:
        serial = impact_module.measure_impact(old=NCAA, new=stricter_ncaa, students=handle)
    assert spawned == serial
