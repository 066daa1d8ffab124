"""What ``load_test.py`` sends: the mix of endpoints and the sample students behind each.

Shared by the harness and the locustfile (this module imports nothing from locust, so the
harness can print the mix without gevent's monkey-patching).

The mix is a portal's: audits on every page view, a plan now and then, a what-if rarely.
Plans and what-ifs cost far more than audits (CPU per request, measured on the bundled samples
in-process: an audit 4-17 ms, a plan 18-230 ms, a what-if with one scenario 35-470 ms, i.e. two
audits and two plans), so their share and students decide whether 200 requests/s fits on 2
cores next to the load generator; see ``PLAN_STUDENTS``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AUDIT_STUDENTS", "MIX", "MIX_ENV", "PLAN_STUDENTS", "Pacing", "bodies", "describe"]

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "students"
MIX_ENV = "GRADPATH_LOAD_MIX"

#: Percent of requests per endpoint.
MIX: dict[str, int] = {"audit": 94, "plan": 5, "whatif": 1}
#: Every bundled sample is audited.
AUDIT_STUDENTS: tuple[str, ...] = tuple(sorted(p.stem for p in SAMPLES.glob("*.json")))
#: Plans and what-ifs: the samples of five states whose plan costs at most ~45 ms of CPU.
#: Left out: ny-junior-gaps (~230 ms a plan), tx-senior-stem-dla (~75), tx-sophomore-off-track
#: (~65); a what-if of one of them costs as much as 40-100 audits.
PLAN_STUDENTS: tuple[str, ...] = (
    "ca-senior-uc-bound",
    "ca-sophomore-gaps",
    "fl-junior-gaps",
    "fl-senior-complete",
    "ny-senior-on-track",
    "tx-junior-on-track",
    "tx-senior-complete",
    "tx-transfer-sced",
    "wa-junior-on-track",
    "wa-sophomore-gaps",
)


def _student(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _scenario(student: dict[str, Any]) -> dict[str, Any]:
    """What if the student dropped their last course in progress (a counselor's everyday
    question), or, with none in progress, failed their first graded course."""
    rows = [r for r in student["transcript"] if r.get("course")]
    pending = [r for r in rows if r.get("status") in ("in_progress", "planned")]
    if pending:
        row = pending[-1]
        match = {"course": row["course"], "grade_level": row["grade_level"], "term": row["term"]}
        return {"name": f"drop {row['course']}", "drop": [match]}
    row = next(r for r in rows if r.get("grade") is not None)
    match = {"course": row["course"], "grade_level": row["grade_level"], "term": row["term"]}
    return {"name": f"fail {row['course']}", "regrade": [{**match, "grade": "F"}]}


def bodies() -> dict[str, list[bytes]]:
    """The request bodies per endpoint, serialized once."""
    out: dict[str, list[bytes]] = {"audit": [], "plan": [], "whatif": []}
    for name in AUDIT_STUDENTS:
        out["audit"].append(json.dumps({"student": _student(name)}).encode())
    for name in PLAN_STUDENTS:
        student = _student(name)
        out["plan"].append(json.dumps({"student": student}).encode())
        body = {"student": student, "scenarios": [_scenario(student)]}
        out["whatif"].append(json.dumps(body).encode())
    return out


def describe(mix: dict[str, int]) -> str:
    """The mix in one line, for the report."""
    shares = ", ".join(f"{name} {weight}%" for name, weight in mix.items())
    return (
        f"{shares}; audits of all {len(AUDIT_STUDENTS)} samples; plans and what-ifs "
        f"(one scenario: drop the last course in progress, or fail the first graded one) "
        f"of {len(PLAN_STUDENTS)}: {', '.join(PLAN_STUDENTS)}"
    )


@dataclass
class Pacing:
    """One simulated user's schedule: a request every ``period`` s from a random first instant.

    Why not locust's ``constant_throughput``: it anchors each user's schedule at the user's
    spawn, and locust spawns users in steps, so the users fired in step. Measured at 200
    requests/s from 100 users: bursts of 30 to 84 requests at once and nothing in nine tenths
    of the 10 ms windows, and the latencies measured the bursts (audit p50 80 ms, where the
    same rate spread evenly is answered in 4 ms). A random first instant within the first
    period spreads the users' requests evenly, whenever they were spawned.
    """

    period: float
    next_due: float

    @classmethod
    def starting(cls, now: float, period: float, rng: random.Random) -> Pacing:
        return cls(period=period, next_due=now + rng.uniform(0, period))

    def wait(self, now: float) -> float:
        """Seconds until the next request is due, and that request booked.

        Zero when it is already due: a user whose answer came late catches up, so the
        offered rate holds on average (each user still waits for its own answers).
        """
        delay = max(0.0, self.next_due - now)
        self.next_due += self.period
        return delay
