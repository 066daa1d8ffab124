"""``time_limit`` bounds a whole plan: the audit's retries and the conflict search share it.

The service caps ``time_limit`` so a plan request cannot hold a worker; before, each of up to
four solves (a plan the audit refused is solved again) and then the conflict search each got
the whole limit. The solver's spent time is faked here (deterministic time is what the budget
counts), so each test knows exactly what every step was handed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from engine.planning import PlanConstraints, plan
from engine.planning.infeasible import FIRST_FLOOR
from engine.planning.model import PlanModel
from engine.results import AuditResult
from tests.conftest import catalog, course, ruleset, student
from tests.planning.factories import knowledge
from tests.planning.test_plan_unit import _chemistry_case as chemistry_case

# The module, not the function ``engine.planning`` exports under the same name.
planning = importlib.import_module("engine.planning.plan")


def _solves_spending(monkeypatch: pytest.MonkeyPatch, spent: float, budgets: list[float]) -> None:
    """Every plan solve reports ``spent`` solver seconds; ``budgets`` gets what each was given."""
    real = planning.solve_plan

    def solve(problem: Any, time_limit: float, lenient: Any = ()) -> Any:
        budgets.append(time_limit)
        return replace(real(problem, time_limit, lenient), dtime=spent)

    monkeypatch.setattr(planning, "solve_plan", solve)


def _refusing(check: Callable[..., AuditResult]) -> Callable[..., AuditResult]:
    """The planner's audit of each plan, made to refuse it (every goal unmet)."""

    def refuse(*args: Any) -> AuditResult:
        audited = check(*args)
        goals = tuple(g.model_copy(update={"status": "unmet"}) for g in audited.goals)
        return audited.model_copy(update={"goals": goals})

    return refuse


def _simple_case() -> tuple[Any, Any]:
    # Levels differ so that no two courses are interchangeable (grouped as one candidate):
    # a plan the audit refuses always leaves another to try.
    levels = {"ALG1": [9, 10, 11], "GEOM": [10, 11, 12], "ALG2": [11, 12], "PREC": [9, 11, 12]}
    cat = catalog(*(course(c, subject="math", grade_levels=g) for c, g in levels.items()))
    rset = ruleset({"math": {"credits": 2, "from": {"subject": "math"}}})
    return knowledge(cat, rset), student(grade_level=11, goals=["test-set"])


def test_plans_the_audit_refuses_are_solved_again_from_what_is_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    budgets: list[float] = []
    _solves_spending(monkeypatch, 2.0, budgets)
    monkeypatch.setattr(planning, "_check", _refusing(planning._check))
    kb, stu = _simple_case()
    result = plan(knowledge=kb, student=stu, constraints=PlanConstraints(time_limit=5))
    assert budgets == pytest.approx([5.0, 3.0, 1.0])  # then nothing is left for a fourth
    assert result.status == "unknown"
    assert "before the time limit" in result.message
    assert not result.courses


def test_no_plan_is_not_claimed_when_the_audit_refused_the_only_ones_seen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Interchangeable courses reach the solver as one pair: once the audit refuses that pair
    the solver sees no other, which proves nothing about the catalog."""
    monkeypatch.setattr(planning, "_check", _refusing(planning._check))
    cat = catalog(*(course(c, subject="math") for c in ("ALG1", "GEOM", "ALG2", "PREC")))
    rset = ruleset({"math": {"credits": 2, "from": {"subject": "math"}}})
    stu = student(grade_level=11, goals=["test-set"])
    result = plan(knowledge=knowledge(cat, rset), student=stu)
    assert result.status == "unknown"
    assert "No plan exists" not in result.message
    assert "audit accepts" in result.message
    assert not result.conflicts


def test_a_plan_the_audit_accepts_spends_one_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    budgets: list[float] = []
    _solves_spending(monkeypatch, 0.5, budgets)
    kb, stu = _simple_case()
    result = plan(knowledge=kb, student=stu, constraints=PlanConstraints(time_limit=5))
    assert result.status == "optimal"
    assert len(result.courses) == 2
    assert budgets == [5.0]


def _chemistry_case() -> tuple[Any, Any]:
    """No plan: Chemistry needs Algebra I, both are offered only in fall, one fall is left."""
    cat, rset, stu = chemistry_case()
    return knowledge(cat, rset), stu


def _conflict_budgets(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """What each solve of the conflict search is handed."""
    seen: list[float] = []
    real = PlanModel.solve

    def solve(self: PlanModel, time_limit: float, *args: Any, **options: Any) -> Any:
        if self.p.relax:
            seen.append(time_limit)
        return real(self, time_limit, *args, **options)

    monkeypatch.setattr(PlanModel, "solve", solve)
    return seen


def test_the_conflict_search_gets_what_the_plan_left(monkeypatch: pytest.MonkeyPatch) -> None:
    plan_budgets: list[float] = []
    _solves_spending(monkeypatch, 4.5, plan_budgets)
    search = _conflict_budgets(monkeypatch)
    kb, stu = _chemistry_case()
    result = plan(knowledge=kb, student=stu, constraints=PlanConstraints(time_limit=5))
    assert result.status == "infeasible"
    assert plan_budgets == [5.0]
    assert search, "the conflicts were searched for"
    assert search[0] == pytest.approx(0.5)  # not the whole 5 s again
    assert all(b <= 0.5 + 1e-9 for b in search)


def test_with_the_budget_spent_the_conflict_is_still_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _solves_spending(monkeypatch, 7.0, [])
    search = _conflict_budgets(monkeypatch)
    kb, stu = _chemistry_case()
    result = plan(knowledge=kb, student=stu, constraints=PlanConstraints(time_limit=5))
    assert result.status == "infeasible"
    assert search == [FIRST_FLOOR]  # one proof at the floor, no subset search after it
    named = {(c.kind, c.course) for c in result.conflicts}
    assert ("prerequisite", "CHEM") in named
    assert "Chemistry needs Algebra I" in result.message
