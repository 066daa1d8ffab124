"""Loader bugs the file fuzzer (tests/fuzz/mutations.py) found, each pinned by its smallest case."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.careers.model import CareerFile
from engine.errors import AuthoringError, Diagnostic
from engine.graph import MAX_CYCLES
from engine.knowledge import MAX_EXTENDS, load_knowledge
from engine.loader import MAX_PROBLEMS, load_text
from engine.model import RequirementSet
from engine.policy_model import CONDITION_KEYS, OUTCOME_KEYS
from tests.authoring.conftest import ROOT
from tests.engine.test_loader import HEADER


def errors(text: str | bytes, model: type = RequirementSet) -> list[Diagnostic]:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(AuthoringError) as info:
        load_text(model, raw, "x.yaml")
    return list(info.value.diagnostics)


def first(text: str | bytes, model: type = RequirementSet) -> tuple[int, int, str, str]:
    found = errors(text, model)[0]
    return found.line, found.column, found.code, found.message


@pytest.mark.parametrize("bad", [b"\x00", b"\xff"])
def test_old_mac_line_ends_put_a_bad_byte_on_its_line(bad: bytes) -> None:
    # Lines ended by a lone CR were all counted as line 1.
    raw = HEADER.replace("\n", "\r").encode() + b"description: ab" + bad + b"\r"
    line, column, code, _ = first(raw)
    assert (line, column, code) == (7, 16, "encoding")


def test_too_deep_through_an_alias_is_reported_at_the_alias() -> None:
    # It was reported at the anchor, a line that is not too deep at all.
    nest = "[" * 34 + "x" + "]" * 34
    text = HEADER + f"a: &deep {nest}\nb: {'[' * 34}*deep{']' * 34}\n"
    line, _, code, message = first(text)
    assert (line, code) == (8, "too-deep")
    assert "through this alias" in message


def test_an_alias_bomb_is_reported_at_the_alias_that_explodes() -> None:
    text = HEADER + "a: &a [" + ", ".join(["x"] * 9) + "]\n"
    for name, below in (("b", "a"), ("c", "b"), ("d", "c")):
        text += f"{name}: &{name} [" + ", ".join([f"*{below}"] * 9) + "]\n"
    text += "title2: [" + ", ".join(["*d"] * 40) + "]\n"  # 40 x 6,561 values
    line, column, code, _ = first(text)
    assert (line, code) == (11, "alias-limit")
    assert column > len("title2: [")  # one of the aliases on that line


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (".nan", "not a finite number"),
        ("-.inf", "not a finite number"),
        ("1.8e308", "not a finite number"),  # text to YAML 1.1, a number (inf) to pydantic
        ("1e20", "out of range"),
        ("9" * 20, "out of range"),
    ],
)
def test_numbers_no_field_could_mean_are_refused(value: str, words: str) -> None:
    # min_score has no bound: .nan and 20-digit numbers loaded silently.
    text = HEADER + f"requirements:\n  sat:\n    assessment: SAT\n    min_score: {value}\n"
    line, column, code, message = first(text)
    assert (line, column, code) == (10, 16, "invalid-value")
    assert words in message


def test_a_long_key_is_quoted_short() -> None:
    # A 1000-character misspelt key was repeated whole in the message.
    line, _, code, message = first(HEADER + "k" * 1000 + ": 1\n")
    assert (line, code) == (7, "unknown-key")
    assert len(message) < 100
    assert "(1000 characters)" in message


def test_a_choice_among_many_values_names_a_few() -> None:
    # All 32 program slugs were listed: a 694-character message.
    text = (ROOT / "careers" / "human-services.yaml").read_text(encoding="utf-8")
    start = text.index("programs: [") + len("programs: [")
    text = text[:start] + "fuzzz, " + text[start:]
    _, _, code, message = first(text, CareerFile)
    assert code == "invalid-value"
    assert message.startswith("expected one of 3")
    assert len(message) < 300


def test_too_many_requirements_says_how_many() -> None:
    # pydantic gives no length for a mapping: the message said "got None".
    body = "".join(f"  r{n}: {{course: ALG1}}\n" for n in range(201))
    _, _, code, message = first(HEADER + "requirements:\n" + body)
    assert (code, message) == ("invalid-value", "allows at most 200 items, got 201")


def test_an_empty_value_is_not_quoted_as_empty_text() -> None:
    # It read "expected a mapping, got  (read as an empty value)".
    text = HEADER.replace("source: {citation: Test source, year: 2025}", "source:")
    assert first(text)[2:] == ("wrong-type", "expected a mapping, got an empty value")


def test_thousands_of_mistakes_are_counted_not_each_compared() -> None:
    # Each problem was compared with every earlier one: 20,000 unknown keys took minutes.
    found = errors(HEADER + "".join(f"fuzz{n}: 1\n" for n in range(5000)))
    assert len(found) == MAX_PROBLEMS + 1
    assert found[0].message == "unknown key 'fuzz0'"
    last = found[-1]
    assert (last.code, last.message) == (
        "too-many-errors",
        "4,000 more problems not listed; fix those above first",
    )


def _dense(ids: list[str], key: str) -> str:
    """Each of ``ids`` needing any of the others: every subset is a cycle (millions of them)."""
    return ", ".join(f"{{{key}: {other}}}" for other in ids)


def test_a_catalog_with_millions_of_cycles_reports_a_bounded_few(tmp_path: Path) -> None:
    # Every elementary cycle was listed: ten such courses took 20 s and a million diagnostics.
    ids = [f"C{n}" for n in range(10)]
    courses = "".join(
        f"  - {{id: {c}, title: T, subject: math, credits: 1,"
        f" prerequisites: {{any: [{_dense([o for o in ids if o != c], 'course')}]}}}}\n"
        for c in ids
    )
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "catalogs" / "c.yaml").write_text(
        "id: tx-2025\ntitle: T\njurisdiction: TX\ncatalog_year: 2025\n"
        f"source: {{citation: Test, year: 2025}}\ncourses:\n{courses}"
    )
    with pytest.raises(AuthoringError) as info:
        load_knowledge(tmp_path)
    found = info.value.diagnostics
    assert 0 < len(found) <= MAX_CYCLES
    assert {(d.file, d.code) for d in found} == {("catalogs/c.yaml", "prerequisite-cycle")}


def test_rule_sets_that_all_need_each_other_report_a_bounded_few(tmp_path: Path) -> None:
    ids = [f"set-{n}" for n in range(8)]  # 16,064 goal cycles
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "rules").mkdir()
    for rset in ids:
        others = ", ".join(o for o in ids if o != rset)
        text = HEADER.replace("id: tx-test", f"id: {rset}") + (
            f"requirements:\n  others: {{any: [{_dense(others.split(', '), 'goal')}]}}\n"
        )
        (tmp_path / "rules" / f"{rset}.yaml").write_text(text)
    with pytest.raises(AuthoringError) as info:
        load_knowledge(tmp_path)
    found = info.value.diagnostics
    assert 0 < len(found) <= MAX_CYCLES
    assert {d.code for d in found} == {"goal-cycle"}


def test_an_extends_chain_past_the_recursion_limit_is_an_error(tmp_path: Path) -> None:
    # Resolving `extends` recursed once per set: 1100 chained sets crashed (RecursionError).
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "rules").mkdir()
    for n in range(1100):
        parent = f"extends: s{n + 1:04d}\n" if n < 1099 else ""
        text = HEADER.replace("id: tx-test", f"id: s{n:04d}") + parent + "requirements: {}\n"
        (tmp_path / "rules" / f"s{n:04d}.yaml").write_text(text)
    with pytest.raises(AuthoringError) as info:
        load_knowledge(tmp_path)
    found = info.value.diagnostics
    assert {d.code for d in found} == {"extends-too-deep"}
    assert (found[0].file, found[0].line) == (f"rules/s{MAX_EXTENDS:04d}.yaml", 7)
    assert found[0].message.startswith(f"extends chain more than {MAX_EXTENDS} sets long: s0000")


def test_a_policy_condition_or_outcome_that_is_not_a_mapping_is_an_error_not_a_crash() -> None:
    # Found by mutating requests (a what-if's draft rule set): choosing the kind of a condition
    # or outcome read the fields of the value's type, and a string has none (AttributeError).
    text = HEADER + (
        "requirements:\n"
        "  math: {credits: 1, from: {subject: math}}\n"
        "policies:\n"
        "  - id: p1\n"
        "    title: A policy\n"
        "    source: {citation: draft for discussion, year: 2026}\n"
        "    when: [just a string]\n"
        "    then: [7]\n"
    )
    found = [(d.line, d.code, d.message.split(";")[0]) for d in errors(text)]
    assert found == [
        (13, "missing-operator", "a condition needs one of: " + ", ".join(CONDITION_KEYS)),
        (14, "missing-operator", "an outcome needs one of: " + ", ".join(OUTCOME_KEYS)),
    ]
