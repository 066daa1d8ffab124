"""Searching careers by name, alias, keyword, cluster and SOC code (engine API)."""

from __future__ import annotations

from engine import Knowledge
from engine.careers import search_careers
from engine.careers.search import clusters_matching


def _ids(kb: Knowledge, query: str, **kw: str) -> list[str]:
    return [hit.entry.career.id for hit in search_careers(kb.careers, query, **kw)]


def test_nurse_finds_the_nursing_careers_registered_nurse_first(kb: Knowledge) -> None:
    found = _ids(kb, "nurse")
    assert found[0] == "registered-nurse"
    assert {"registered-nurse", "licensed-practical-nurse", "nursing-assistant"} <= set(found)
    assert "software-developer" not in found


def test_search_ignores_case_and_accepts_word_prefixes(kb: Knowledge) -> None:
    assert _ids(kb, "NURSE") == _ids(kb, "nurse") == _ids(kb, "Nurse")
    assert {"registered-nurse", "licensed-practical-nurse"} <= set(_ids(kb, "nurs")[:3])


def test_alias_finds_the_career(kb: Knowledge) -> None:
    assert _ids(kb, "CNA")[0] == "nursing-assistant"
    assert _ids(kb, "LVN") == ["licensed-practical-nurse"]
    assert _ids(kb, "realtor") == ["real-estate-agent"]


def test_keyword_finds_careers_that_do_not_name_it(kb: Knowledge) -> None:
    found = _ids(kb, "cybersecurity")
    assert "information-security-analyst" in found
    assert all("cyber" not in kb.careers.entries[c].career.title.lower() for c in found)


def test_every_word_must_match(kb: Knowledge) -> None:
    assert _ids(kb, "registered nurse") == ["registered-nurse"]
    assert _ids(kb, "nurse welding") == []


def test_soc_code_finds_the_career(kb: Knowledge) -> None:
    assert _ids(kb, "29-1141") == ["registered-nurse"]


def test_cluster_filter_by_slug_or_name_words(kb: Knowledge) -> None:
    health = _ids(kb, "", cluster="health-science")
    assert len(health) >= 3
    assert all(kb.careers.entries[c].cluster == "health-science" for c in health)
    assert _ids(kb, "", cluster="Health Science") == health
    assert _ids(kb, "technician", cluster="health") == [
        c for c in _ids(kb, "technician") if kb.careers.entries[c].cluster == "health-science"
    ]


def test_a_2024_cluster_name_selects_the_merged_clusters(kb: Knowledge) -> None:
    assert clusters_matching("health") == ["health-science"]  # the 2002 name wins
    assert clusters_matching("healthcare") == ["health-science", "human-services"]
    assert clusters_matching("Public Service & Safety") == [
        "government-public-administration",
        "law-public-safety",
    ]
    found = {kb.careers.entries[c].cluster for c in _ids(kb, "", cluster="public service")}
    assert found == {"government-public-administration", "law-public-safety"}


def test_empty_results_are_an_empty_list(kb: Knowledge) -> None:
    assert _ids(kb, "xyzzy") == []
    assert _ids(kb, "") == []
    assert _ids(kb, "nurse", cluster="no-such-cluster") == []


def test_order_is_stable_and_best_first(kb: Knowledge) -> None:
    hits = search_careers(kb.careers, "engineer")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert [h.entry.career.id for h in hits] == _ids(kb, "engineer")
    assert "title" in hits[0].matched
