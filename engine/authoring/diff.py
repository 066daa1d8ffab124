"""Semantic diff of two versions of a rule set: what a reviewer must know, not which lines moved.

A text diff of YAML shows moved lines and re-wrapped comments; a reviewer needs "credits 3 -> 4
in requirement 'math'", "course ALG2 added to the list", "minimum grade raised C -> B",
"requirement 'electives' removed". :func:`diff_sets` compares the two *merged* sets (``extends``
resolved, exactly what the audit runs), so a change to a parent shows up in every child, and
a child that now overrides an inherited requirement shows what changed in it.

Requirements are matched by name and policies by id; lists of sub-requirements are aligned
like a text diff (a sub-requirement inserted in the middle is one addition, not a cascade of
changes); lists of plain values (course ids, requirement names) compare as sets.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engine.model import OPERATORS, Grading, RequirementSet

__all__ = ["Change", "changed_sets", "diff_sets", "flow"]

#: Letter grades from lowest to highest, to say whether a minimum grade was raised or lowered.
_GRADE_ORDER = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
#: Set-level fields compared one by one (requirements and policies have their own walk).
_META = (
    "title",
    "kind",
    "jurisdiction",
    "catalog_year",
    "dated_by",
    "description",
    "extends",
    "remove",
    "allow_sharing",
    "source",
    "grading",
)
_CHILD_LISTS = ("all", "any", "of")

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference: where it is, which field, the old and new values, and a direction."""

    kind: Kind
    where: str
    field: str = ""
    old: str | None = None
    new: str | None = None
    note: str = ""

    def render(self) -> str:
        """One line: ``~ requirement 'math': credits 3 -> 4 (raised)``."""
        mark = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        label = f"{self.field} " if self.field else ""
        if self.kind == "changed":
            body = f"{label}{self.old} -> {self.new}"
        elif self.kind == "added":
            body = f"{label}added {self.new}" if self.field else f"added {self.new}"
        else:
            body = f"{label}removed {self.old}" if self.field else f"removed {self.old}"
        tail = f" ({self.note})" if self.note else ""
        return f"{mark} {self.where}: {body}{tail}"

    def as_dict(self) -> dict[str, str | None]:
        """JSON form."""
        return {
            "kind": self.kind,
            "where": self.where,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "note": self.note,
        }


def flow(value: object) -> str:
    """A value as compact YAML flow text: ``{credits: 4, from: {subject: math}}``."""
    if isinstance(value, Mapping):  # defaults left out: an empty list, false (but not from: {})
        shown = [(k, v) for k, v in value.items() if k == "from" or not _default(v)]
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in shown) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _default(value: object) -> bool:
    """An empty list or mapping, or false: left out when a value is shown. A number is always
    shown (``0 == False`` in Python, so ``value in ([], {}, False)`` would hide a 0)."""
    if isinstance(value, bool):
        return not value
    return isinstance(value, Mapping | list | tuple) and not value


def _direction(field: str, old: object, new: object) -> str:
    if (
        field.endswith(("min_grade", "min_passing"))
        and isinstance(old, str)
        and isinstance(new, str)
    ):
        if old not in _GRADE_ORDER or new not in _GRADE_ORDER:
            return ""
        return "raised" if _GRADE_ORDER.index(new) > _GRADE_ORDER.index(old) else "lowered"
    if isinstance(old, int | float) and isinstance(new, int | float):
        if isinstance(old, bool) or isinstance(new, bool):
            return ""
        return "raised" if new > old else "lowered"
    return ""


def _operator(node: Mapping[str, Any]) -> str | None:
    return next((key for key in OPERATORS if key in node), None)


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _join(field: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{field}[{key}]"
    return f"{field}.{key}" if field else key


def _unmatched(items: Sequence[Any], common: Counter[str]) -> list[int]:
    """Positions of ``items`` left once each of ``common`` (counted) is taken out."""
    left = Counter(common)
    out: list[int] = []
    for index, item in enumerate(items):
        key = _key(item)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(index)
    return out


class _Walker:
    def __init__(self) -> None:
        self.out: list[Change] = []

    def value(self, where: str, field: str, old: object, new: object) -> None:
        if old == new:
            return
        if old is None or new is None:
            if old is None:
                self.out.append(Change("added", where, field, None, flow(new)))
            else:
                self.out.append(Change("removed", where, field, flow(old), None))
        elif isinstance(old, Mapping) and isinstance(new, Mapping):
            for key in [*old, *(k for k in new if k not in old)]:
                self.value(where, _join(field, key), old.get(key), new.get(key))
        elif isinstance(old, list) and isinstance(new, list):
            self.sequence(where, field, old, new)
        else:
            note = _direction(field, old, new)
            self.out.append(Change("changed", where, field, flow(old), flow(new), note))

    def sequence(self, where: str, field: str, old: list[Any], new: list[Any]) -> None:
        plain = all(not isinstance(v, Mapping | list) for v in (*old, *new))
        if plain:
            for item in new:
                if item not in old:
                    self.out.append(Change("added", where, field, None, flow(item)))
            for item in old:
                if item not in new:
                    self.out.append(Change("removed", where, field, flow(item), None))
            return
        last = field.rsplit(".", 1)[-1]
        children = last in _CHILD_LISTS
        old_at, new_at = list(range(len(old))), list(range(len(new)))
        if children or last == "from":
            # The items of all/any/of and of a list of selectors are a set: moving one is no
            # change. Items found on both sides are taken out; the rest are aligned.
            common = Counter(map(_key, old)) & Counter(map(_key, new))
            old_at, new_at = _unmatched(old, common), _unmatched(new, common)
        matcher = difflib.SequenceMatcher(
            a=[_key(old[i]) for i in old_at], b=[_key(new[j]) for j in new_at]
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                for offset in range(i2 - i1):
                    i, j = old_at[i1 + offset], new_at[j1 + offset]
                    if children and _operator(old[i]) == _operator(new[j]):
                        self.node(f"{where} > {_join(field, j)}", old[i], new[j])
                    else:
                        self.value(where, _join(field, j), old[i], new[j])
                continue
            for i in old_at[i1:i2]:
                self.out.append(Change("removed", where, _join(field, i), flow(old[i]), None))
            for j in new_at[j1:j2]:
                self.out.append(Change("added", where, _join(field, j), None, flow(new[j])))

    def node(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        old_op, new_op = _operator(old), _operator(new)
        if old_op != new_op:
            self.out.append(Change("changed", where, "", flow(old), flow(new), "operator changed"))
            return
        for key in [*old, *(k for k in new if k not in old)]:
            if key in _CHILD_LISTS:
                old_children, new_children = old.get(key) or [], new.get(key) or []
                self.sequence(where, key, list(old_children), list(new_children))
            else:
                self.value(where, key, old.get(key), new.get(key))


def _dump(model: RequirementSet) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _effective(model: RequirementSet) -> dict[str, Any]:
    """The dump with an unset ``grading`` written out as the audit reads it (the default
    grading): writing the default out is then no change, and dropping a grading shows what each
    of its values falls back to."""
    data = _dump(model)
    data["grading"] = (model.grading or Grading()).model_dump(mode="json", exclude_none=True)
    return data


def _same_dating(a: dict[str, Any], b: dict[str, Any]) -> None:
    """No ``dated_by`` is ``catalog_year``: writing that out is no change (drop both)."""
    if a.get("dated_by", "catalog_year") == b.get("dated_by", "catalog_year"):
        a.pop("dated_by", None)
        b.pop("dated_by", None)


def diff_sets(
    old: RequirementSet,
    new: RequirementSet,
    *,
    declared: tuple[RequirementSet, RequirementSet] | None = None,
) -> list[Change]:
    """Every semantic difference from ``old`` to ``new`` (both merged: ``extends`` resolved).

    ``declared`` gives the two sets as written (before merging), to report a changed
    ``extends``: merging resolves it away, and a new parent with the same requirements today
    is still a different set to follow tomorrow.

    Examples
    --------
    >>> from engine.model import RequirementSet
    >>> base = {"id": "demo", "title": "Demo", "kind": "graduation", "jurisdiction": "TX",
    ...         "catalog_year": 2025, "source": {"citation": "Demo code", "year": 2025},
    ...         "requirements": {"math": {"credits": 3, "from": {"subject": "math"}}}}
    >>> new = {**base, "requirements": {"math": {"credits": 4, "from": {"subject": "math"},
    ...                                           "min_grade": "C"}}}
    >>> for change in diff_sets(RequirementSet.model_validate(base),
    ...                         RequirementSet.model_validate(new)):
    ...     print(change.render())
    ~ requirement 'math': credits 3 -> 4 (raised)
    + requirement 'math': min_grade added C
    """
    walker = _Walker()
    a, b = _effective(old), _effective(new)
    _same_dating(a, b)
    if declared is not None:
        a["extends"], b["extends"] = declared[0].extends, declared[1].extends
    for field in _META:
        walker.value("rule set", field, a.get(field), b.get(field))
    old_reqs: dict[str, Any] = a.get("requirements", {})
    new_reqs: dict[str, Any] = b.get("requirements", {})
    for name, node in new_reqs.items():
        where = f"requirement {name!r}"
        if name not in old_reqs:
            walker.out.append(Change("added", where, "", None, flow(node)))
        else:
            walker.node(where, old_reqs[name], node)
    for name, node in old_reqs.items():
        if name not in new_reqs:
            walker.out.append(Change("removed", f"requirement {name!r}", "", flow(node), None))
    _policies(walker, a.get("policies", []), b.get("policies", []))
    return walker.out


def _policies(walker: _Walker, old: Sequence[Any], new: Sequence[Any]) -> None:
    old_by_id = {p["id"]: p for p in old}
    new_by_id = {p["id"]: p for p in new}
    for pid, policy in new_by_id.items():
        where = f"policy {pid!r}"
        if pid not in old_by_id:
            walker.out.append(Change("added", where, "", None, flow(policy)))
            continue
        before = old_by_id[pid]
        for key in [*before, *(k for k in policy if k not in before)]:
            walker.value(where, key, before.get(key), policy.get(key))
    for pid, policy in old_by_id.items():
        if pid not in new_by_id:
            walker.out.append(Change("removed", f"policy {pid!r}", "", flow(policy), None))


def _goal_refs(node: object) -> set[str]:
    """Rule-set ids named by ``goal:`` requirements anywhere under ``node``."""
    found: set[str] = set()
    if isinstance(node, Mapping):
        goal = node.get("goal")
        if isinstance(goal, list | tuple) and _operator(node) == "goal":
            found.update(str(g) for g in goal)
        for value in node.values():
            found |= _goal_refs(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found |= _goal_refs(value)
    return found


def changed_sets(
    old: Mapping[str, Sequence[RequirementSet]], new: Mapping[str, Sequence[RequirementSet]]
) -> list[tuple[str, int]]:
    """(id, catalog year) of every version whose merged rules differ, or whose result may.

    A set differs when :func:`diff_sets` finds a change in its merged model (a parent's change
    reaches each child through ``extends``; a reordered list or a default written out is none),
    or when it names a differing set in a ``goal`` requirement (DLA names the endorsements): its
    status can change though its own rules did not.
    """
    keys = {(i, r.catalog_year) for i, versions in (*old.items(), *new.items()) for r in versions}

    def find(sets: Mapping[str, Sequence[RequirementSet]], key: tuple[str, int]) -> Any:
        return next((r for r in sets.get(key[0], ()) if r.catalog_year == key[1]), None)

    def differs(key: tuple[str, int]) -> bool:
        before, after = find(old, key), find(new, key)
        if before is None or after is None:
            return before is not after
        return before != after and bool(diff_sets(before, after))

    differ = {key for key in keys if differs(key)}
    refs = {
        key: _goal_refs(_dump(s).get("requirements", {}))
        for key in keys
        if (s := find(new, key) or find(old, key)) is not None
    }
    grew = True
    while grew:
        ids = {key[0] for key in differ}
        more = {key for key, named in refs.items() if key not in differ and named & ids}
        grew = bool(more)
        differ |= more
    return sorted(differ)
