"""Every bundled career resolves: cluster coverage, SOC codes, programs, sources, rule sets.

Counts and shapes come from the issue (>= 80 careers covering all 16 National Career
Clusters, >= 3 each) and from docs/vocabulary.md (programs of study, cluster slugs), which is
parsed here so the engine's copy of the vocabulary cannot drift from the document.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from engine import Knowledge
from engine.careers import CLUSTERS, PROGRAMS
from engine.careers.vocabulary import GOAL_IDS

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
CLUSTERS_CSV = ROOT.parent / "shared" / "reference" / "data" / "career_clusters_2002_16.csv"


def _doc_programs() -> dict[str, tuple[str, ...]]:
    section = VOCABULARY.split("### Programs of study", 1)[1].split("## Goal ids", 1)[0]
    rows = re.findall(r"^\| ([a-z-]+) \| (.+) \|$", section, flags=re.M)
    return {
        cluster: tuple(re.findall(r"`([a-z-]+)`", cell))
        for cluster, cell in rows
        if cluster not in ("cluster", "---")
    }


def test_engine_vocabulary_matches_the_document() -> None:
    assert _doc_programs() == PROGRAMS
    cte_row = next(line for line in VOCABULARY.splitlines() if line.startswith("| `cte:<cluster>`"))
    assert tuple(re.findall(r"`([a-z-]+)`", cte_row)) == CLUSTERS
    goals = VOCABULARY.split("## Goal ids", 1)[1]
    documented = set(re.findall(r"`([a-z0-9-]+)`", goals)) - {"career-"}
    assert documented == GOAL_IDS


def test_at_least_80_careers_and_3_in_every_one_of_the_16_clusters(kb: Knowledge) -> None:
    entries = list(kb.careers.entries.values())
    assert len(entries) >= 80
    per_cluster = Counter(e.cluster for e in entries)
    assert set(per_cluster) == set(CLUSTERS)
    assert len(per_cluster) == 16
    assert min(per_cluster.values()) >= 3, per_cluster


def test_cluster_titles_are_the_official_16(kb: Knowledge) -> None:
    if CLUSTERS_CSV.exists():
        names = {
            line.split(",", 1)[1].strip().strip('"')
            for line in CLUSTERS_CSV.read_text(encoding="utf-8").splitlines()[1:]
        }
        assert {e.cluster_title for e in kb.careers.entries.values()} == names


def test_soc_codes_are_well_formed_and_unique(kb: Knowledge) -> None:
    socs = [e.career.soc for e in kb.careers.entries.values()]
    assert all(re.fullmatch(r"\d{2}-\d{4}", s) for s in socs)
    assert all(s[-1] != "0" for s in socs), "a broad SOC group (ends in 0), not a detailed code"
    duplicated = [s for s, n in Counter(socs).items() if n > 1]
    assert not duplicated


def test_some_well_known_codes(kb: Knowledge) -> None:
    """Spot checks against the 2018 SOC manual."""
    expect = {
        "registered-nurse": "29-1141",
        "electrician": "47-2111",
        "software-developer": "15-1252",
        "accountant": "13-2011",
        "welder": "51-4121",
        "police-officer": "33-3051",
    }
    for career, soc in expect.items():
        entry = kb.careers.get(career)
        assert entry is not None
        assert entry.career.soc == soc


def test_programs_are_in_the_vocabulary_and_every_program_is_used(kb: Knowledge) -> None:
    known = {p for programs in _doc_programs().values() for p in programs}
    used = {p for e in kb.careers.entries.values() for p in e.career.programs}
    assert used <= known
    assert used == known, f"programs with no career: {sorted(known - used)}"


def test_every_career_cites_its_bls_handbook_page(kb: Knowledge) -> None:
    for entry in kb.careers.entries.values():
        url = entry.career.source.url or ""
        assert url.startswith("https://www.bls.gov/ooh/"), entry.career.id
        assert url.endswith(".htm"), entry.career.id


def test_every_route_resolves_to_a_bundled_rule_set(kb: Knowledge) -> None:
    """The cross-check: nothing pending once the state rule sets have landed."""
    assert kb.careers.pending == ()
    for jurisdiction in kb.jurisdictions():
        missing = [g for g in kb.careers.sets if (g, jurisdiction) not in kb.careers.variants]
        assert not missing, f"{jurisdiction}: careers with no route: {missing[:5]}"


def test_every_career_set_compiles_for_every_catalog(kb: Knowledge) -> None:
    for goal in kb.careers.sets:
        for jurisdiction in kb.jurisdictions():
            catalog = kb.catalog_for(jurisdiction, 2100)
            compiled = kb.compiled(kb.ruleset(goal, catalog.catalog_year), catalog)
            assert compiled.id == goal
            assert set(compiled.goals) <= set(kb.rulesets), goal
            assert "route" in compiled.requirements


@pytest.mark.parametrize("path", sorted((ROOT / "careers").glob("*.yaml")), ids=lambda p: p.name)
def test_files_point_editors_at_their_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    name = "career-routes" if path.name == "routes.yaml" else "careers"
    assert first == f"# yaml-language-server: $schema=../docs/schema/{name}.schema.json"
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target.exists()


def test_one_file_per_cluster_named_after_it() -> None:
    names = {p.stem for p in (ROOT / "careers").glob("*.yaml")} - {"routes"}
    assert names == set(CLUSTERS)
