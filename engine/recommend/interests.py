"""Interest match: how well a career fits what the student likes.

Three signals, each 0-1 and each traceable to data; the part is their mean over the signals
the student gave:

* **RIASEC** - the student's Holland code against the career's (O*NET interest high points,
  ``careers/*.yaml``). Letters weigh 3, 2, 1 by position on both sides; the match is the sum,
  over shared letters, of the two weights' product, divided by the best the student's code
  could score (a code compared with itself scores 1). Student "S" vs career "SIC": 3x3/9 = 1;
  student "I" vs "SIC": 3x2/9 = 0.67; student "SI" vs "SIC": (9+4)/13 = 1.
* **clusters** - 1 when the career is in a cluster the student likes, else 0.
* **subjects** - the share of the career's recommended coursework credits in subjects the
  student likes.
"""

from __future__ import annotations

from engine.careers import CareerEntry
from engine.recommend.inputs import Interests
from engine.recommend.results import Evidence

__all__ = ["POSITION_WEIGHTS", "interest_part", "riasec_match"]

#: Weight of a code's first, second and third letter.
POSITION_WEIGHTS: tuple[int, ...] = (3, 2, 1)
_NAMES = {
    "R": "Realistic",
    "I": "Investigative",
    "A": "Artistic",
    "S": "Social",
    "E": "Enterprising",
    "C": "Conventional",
}


def riasec_match(student: str, career: str) -> float:
    """The positional overlap of two Holland codes, 0-1 (1: the career leads with the student's
    letters in the student's order).

    Examples
    --------
    >>> riasec_match("S", "SIC"), round(riasec_match("I", "SIC"), 2), riasec_match("R", "SIC")
    (1.0, 0.67, 0.0)
    """
    mine = {letter: POSITION_WEIGHTS[i] for i, letter in enumerate(student)}
    theirs = {letter: POSITION_WEIGHTS[i] for i, letter in enumerate(career)}
    best = sum(w * w for w in mine.values())
    shared = sum(mine[letter] * theirs[letter] for letter in mine if letter in theirs)
    return shared / best if best else 0.0


def interest_part(
    entry: CareerEntry, interests: Interests, interests_source: str | None
) -> tuple[float | None, str, tuple[Evidence, ...]]:
    """(score or None without interests, explanation, evidence) for one career."""
    career = entry.career
    evidence: list[Evidence] = []
    if interests.riasec:
        if career.riasec:
            match = riasec_match(interests.riasec, career.riasec)
            common = [_NAMES[c] for c in interests.riasec if c in career.riasec]
            detail = f"student {interests.riasec} vs career {career.riasec}: " + (
                f"shares {', '.join(common)}" if common else "no letter in common"
            )
            evidence.append(
                Evidence(
                    label="RIASEC", value=round(match, 4), detail=detail, source=interests_source
                )
            )
        else:
            evidence.append(
                Evidence(label="RIASEC", value=0.0, detail="the career has no interest code")
            )
    if interests.clusters:
        liked = entry.cluster in interests.clusters
        detail = f"{entry.cluster_title} is {'a' if liked else 'not a'} cluster the student likes"
        evidence.append(
            Evidence(
                label="clusters",
                value=1.0 if liked else 0.0,
                detail=detail,
                source=f"{entry.file} (cluster)",
            )
        )
    if interests.subjects:
        total = sum(item.credits for item in career.coursework)
        liked_credits = sum(
            item.credits
            for item in career.coursework
            if set(item.subject) & set(interests.subjects)
        )
        share = liked_credits / total if total else 0.0
        names = sorted(
            {s for item in career.coursework for s in item.subject if s in interests.subjects}
        )
        detail = f"{liked_credits:g} of {total:g} recommended credits in liked subjects" + (
            f" ({', '.join(names)})" if names else ""
        )
        evidence.append(
            Evidence(
                label="subjects",
                value=round(share, 4),
                detail=detail,
                source=f"{entry.file} (coursework)",
            )
        )
    if not evidence:
        return None, "no interests given: this part is left out", ()
    score = sum(e.value for e in evidence) / len(evidence)
    explanation = "; ".join(f"{e.label} {e.value:.2f}" for e in evidence)
    return score, f"interest match {score:.2f} ({explanation})", tuple(evidence)
