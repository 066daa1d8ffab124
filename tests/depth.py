"""How hard the engine and planner properties search: their own count normally, 500 in the deep run.

A property's ``@settings`` line says how many examples it tries in the everyday run, sized so the
whole suite stays quick. CI's slow stage runs the same properties again, at least
:data:`DEEP_EXAMPLES` each, by loading the Hypothesis profile :data:`DEEP_PROFILE`::

    pytest --hypothesis-profile=deep -m deep        # only the properties, at depth
    pytest --hypothesis-profile=deep -m "slow or deep"   # CI's slow stage (scripts/test)

A property opts in with one line in place of its ``@settings``::

    @deep_settings(150, deadline=None)
    @given(case=cases())
    def test_something(case: Case) -> None: ...

which is ``@settings(max_examples=150, deadline=None)`` in the everyday run and
``max_examples=500`` under the deep profile, plus the ``deep`` mark that selects it. The count is
chosen when the test module is imported, after pytest has loaded the profile, so nothing in a test
body changes. Under the deep profile ``tests/conftest.py`` also checks, from Hypothesis's own
statistics, that every ``deep`` property really ran :data:`DEEP_EXAMPLES` passing examples or
exhausted its search space, and prints the count for each: a property that asked for 500 but
stopped early for another reason fails rather than passing quietly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pytest
from hypothesis import settings

__all__ = [
    "DEEP_EXAMPLES",
    "DEEP_PROFILE",
    "EXHAUSTED",
    "deep_run",
    "deep_settings",
    "passing_examples",
]

#: The Hypothesis profile CI's slow stage loads (``--hypothesis-profile=deep``).
DEEP_PROFILE = "deep"
#: The fewest examples each ``deep`` property tries under that profile.
DEEP_EXAMPLES = 500
#: Hypothesis's stop reason when no untried input is left (a small search space, all seen).
EXHAUSTED = "nothing left to do"

#: The phases whose passing examples count toward ``max_examples`` (shrinking does not).
_COUNTED_PHASES = ("reuse", "generate")

Test = TypeVar("Test", bound=Callable[..., Any])


def deep_run() -> bool:
    """Whether the deep profile is loaded (``pytest --hypothesis-profile=deep``)."""
    return settings.get_current_profile_name() == DEEP_PROFILE


def deep_settings(examples: int, **kwargs: Any) -> Callable[[Test], Test]:
    """``@settings(max_examples=examples, **kwargs)``, raised to :data:`DEEP_EXAMPLES` when deep.

    Also marks the test ``deep``, so the slow stage can select every property that goes deeper.
    """
    count = max(examples, DEEP_EXAMPLES) if deep_run() else examples
    chosen = settings(max_examples=count, **kwargs)

    def apply(test: Test) -> Test:
        marked: Test = pytest.mark.deep(chosen(test))
        return marked

    return apply


def passing_examples(statistics: Mapping[str, Any]) -> int:
    """Passing examples in one Hypothesis run, from the statistics it reports when it ends.

    Counts what ``--hypothesis-show-statistics`` prints as "passing" in the two phases that
    count toward ``max_examples``: examples replayed from the example database and freshly
    generated ones.
    """
    total = 0
    for phase in _COUNTED_PHASES:
        cases = statistics.get(f"{phase}-phase", {}).get("test-cases", [])
        total += sum(1 for case in cases if case["status"] == "valid")
    return total
