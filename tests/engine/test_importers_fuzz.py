"""Importers never fail with anything but a ``ValueError`` that says what is wrong.

The service answers a ``ValueError`` with a 422 naming the problem, the CLI with one line and
exit 1, a batch run with an ``invalid-edfi``/``invalid-csv`` record; any other exception is a
500 or an ``internal-error``. So whatever JSON replaces a part of a real bundle, and whatever
text is sent as a CSV, the importer either imports or raises ``ValueError``. Derandomized (CI
repeats the same cases), 100 cases each in a plain ``pytest`` run, 500 in CI's slow stage.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from engine.importers import ImportResult, StudentHeader, import_csv, import_edfi
from tests.conftest import ROOT
from tests.depth import deep_settings

BUNDLE = json.loads(
    (ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json").read_text()
)
HEADER = StudentHeader(jurisdiction="TX", cohort=2029, grade_level=10, student_id="F-1")
KNOWN = frozenset({"ALG1", "ENG1", "BIO"})

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "uri://ed-fi.org/TermDescriptor#Fall Semester",
            "uri://ed-fi.org/GradeLevelDescriptor#Ninth grade",
            "#",
            "SCED course code",
        ]
    ),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


#: Each property: derandomized (CI repeats the same cases), no deadline, and no "too slow" check
#: (a nested JSON draw once stalled for 2 s on a busy CI box).
fuzzed = deep_settings(
    100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in ``value`` a part can be replaced (the root excluded)."""
    out: list[tuple[str | int, ...]] = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*path, i))
    return out


PATHS = _paths(BUNDLE)


def _replaced(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    bundle = copy.deepcopy(BUNDLE)
    holder: Any = bundle
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return bundle


def _imports_or_says_why(run: Any) -> None:
    refusal = ""
    try:
        result = run()
    except ValueError as exc:
        refusal = str(exc) or "(no message)"
    else:
        assert isinstance(result, ImportResult)
    assert refusal != "(no message)", "a refusal must say what is wrong"


@fuzzed
@given(path=st.sampled_from(PATHS), value=JSON, known=st.sampled_from([None, KNOWN]))
def test_any_part_of_a_bundle_replaced_imports_or_is_refused_clearly(
    path: tuple[str | int, ...], value: Any, known: frozenset[str] | None
) -> None:
    bundle = _replaced(path, value)
    _imports_or_says_why(lambda: import_edfi(bundle, HEADER, known))


@fuzzed
@given(extra=st.dictionaries(st.sampled_from(["courses", "graduationPlans"]), JSON, max_size=2))
def test_optional_resources_of_any_shape_import_or_are_refused_clearly(
    extra: dict[str, Any],
) -> None:
    _imports_or_says_why(lambda: import_edfi({**BUNDLE, **extra}, HEADER, KNOWN))


CELLS = st.sampled_from(["ALG1", "9", "12", "fall", "year", "A", "B+", "92", "1", "0.5", "yes"])
LINES = st.lists(st.lists(CELLS | st.text(max_size=6), max_size=8).map(",".join), max_size=12).map(
    "\n".join
)


@fuzzed
@given(
    head=st.sampled_from(
        ["course,grade_level,term,grade,credits", "sced,grade_level,grade,repeat", "course"]
    ),
    body=LINES | st.text(max_size=200),
)
def test_any_csv_text_imports_or_is_refused_clearly(head: str, body: str) -> None:
    _imports_or_says_why(lambda: import_csv(f"{head}\n{body}", HEADER))
