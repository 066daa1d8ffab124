"""Loading rule, catalog and student files: positions, every error at once, hostile input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from engine import yamlsource
from engine.errors import AuthoringError, Diagnostic, StudentDataError
from engine.loader import (
    discover,
    load_catalog,
    load_ruleset,
    load_student,
    load_student_file,
    load_tree,
)
from engine.yamlsource import load_yaml
from tests.depth import deep_settings

HEADER = """\
id: tx-test
title: Test diploma
kind: graduation
jurisdiction: TX
catalog_year: 2025
source: {citation: Test source, year: 2025}
"""

CATALOG = """\
id: tx-2025
title: Texas courses
jurisdiction: TX
catalog_year: 2025
source: {citation: Test source, year: 2025}
courses:
  - id: ALG1
    title: Algebra I
    subject: math
    credits: 1
  - id: GEO
    title: Geometry
    subject: math
    credits: 1
    prerequisites:
      any:
        - course: ALG1
"""

STUDENT = {"id": "s-1", "jurisdiction": "TX", "cohort": 2027, "grade_level": 11}


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def diagnostics_of(path: Path, root: Path | None = None) -> list[Diagnostic]:
    load = load_catalog if "catalogs" in path.parts else load_ruleset
    with pytest.raises(AuthoringError) as info:
        load(path, root)
    return list(info.value.diagnostics)


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, [d.render() for d in diagnostics]
    return diagnostics[0]


@pytest.fixture(params=[True, False], ids=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run a test with libyaml's parser and with PyYAML's own (used when libyaml is missing)."""
    if request.param and not yaml.__with_libyaml__:
        pytest.skip("libyaml is not installed")
    monkeypatch.setattr(yamlsource, "_USE_LIBYAML", request.param)
    return bool(request.param)


# --------------------------------------------------------------------------------------------
# Rule files
# --------------------------------------------------------------------------------------------


def test_unknown_key_in_nested_requirement_points_at_the_key(tmp_path: Path, parser: bool) -> None:
    path = write(
        tmp_path,
        "rules/tx/2025/test.yaml",
        HEADER + "requirements:\n"  # line 7
        "  math:\n"
        "    all:\n"
        "      - course: ALG1\n"
        "      - course: GEO\n"
        "        min_grde: C\n",  # line 12, the key starts in column 9
    )
    found = only(diagnostics_of(path, tmp_path))
    assert found.render() == (
        "rules/tx/2025/test.yaml:12:9: unknown key 'min_grde' (did you mean 'min_grade'?)"
        " [unknown-key]\n"
        "   12 |         min_grde: C\n"
        "      |         ^\n"
        "  in requirement 'math' > all[1]"
    )


def test_every_error_in_a_file_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules/tx/2025/test.yaml",
        "id: tx-test\n"  # no title: missing key, reported at the top mapping
        "kind: graduation\n"
        "jurisdiction: tx\n"
        "catalog_year: 2025\n"
        "source: {citation: Test source, year: 2025}\n"
        "requirements:\n"
        "  math:\n"
        "    all:\n"
        "      - cours: ALG1\n"
        "      - {credits: lots, from: {subject: math}}\n"
        "      - {course: GEO, credits: 1}\n",
    )
    found = [(d.line, d.column, d.code, d.message) for d in diagnostics_of(path)]
    assert found == [
        (1, 1, "missing-key", "missing key 'title'"),
        (3, 15, "invalid-value", "expected 2 to 8 capital letters (e.g. 'TX'), got 'tx'"),
        (
            9,
            9,
            "missing-operator",
            "a requirement needs one operator: all, any, n_of, course, credits, courses, "
            "sequence, gpa, credential, assessment, hours, goal, requirement "
            "(did you mean 'course' instead of 'cours'?)",
        ),
        (10, 19, "wrong-type", "expected a number, got 'lots'"),
        (
            11,
            23,
            "unknown-key",
            "unknown key 'credits': this node's operator is already 'course' (one per node)",
        ),
    ]


def test_breadcrumbs_drop_union_tags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules/x.yaml",
        HEADER + "requirements:\n"
        "  math:\n"
        "    all:\n"
        "      - any:\n"
        "          - {course: ALG1}\n"
        "          - {n_of: 1, of: [{course: GEO, before: 20}]}\n",
    )
    found = only(diagnostics_of(path))
    assert (found.line, found.column, found.code) == (12, 50, "invalid-value")
    assert found.message == "must be at most 13, got 20"
    assert found.breadcrumb == "requirement 'math' > all[0] > any[1] > of[0] > before"


def test_duplicate_key_is_an_error_not_a_silent_overwrite(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules/x.yaml",
        HEADER + "requirements:\n  math: {course: ALG1}\n  math: {course: GEO}\n",
    )
    found = only(diagnostics_of(path))
    assert (found.line, found.column, found.code) == (9, 3, "duplicate-key")
    assert found.message == "key 'math' appears twice; first at line 8"


def test_yaml_syntax_error_has_its_position(tmp_path: Path, parser: bool) -> None:
    path = write(tmp_path, "rules/x.yaml", HEADER + "requirements:\n  math: course: ALG1\n")
    found = only(diagnostics_of(path))
    assert (found.line, found.column, found.code) == (8, 15, "yaml-syntax")
    assert found.source_line == "  math: course: ALG1"


def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, parser: bool) -> None:
    marker = tmp_path / "ran"
    text = f'id: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(AuthoringError) as info:
        load_yaml(text, "x.yaml")
    found = only(list(info.value.diagnostics))
    assert (found.line, found.column, found.code) == (1, 5, "bad-tag")
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(parser: bool) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    started = time.perf_counter()
    with pytest.raises(AuthoringError) as info:
        load_yaml("\n".join(lines), "bomb.yaml")
    assert time.perf_counter() - started < 2
    assert only(list(info.value.diagnostics)).code == "alias-limit"


PLAIN_BITS = ["a", ":", " ", "\n", "- ", "[", "]", "{", "}", ",", "?", "#", "\t", "yes", "~"]
TRICKY_BITS = [
    "&x ",
    "*x",
    "<<: ",
    "!!str ",
    "'",
    '"',
    "---\n",
    "|\n",
    "\u00e9",
    "!!python/name:os ",
]
YAML_BITS = st.sampled_from([*PLAIN_BITS, *TRICKY_BITS])


@deep_settings(300, deadline=None)
@given(st.lists(YAML_BITS, max_size=40).map("".join) | st.binary(max_size=60))
def test_any_input_gives_a_mapping_or_positioned_errors(text: str | bytes) -> None:
    try:
        data, source = load_yaml(text, "fuzz.yaml")
    except AuthoringError as exc:
        problems = exc.diagnostics
    else:
        assert isinstance(data, dict)
        assert source.position(()) == source.nodes[()]
        return
    assert problems
    assert all(d.line >= 1 and d.column >= 1 and d.file == "fuzz.yaml" for d in problems)


def test_too_many_aliases_are_refused() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    with pytest.raises(AuthoringError) as info:
        load_yaml(text, "x.yaml")
    assert only(list(info.value.diagnostics)).code == "alias-limit"


def test_too_many_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_NODES", 50)
    with pytest.raises(AuthoringError) as info:
        load_yaml("a: [" + ", ".join(["1"] * 60) + "]\n", "x.yaml")
    assert only(list(info.value.diagnostics)).code == "too-large"


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(AuthoringError) as info:
        load_yaml("a: &a [1, *a]\n", "x.yaml")
    assert only(list(info.value.diagnostics)).code == "alias-limit"


def test_deep_nesting_is_refused(parser: bool) -> None:
    started = time.perf_counter()
    with pytest.raises(AuthoringError) as info:
        load_yaml("a: " + "[" * 200_000, "deep.yaml")
    assert time.perf_counter() - started < 2
    found = only(list(info.value.diagnostics))
    assert (found.line, found.column, found.code) == (
        1,
        67,
        "too-deep",
    )  # the top mapping is level 1


def test_non_utf8_bytes_report_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rules/x.yaml", HEADER.encode() + b"description: caf\xe9\n")
    found = only(diagnostics_of(path))
    assert (found.line, found.column, found.code) == (7, 17, "encoding")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "rules/x.yaml", text)
    assert only(diagnostics_of(path)).code == "empty-file"


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "rules/x.yaml", "- course: ALG1\n")
    assert only(diagnostics_of(path)).code == "not-a-mapping"


def test_keys_yaml_reads_as_other_things_are_refused() -> None:
    with pytest.raises(AuthoringError) as info:
        load_yaml("yes: 1\n~: 2\n12: 3\n", "x.yaml")
    found = [(d.line, d.code) for d in info.value.diagnostics]
    assert found == [(1, "bad-key"), (2, "bad-key"), (3, "bad-key")]


def test_too_large_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "rules/x.yaml", b"# " + b"x" * (3 * 1024 * 1024))
    assert only(diagnostics_of(path)).code == "too-large"


def test_number_written_for_text_shows_what_yaml_read(tmp_path: Path) -> None:
    text = CATALOG + "    sced: 02052\n"
    found = only(diagnostics_of(write(tmp_path, "catalogs/tx.yaml", text)))
    assert found.message == "expected text, got 02052 (read as 1066); put it in quotes"
    assert found.breadcrumb == "course 'GEO' (courses[1]) > sced"


def test_catalog_breadcrumb_names_the_course(tmp_path: Path) -> None:
    text = CATALOG.replace("        - course: ALG1\n", "        - all: [{coarse: ALG1}]\n")
    found = only(diagnostics_of(write(tmp_path, "catalogs/tx.yaml", text)))
    assert (found.line, found.column, found.code) == (17, 17, "missing-operator")
    assert "did you mean 'course' instead of 'coarse'?" in found.message
    assert found.breadcrumb == "course 'GEO' (courses[1]) > prerequisites > any[0] > all[0]"


def test_valid_ruleset_and_catalog_load(tmp_path: Path) -> None:
    rules = write(
        tmp_path,
        "rules/tx/2025/test.yaml",
        HEADER + "requirements:\n"
        "  math:\n"
        "    all:\n"
        "      - course: ALG1\n"
        "      - {credits: 2, from: {subject: math}, min_grade: C}\n",
    )
    loaded = load_ruleset(rules, tmp_path)
    assert loaded.file == "rules/tx/2025/test.yaml"
    assert loaded.model.id == "tx-test"
    assert loaded.model.requirements["math"].all[1].credits == 2  # type: ignore[union-attr]
    assert loaded.source.position(("requirements", "math", "all", 1)) == (11, 9)
    assert loaded.source.key_position(("requirements", "math")) == (8, 3)

    catalog = load_catalog(write(tmp_path, "catalogs/tx/2025.yaml", CATALOG), tmp_path)
    assert [c.id for c in catalog.model.courses] == ["ALG1", "GEO"]
    assert catalog.source.position(("courses", 1, "prerequisites")) == (16, 7)


def test_both_parsers_agree_on_values_and_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "base: &base {credits: 1, from: {subject: [math, science]}}\n"
        "list:\n"
        "- a\n"
        "-   {b: 'c', d: \"e\"}\n"
        "merged:\n"
        "  <<: *base\n"
        "  credits: 2\n"
        "block: |\n"
        "  text\n"
        "date: 2025-01-15\n"
        "empty:\n"
    )
    results = []
    for use_libyaml in (True, False):
        monkeypatch.setattr(yamlsource, "_USE_LIBYAML", use_libyaml)
        data, source = load_yaml(text, "x.yaml")
        results.append((data, dict(source.nodes), dict(source.keys), dict(source.scalars)))
    assert results[0] == results[1]
    data = results[0][0]
    assert data["merged"] == {"credits": 2, "from": {"subject": ["math", "science"]}}  # type: ignore[index]
    assert data["date"] == "2025-01-15"  # type: ignore[index]
    assert results[0][1][("list", 1, "d")] == (4, 17)


# --------------------------------------------------------------------------------------------
# Trees
# --------------------------------------------------------------------------------------------


def test_load_tree_collects_errors_from_every_broken_file(tmp_path: Path) -> None:
    write(tmp_path, "catalogs/tx/2025.yaml", CATALOG)
    write(tmp_path, "rules/tx/2025/good.yaml", HEADER + "requirements:\n  m: {course: ALG1}\n")
    write(tmp_path, "rules/tx/2025/bad-yaml.yaml", HEADER + "requirements: [\n")
    write(tmp_path, "rules/tx/2025/bad-model.yaml", HEADER + "requirements:\n  m: {cours: A}\n")
    write(tmp_path, "rules/tx/2025/good.tests.yaml", "not: [valid")  # test cases, not rules
    tree = load_tree(tmp_path)
    assert [c.file for c in tree.catalogs] == ["catalogs/tx/2025.yaml"]
    assert [r.file for r in tree.rulesets] == ["rules/tx/2025/good.yaml"]
    assert [(d.file, d.code) for d in tree.diagnostics] == [
        ("rules/tx/2025/bad-model.yaml", "missing-operator"),
        ("rules/tx/2025/bad-yaml.yaml", "yaml-syntax"),
    ]


def test_discover_skips_test_case_files(tmp_path: Path) -> None:
    write(tmp_path, "rules/b.yaml", "")
    write(tmp_path, "rules/a/a.yaml", "")
    write(tmp_path, "rules/a/a.tests.yaml", "")
    write(tmp_path, "catalogs/tx.yaml", "")
    catalogs, rules = discover(tmp_path)
    assert catalogs == [tmp_path / "catalogs/tx.yaml"]
    assert rules == [tmp_path / "rules/a/a.yaml", tmp_path / "rules/b.yaml"]


# --------------------------------------------------------------------------------------------
# Students
# --------------------------------------------------------------------------------------------


def test_student_bad_grade_reports_its_place() -> None:
    record = {**STUDENT, "transcript": [{"course": "ALG1", "grade_level": 9, "grade": "Q"}]}
    with pytest.raises(StudentDataError) as info:
        load_student(record)
    (problem,) = info.value.problems
    assert problem.loc == ("transcript", 0, "grade")
    assert problem.msg == "grade 'Q' is not a letter (A+ .. F), a number 0-100, or P/F"
    assert problem.type == "invalid-value"


def test_student_row_needs_course_or_sced() -> None:
    record = {**STUDENT, "transcript": [{"grade_level": 9, "grade": "A"}]}
    with pytest.raises(StudentDataError) as info:
        load_student(record)
    (problem,) = info.value.problems
    assert problem.loc == ("transcript", 0)
    assert "needs 'course' (catalog id) or 'sced'" in problem.msg


def test_student_problems_are_all_reported_without_union_names() -> None:
    row = {"course": "X", "grade_level": "nine", "grade": [1], "gade": "A"}
    with pytest.raises(StudentDataError) as info:
        load_student({**STUDENT, "transcript": [row]})
    found = [(p.loc, p.msg) for p in info.value.problems]
    assert found == [
        (("transcript", 0, "grade_level"), "expected a whole number, got 'nine'"),
        (("transcript", 0, "grade"), "expected text or a number, got a list"),
        (("transcript", 0, "gade"), "unknown key 'gade' (did you mean 'grade'?)"),
    ]


def test_student_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", json.dumps(STUDENT))
    assert load_student_file(path).id == "s-1"


def test_invalid_json_reports_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", '{\n  "id": "s-1",\n  "cohort": 2027\n  "grade_level": 11\n}')
    with pytest.raises(StudentDataError) as info:
        load_student_file(path)
    (problem,) = info.value.problems
    assert problem.msg == "invalid JSON at line 4, column 3: Expecting ',' delimiter"
    assert problem.type == "invalid-json"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (None, "io-error"),
        (b'{"id": "caf\xe9"}', "encoding"),
        (b'{"id": 1, "id": 2}', "invalid-json"),
    ],
)
def test_unreadable_student_file_is_a_student_error(
    tmp_path: Path, content: bytes | None, kind: str
) -> None:
    path = tmp_path / "s.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(StudentDataError) as info:
        load_student_file(path)
    assert [p.type for p in info.value.problems] == [kind]
