"""What one requirement comes to, from the rows it holds: status, amounts by phase, the rows
applied, and a value (a GPA) or a detail.

Evaluation (:mod:`engine.evaluate`) decides which rows a requirement holds; these functions only
read them. Amounts are kept by phase (completed, in progress, planned) so a status says whether
a requirement is met now, on track, or short.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.grades import letter_rank
from engine.normalize import GradedRow
from engine.requirements import CountLeaf, CreditLeaf, GpaLeaf, Group, ItemLeaf
from engine.student import Experience

__all__ = [
    "STATUSES",
    "STATUS_RANK",
    "Outcome",
    "count_outcome",
    "flow_outcome",
    "gpa_outcome",
    "group_outcome",
    "item_outcome",
    "shared_outcome",
    "solo",
    "status_of",
]

STATUS_RANK = {"met": 2, "in_progress": 1, "unmet": 0}
STATUSES = ("unmet", "in_progress", "met")
_PHASE = operator.attrgetter("phase")


@dataclass(slots=True)
class Outcome:
    """What one node came to: status, amounts by phase, rows applied, and a computed value."""

    status: str
    unit: str | None = None
    needed: float = 0.0
    earned: float = 0.0
    in_progress: float = 0.0
    planned: float = 0.0
    applied: list[tuple[GradedRow, float]] = field(default_factory=list)
    value: float | None = None
    detail: str = ""
    chosen: bool = True


def status_of(earned: float, total: float, needed: float) -> str:
    """``met`` on what is earned, ``in_progress`` on everything counted, else ``unmet``."""
    if earned + 1e-9 >= needed:
        return "met"
    return "in_progress" if total + 1e-9 >= needed else "unmet"


def _applied_order(item: tuple[GradedRow, float]) -> int:
    return item[0].rank


def solo(leaf: CreditLeaf, rows: Sequence[GradedRow], phase: int) -> float:
    """Credits a leaf could take from ``rows`` alone (limits applied), up to ``phase``."""
    total = 0.0
    capped = [0.0 for _ in leaf.limits]
    for row in rows:
        if row.phase > phase:
            continue
        credits = row.credits
        for k, (cap, members) in enumerate(leaf.limits):
            if row.course_id in members:
                credits = max(0.0, min(credits, cap - capped[k]))
                capped[k] += credits
                break
        total += credits
    return total


def _by_phase(leaf: CreditLeaf, pool: Sequence[GradedRow]) -> list[float]:
    """``[solo(leaf, pool, p) for p in 0, 1, 2]`` in one pass over a pool in phase order:
    the rows of later phases come after, so each phase's amount is a running total."""
    if leaf.limits:
        return [solo(leaf, pool, p) for p in range(3)]
    reached: list[float | None] = [None, None, None]  # running total at each phase's end
    total = 0.0
    for row in pool:  # summed in the order ``solo`` sums, so the floats are the same
        total += row.credits
        reached[row.phase] = total
    out: list[float] = []
    last = 0.0
    for value in reached:
        last = value if value is not None else last
        out.append(last)
    return out


def group_outcome(node: Group, kids: list[Outcome]) -> Outcome:
    """A group from its children: the ``need``-th best status, amounts of the counted ones."""
    counted: list[Outcome]
    if node.op == "all" and node.need == len(kids) and kids:
        # Every part needed: the status is the worst part's (the need-th best of all).
        status = STATUSES[min([STATUS_RANK[k.status] for k in kids])]
        counted = kids
    else:
        ranks = sorted((STATUS_RANK[k.status] for k in kids), reverse=True)
        status = STATUSES[ranks[node.need - 1]] if len(ranks) >= node.need else "unmet"
        counted = (
            kids
            if node.op == "all"
            else sorted(
                kids, key=lambda k: (k.chosen, STATUS_RANK[k.status], k.earned), reverse=True
            )[: node.need]
        )
    out = Outcome(status)
    units = {k.unit for k in counted}
    if len(units) == 1 and None not in units and units != {"gpa"}:
        out.unit = units.pop()
        for k in counted:
            out.needed += k.needed
            out.earned += min(k.earned, k.needed)
            out.in_progress += k.in_progress
            out.planned += k.planned
    return out


def flow_outcome(leaf: CreditLeaf, applied: list[tuple[GradedRow, float]]) -> Outcome:
    """A consuming leaf from the rows the allocation gave it (``applied`` is sorted in place)."""
    # Amounts come from the rows this leaf holds in the final allocation, so what it shows
    # and what it says always agree. (A set met on completed rows never reroutes them.)
    by_phase = [0.0, 0.0, 0.0]
    for row, credits in applied:
        by_phase[row.phase] += credits
    t0 = by_phase[0]
    t1 = t0 + by_phase[1]
    t2 = t1 + by_phase[2]
    applied.sort(key=_applied_order)
    out = Outcome(
        status_of(t0, t2, leaf.demand), "credits", leaf.demand, t0, t1 - t0, t2 - t1, applied
    )
    if leaf.levels:
        _levels(leaf, out)
    return out


def _levels(leaf: CreditLeaf, out: Outcome) -> None:
    done = {leaf.level_of[r.course_id] for r, _ in out.applied if r.status == "completed"}
    every = {leaf.level_of[r.course_id] for r, _ in out.applied}
    out.unit, out.needed = "levels", float(leaf.levels)
    out.earned = float(min(len(done), leaf.levels))
    out.in_progress = float(min(len(every), leaf.levels)) - out.earned
    out.planned = 0.0
    if out.status == "met" and len(done) < leaf.levels:
        out.status = "in_progress" if len(every) >= leaf.levels else "unmet"
    elif out.status == "in_progress" and len(every) < leaf.levels:
        out.status = "unmet"


def shared_outcome(leaf: CreditLeaf, pool: Sequence[GradedRow]) -> Outcome:
    """``leaf`` judged alone on ``pool`` (in canonical order, as a leaf's pool is kept)."""
    pool = sorted(pool, key=_PHASE)  # stable: by phase, then canonical order
    amounts = _by_phase(leaf, pool)
    applied: list[tuple[GradedRow, float]] = []
    left = leaf.demand
    for row in pool:
        if left <= 1e-9:
            break
        applied.append((row, min(row.credits, left)))
        left -= row.credits
    capped = [min(a, leaf.demand) for a in amounts]
    out = Outcome(
        status_of(amounts[0], amounts[2], leaf.demand),
        "credits",
        leaf.demand,
        capped[0],
        capped[1] - capped[0],
        capped[2] - capped[1],
        applied,
    )
    if leaf.levels:
        _levels(leaf, out)
    return out


def count_outcome(leaf: CountLeaf, pool: Sequence[GradedRow]) -> Outcome:
    """``leaf`` judged on ``pool`` (in canonical order, as a leaf's pool is kept)."""
    seen: dict[str, GradedRow] = {}
    for row in sorted(pool, key=_PHASE):  # stable: by phase, then canonical order
        seen.setdefault(row.course_id, row)
    counts = [sum(1 for r in seen.values() if r.phase <= p) for p in range(3)]
    capped = [float(min(c, leaf.need)) for c in counts]
    return Outcome(
        status_of(counts[0], counts[2], leaf.need),
        "courses",
        float(leaf.need),
        capped[0],
        capped[1] - capped[0],
        capped[2] - capped[1],
        [(r, r.credits) for r in seen.values()],
    )


def gpa_outcome(leaf: GpaLeaf, counted: list[tuple[GradedRow, float]]) -> Outcome:
    """The GPA over ``counted`` (rows and the credits they count for), and whether the rows
    still to be graded could bring it to the minimum."""
    graded = [(r, c) for r, c in counted if r.status == "completed" and r.points is not None]
    pending = sum(c for r, c in counted if r.status != "completed")
    credits = sum(c for _, c in graded)
    points = sum((r.points or 0.0) * c for r, c in graded)
    if leaf.weighted and leaf.honors_cap is not None:
        points += _honors_bonus(leaf, graded)
    gpa = points / credits if credits else None
    out = Outcome("unmet", "gpa", leaf.minimum, applied=counted, value=gpa)
    top = 4.0 + (1.0 if leaf.weighted else 0.0)
    if gpa is not None and gpa + 1e-12 >= leaf.minimum:
        out.status = "in_progress" if pending else "met"
    elif pending:
        need = (leaf.minimum * (credits + pending) - points) / pending
        if need <= top:
            out.status = "in_progress"
            out.detail = f"needs an average of at least {need:.2f} in {pending:g} more credits"
        else:
            out.detail = (
                f"cannot reach {leaf.minimum:.2f} even with top grades in the "
                f"{pending:g} remaining credits"
            )
    return out


def _honors_bonus(leaf: GpaLeaf, graded: Sequence[tuple[GradedRow, float]]) -> float:
    cap = leaf.honors_cap
    assert cap is not None
    left = float(cap.max_semesters)
    per_grade = {g: float(n) for g, n in cap.max_in_grade.items()}
    bonus = 0.0
    for row, credits in sorted(graded, key=lambda a: a[0].when):
        if (
            row.course.level not in cap.levels
            or row.letter is None
            or letter_rank(row.letter) < letter_rank("C-")
        ):
            continue
        semesters = min(credits / 0.5, left, per_grade.get(row.grade_level, left))
        if semesters <= 0:
            continue
        left -= semesters
        if row.grade_level in per_grade:
            per_grade[row.grade_level] -= semesters
        bonus += semesters * 0.5
    return bonus


def item_outcome(
    leaf: ItemLeaf,
    experiences: Sequence[Experience],
    goal_status: Mapping[str, str],
    set_id: str,
) -> Outcome:
    """Hours, a credential, an assessment score, or other sets (``goal``) of set ``set_id``."""
    if leaf.op == "goal":
        return _goal_outcome(leaf, goal_status, set_id)
    if leaf.op == "hours":
        done = sum(
            e.hours or 0 for e in experiences if e.kind == leaf.kind and e.status == "completed"
        )
        planned = sum(
            e.hours or 0 for e in experiences if e.kind == leaf.kind and e.status == "planned"
        )
        return Outcome(
            status_of(done, done + planned, leaf.hours),
            "hours",
            leaf.hours,
            min(done, leaf.hours),
            0.0,
            max(0.0, min(done + planned, leaf.hours) - min(done, leaf.hours)),
        )
    kind = "credential" if leaf.op == "credential" else "assessment"
    status = "unmet"
    for exp in experiences:
        if exp.kind != kind or exp.id not in leaf.ids:
            continue
        # A scheduled exam is on track, like a planned course assumed passed; a taken one
        # counts only with a score at the minimum.
        if (
            exp.status == "completed"
            and leaf.min_score is not None
            and (exp.score is None or exp.score < leaf.min_score)
        ):
            continue
        rank = "met" if exp.status == "completed" else "in_progress"
        if STATUS_RANK[rank] > STATUS_RANK[status]:
            status = rank
    done = 1.0 if status == "met" else 0.0
    return Outcome(status, "items", 1.0, done, 0.0, 1.0 - done if status == "in_progress" else 0.0)


def _goal_outcome(leaf: ItemLeaf, goal_status: Mapping[str, str], set_id: str) -> Outcome:
    """The best status among the referenced sets, each audited on its own."""
    found = [(goal, goal_status.get(goal)) for goal in leaf.ids]
    status = "unmet"
    for _, each in found:
        if each is not None and STATUS_RANK[each] > STATUS_RANK[status]:
            status = each
    missing = [goal for goal, each in found if each is None]
    if missing and status != "met":  # a short-circuited audit stops at the first set met
        raise KeyError(f"rule set {missing[0]!r} was not audited before {set_id!r}")
    detail = "; ".join(
        f"{goal} is {each.replace('_', ' ')}" for goal, each in found if each is not None
    )
    done = 1.0 if status == "met" else 0.0
    return Outcome(
        status,
        "items",
        1.0,
        done,
        1.0 - done if status == "in_progress" else 0.0,
        0.0,
        detail=detail,
    )
