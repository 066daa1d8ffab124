"""The timeless relaxation's loads, as windows of periods (see :mod:`engine.planning.solve`).

The relaxation places each course at its earliest possible term only, so it cannot check a
term's load. What it can check is true of every plan: the courses that cannot start before
period ``k`` and must end before period ``j`` fit in the periods between. Without this, the
relaxation's bound on the last term is too hopeful whenever full terms push courses later
(a plan of year courses that must end by grade 12 fall fills grades 9 to 11 to the brim).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from engine.planning.scope import Lit, units

if TYPE_CHECKING:
    from engine.planning.model import PlanModel

__all__ = ["add_windows"]


def add_windows(pm: PlanModel, last: cp_model.IntVar) -> None:
    """The timeless model's loads, as windows of periods.

    Courses that cannot start before period ``k`` and must end before period ``j`` fit in
    the periods between (every placement of a course fills the same number of periods):
    for the whole calendar always, and for a plan that ends by period ``end``, with the
    latest placement of each course that ends by then. True of every plan, so still a
    relaxation, and it keeps the relaxation's completion bound honest about full loads.
    """
    p = pm.p
    nper = len(p.calendar.periods)
    fixed_courses, fixed_units = pm.fixed_load()
    limits: list[tuple[int, list[int], bool]] = []
    if p.max_courses is not None:
        limits.append((p.max_courses, fixed_courses, False))
    if p.max_credits is not None:
        limits.append((units(p.max_credits), fixed_units, True))
    if not limits:
        return
    spans = {
        cid: [(pl.periods[0], pl.periods[-1]) for pl in pm.options[cid]]
        for cid, pairs in pm.x.items()
        if pairs
    }
    slots = [{cid: _slots(pm, cid, by_credits) for cid in spans} for _, _, by_credits in limits]
    for end in range(max(pm.floor, 1), nper + 1):
        lit: Lit | None = None
        if end < nper:
            lit = pm.m.new_bool_var(f"ends-by:{end}")
            pm.m.add(last >= end + 1).only_enforce_if(lit.Not())
        # (last period of the latest placement ending by ``end``, course, first period),
        # sorted once: each window below keeps this order (course ids are unique).
        items: list[tuple[int, str, int]] = []
        for cid, sp in spans.items():
            fits = [b for _, b in sp if b < end]
            if fits:
                items.append((max(fits), cid, sp[0][0]))
        items.sort()
        for (cap, fixed, _), size in zip(limits, slots, strict=True):
            for k in range(end):
                inside = [(b, cid) for b, cid, a in items if a >= k]
                sizes = [size[cid] for _, cid in inside]
                total = 0
                room = 0
                n = 0
                for j in range(k + 1, end + 1):
                    room += cap - fixed[j - 1]
                    grew = False
                    while n < len(inside) and inside[n][0] < j:
                        total += sizes[n]
                        n += 1
                        grew = True
                    if not grew or total <= room:
                        continue  # nothing new inside: the smaller window was tighter
                    ct = pm.m.add(
                        cp_model.LinearExpr.weighted_sum(
                            [pm.taken[cid] for _, cid in inside[:n]], sizes[:n]
                        )
                        <= room
                    )
                    if lit is not None:
                        ct.only_enforce_if(lit)


def _slots(pm: PlanModel, cid: str, by_credits: bool) -> int:
    """What a course puts in the periods it fills, in all: periods, or credit units."""
    width = len(pm.options[cid][0].periods)
    if by_credits:
        return units(pm.courses[cid].credits) // width * width
    return width
