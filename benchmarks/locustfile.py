"""Locust users for ``benchmarks/load_test.py``: audits, plans and what-ifs of the sample students.

Run by ``load_test.py`` as a subprocess (locust monkey-patches the standard library with gevent,
which must not happen inside the harness that starts the server and reads its memory). It reads
its settings from the environment that ``load_test.py`` sets:

``GRADPATH_LOAD_KEY``
    the API key (scope ``evaluate``) sent as ``Authorization: Bearer``.
``GRADPATH_LOAD_PER_USER``
    requests per second per simulated user, on a fixed schedule (``load_mix.Pacing``): users times
    this is the offered load, whatever the latency, as long as each user's requests take on
    average less than ``1 / GRADPATH_LOAD_PER_USER`` seconds (a late one is caught up).
``GRADPATH_LOAD_MIX``
    JSON ``{"audit": weight, "plan": weight, "whatif": weight}``.

Every request body is serialized once, at import, so the load generator spends its CPU on
HTTP and not on JSON. A response counts as an error unless it is ``200`` and carries the field
its contract promises (an audit's ``goals``, a plan's ``status``, a what-if's ``scenarios``).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from typing import Any, ClassVar

import gevent
from locust.contrib.fasthttp import FastHttpUser

try:  # run by locust (the file's folder is on sys.path) or imported from the repository root
    from load_mix import MIX_ENV, Pacing, bodies
except ImportError:  # pragma: no cover
    from benchmarks.load_mix import MIX_ENV, Pacing, bodies

KEY = os.environ.get("GRADPATH_LOAD_KEY", "")
PER_USER = float(os.environ.get("GRADPATH_LOAD_PER_USER", "2"))
MIX: dict[str, int] = json.loads(os.environ.get(MIX_ENV, '{"audit": 1}'))
BODIES = bodies()
HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
#: What each endpoint's answer must contain to count as a success.
MARKERS = {"audit": b'"goals"', "plan": b'"status"', "whatif": b'"scenarios"'}


def _call(endpoint: str) -> Callable[[Any], None]:
    choices = BODIES[endpoint]
    marker = MARKERS[endpoint]
    path = f"/v1/{endpoint}"

    def call(user: FastHttpUser) -> None:
        body = random.choice(choices)
        with user.client.post(
            path, data=body, headers=HEADERS, name=path, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif marker not in (response.content or b""):
                response.failure(f"no {marker.decode()} in the answer")

    call.__name__ = endpoint
    return call


class Portal(FastHttpUser):
    """A portal calling the API at a steady pace (``load_mix.Pacing``), each call picked by the
    mix's weights."""

    tasks: ClassVar[dict[Callable[[Any], None], int]] = {
        _call(name): weight for name, weight in MIX.items() if weight > 0
    }

    def on_start(self) -> None:
        self.pacing = Pacing.starting(time.monotonic(), 1 / PER_USER, random.Random())
        gevent.sleep(self.pacing.wait(time.monotonic()))

    def wait_time(self) -> float:
        return self.pacing.wait(time.monotonic())
