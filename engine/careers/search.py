"""Finding careers by name, alias, keyword, cluster, program or SOC code.

Matching is case-insensitive and word-based: every word of the query must match somewhere in a
career (a prefix of a word counts, so "nurs" finds nurses), and where it matches decides the
rank: the title first, then aliases, keywords, the cluster and programs, the SOC code. Ties go
by title, so the same query always lists the same careers in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from engine.careers.book import CareerBook, CareerEntry
from engine.careers.vocabulary import CLUSTER_TITLES, CLUSTERS_2024

__all__ = ["Hit", "clusters_matching", "search_careers"]

#: Weight of a word found in each field (exact word, prefix of a word).
_WEIGHTS: tuple[tuple[str, int, int], ...] = (
    ("title", 10, 6),
    ("alias", 8, 5),
    ("keyword", 5, 3),
    ("cluster", 3, 2),
    ("program", 3, 2),
    ("soc", 4, 4),
    ("id", 2, 1),
)
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


@dataclass(frozen=True)
class Hit:
    """One career found, its score and the fields the query matched."""

    entry: CareerEntry
    score: int
    matched: tuple[str, ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("&", " "))


def _fields(entry: CareerEntry) -> dict[str, list[str]]:
    career = entry.career
    return {
        "title": _words(career.title),
        "alias": [w for a in career.aliases for w in _words(a)],
        "keyword": [w for k in career.keywords for w in _words(k)],
        "cluster": _words(entry.cluster.replace("-", " "))
        + _words(entry.cluster_title)
        + _words(entry.cluster_2024 or ""),
        "program": [w for p in career.programs for w in _words(p.replace("-", " "))],
        "soc": [career.soc, career.soc.replace("-", "")],
        "id": _words(career.id.replace("-", " ")),
    }


def _score(query: list[str], phrase: str, entry: CareerEntry) -> tuple[int, tuple[str, ...]]:
    fields = _fields(entry)
    total, matched = 0, []
    for term in query:
        best, where = 0, ""
        for name, exact, prefix in _WEIGHTS:
            words = fields[name]
            if term in words:
                points = exact
            elif any(w.startswith(term) or term.replace("-", "") == w for w in words):
                points = prefix
            else:
                continue
            if points > best:
                best, where = points, name
        if not best:
            return 0, ()
        total += best
        matched.append(where)
    career = entry.career
    names = [career.title.lower(), *(a.lower() for a in career.aliases)]
    if phrase in names:
        total += 20  # the whole query is the career's name
    elif any(phrase in n for n in names):
        total += 5
    return total, tuple(dict.fromkeys(matched))


def search_careers(
    book: CareerBook,
    query: str = "",
    *,
    cluster: str | None = None,
    limit: int | None = None,
) -> list[Hit]:
    """Careers matching ``query`` (and in ``cluster`` if given), best first.

    An empty query with a cluster lists the cluster's careers by title; an empty query and
    no cluster lists nothing. ``cluster`` takes a slug (``health-science``) or words of the
    cluster's name (``health``).

    Examples
    --------
    >>> from pathlib import Path
    >>> from engine.knowledge import load_knowledge
    >>> book = load_knowledge(Path(".")).careers
    >>> [hit.entry.career.id for hit in search_careers(book, "registered nurse")][:1]
    ['registered-nurse']
    """
    terms = _words(query)
    phrase = " ".join(terms)
    if not terms and cluster is None:
        return []
    hits: list[Hit] = []
    for entry in _in_cluster(book.entries.values(), cluster):
        if not terms:
            hits.append(Hit(entry, 0, ("cluster",)))
            continue
        score, matched = _score(terms, phrase, entry)
        if score:
            hits.append(Hit(entry, score, matched))
    hits.sort(key=lambda h: (-h.score, h.entry.career.title, h.entry.career.id))
    return hits[:limit] if limit is not None else hits


def clusters_matching(name: str) -> list[str]:
    """Cluster slugs named by ``name``: a slug, or words of a 2002 or confirmed 2024 name.

    >>> clusters_matching("health")
    ['health-science']
    >>> clusters_matching("Public Service & Safety")
    ['government-public-administration', 'law-public-safety']
    """
    wanted = name.strip().lower()
    if wanted in CLUSTER_TITLES:
        return [wanted]
    words = _words(wanted)
    if not words:
        return []

    def named(names: list[str]) -> bool:
        return all(any(n.startswith(w) for n in names) for w in words)

    # The 2002 names first; a 2024 name ("Healthcare & Human Services") only if none matches.
    out = [
        slug
        for slug, title in CLUSTER_TITLES.items()
        if named(_words(title) + _words(slug.replace("-", " ")))
    ]
    return out or [slug for slug, name in CLUSTERS_2024.items() if named(_words(name))]


def _in_cluster(entries: Iterable[CareerEntry], cluster: str | None) -> list[CareerEntry]:
    if cluster is None:
        return list(entries)
    slugs = set(clusters_matching(cluster))
    return [e for e in entries if e.cluster in slugs]
