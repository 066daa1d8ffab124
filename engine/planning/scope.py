"""How one requirement set becomes constraints over the plan's courses (its own allocation).

Each consuming requirement ``L`` gets ``a[i, L]``: item ``i`` (a row already on the transcript
or a candidate course) counted toward it, whole rows, one consuming requirement per row. The
audit's other checks read those variables: shared totals and ``within`` pools, distinct course
counts, sequence levels, the GPA on-track test, and ``goal`` requirements (another set met with
its own allocation). Each node gets a literal that is true only when the node is met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from engine.grades import letter_rank
from engine.normalize import END_ORDER, GradedRow
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

if TYPE_CHECKING:
    from engine.planning.model import PlanModel

__all__ = ["UNIT", "LinearExpr", "Lit", "Scope", "item_on_track", "units"]

Lit = cp_model.IntVar
LinearExpr = cp_model.LinearExprT
#: Credits are counted in hundredths so half and quarter credits are whole numbers.
UNIT = 100


def units(credits: float) -> int:
    """Credits in hundredths."""
    return round(credits * UNIT)


def _ended(grade: int, term: str) -> tuple[int, int]:
    return (grade, END_ORDER[term])


class Scope:
    """One requirement set's allocation: its own ``a[i, L]`` variables over the shared courses."""

    def __init__(self, model: PlanModel, cset: CompiledSet) -> None:
        self.pm = model
        self.m = model.m
        self.cset = cset
        self.rows = [r for r in model.p.graded[cset.id] if r.credited]
        self.row_at: dict[object, GradedRow] = {r.index: r for r in self.rows}
        # Credit units of every item, looked up once per leaf that reads it (hot in building).
        self.item_units: dict[tuple[str, object], int] = {
            ("row", r.index): units(r.credits) for r in self.rows
        }
        for cid, size in model.course_units.items():
            self.item_units[("course", cid)] = size
        self.all_rows = list(model.p.graded[cset.id])
        self.met_lits: dict[int, Lit] = {}
        # a[(item, leaf)] where item is ("row", index) or ("course", id)
        self.assign: dict[int, dict[tuple[str, object], Lit]] = {}
        self.item_used: dict[tuple[str, object], list[Lit]] = {}
        self.leaf_lit: dict[int, Lit] = {}
        self.remainder = self._remainder_leaf()
        for leaf in cset.flow_leaves:
            self.leaf_lit[id(leaf)] = self.m.new_bool_var(f"{cset.id}:{leaf.path}")
            if leaf is self.remainder:
                self.assign[id(leaf)] = {}
            else:
                self._assignments(leaf)
        for item, lits in self.item_used.items():
            kind, key = item
            present = 1 if kind == "row" else model.taken[str(key)]
            self.m.add(cp_model.LinearExpr.sum(lits) <= present)

    def _remainder_leaf(self) -> CreditLeaf | None:
        """A consuming requirement any row may fill ("5 credits of electives"), modelled as
        what the rows not given to other requirements add up to: no variable per row.

        Only when nothing reads the rows it holds (``within``, ``over``) and it has no limits,
        deadlines, minimum grades or levels; at most one per set, so no row is counted twice.
        """
        read: set[str] = set()
        for leaf in self.cset.leaves:
            read.update(getattr(leaf, "within", ()))
            read.update(getattr(leaf, "over", ()))
        held = {id(x) for name in read for x in self.cset.under.get(name, [])}
        every = len(self.cset.catalog.courses)
        for leaf in self.cset.flow_leaves:
            if (
                len(leaf.eligible) == every
                and not leaf.limits
                and leaf.before is None
                and leaf.min_grade is None
                and not leaf.levels
                and id(leaf) not in held
            ):
                return leaf
        return None

    def _remainder_amount(self, leaf: CreditLeaf, lit: Lit) -> None:
        held = 0  # credits of the rows already on the transcript
        exprs: list[LinearExpr] = []
        coeffs: list[int] = []
        for row in self.rows:
            size = units(row.credits)
            held += size
            for used in self.item_used.get(("row", row.index), []):
                exprs.append(used)
                coeffs.append(-size)
        for cid, taken in self.pm.taken.items():
            size = units(self.pm.courses[cid].credits)
            exprs.append(taken)
            coeffs.append(size)
            for used in self.item_used.get(("course", cid), []):
                exprs.append(used)
                coeffs.append(-size)
        total = cp_model.LinearExpr.weighted_sum(exprs, coeffs)
        self.m.add(total >= units(leaf.demand) - held).only_enforce_if(lit)

    # -- items a leaf accepts --

    def _row_ok(self, leaf: CreditLeaf | CountLeaf, row: GradedRow) -> bool:
        if row.course.id not in leaf.eligible:
            return False
        if leaf.before is not None and row.ended >= leaf.before:
            return False
        if leaf.min_grade is not None and row.status == "completed":
            if row.letter in (None, "P"):
                return False
            return letter_rank(row.letter or "F") >= letter_rank(leaf.min_grade)
        return True

    def _course_when(self, leaf: CreditLeaf | CountLeaf, cid: str) -> list[Lit] | None:
        """Placements of ``cid`` in which ``leaf`` accepts it (None: every placement)."""
        if leaf.before is None:
            return None
        cutoff = leaf.before
        pairs = self.pm.x[cid]
        fits = [v for pl, v in pairs if _ended(pl.grade, pl.term) < cutoff]
        return None if len(fits) == len(pairs) else fits

    def _assignments(self, leaf: CreditLeaf) -> None:
        lit = self.leaf_lit[id(leaf)]
        table: dict[tuple[str, object], Lit] = {}
        for row in self.rows:
            if self._row_ok(leaf, row):
                table[("row", row.index)] = self.m.new_bool_var("")
        for cid in sorted(leaf.eligible & self.pm.taken.keys()):
            when = self._course_when(leaf, cid)
            if when is not None and not when:
                continue
            var = self.m.new_bool_var("")
            if when is not None:
                self.m.add_bool_or(when).only_enforce_if(var)
            table[("course", cid)] = var
        for item, var in table.items():
            self.m.add_implication(var, lit)
            self.item_used.setdefault(item, []).append(var)
        self.assign[id(leaf)] = table

    def _units_of(self, item: tuple[str, object]) -> int:
        return self.item_units[item]

    def _course_of(self, item: tuple[str, object]) -> str:
        kind, key = item
        if kind == "row":
            return self.row_at[key].course.id
        return str(key)

    # -- node literals --

    def met(self, node: Node) -> Lit:
        found = self.met_lits.get(id(node))
        if found is not None:
            return found
        if isinstance(node, Group):
            lit = self.m.new_bool_var(node.path)
            kids = [self.met(child) for child in node.children]
            self.m.add(sum(kids) >= node.need).only_enforce_if(lit)
        elif isinstance(node, CreditLeaf) and consumes(node):
            lit = self.leaf_lit[id(node)]
            if node is self.remainder:
                self._remainder_amount(node, lit)
            else:
                self._credit_amount(node, self.assign[id(node)], lit)
        elif isinstance(node, CreditLeaf):
            lit = self.m.new_bool_var(node.path)
            self._credit_amount(node, self._pool(node), lit)
        elif isinstance(node, CountLeaf):
            lit = self.m.new_bool_var(node.path)
            self._count(node, self._pool(node), lit)
        elif isinstance(node, GpaLeaf):
            lit = self.m.new_bool_var(node.path)
            self._gpa(node, lit)
        else:
            lit = self._item(node)
        self.met_lits[id(node)] = lit
        return lit

    def _pool(self, leaf: CreditLeaf | CountLeaf) -> dict[tuple[str, object], LinearExpr]:
        """0/1 expressions: whether each item is in a non-consuming leaf's pool."""
        out: dict[tuple[str, object], LinearExpr] = {}
        within = [
            self.assign[id(sub)] for name in leaf.within for sub in self.cset.under.get(name, [])
        ]
        for row in self.rows:
            if not self._row_ok(leaf, row):
                continue
            item: tuple[str, object] = ("row", row.index)
            if leaf.within:
                out[item] = sum(t[item] for t in within if item in t)
            else:
                out[item] = 1
        for cid in sorted(leaf.eligible & self.pm.taken.keys()):
            item = ("course", cid)
            when = self._course_when(leaf, cid)
            if when is not None and not when:
                continue
            if leaf.within:
                expr: LinearExpr = sum(t[item] for t in within if item in t)
                if when is not None:
                    var = self.m.new_bool_var("")
                    self.m.add(var <= expr)
                    self.m.add_bool_or(when).only_enforce_if(var)
                    expr = var
            elif when is not None:
                expr = sum(when)
            else:
                expr = self.pm.taken[cid]
            out[item] = expr
        return out

    def _credit_amount(
        self, leaf: CreditLeaf, items: Mapping[tuple[str, object], LinearExpr], lit: Lit
    ) -> None:
        free: tuple[list[LinearExpr], list[int]] = ([], [])
        capped: dict[int, tuple[list[LinearExpr], list[int]]] = {}
        sizes = self.item_units
        if not leaf.limits:
            free = (list(items.values()), [sizes[item] for item in items])
        for item, expr in items.items() if leaf.limits else ():
            cid = self._course_of(item)
            k = next((k for k, (_, m) in enumerate(leaf.limits) if cid in m), -1)
            exprs, coeffs = free if k < 0 else capped.setdefault(k, ([], []))
            exprs.append(expr)
            coeffs.append(sizes[item])
        for k, (exprs, coeffs) in capped.items():
            var = self.m.new_int_var(0, units(leaf.limits[k][0]), "")
            self.m.add(var <= cp_model.LinearExpr.weighted_sum(exprs, coeffs))
            free[0].append(var)
            free[1].append(1)
        total = cp_model.LinearExpr.weighted_sum(*free)
        self.m.add(total >= units(leaf.demand)).only_enforce_if(lit)
        if leaf.levels:
            by_level: dict[int, list[LinearExpr]] = {}
            for item, expr in items.items():
                level = leaf.level_of.get(self._course_of(item))
                if level is not None:
                    by_level.setdefault(level, []).append(expr)
            zs = [self._any(terms) for terms in by_level.values()]
            self.m.add(sum(zs) >= leaf.levels).only_enforce_if(lit)

    def _count(
        self, leaf: CountLeaf, items: Mapping[tuple[str, object], LinearExpr], lit: Lit
    ) -> None:
        by_course: dict[str, list[LinearExpr]] = {}
        for item, expr in items.items():
            by_course.setdefault(self._course_of(item), []).append(expr)
        ds = [self._any(terms) for terms in by_course.values()]
        self.m.add(sum(ds) >= leaf.need).only_enforce_if(lit)

    def _any(self, terms: Sequence[LinearExpr]) -> LinearExpr:
        """A 0/1 expression at most ``sum(terms)`` (the term itself when it is one literal)."""
        if len(terms) == 1 and isinstance(terms[0], cp_model.IntVar | int):
            return min(terms[0], 1) if isinstance(terms[0], int) else terms[0]
        d = self.m.new_bool_var("")
        self.m.add(d <= sum(terms))
        return d

    def _gpa(self, leaf: GpaLeaf, lit: Lit) -> None:
        """Met or on track: completed points above the minimum, plus the room pending credits
        leave (top grade minus the minimum), is not negative (the audit's own test)."""
        top = 4.0 + (1.0 if leaf.weighted else 0.0)
        low = leaf.minimum
        terms: list[LinearExpr] = []

        def weight(row: GradedRow) -> int:
            if row.status != "completed":
                return round((top - low) * 100) * units(row.credits)
            if row.points is None:
                return 0
            return round((row.points - low) * 100) * units(row.credits)

        if leaf.over:
            tables = [
                self.assign[id(sub)] for name in leaf.over for sub in self.cset.under.get(name, [])
            ]
            seen: set[tuple[str, object]] = set()
            for table in tables:
                for item in table:
                    if item in seen:
                        continue
                    seen.add(item)
                    expr = sum(t[item] for t in tables if item in t)
                    if item[0] == "row":
                        row = next(r for r in self.rows if r.index == item[1])
                        terms.append(weight(row) * expr)
                    else:
                        size = units(self.pm.courses[str(item[1])].credits)
                        terms.append(round((top - low) * 100) * size * expr)
        elif leaf.eligible is not None:
            for row in self.all_rows:
                if row.use not in ("credit", "failed") or row.course.id not in leaf.eligible:
                    continue
                if not leaf.in_window(row.grade_level, row.term):
                    continue
                terms.append(weight(row))
            for cid in sorted(leaf.eligible & self.pm.taken.keys()):
                size = units(self.pm.courses[cid].credits)
                lits = (
                    self.pm.placed_in_grades(cid, leaf.grade_levels, leaf.summer_after)
                    if leaf.grade_levels
                    else [self.pm.taken[cid]]
                )
                for var in lits:
                    terms.append(round((top - low) * 100) * size * var)
        self.m.add(sum(terms) >= 0).only_enforce_if(lit)

    def _item(self, leaf: ItemLeaf) -> Lit:
        if leaf.op == "goal":
            lit = self.m.new_bool_var(leaf.path)
            self.m.add_bool_or([self.pm.goal_met(g) for g in leaf.ids]).only_enforce_if(lit)
            return lit
        if item_on_track(leaf, self.pm.p.experiences):
            return self.pm.true
        lit = self.m.new_bool_var(leaf.path)
        self.pm.items_needed.append((self.cset.id, leaf, lit))
        return lit


def item_on_track(leaf: ItemLeaf, experiences: Sequence[Experience]) -> bool:
    """Whether a credential, assessment or hours item is already done or planned."""
    if leaf.op == "hours":
        total = sum(e.hours or 0 for e in experiences if e.kind == leaf.kind)
        return total + 1e-9 >= leaf.hours
    kind = "credential" if leaf.op == "credential" else "assessment"
    for exp in experiences:
        if exp.kind != kind or exp.id not in leaf.ids:
            continue
        if leaf.min_score is not None and (exp.score is None or exp.score < leaf.min_score):
            continue
        return True
    return False
