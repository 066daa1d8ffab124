"""Evaluate one compiled requirement set against graded rows: statuses, amounts, applied rows.

The order of work: (1) find which rows each consuming leaf may take; (2) list the combinations
of ``any``/``n_of`` alternatives worth trying (alternatives that cannot be met even alone are
pruned, since competing for rows only makes things harder); (3) allocate rows to the chosen
leaves with :func:`engine.allocate.allocate`; (4) judge every node on that allocation, including
the checks that read it (``within``, ``gpa`` over applied rows, distinct levels), each node's
outcome computed by :mod:`engine.outcomes`. The first combination that meets the set wins;
otherwise the one that gets closest is reported.

Status: ``met`` on completed rows alone, ``in_progress`` when in-progress and planned rows
(assumed passed at the minimum grade) would meet it, ``unmet`` otherwise.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from engine.allocate import UNIT, Allocation, FlowLeaf, FlowRow, allocate
from engine.grades import letter_rank
from engine.normalize import GradedRow
from engine.outcomes import (
    STATUS_RANK,
    STATUSES,
    Outcome,
    count_outcome,
    flow_outcome,
    gpa_outcome,
    group_outcome,
    item_outcome,
    shared_outcome,
    solo,
    status_of,
)
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
EXHAUSTED = (
    "the search for the best whole-course allocation stopped at its limit; a better one may exist"
)


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

    def gpa_rows(self, leaf: GpaLeaf) -> list[tuple[GradedRow, float]]:
        """Rows a GPA counts, with their credits: those applied to the requirements it names
        (``over``, each row once), else every passed or failed attempt it selects."""
        counted: list[tuple[GradedRow, float]] = []
        if leaf.over:
            seen: set[int] = set()
            for name in leaf.over:
                for sub in self.ev.under.get(name, []):
                    for row, credits in self.applied_to.get(id(sub), []):
                        if row.index not in seen:
                            seen.add(row.index)
                            counted.append((row, credits))
            return counted
        for row in self.ev.all_rows:
            if row.use not in ("credit", "failed") or leaf.eligible is None:
                continue
            if row.course_id not in leaf.eligible:
                continue
            if not leaf.in_window(row.grade_level, row.term):
                continue
            counted.append((row, row.credits))
        return counted

    def visit(self, node: Node) -> Outcome:
        key = id(node)
        out = self.outcomes.get(key)
        if out is not None:
            return out
        ev = self.ev
        if isinstance(node, CreditLeaf) and not node.share:  # a consuming leaf
            applied = self.applied_to.get(key)
            if applied is not None:
                out = flow_outcome(node, applied)
            else:
                # An alternative outside the chosen combination shows what rows no other
                # requirement used would give it, but never passes: two alternatives may
                # read the same leftover row. (If it could be met, a combination choosing
                # it is tried as well.)
                consumed = self.consumed
                unused = [r for r in ev.pool(node) if r.index not in consumed]
                out = shared_outcome(node, unused)
                out.status = "unmet"
                out.chosen = False
        elif isinstance(node, Group):
            out = group_outcome(node, [self.visit(c) for c in node.children])
        elif isinstance(node, CreditLeaf | CountLeaf):
            pool = ev.pool(node)
            if node.within:
                keep = self.rows_within(node.within)
                pool = [r for r in pool if r.index in keep]
            out = (
                shared_outcome(node, pool)
                if isinstance(node, CreditLeaf)
                else count_outcome(node, pool)
            )
        elif isinstance(node, GpaLeaf):
            out = gpa_outcome(node, self.gpa_rows(node))
        else:
            assert isinstance(node, ItemLeaf)
            out = item_outcome(node, ev.experiences, ev.goal_status, ev.cset.id)
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

    def solo_alone(self, leaf: CreditLeaf, phase: int) -> float:
        key = (id(leaf), phase)
        if key not in self._solo:
            self._solo[key] = solo(leaf, self.accepts[id(leaf)], phase)
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
            done, every = solo(node, pool, 0), solo(node, pool, 2)
            return status_of(done, every, node.demand)
        if isinstance(node, CountLeaf):
            seen: dict[str, int] = {}
            for row in self.pool(node):
                seen[row.course_id] = min(row.phase, seen.get(row.course_id, 2))
            done = sum(1 for phase in seen.values() if phase == 0)
            return status_of(done, len(seen), node.need)
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
                    shared_outcome(leaf, pool)
                    if isinstance(leaf, CreditLeaf)
                    else count_outcome(leaf, pool)
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
