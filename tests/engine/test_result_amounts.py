"""A requirement's amounts are rounded to four places exactly as ``round`` does it.

``engine.goal_result`` skips ``round`` for multiples of 0.5 (one decimal at most, so rounding
cannot change them); these properties hold the shortcut to ``float(round(x, 4))``, sign of zero
included.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine.goal_result import _round4


@given(st.floats(allow_nan=False) | st.integers(-(10**20), 10**20))
def test_amounts_round_as_round_does(value: float) -> None:
    assert repr(_round4(value)) == repr(float(round(value, 4)))


@given(st.integers(-400, 400), st.sampled_from([0.0, 1e-12, -1e-12, 0.1, 1 / 3, 4.99999e-5, 5e-5]))
def test_sums_near_half_credits_round_as_round_does(halves: int, off: float) -> None:
    value = halves / 2 + off
    assert repr(_round4(value)) == repr(float(round(value, 4)))
