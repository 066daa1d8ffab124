"""Preferences: how well a career's road after high school fits the limits the student set.

Two signals, each 0-1, the part being their mean over the ones the student gave:

* **years** - full-time years of education after high school that the career's BLS typical
  entry education usually takes (:data:`YEARS`; GradPath's reading of typical program
  lengths, not a BLS figure). Within the student's limit scores 1; each year over it takes a
  quarter off (4 years over scores 0).
* **routes** - 1 when the career has a route of a kind the student prefers (an
  apprenticeship, a certificate ...), else 0.

The bundled careers carry no wage or outlook figures, so neither is a preference (yet).
"""

from __future__ import annotations

from typing import Final

from engine.careers import CareerEntry
from engine.recommend.inputs import Preferences
from engine.recommend.results import Evidence

__all__ = ["YEARS", "preference_part", "years_after_high_school"]

#: Typical full-time years after high school for each BLS entry-education category.
YEARS: Final[dict[str, int]] = {
    "doctoral-or-professional": 8,
    "masters": 6,
    "bachelors": 4,
    "associates": 2,
    "postsecondary-nondegree-award": 1,
    "some-college-no-degree": 1,
    "high-school-diploma": 0,
    "no-formal-credential": 0,
}


def years_after_high_school(entry: CareerEntry) -> int:
    """Typical years of full-time education after high school for the career's entry level."""
    return YEARS[entry.career.entry_education]


def preference_part(
    entry: CareerEntry, preferences: Preferences
) -> tuple[float | None, str, tuple[Evidence, ...]]:
    """(score or None without preferences, explanation, evidence) for one career."""
    evidence: list[Evidence] = []
    if preferences.max_years is not None:
        years = years_after_high_school(entry)
        over = max(0, years - preferences.max_years)
        value = max(0.0, 1.0 - over / 4)
        detail = (
            f"{entry.education}: about {years} year{'s' if years != 1 else ''} after high "
            f"school; the limit is {preferences.max_years}"
        )
        evidence.append(
            Evidence(
                label="years",
                value=value,
                detail=detail,
                source=f"{entry.career.source.citation} (entry education)",
            )
        )
    if preferences.routes:
        kinds = sorted({r.kind for r in entry.career.routes})
        liked = sorted(set(kinds) & set(preferences.routes))
        detail = f"routes: {', '.join(kinds)}" + (
            f"; preferred: {', '.join(liked)}" if liked else "; none preferred"
        )
        evidence.append(
            Evidence(
                label="routes",
                value=1.0 if liked else 0.0,
                detail=detail,
                source=f"{entry.file} (routes)",
            )
        )
    if not evidence:
        return None, "no preferences given: this part is left out", ()
    score = sum(e.value for e in evidence) / len(evidence)
    explanation = "; ".join(f"{e.label} {e.value:.2f}" for e in evidence)
    return score, f"preferences {score:.2f} ({explanation})", tuple(evidence)
