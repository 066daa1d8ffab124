"""Evaluate one compiled requirement set against graded rows: statuses, amounts, applied rows.

The order of work: (1) find which rows each consuming leaf may take; (2) list the combinations
of ``any``/``n_of`` alternatives worth trying (alternatives that cannot be met even alone are
pruned, since competing for rows only makes things harder); (3) allocate rows to the chosen
leaves with :func:`engine.allocate.allocate`; (4) judge every node on that allocation, including
the checks that read it (``within``, ``gpa`` over applied rows, distinct levels). The first
combination that meets the set wins; otherwise the one that gets closest is reported.

Status: ``met`` on completed rows alone, ``in_progress`` when in-progress and planned rows
(assumed passed at the minimum grade) would meet it, ``unmet`` otherwise.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from engine.allocate import UNIT, Allocation, FlowLeaf, FlowRow, allocate
from engine.grades import letter_rank
from engine.normalize import GradedRow
from engine.requirements import (
    CompiledSet,
    CountLeaf,
    CreditLeaf,
    GpaLeaf,
    Group,
    ItemLeaf,
    Node,
    consumes,
)
from engine.student import Experience

__all__ = [
    "MAX_COMBINATIONS",
    "STATUS_RANK",
    "Evaluation",
    "Outcome",
    "evaluate_set",
    "status_bound",
]

#: Most combinations of alternatives tried for one set.
MAX_COMBINATIONS = 256
STATUS_RANK = {"met": 2, "in_progress": 1, "unmet": 0}
EXHAUSTED = (
    "the search for the best whole-course allocation stopped at its limit; a better one may exist"
)
STATUSES = ("unmet", "in_progress", "met")


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


@dataclass
class Evaluation:
    """Outcomes of every node of one set for the chosen combination of alternatives."""

    status: str
    outcomes: dict[int, Outcome]
    consumed: set[int]
    notes: list[str]


#: Rows in canonical order (``GradedRow.rank``): by what they are, not where they sit in the
#: transcript, so reordering a transcript cannot change a result.
_ORDER = operator.attrgetter("rank")
_PHASE = operator.attrgetter("phase")


def _applied_order(item: tuple[GradedRow, float]) -> int:
    return item[0].rank


def _accepts(leaf: CreditLeaf | CountLeaf, row: GradedRow) -> bool:
    if row.course_id not in leaf.eligible:
        return False
    if leaf.before is not None and row.ended >= leaf.before:
        return False
    if leaf.min_grade is not None and row.status == "completed":
        if row.letter in (None, "P"):
            return False
        return letter_rank(row.letter) >= letter_rank(leaf.min_grade)
    return True


def _units(credits: float) -> int:
    return round(credits * UNIT)


class _Shape(NamedTuple):
    """What evaluating a set needs that depends on the set alone, never on a student.

    Built on a set's first evaluation and kept with it (``CompiledSet.derived``), so an audit
    does not redo it: an allocation's leaves in units, which limit a course falls under, the
    order leaves take rows in, the options of groups that offer no choice, and which leaves
    accept each course. (A set that policies adjusted is a new object, so it gets its own.)
    A named tuple, not a dataclass: it travels with the set, and in the compiled build a
    dataclass is a native class that ``copy.deepcopy`` and ``pickle`` cannot rebuild.
    """

    owner: int  # id() of the set it was built for: a copy of the set (new nodes) rebuilds it
    by_id: dict[int, CreditLeaf]  # id(leaf) -> consuming leaf
    flow: dict[int, FlowLeaf]  # id(leaf) -> its demand and limits in units
    limit_of: dict[int, dict[str, int]]  # id(leaf) -> course -> first limit it falls under
    rank: dict[int, tuple[int, int]]  # id(leaf) -> narrow requirements first, then authored
    fixed: dict[int, frozenset[int]]  # id(group) -> its only option: it holds no choice
    pooled: list[CreditLeaf | CountLeaf]  # every leaf that reads rows it accepts, once
    # course -> (position in ``pooled``, leaf, whether it takes every row of the course)
    takers: dict[str, list[tuple[int, CreditLeaf | CountLeaf, bool]]]


_NONE: frozenset[int] = frozenset()


def _shape(cset: CompiledSet) -> _Shape:
    found = cset.derived.get("evaluate")
    if not isinstance(found, _Shape) or found.owner != id(cset):
        found = _build_shape(cset)
        cset.derived["evaluate"] = found
    return found


def _build_shape(cset: CompiledSet) -> _Shape:
    flow_leaves = cset.flow_leaves
    limit_of: dict[int, dict[str, int]] = {}
    for leaf in flow_leaves:
        first: dict[str, int] = {}
        for k, (_, members) in enumerate(leaf.limits):
            for cid in members:
                first.setdefault(cid, k)
        limit_of[id(leaf)] = first
    pooled = list(
        {
            id(leaf): leaf
            for leaf in [*flow_leaves, *cset.leaves]
            if isinstance(leaf, CreditLeaf | CountLeaf)
        }.values()
    )
    takers: dict[str, list[tuple[int, CreditLeaf | CountLeaf, bool]]] = {}
    for at, taker in enumerate(pooled):
        simple = taker.before is None and taker.min_grade is None
        for cid in taker.eligible:
            takers.setdefault(cid, []).append((at, taker, simple))
    fixed: dict[int, frozenset[int]] = {}
    for root in cset.requirements.values():
        _fixed_leaves(root, fixed)
    return _Shape(
        owner=id(cset),
        by_id={id(leaf): leaf for leaf in flow_leaves},
        flow={
            id(leaf): FlowLeaf(_units(leaf.demand), tuple(_units(c) for c, _ in leaf.limits))
            for leaf in flow_leaves
        },
        limit_of=limit_of,
        rank={id(leaf): (len(leaf.eligible), i) for i, leaf in enumerate(flow_leaves)},
        fixed=fixed,
        pooled=pooled,
        takers=takers,
    )


def _fixed_leaves(node: Node, fixed: dict[int, frozenset[int]]) -> frozenset[int] | None:
    """The consuming leaves under ``node`` when no group below it offers a choice (recorded in
    ``fixed`` for each such group); None when one does."""
    if isinstance(node, Group):
        kids = [_fixed_leaves(child, fixed) for child in node.children]
        if node.op != "all" or any(k is None for k in kids):
            return None
        found = frozenset().union(*(k for k in kids if k is not None))
        fixed[id(node)] = found
        return found
    return frozenset({id(node)}) if isinstance(node, CreditLeaf) and consumes(node) else _NONE


class _Judging:
    """One allocation judged: every node's outcome, leaves first.

    A class, not closures inside ``judge``: a recursive closure is a reference cycle, which
    kept each evaluation's rows and outcomes alive until the cyclic collector ran (about 480
    objects an audit, and the collections they caused).
    """

    def __init__(
        self,
        evaluator: _SetEvaluator,
        applied_to: dict[int, list[tuple[GradedRow, float]]],
        consumed: set[int],
    ) -> None:
        self.ev = evaluator
        self.applied_to = applied_to
        self.consumed = consumed
        self.outcomes: dict[int, Outcome] = {}

    def rows_within(self, names: Sequence[str]) -> set[int]:
        keys: set[int] = set()
        under, applied_to = self.ev.under, self.applied_to
        for name in names:
            for leaf in under.get(name, []):
                keys.update(r.index for r, _ in applied_to.get(id(leaf), []))
        return keys

    def visit(self, node: Node) -> Outcome:
        key = id(node)
        out = self.outcomes.get(key)
        if out is not None:
            return out
        ev = self.ev
        if isinstance(node, CreditLeaf) and not node.share:  # a consuming leaf
            applied = self.applied_to.get(key)
            if applied is not None:
                out = ev.flow_outcome(node, applied)
            else:
                # An alternative outside the chosen combination shows what rows no other
                # requirement used would give it, but never passes: two alternatives may
                # read the same leftover row. (If it could be met, a combination choosing
                # it is tried as well.)
                consumed = self.consumed
                unused = [r for r in ev.pool(node) if r.index not in consumed]
                out = ev.shared_outcome(node, unused)
                out.status = "unmet"
                out.chosen = False
        elif isinstance(node, Group):
            out = ev.group(node, [self.visit(c) for c in node.children])
        elif isinstance(node, CreditLeaf | CountLeaf):
            pool = ev.pool(node)
            if node.within:
                keep = self.rows_within(node.within)
                pool = [r for r in pool if r.index in keep]
            out = (
                ev.shared_outcome(node, pool)
                if isinstance(node, CreditLeaf)
                else ev.count_outcome(node, pool)
            )
        elif isinstance(node, GpaLeaf):
            out = ev.gpa_outcome(
                node, self.rows_within(node.over) if node.over else None, self.applied_to
            )
        else:
            assert isinstance(node, ItemLeaf)
            out = ev.item_outcome(node)
        self.outcomes[key] = out
        return out


class _SetEvaluator:
    def __init__(
        self,
        cset: CompiledSet,
        rows: Sequence[GradedRow],
        experiences: Sequence[Experience],
        goal_status: Mapping[str, str],
    ) -> None:
        self.cset = cset
        self.goal_status = goal_status
        self.rows = [r for r in rows if r.credited]
        self.all_rows = rows
        self.experiences = experiences
        self.notes: list[str] = []
        self.flow_leaves = cset.flow_leaves
        self.shape = _shape(cset)
        self.under = cset.under
        self._pools: dict[int, list[GradedRow]] = {}
        self._solo: dict[tuple[int, int], float] = {}
        # Facts built on first use (a bound reads few of them), by the properties below. Not
        # ``functools.cached_property``: the compiled build turns it into a plain property that
        # builds its value again on every read.
        self._by_course: dict[str, list[GradedRow]] | None = None
        self._accepts: dict[int, list[GradedRow]] | None = None
        self._rows_by_index: dict[int, GradedRow] | None = None
        self._in_order: list[GradedRow] | None = None
        self._by_priority: list[GradedRow] | None = None
        self._by_priority_units: list[tuple[int, int, int, int]] | None = None

    @property
    def by_course(self) -> dict[str, list[GradedRow]]:
        if self._by_course is None:
            self._by_course = self._find_by_course()
        return self._by_course

    @property
    def accepts(self) -> dict[int, list[GradedRow]]:
        if self._accepts is None:
            self._accepts = self._find_accepts()
        return self._accepts

    @property
    def rows_by_index(self) -> dict[int, GradedRow]:
        if self._rows_by_index is None:
            self._rows_by_index = self._find_rows_by_index()
        return self._rows_by_index

    @property
    def in_order(self) -> list[GradedRow]:
        if self._in_order is None:
            self._in_order = self._find_in_order()
        return self._in_order

    @property
    def by_priority(self) -> list[GradedRow]:
        if self._by_priority is None:
            self._by_priority = self._find_by_priority()
        return self._by_priority

    @property
    def by_priority_units(self) -> list[tuple[int, int, int, int]]:
        if self._by_priority_units is None:
            self._by_priority_units = self._find_by_priority_units()
        return self._by_priority_units

    def _find_by_course(self) -> dict[str, list[GradedRow]]:
        """Credited rows by course, for a pool built alone (a bound, or a leaf outside the
        set's own lists)."""
        found: dict[str, list[GradedRow]] = {}
        for row in self.rows:
            found.setdefault(row.course_id, []).append(row)
        return found

    def _find_accepts(self) -> dict[int, list[GradedRow]]:
        """Rows each consuming leaf accepts (not built for a bound, which reads few leaves).

        The pools :meth:`pool` would give, for every leaf that reads rows (the ones judging
        reads too), built in one pass over the rows in canonical order, each row handed to the
        leaves that take its course, instead of one pass per leaf.
        """
        pooled, takers = self.shape.pooled, self.shape.takers
        pools: list[list[GradedRow]] = [[] for _ in pooled]
        for row in self.in_order:
            for at, leaf, simple in takers.get(row.course_id, ()):
                if simple or _accepts(leaf, row):
                    pools[at].append(row)
        known = self._pools
        for leaf, found in zip(pooled, pools, strict=True):
            known.setdefault(id(leaf), found)
        return {id(leaf): known[id(leaf)] for leaf in self.flow_leaves}

    def pool(self, leaf: CreditLeaf | CountLeaf) -> list[GradedRow]:
        """Credited rows ``leaf`` accepts, in canonical order (computed once per leaf)."""
        found = self._pools.get(id(leaf))
        if found is None:
            courses = leaf.eligible.intersection(self.by_course)
            if leaf.before is None and leaf.min_grade is None:  # every row of those courses
                found = [r for cid in courses for r in self.by_course[cid]]
            else:
                found = [r for cid in courses for r in self.by_course[cid] if _accepts(leaf, r)]
            found.sort(key=_ORDER)
            self._pools[id(leaf)] = found
        return found

    # ---- solo feasibility and combinations -------------------------------------------------

    def solo(self, leaf: CreditLeaf, rows: Sequence[GradedRow], phase: int) -> float:
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

    def _by_phase(self, leaf: CreditLeaf, pool: Sequence[GradedRow]) -> list[float]:
        """``[solo(leaf, pool, p) for p in 0, 1, 2]`` in one pass over a pool in phase order:
        the rows of later phases come after, so each phase's amount is a running total."""
        if leaf.limits:
            return [self.solo(leaf, pool, p) for p in range(3)]
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

    def solo_alone(self, leaf: CreditLeaf, phase: int) -> float:
        key = (id(leaf), phase)
        if key not in self._solo:
            self._solo[key] = self.solo(leaf, self.accepts[id(leaf)], phase)
        return self._solo[key]

    def feasible(self, node: Node, phase: int) -> bool:
        if isinstance(node, Group):
            met = sum(self.feasible(child, phase) for child in node.children)
            return met >= node.need
        if isinstance(node, CreditLeaf) and consumes(node):
            return self.solo_alone(node, phase) + 1e-9 >= node.demand
        return True

    def closeness(self, node: Node) -> float:
        if isinstance(node, Group):
            scores = sorted((self.closeness(c) for c in node.children), reverse=True)
            return sum(scores[: node.need]) / max(node.need, 1)
        if isinstance(node, CreditLeaf) and consumes(node):
            return min(1.0, self.solo_alone(node, 2) / node.demand)
        return 1.0

    def options(self, node: Node) -> list[frozenset[int]]:
        """Sets of consuming leaves (by id) that together could meet ``node``."""
        fixed = self.shape.fixed.get(id(node))
        if fixed is not None:  # no choice below: the consuming leaves it holds
            return [fixed]
        if isinstance(node, CreditLeaf) and consumes(node):
            return [frozenset({id(node)})]
        if not isinstance(node, Group):
            return [frozenset()]
        kids = node.children
        if node.op == "all":
            each = [self.options(k) for k in kids]
            if all(len(o) == 1 for o in each):  # no alternatives below: one combination
                return [frozenset().union(*(o[0] for o in each))]
            return _product(each)
        good = [k for k in kids if self.feasible(k, 2)]
        if len(good) < node.need:
            rest = sorted((k for k in kids if k not in good), key=self.closeness, reverse=True)
            good = good + rest[: node.need - len(good)]
        good.sort(key=lambda k: (not self.feasible(k, 0), kids.index(k)))
        out: list[frozenset[int]] = []
        for combo in itertools.combinations(good, node.need):
            out.extend(_product([self.options(k) for k in combo]))
            if len(out) >= MAX_COMBINATIONS:
                break
        # A choice that can never be met (say, a sequence no catalog track matches) still leaves
        # every other requirement to allocate.
        return out[:MAX_COMBINATIONS] or [frozenset()]

    def bound(self, node: Node) -> str:
        """The best status ``node`` could have: each leaf judged alone on every row it accepts.

        An allocation only takes rows away from a leaf and ``within``/levels checks only lower
        it, so no evaluation of the set gives ``node`` a better status.
        """
        if isinstance(node, Group):
            ranks = sorted((STATUS_RANK[self.bound(c)] for c in node.children), reverse=True)
            return STATUSES[ranks[node.need - 1]] if len(ranks) >= node.need else "unmet"
        if isinstance(node, CreditLeaf):
            pool = self.pool(node)
            done, every = self.solo(node, pool, 0), self.solo(node, pool, 2)
            return self._status(done, every, node.demand)
        if isinstance(node, CountLeaf):
            seen: dict[str, int] = {}
            for row in self.pool(node):
                seen[row.course_id] = min(row.phase, seen.get(row.course_id, 2))
            done = sum(1 for phase in seen.values() if phase == 0)
            return self._status(done, len(seen), node.need)
        return "met"  # GPA, credentials, other sets: not bounded here

    # ---- allocation ------------------------------------------------------------------------

    def priority(self, row: GradedRow, boost: frozenset[int]) -> tuple[object, ...]:
        points = row.points if row.points is not None else -1.0
        grade_key = -points if self.cset.best_grades else 0.0
        return (row.phase, 0 if row.index in boost else 1, grade_key, row.rank)

    def allocate(self, leaves: Sequence[CreditLeaf], boost: frozenset[int]) -> Allocation:
        shape = self.shape
        flow_leaves = [shape.flow[id(leaf)] for leaf in leaves]
        edges: dict[int, dict[int, int]] = {}
        accepts = self.accepts
        for li, leaf in enumerate(leaves):
            limit_of = shape.limit_of[id(leaf)] if leaf.limits else None
            for row in accepts[id(leaf)]:
                k = -1 if limit_of is None else limit_of.get(row.course_id, -1)
                found = edges.get(row.index)
                if found is None:
                    edges[row.index] = {li: k}
                else:
                    found[li] = k
        if boost:
            ordered = sorted(
                (r for r in self.rows if r.index in edges), key=lambda r: self.priority(r, boost)
            )
            best = self.cset.best_grades  # then ties between equal flows go to better grades
            flow_rows = [
                FlowRow(
                    r.index,
                    _units(r.credits),
                    r.phase,
                    edges[r.index],
                    round((r.points or 0.0) * 100) if best else 0,
                )
                for r in ordered
            ]
        else:  # the usual case: the order every allocation of this set shares, computed once
            flow_rows = [
                FlowRow(index, units, phase, found, weight)
                for index, units, phase, weight in self.by_priority_units
                if (found := edges.get(index)) is not None
            ]
        return allocate(flow_rows, flow_leaves)

    def _find_rows_by_index(self) -> dict[int, GradedRow]:
        return {r.index: r for r in self.rows}

    def _find_in_order(self) -> list[GradedRow]:
        """Credited rows in canonical order (``GradedRow.rank``)."""
        return sorted(self.rows, key=_ORDER)

    def _find_by_priority(self) -> list[GradedRow]:
        """Credited rows in allocation priority with nothing boosted (:meth:`priority`'s order:
        by phase, then best grades first where they matter, then canonical order)."""
        if self.cset.best_grades:
            return sorted(
                self.in_order,
                key=lambda r: (r.phase, -(r.points if r.points is not None else -1.0)),
            )
        return sorted(self.in_order, key=_PHASE)  # stable: canonical order within a phase

    def _find_by_priority_units(self) -> list[tuple[int, int, int, int]]:
        """:attr:`by_priority` as the allocator reads it: index, units, phase and weight
        (grade points, when ties between equal flows go to better grades)."""
        best = self.cset.best_grades
        return [
            (r.index, _units(r.credits), r.phase, round((r.points or 0.0) * 100) if best else 0)
            for r in self.by_priority
        ]

    # ---- judging ---------------------------------------------------------------------------

    def run(self) -> Evaluation:
        roots = list(self.cset.requirements.values())
        top = Group(self.cset.id, self.cset.title, None, None, "all", len(roots), roots)
        combos = self.options(top)
        if len(combos) >= MAX_COMBINATIONS:
            self.notes.append(
                f"only the first {MAX_COMBINATIONS} combinations of alternatives were tried"
            )
        best: Evaluation | None = None
        best_key: tuple[int, tuple[int, int, int, int]] = (-1, (-1, -1, -1, -1))
        by_id, rank = self.shape.by_id, self.shape.rank
        for combo in combos or [frozenset()]:
            # Narrow requirements first, so a row goes to "Algebra I" before "any elective".
            leaves = sorted((by_id[i] for i in combo), key=lambda leaf: rank[id(leaf)])
            alloc = self.allocate(leaves, frozenset())
            if alloc.exhausted and EXHAUSTED not in self.notes:
                self.notes.append(EXHAUSTED)
            result = self.judge(top, leaves, alloc)
            if result.status != "met" and self.post_checks_failed(result):
                boost = self.boost_rows(result)
                if boost:
                    boosted = self.allocate(leaves, boost)
                    retry = self.judge(top, leaves, boosted)
                    if STATUS_RANK[retry.status] > STATUS_RANK[result.status]:
                        result, alloc = retry, boosted
            key = (STATUS_RANK[result.status], alloc.score())
            if key > best_key:
                best, best_key = result, key
            if result.status == "met":
                break
        assert best is not None
        best.notes = self.notes
        return best

    def post_checks_failed(self, result: Evaluation) -> bool:
        return any(
            isinstance(leaf, CreditLeaf | CountLeaf)
            and leaf.within
            and STATUS_RANK[result.outcomes[id(leaf)].status] < STATUS_RANK["in_progress"]
            for leaf in self.cset.leaves
        )

    def boost_rows(self, result: Evaluation) -> frozenset[int]:
        """Rows that failing ``within`` checks would count, to try them first.

        Empty when no allocation could help: a check that fails even over every row it
        accepts (not only the applied ones) fails whatever the allocation does.
        """
        out: set[int] = set()
        for leaf in self.cset.leaves:
            if (
                isinstance(leaf, CreditLeaf | CountLeaf)
                and leaf.within
                and result.outcomes[id(leaf)].status == "unmet"
            ):
                pool = self.pool(leaf)
                alone = (
                    self.shared_outcome(leaf, pool)
                    if isinstance(leaf, CreditLeaf)
                    else self.count_outcome(leaf, pool)
                )
                if alone.status != "unmet":
                    out.update(r.index for r in pool)
        return frozenset(out)

    def judge(self, top: Group, leaves: Sequence[CreditLeaf], alloc: Allocation) -> Evaluation:
        rows_by_index = self.rows_by_index
        consumed: set[int] = set()
        applied_to: dict[int, list[tuple[GradedRow, float]]] = {}
        for li, leaf in enumerate(leaves):
            used = alloc.used.get(li, {})
            applied_to[id(leaf)] = [(rows_by_index[k], u / UNIT) for k, u in used.items()]
            consumed.update(used)
        judging = _Judging(self, applied_to, consumed)
        status = judging.visit(top).status
        return Evaluation(status, judging.outcomes, consumed, [])

    def group(self, node: Group, kids: list[Outcome]) -> Outcome:
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

    @staticmethod
    def _status(earned: float, total: float, needed: float) -> str:
        if earned + 1e-9 >= needed:
            return "met"
        return "in_progress" if total + 1e-9 >= needed else "unmet"

    def flow_outcome(self, leaf: CreditLeaf, applied: list[tuple[GradedRow, float]]) -> Outcome:
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
            self._status(t0, t2, leaf.demand), "credits", leaf.demand, t0, t1 - t0, t2 - t1, applied
        )
        if leaf.levels:
            self._levels(leaf, out)
        return out

    def _levels(self, leaf: CreditLeaf, out: Outcome) -> None:
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

    def shared_outcome(self, leaf: CreditLeaf, pool: Sequence[GradedRow]) -> Outcome:
        """``leaf`` judged alone on ``pool`` (in canonical order, as :meth:`pool` gives it)."""
        pool = sorted(pool, key=_PHASE)  # stable: by phase, then canonical order
        amounts = self._by_phase(leaf, pool)
        applied: list[tuple[GradedRow, float]] = []
        left = leaf.demand
        for row in pool:
            if left <= 1e-9:
                break
            applied.append((row, min(row.credits, left)))
            left -= row.credits
        capped = [min(a, leaf.demand) for a in amounts]
        out = Outcome(
            self._status(amounts[0], amounts[2], leaf.demand),
            "credits",
            leaf.demand,
            capped[0],
            capped[1] - capped[0],
            capped[2] - capped[1],
            applied,
        )
        if leaf.levels:
            self._levels(leaf, out)
        return out

    def count_outcome(self, leaf: CountLeaf, pool: Sequence[GradedRow]) -> Outcome:
        """``leaf`` judged on ``pool`` (in canonical order, as :meth:`pool` gives it)."""
        seen: dict[str, GradedRow] = {}
        for row in sorted(pool, key=_PHASE):  # stable: by phase, then canonical order
            seen.setdefault(row.course_id, row)
        counts = [sum(1 for r in seen.values() if r.phase <= p) for p in range(3)]
        capped = [float(min(c, leaf.need)) for c in counts]
        return Outcome(
            self._status(counts[0], counts[2], leaf.need),
            "courses",
            float(leaf.need),
            capped[0],
            capped[1] - capped[0],
            capped[2] - capped[1],
            [(r, r.credits) for r in seen.values()],
        )

    def gpa_outcome(
        self,
        leaf: GpaLeaf,
        over: set[int] | None,
        applied_to: Mapping[int, list[tuple[GradedRow, float]]],
    ) -> Outcome:
        counted: list[tuple[GradedRow, float]] = []
        if over is not None:
            seen: set[int] = set()
            for name in leaf.over:
                for sub in self.under.get(name, []):
                    for row, credits in applied_to.get(id(sub), []):
                        if row.index not in seen:
                            seen.add(row.index)
                            counted.append((row, credits))
        else:
            for row in self.all_rows:
                if row.use not in ("credit", "failed") or leaf.eligible is None:
                    continue
                if row.course_id not in leaf.eligible:
                    continue
                if leaf.grade_levels and row.grade_level not in leaf.grade_levels:
                    continue
                counted.append((row, row.credits))
        graded = [(r, c) for r, c in counted if r.status == "completed" and r.points is not None]
        pending = sum(c for r, c in counted if r.status != "completed")
        credits = sum(c for _, c in graded)
        points = sum((r.points or 0.0) * c for r, c in graded)
        if leaf.weighted and leaf.honors_cap is not None:
            points += self._honors_bonus(leaf, graded)
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

    @staticmethod
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

    def item_outcome(self, leaf: ItemLeaf) -> Outcome:
        if leaf.op == "goal":
            return self.goal_outcome(leaf)
        if leaf.op == "hours":
            done = sum(
                e.hours or 0
                for e in self.experiences
                if e.kind == leaf.kind and e.status == "completed"
            )
            planned = sum(
                e.hours or 0
                for e in self.experiences
                if e.kind == leaf.kind and e.status == "planned"
            )
            return Outcome(
                self._status(done, done + planned, leaf.hours),
                "hours",
                leaf.hours,
                min(done, leaf.hours),
                0.0,
                max(0.0, min(done + planned, leaf.hours) - min(done, leaf.hours)),
            )
        kind = "credential" if leaf.op == "credential" else "assessment"
        status = "unmet"
        for exp in self.experiences:
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
        return Outcome(
            status, "items", 1.0, done, 0.0, 1.0 - done if status == "in_progress" else 0.0
        )

    def goal_outcome(self, leaf: ItemLeaf) -> Outcome:
        """The best status among the referenced sets, each audited on its own."""
        found = [(goal, self.goal_status.get(goal)) for goal in leaf.ids]
        status = "unmet"
        for _, each in found:
            if each is not None and STATUS_RANK[each] > STATUS_RANK[status]:
                status = each
        missing = [goal for goal, each in found if each is None]
        if missing and status != "met":  # a short-circuited audit stops at the first set met
            raise KeyError(f"rule set {missing[0]!r} was not audited before {self.cset.id!r}")
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


def _product(choices: list[list[frozenset[int]]]) -> list[frozenset[int]]:
    out: list[frozenset[int]] = [frozenset()]
    for options in choices:
        merged = dict.fromkeys(a | b for a in out for b in options)
        out = list(merged)[:MAX_COMBINATIONS]
    return out


def evaluate_set(
    cset: CompiledSet,
    rows: Sequence[GradedRow],
    experiences: Sequence[Experience],
    goal_status: Mapping[str, str] | None = None,
) -> Evaluation:
    """Judge ``cset`` on graded rows; see the module docstring for the method.

    ``goal_status`` holds the status of every set in ``cset.goals`` (audited first by the caller).
    """
    return _SetEvaluator(cset, rows, experiences, goal_status or {}).run()


def status_bound(
    cset: CompiledSet, rows: Sequence[GradedRow], experiences: Sequence[Experience]
) -> str:
    """An upper bound on ``evaluate_set(cset, rows, experiences).status``, without allocating.

    Each requirement is judged alone on every row it accepts; GPA, credential and ``goal``
    requirements count as met. Policies are not applied: a caller must not bound a set whose
    policies could change its requirements.
    """
    evaluator = _SetEvaluator(cset, rows, experiences, {})
    status = "met"
    # Every requirement must be met, so the bound is the lowest; requirements a set adds to the
    # one it extends come last and fail most often, so they are looked at first.
    for node in reversed(cset.requirements.values()):
        found = evaluator.bound(node)
        if STATUS_RANK[found] < STATUS_RANK[status]:
            status = found
            if status == "unmet":
                break
    return status
