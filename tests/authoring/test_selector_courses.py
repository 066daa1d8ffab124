"""A course named in a selector (``from``, a limit's ``from``) must exist, like a ``course``
requirement's: a misspelt id would otherwise match nothing and the requirement would quietly
ask for courses no student can take."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import AuthoringError, Diagnostic, load_knowledge

CATALOG = """\
schema_version: 1
id: tx-2025
title: test catalog
jurisdiction: TX
catalog_year: 2025
source: {citation: test, year: 2025}
courses:
  - {id: ALG1, title: Algebra I, subject: math, credits: 1}
  - {id: GEOM, title: Geometry, subject: math, credits: 1}
  - {id: CS1, title: Computer Science I, subject: cs, credits: 1}
"""

#: A rule file's head: a Texas 2025 set named demo.
HEAD = """\
schema_version: 1
id: demo
title: Demo
kind: graduation
jurisdiction: TX
catalog_year: 2025
source: {citation: test, year: 2025}
"""

RULES = (
    HEAD
    + """\
requirements:
  math:
    credits: 2
    from: {course: [ALG1, GEMO]}
  options:
    courses: 1
    from:
      - {subject: cs}
      - {course: CS2}
  electives:
    credits: 3
    from: {not_course: ALG}
    limits:
      - {credits: 1, from: {course: [CS1, CS9]}}
"""
)


def tree(tmp_path: Path, rules: str) -> Path:
    """A project root holding :data:`CATALOG` and ``rules`` as ``rules/tx/2025/demo.yaml``."""
    (tmp_path / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "rules" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(CATALOG)
    (tmp_path / "rules" / "tx" / "2025" / "demo.yaml").write_text(rules)
    return tmp_path


def load(tmp_path: Path, rules: str) -> None:
    load_knowledge(tree(tmp_path, rules))


def problems(tmp_path: Path, rules: str) -> list[Diagnostic]:
    with pytest.raises(AuthoringError) as caught:
        load(tmp_path, rules)
    return list(caught.value.diagnostics)


def test_each_unknown_course_in_a_selector_is_reported_where_it_is_written(
    tmp_path: Path,
) -> None:
    found = problems(tmp_path, RULES)
    assert [(d.file, d.line, d.column, d.code) for d in found] == [
        ("rules/tx/2025/demo.yaml", 11, 27, "unknown-course"),
        ("rules/tx/2025/demo.yaml", 16, 18, "unknown-course"),
        ("rules/tx/2025/demo.yaml", 19, 24, "unknown-course"),
        ("rules/tx/2025/demo.yaml", 21, 43, "unknown-course"),
    ]
    assert [d.message for d in found] == [
        "course 'GEMO' in 'course' is in no TX catalog (did you mean 'GEOM'?)",
        "course 'CS2' in 'course' is in no TX catalog (did you mean 'CS1'?)",
        "course 'ALG' in 'not_course' is in no TX catalog (did you mean 'ALG1'?)",
        "course 'CS9' in 'course' is in no TX catalog (did you mean 'CS1'?)",
    ]
    assert found[0].breadcrumb.startswith("requirement 'math'")


def test_selectors_naming_catalog_courses_load(tmp_path: Path) -> None:
    fixed = (
        RULES.replace("GEMO", "GEOM")
        .replace("CS2", "CS1")
        .replace("not_course: ALG}", "not_course: ALG1}")
        .replace("CS9", "GEOM")
    )
    load(tmp_path, fixed)
