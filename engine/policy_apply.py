"""What fired policies do to an audit: substitutions and waivers change the allocation.

:func:`decide` turns the policies that fired (:mod:`engine.policy`) into a :class:`Decision`;
:func:`adjust` derives, from a shared compiled set, a private copy in which substituted courses
may count toward their requirement and waived or skipped requirements take no courses. The
shared compiled set is never changed, so the audit stays a pure function.

Order (documented in ``docs/policies.md``): policies see the student's facts and, when they ask,
the status of named requirements in the audit *without* policies (the first pass); their
substitutions, waivers and skips then apply to the one final allocation. Nothing iterates to a
fixed point: a waiver can never trigger another policy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.model import Catalog
from engine.policy import Fired
from engine.policy_model import (
    AlertOutcome,
    ApplySetOutcome,
    RecommendOutcome,
    SkipOutcome,
    SubstituteOutcome,
    WaiveOutcome,
)
from engine.requirements import (
    CompiledSet,
    CountLeaf,
    CreditLeaf,
    Group,
    Node,
    leaves_of,
    selector_matches,
)

__all__ = ["SEVERITY_RANK", "Decision", "adjust", "decide"]

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


@dataclass
class Decision:
    """Everything the fired policies of one goal decided."""

    substitutions: dict[str, list[tuple[str, frozenset[str], str]]] = field(default_factory=dict)
    waived: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name -> (id, act, why)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    apply_sets: list[tuple[str, str, str]] = field(default_factory=list)  # (set, policy, why)

    @property
    def changes_allocation(self) -> bool:
        return bool(self.substitutions or self.waived)

    def notes_for(self, name: str) -> list[dict[str, str]]:
        """The policy notes shown on requirement ``name``."""
        notes = [
            {"policy": pid, "action": "substitute", "reason": why}
            for pid, _, why in self.substitutions.get(name, [])
        ]
        if name in self.waived:
            pid, act, why = self.waived[name]
            notes.append({"policy": pid, "action": act, "reason": why})
        return notes


def decide(fired: Sequence[Fired], catalog: Catalog) -> Decision:
    """Collect outcomes; alerts most severe first (then in authored order)."""
    out = Decision()
    for item in fired:
        pid = item.policy.id
        for outcome, text in zip(item.policy.then, item.texts, strict=True):
            if isinstance(outcome, AlertOutcome):
                out.alerts.append({"policy": pid, "severity": outcome.alert, "message": text})
            elif isinstance(outcome, RecommendOutcome):
                course = outcome.course if outcome.recommend == "course" else None
                out.recommendations.append(
                    {
                        "policy": pid,
                        "course": course,
                        "title": _title(catalog, course) if course else None,
                        "experience": outcome.experience if course is None else None,
                        "message": text,
                    }
                )
            elif isinstance(outcome, SubstituteOutcome):
                courses = frozenset(
                    c.id for c in catalog.courses if selector_matches(outcome.with_, c)
                )
                out.substitutions.setdefault(outcome.substitute, []).append((pid, courses, text))
            elif isinstance(outcome, WaiveOutcome):
                out.waived.setdefault(outcome.waive, (pid, "waive", text))
            elif isinstance(outcome, SkipOutcome):
                out.waived.setdefault(outcome.skip, (pid, "skip", text))
            elif isinstance(outcome, ApplySetOutcome):
                out.apply_sets.append((outcome.apply_set, pid, text))
    out.alerts.sort(key=lambda a: SEVERITY_RANK[a["severity"]])
    return out


def _title(catalog: Catalog, course_id: str) -> str | None:
    return next((c.title for c in catalog.courses if c.id == course_id), None)


def _copy(node: Node, extra: frozenset[str], memo: dict[int, Node]) -> Node:
    if id(node) in memo:
        return memo[id(node)]
    new: Node
    if isinstance(node, Group):
        new = dataclasses.replace(node, children=[_copy(c, extra, memo) for c in node.children])
    elif isinstance(node, CreditLeaf | CountLeaf) and not getattr(node, "levels", 0):
        added = sorted(extra - node.eligible)
        new = dataclasses.replace(
            node, eligible=node.eligible | extra, ranked=(*node.ranked, *added)
        )
    else:
        new = node  # a GPA, an item or a sequence of levels: substitution does not apply
    memo[id(node)] = new
    return new


def adjust(cset: CompiledSet, decision: Decision) -> CompiledSet:
    """A private copy of ``cset`` with substitutions applied and waived requirements removed."""
    memo: dict[int, Node] = {}
    requirements: dict[str, Node] = {}
    for name, node in cset.requirements.items():
        if name in decision.waived:
            continue
        subs = decision.substitutions.get(name)
        if subs:
            extra = frozenset().union(*(courses for _, courses, _ in subs))
            requirements[name] = _copy(node, extra, memo)
        else:
            requirements[name] = node
    live = {id(leaf) for node in requirements.values() for leaf in leaves_of(node)}

    def renew(nodes: Sequence[Node]) -> list[Any]:
        return [memo.get(id(n), n) for n in nodes if id(memo.get(id(n), n)) in live]

    return dataclasses.replace(
        cset,
        requirements=requirements,
        leaves=renew(cset.leaves),
        flow_leaves=renew(cset.flow_leaves),
        under={name: renew(cset.under.get(name, [])) for name in requirements},
    )
