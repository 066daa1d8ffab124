"""``summer_after`` on a GPA: refused at its line where it cannot mean what the author wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.authoring.test_selector_courses import HEAD, load, problems


def gpa(extra: str) -> str:
    return (
        HEAD
        + """\
requirements:
  gpa:
    gpa: 3.0
    from: {subject: math}
"""
        + extra
    )


def test_a_window_with_the_summer_after_grade_9_loads(tmp_path: Path) -> None:
    load(tmp_path, gpa("    grade_levels: [10, 11]\n    summer_after: [9]\n"))


@pytest.mark.parametrize(
    ("extra", "line", "says"),
    [
        # Without grade_levels every row counts already: the summer adds nothing.
        ("    summer_after: [9]\n", 10, "'summer_after' widens 'grade_levels'"),
        # Grade 11's summer row is labelled 11, which grade_levels already takes.
        (
            "    grade_levels: [10, 11]\n    summer_after: [9, 11]\n",
            10,
            "'summer_after' [11] already counts through 'grade_levels'",
        ),
        (
            "    grade_levels: [10, 11]\n    summer_after: [true]\n",
            13,
            "expected a whole number, got true",
        ),
        ("    grade_levels: [10, 11]\n    summer_after: [5]\n", 13, "must be at least 6, got 5"),
    ],
)
def test_a_window_that_cannot_mean_what_it_says_is_refused_at_its_line(
    tmp_path: Path, extra: str, line: int, says: str
) -> None:
    """Model-level refusals point at the requirement (line 10), value errors at the value."""
    found = problems(tmp_path, gpa(extra))
    assert len(found) == 1, found
    problem = found[0]
    assert problem.file == "rules/tx/2025/demo.yaml"
    assert says in problem.message
    assert problem.line == line
    assert problem.breadcrumb.startswith("requirement 'gpa'")
