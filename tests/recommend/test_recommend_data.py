"""Every bundled career has an interest code and a source; bad codes are authoring errors."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from engine.careers.model import RIASEC_LETTERS, distinct_letters_pattern
from engine.errors import AuthoringError
from engine.loader import load_career_file
from engine.recommend.inputs import Interests
from tests.recommend.conftest import ROOT

FILES = sorted(p for p in (ROOT / "careers").glob("*.yaml") if p.name != "routes.yaml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_career_has_an_interest_code_and_a_source(path: Path) -> None:
    model = load_career_file(path).model
    source = model.interests_source
    assert source is not None
    assert source.citation.startswith("O*NET OnLine, Interests")
    assert source.url
    assert "onetonline.org" in source.url
    text = path.read_text(encoding="utf-8")
    assert "could be confirmed" in text or "could not be confirmed" in text  # says which
    for career in model.careers:
        assert career.riasec, career.id
        assert 1 <= len(career.riasec) <= 3
        assert set(career.riasec) <= set(RIASEC_LETTERS)


BASE = """\
schema_version: 1
cluster: stem
catalog_year: 2025
source: {citation: test, year: 2025}
%s
careers:
  - id: tester
    title: Tester
    soc: "17-2141"
    entry_education: bachelors
    riasec: %s
    programs: [engineering]
    routes:
      - {kind: bachelor, title: "A degree"}
    source: {citation: test, year: 2025}
"""
CITED = 'interests_source: {citation: "O*NET OnLine, Interests", year: 2024}'


@pytest.mark.parametrize(
    ("code", "cited", "expected"),
    [
        ("SIX", CITED, ":11:13: expected text matching ^[RIASEC]{1,3}$, got 'SIX'"),
        ("SSI", CITED, ":11:13: interest code 'SSI' repeats a letter"),
        ("SIC", "", "cite them in 'interests_source'"),
    ],
)
def test_bad_codes_point_into_the_file(
    tmp_path: Path, code: str, cited: str, expected: str
) -> None:
    path = tmp_path / "stem.yaml"
    path.write_text(BASE % (cited, code), encoding="utf-8")
    with pytest.raises(AuthoringError) as caught:
        load_career_file(path)
    rendered = caught.value.render()
    assert expected in rendered
    assert str(path) in rendered


def test_the_published_riasec_pattern_admits_exactly_the_codes_the_model_accepts() -> None:
    """Every string of 0-4 characters over R I A S E C and X: the schema's pattern matches it
    exactly when it is 1-3 distinct letters, and then (and only then) the model accepts it."""
    pattern = re.compile(distinct_letters_pattern(RIASEC_LETTERS, 3))
    assert Interests.model_json_schema()["properties"]["riasec"]["anyOf"][0]["pattern"] == (
        pattern.pattern
    )
    for size in range(5):
        for letters in itertools.product(RIASEC_LETTERS + "X", repeat=size):
            code = "".join(letters)
            distinct = 1 <= size <= 3 and "X" not in code and len(set(code)) == size
            assert bool(pattern.match(code)) is distinct, code
            try:
                Interests(riasec=code)
            except ValidationError:
                accepted = False
            else:
                accepted = True
            assert accepted is distinct, code
