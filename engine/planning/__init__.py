"""Planning: the courses to take, term by term, so every goal is met; and what-if scenarios.

``plan`` is exact (CP-SAT over the candidate courses), checked by the audit, explained course by
course, and says which constraints conflict when no plan exists. ``whatif`` runs a list of
scenarios (the student plus changes) and compares each with the student as recorded.
"""

from engine.planning.constraints import CourseLock, PlanConstraints
from engine.planning.plan import plan
from engine.planning.render import render_plan, render_whatif
from engine.planning.results import (
    Alternatives,
    Conflict,
    Milestone,
    PlannedCourse,
    PlanResult,
    ScenarioResult,
    Service,
    TermPlan,
    WhatIfResult,
)
from engine.planning.whatif import Scenario, ScenarioSet, whatif

__all__ = [
    "Alternatives",
    "Conflict",
    "CourseLock",
    "Milestone",
    "PlanConstraints",
    "PlanResult",
    "PlannedCourse",
    "Scenario",
    "ScenarioResult",
    "ScenarioSet",
    "Service",
    "TermPlan",
    "WhatIfResult",
    "plan",
    "render_plan",
    "render_whatif",
    "whatif",
]
