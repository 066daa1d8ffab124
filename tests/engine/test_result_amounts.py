"""A requirement's amounts are rounded and written exactly as ``round`` and ``:g`` do it.

``engine.goal_result`` skips ``round`` for multiples of 0.5 (one decimal at most, so rounding
cannot change them) and ``engine.explain.fmt_amount`` looks half-credit amounts up in a table;
these properties hold both shortcuts to what they replace, sign of zero included.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine.explain import fmt_amount
from engine.goal_result import _round4


@given(st.floats(allow_nan=False) | st.integers(-(10**20), 10**20))
def test_amounts_round_as_round_does(value: float) -> None:
    assert repr(_round4(value)) == repr(float(round(value, 4)))


@given(st.integers(-400, 400), st.sampled_from([0.0, 1e-12, -1e-12, 0.1, 1 / 3, 4.99999e-5, 5e-5]))
def test_sums_near_half_credits_round_as_round_does(halves: int, off: float) -> None:
    value = halves / 2 + off
    assert repr(_round4(value)) == repr(float(round(value, 4)))


@given(
    st.floats(allow_nan=False) | st.integers(-500, 500).map(lambda k: k / 2),
    st.sampled_from(["credits", "courses", "gpa"]),
)
def test_amounts_read_as_general_formatting_writes_them(value: float, unit: str) -> None:
    # ``fmt_amount`` looks the usual half-credit amounts up in a table; it must say what
    # ``f"{value:g}"`` says, "-0" for a negative zero included.
    words = {"credits": ("credit", "credits"), "courses": ("course", "courses")}
    one, many = words.get(unit, (unit, unit))
    expected = f"{value:g} {one if abs(value - 1) < 1e-9 else many}"
    assert fmt_amount(value, unit) == expected
