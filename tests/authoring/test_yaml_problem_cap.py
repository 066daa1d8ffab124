"""engine.yamlsource bounds what it reports, as the loader does."""

from __future__ import annotations

import pytest

from engine.errors import AuthoringError
from engine.loader import MAX_PROBLEMS
from engine.yamlsource import load_yaml


def test_thousands_of_yaml_level_problems_are_listed_then_counted() -> None:
    # Every refused tag was listed: 100,000 of them were 100,000 diagnostics (and lines of CLI
    # output), where the docs promise 1000 and one line counting the rest.
    text = "requirements:\n" + "".join(f"  r{i}: !!binary a\n" for i in range(1500))
    with pytest.raises(AuthoringError) as caught:
        load_yaml(text, "draft.yaml")
    found = caught.value.diagnostics
    assert len(found) == MAX_PROBLEMS + 1
    assert {d.code for d in found[:-1]} == {"bad-tag"}
    assert (found[0].line, found[MAX_PROBLEMS - 1].line) == (2, MAX_PROBLEMS + 1)
    last = found[-1]
    assert (last.code, last.message) == (
        "too-many-errors",
        "500 more problems not listed; fix those above first",
    )
    assert (last.line, last.column) == (MAX_PROBLEMS + 2, 10)  # where the unlisted ones start


def test_up_to_the_limit_every_problem_is_listed() -> None:
    text = "requirements:\n" + "".join(f"  r{i}: !!binary a\n" for i in range(MAX_PROBLEMS))
    with pytest.raises(AuthoringError) as caught:
        load_yaml(text, "draft.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["bad-tag"] * MAX_PROBLEMS
