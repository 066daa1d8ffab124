"""The load test's pacing (benchmarks/load_mix.py ``Pacing``): users spawned together still send
their requests spread evenly, at the rate asked, and a late user catches up.

Locust's own ``constant_throughput`` anchored each user at its spawn, so users spawned in the
same step fired in step: the server saw bursts, and the load test's latencies measured them.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from itertools import pairwise

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    from load_mix import Pacing
finally:
    sys.path.remove(str(ROOT / "benchmarks"))

USERS = 100
PERIOD = 0.5  # 2 requests/s per user: 200 requests/s in all, as load_test.py runs it


def _due_times(periods: int, seed: int) -> list[float]:
    """When each request of 100 users spawned at the same instant is due (answers instant)."""
    rng = random.Random(seed)
    times: list[float] = []
    for _ in range(USERS):
        pacing = Pacing.starting(0.0, PERIOD, rng)
        now = pacing.wait(0.0)  # on_start sleeps until the first request is due
        for _ in range(periods):
            times.append(now)
            now += pacing.wait(now)
    return times


def test_users_spawned_together_send_their_requests_spread_over_the_period() -> None:
    for seed in range(5):
        times = _due_times(periods=20, seed=seed)
        windows = Counter(int(t * 100) for t in times)  # 10 ms windows
        span = int(max(times) * 100) + 1
        # 200 requests/s is 2 per 10 ms window on average; in step, all 100 shared one window
        assert max(windows.values()) <= 10
        assert len(windows) >= span * 0.75  # few empty windows (was: nine tenths empty)


def test_each_user_keeps_the_rate_asked() -> None:
    times = _due_times(periods=40, seed=1)
    per_user = [times[i * 40 : (i + 1) * 40] for i in range(USERS)]
    for mine in per_user:
        assert 0 <= mine[0] < PERIOD
        gaps = [b - a for a, b in pairwise(mine)]
        assert all(abs(gap - PERIOD) < 1e-9 for gap in gaps)


def test_a_late_user_catches_up_without_losing_its_schedule() -> None:
    pacing = Pacing(period=PERIOD, next_due=10.0)
    assert pacing.wait(9.75) == 0.25  # the first request, due at 10.0
    # its answer took 1.2 s (until 11.2): the requests due at 10.5 and 11.0 go at once
    assert pacing.wait(11.2) == 0.0
    assert pacing.wait(11.2) == 0.0
    assert abs(pacing.wait(11.2) - 0.3) < 1e-9  # then back on the 11.5 s beat
