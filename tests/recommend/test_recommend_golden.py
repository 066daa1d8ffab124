"""Golden rankings for the sample students: the top careers and leverage courses, pinned.

A change in careers, rules, catalogs or the scoring shows up here as a diff. When it is
intended, rerun with ``GRADPATH_UPDATE_GOLDEN=1`` and read the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from engine import Knowledge
from engine.recommend import Interests, Preferences, recommend
from tests.recommend.conftest import SAMPLES, sample

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GRADPATH_UPDATE_GOLDEN") == "1"

#: What each sample student says they like (synthetic, like the students).
CASES: dict[str, tuple[Interests, Preferences]] = {
    "ca-senior-uc-bound": (Interests(riasec="IA"), Preferences(max_years=4)),
    "ca-sophomore-gaps": (Interests(riasec="AS", subjects=("fine-arts",)), Preferences()),
    "fl-junior-gaps": (Interests(clusters=("health-science",)), Preferences()),
    "fl-senior-complete": (Interests(riasec="EC"), Preferences()),
    "ny-junior-gaps": (Interests(riasec="SAE"), Preferences(max_years=2)),
    "ny-senior-on-track": (Interests(riasec="IR"), Preferences()),
    "tx-junior-on-track": (Interests(riasec="SI"), Preferences()),
    "tx-senior-complete": (Interests(), Preferences()),
    "tx-senior-stem-dla": (Interests(riasec="IRC"), Preferences()),
    "tx-sophomore-off-track": (Interests(riasec="RC"), Preferences(routes=("apprenticeship",))),
    "tx-transfer-sced": (Interests(riasec="CE"), Preferences()),
    "wa-junior-on-track": (Interests(riasec="RI", clusters=("stem",)), Preferences()),
    "wa-sophomore-gaps": (Interests(riasec="ES"), Preferences(max_years=1)),
}


def test_every_sample_has_a_case() -> None:
    assert sorted(CASES) == sorted(p.stem for p in SAMPLES.glob("*.json"))


def _summary(kb: Knowledge, name: str) -> dict[str, Any]:
    interests, preferences = CASES[name]
    result = recommend(
        knowledge=kb, student=sample(name), interests=interests, preferences=preferences, limit=10
    )
    return {
        "student": result.student,
        "interests": interests.model_dump(exclude_defaults=True),
        "preferences": preferences.model_dump(exclude_defaults=True),
        "stage": result.stage,
        "careers": [
            {
                "rank": f.rank,
                "career": f.career,
                "score": f.score,
                "parts": {p.name: p.points for p in f.parts},
                "status": f.status,
                "credits_to_add": f.credits_to_add,
            }
            for f in result.careers
        ],
        "courses": [
            {"course": c.course, "keeps_open": f"{c.count} of {c.of}", "opens": list(c.opens)}
            for c in result.courses
        ],
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_ranking(kb: Knowledge, name: str) -> None:
    path = GOLDEN / f"{name}.json"
    actual = json.dumps(_summary(kb, name), indent=2) + "\n"
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote missing golden file {path.name}; review and commit it")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{path.name} differs (GRADPATH_UPDATE_GOLDEN=1 rewrites)"
    )
