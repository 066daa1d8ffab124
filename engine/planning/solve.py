"""Solving a plan exactly and fast: a relaxation's optimum first, then a plan that reaches it.

The full model (:mod:`engine.planning.model`) has a literal for every candidate course in every
term it could take, and proving its optimum takes CP-SAT hundreds of milliseconds, although
nearly all of the difficulty is *which* courses, not *when*. So the search goes in steps:

1. The **timeless relaxation** (``Problem.timeless``): each course at its earliest possible
   placement, prerequisites as "taken too", loads as windows of periods
   (:mod:`engine.planning.windows`), and goals whose requirements another goal restates (a
   set and its extension) left to the check in step 2. Every plan is a plan of the relaxation
   too, one no worse in any tier, so its optima are lower bounds: its first tier, and for the
   second, the first deadline (from the completion floor on) a relaxed plan can meet and the
   fewest disliked courses of one that meets it.
2. The **full model over just the courses the relaxation chose**. A plan there that reaches
   both bounds is optimal for the full model: nothing beats a lower bound it meets.
3. Otherwise the **full model over every candidate**, started from the best plan found so far,
   with the first tier's optimum fixed when step 2 already reached its bound.

Every step shares one budget of deterministic time, so the result (and whether it is proven
optimal) is the same on any machine.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

from engine.planning.model import PlanModel, Problem, Solution
from engine.planning.scope import Lit

__all__ = ["solve_plan"]

#: Least budget handed to a step (the solver's own floor).
MIN_STEP = 0.01


def solve_plan(problem: Problem, time_limit: float, lenient: Collection[str] = ()) -> Solution:
    """The lexicographically optimal plan for ``problem``, or the best found and a bound.

    ``lenient`` goals may be left out of the relaxation (the plan is still checked against
    them): goals another goal restates, which its plans usually meet anyway.
    """
    goals = [g for g in problem.goals if g not in lenient]
    relaxed = PlanModel(replace(problem, timeless=True, goals=goals))
    search = _Search(problem, relaxed, time_limit)
    bound = search.run(relaxed, objectives=relaxed.tiers[:1])
    if bound.status == "infeasible":
        return bound  # a relaxation without a plan: the full model has none either
    if bound.status != "optimal":
        return search.full()
    # From here on the relaxation keeps its first tier fixed at this optimum (solve() fixes
    # every tier it proves), and each deadline probe below is the last solve of it that
    # succeeds, so the fewest disliked courses a probe fixes never constrain another step.
    first = search.first = bound.tiers[0]
    search.credits_bound = relaxed.credits_of(first)
    most = relaxed.count_weight
    floor = relaxed.floor * most
    fewest: int | None = None
    if not any(problem.preference.values()):
        # Every course is disliked: the second tier is at least the completion floor and as
        # few courses as the first tier's count allows.
        search.schedule(bound)
        fewest = max(first % most - len(relaxed.items_needed), 0)
        if search.reached((first, floor + fewest)):
            return search.done()
    # The second tier, one deadline at a time from the completion floor: the first deadline a
    # relaxed plan can meet bounds the last term, and its fewest disliked courses bound the
    # rest. A plan of those courses that meets both is optimal.
    nper = len(problem.calendar.periods)
    for end in range(relaxed.floor, nper + 1):
        if fewest is not None and search.reached((first, end * most + fewest)):
            return search.done()  # no plan ends sooner (the probes before say so)
        deadline: list[Lit] = []
        if end < nper:
            deadline = [relaxed.m.new_bool_var(f"deadline:{end}")]
            relaxed.m.add(relaxed.last <= end).only_enforce_if(deadline[0])
        probe = search.run(
            relaxed,
            deadline,
            known=(first,),
            warm=True,
            objectives=(relaxed.tiers[0], relaxed.disliked),
            share=0.25,
        )
        if probe.status == "infeasible" and search.left > 0:
            continue
        if probe.status == "optimal":
            target = (first, end * most + probe.tiers[1])
            if not search.reached(target):
                search.schedule(probe)
            if search.reached(target):
                return search.done()
        break
    return search.full()


class _Search:
    """The steps' shared budget and counters, and the best full plan found so far."""

    def __init__(self, problem: Problem, relaxed: PlanModel, time_limit: float) -> None:
        self.problem = problem
        self.relaxed = relaxed
        self.time_limit = time_limit
        self.left = time_limit
        self.wall = 0.0
        self.credits_bound = 0.0
        self.first = -1  # the relaxation's first-tier optimum, once known
        self.best: Solution | None = None  # its tiers as the relaxation weighs them
        self.tried: set[frozenset[str]] = set()

    def run(self, model: PlanModel, *args: Any, share: float = 0.5, **options: Any) -> Solution:
        """One step, given ``share`` of what is left (so the full model always has time)."""
        out = model.solve(max(self.left * share, MIN_STEP), *args, **options)
        self.left -= out.dtime
        self.wall += out.wall
        return out

    def schedule(self, choice: Solution) -> None:
        """Schedule the relaxation's choice of courses in the full model (just those)."""
        chosen = frozenset(cid for cid, _ in choice.placed)
        if chosen in self.tried or self.left <= 0:
            return
        self.tried.add(chosen)
        problem = self.problem
        sub = PlanModel(
            replace(problem, candidates=[c for c in problem.candidates if c.id in chosen])
        )
        # Its first tier can be no better than the relaxation's: fix it, solve the second.
        found = self.run(sub, known=sub.key_of(choice)[:1])
        if found.status not in ("optimal", "feasible"):
            return
        key = self.relaxed.key_of(found)
        if self.best is None or key < self.best.tiers:
            self.best = replace(found, status="feasible", tiers=key)

    def reached(self, target: tuple[int, int]) -> bool:
        """Whether the best plan meets ``target`` (lower bounds on both tiers)."""
        return self.best is not None and self.best.tiers == target

    def done(self) -> Solution:
        assert self.best is not None
        return replace(
            self.best,
            status="optimal",
            credits_bound=self.credits_bound,
            wall=self.wall,
            dtime=self.time_limit - self.left,
        )

    def full(self) -> Solution:
        """The full model over every candidate, started from the best plan so far (its first
        tier fixed when that already meets the relaxation's bound)."""
        best = self.best
        model = PlanModel(self.problem)
        known: tuple[int, ...] = ()
        if best is not None and best.tiers[0] == self.first:
            known = model.key_of(best)[:1]
        out = self.run(model, known=known, hint=best.placed if best is not None else [], share=1)
        if out.status == "unknown" and best is not None:
            out = best
        return replace(
            out,
            credits_bound=max(out.credits_bound, self.credits_bound),
            wall=self.wall,
            dtime=self.time_limit - self.left,
        )
