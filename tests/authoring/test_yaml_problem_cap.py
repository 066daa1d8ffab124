"""engine.yamlsource bounds what it reports, as the loader does."""

from __future__ import annotations

import pytest

from engine.errors import TOO_MANY, AuthoringError, Diagnostic, capped
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


def test_one_note_counts_every_problem_left_out_even_those_a_note_stood_for() -> None:
    """The service lists 1000 problems of several files: a file the loader already cut brings
    its own note, whose count (a field, never read back from the message) joins the total."""

    def problem(line: int) -> Diagnostic:
        return Diagnostic("rules/a.yaml", line, 1, f"problem {line}", "invalid-value")

    cut = capped([problem(n) for n in range(1, 8)], 5)  # the loader's own cut: 4 + "3 more"
    assert [d.code for d in cut] == ["invalid-value"] * 4 + [TOO_MANY]
    assert (cut[-1].omitted, cut[-1].line, cut[-1].message) == (
        3,
        5,
        "3 more problems not listed; fix those above first",
    )
    merged = capped([*cut, problem(20), problem(21)], 4)  # 3 shown; 4 real and the 3 behind
    assert [d.line for d in merged[:-1]] == [1, 2, 3]
    assert merged[-1].omitted == 3 + 3  # problems 4, 20 and 21, and the note's 3
    assert merged[-1].message.startswith("6 more problems")
    assert capped(cut, 10) == cut  # nothing to cut: unchanged
