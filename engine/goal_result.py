"""A judged rule set made into its result: the explained requirement tree, as JSON-ready data.

The audit (:mod:`engine.audit`) judges each set (policies, allocation, statuses) into a
:class:`Verdict`; this module says what that verdict means to a counselor: each requirement's
status, amounts, courses applied, a plain-language reason and the courses that could close it
(:func:`goal_result`), or only the statuses, credits and summary line (:func:`tally`). Results are
built as ``GoalResult.model_dump(mode="json")`` data, so the service can send them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.evaluate import Evaluation, Outcome
from engine.explain import LISTED, Amounts, fmt_amount, reason_for
from engine.normalize import GradedRow, to_result_rows
from engine.policy_apply import Decision
from engine.requirements import CompiledSet, CountLeaf, CreditLeaf, GpaLeaf, Group, Node
from engine.results import MAX_EXPLANATION, clip
from engine.student import Student

__all__ = ["MAX_CANDIDATES", "Verdict", "goal_result", "tally"]

#: Catalog courses suggested for an unmet requirement.
MAX_CANDIDATES = 8

#: Units whose reasons list no courses (``reason_for``).
_NO_LIST = frozenset({"gpa", "items"})


@dataclass(frozen=True)
class Verdict:
    """One set judged: the set as policies left it, its graded rows, evaluation and decision."""

    cset: CompiledSet
    graded: list[GradedRow]
    evaluation: Evaluation
    decision: Decision | None


def tally(
    verdict: Verdict, original: CompiledSet
) -> tuple[dict[str, str], dict[str, Any] | None, str]:
    """Top-level requirement statuses, the credits progress and the goal's summary line."""
    cset, graded, evaluation, decision = (
        verdict.cset,
        verdict.graded,
        verdict.evaluation,
        verdict.decision,
    )
    statuses = {
        name: "met"
        if decision is not None and name in decision.waived
        else evaluation.outcomes[id(cset.requirements[name])].status
        for name in original.requirements
    }
    earned = in_progress = planned = 0.0
    for g in graded:
        if g.credited:
            if g.status == "completed":
                earned += g.credits
            elif g.status == "in_progress":
                in_progress += g.credits
            else:
                planned += g.credits
    total = _credit_total(original)
    credits = (
        {
            "unit": "credits",
            "needed": float(total),
            "earned": float(earned),
            "in_progress": float(in_progress),
            "planned": float(planned),
        }
        if total
        else None
    )
    met = sum(1 for status in statuses.values() if status == "met")
    summary = f"{met} of {len(statuses)} requirements met; {earned:g} credits earned"
    if in_progress or planned:
        summary += f", {in_progress + planned:g} in progress or planned"
    if total:
        summary += f" (needs {total:g})"
    summary += "."
    if evaluation.notes:
        summary += " Note: " + "; ".join(evaluation.notes) + "."
    return statuses, credits, clip(summary)


def goal_result(verdict: Verdict, original: CompiledSet, student: Student) -> dict[str, Any]:
    """The explained result of a judged set, as ``GoalResult.model_dump(mode="json")`` data."""
    cset, graded, evaluation, decision = (
        verdict.cset,
        verdict.graded,
        verdict.evaluation,
        verdict.decision,
    )
    builder = _ResultBuilder(cset, evaluation, graded, student)
    requirements = [
        _waived(node, name, decision)
        if decision is not None and name in decision.waived
        else _with_notes(builder.build(cset.requirements[name], name), name, decision)
        for name, node in original.requirements.items()
    ]
    _, credits, summary = tally(verdict, original)
    unused: list[int] = []
    if cset.flow_leaves:  # else nothing allocates, so nothing is "left over"
        consumed = evaluation.consumed
        unused = sorted(g.index for g in graded if g.credited and g.index not in consumed)
    out: dict[str, Any] = {
        "goal": cset.id,
        "title": cset.title,
        "kind": cset.kind,
        "version": cset.catalog_year,
        "source": cset.source,
        "status": evaluation.status,
        "summary": summary,
        "credits": credits,
        "requirements": requirements,
        "unused": unused,
        "rows": to_result_rows(graded),
    }
    # Policy fields are left out when empty (``exclude_if`` on the model), in field order.
    if decision is not None:
        if decision.alerts:
            out["alerts"] = [dict(a) for a in decision.alerts]
        if decision.recommendations:
            out["recommendations"] = [_recommendation(r) for r in decision.recommendations]
    return out


def _recommendation(item: Mapping[str, Any]) -> dict[str, Any]:
    """A policy recommendation with every field of ``Recommendation``, in its order."""
    return {
        "policy": item["policy"],
        "course": item.get("course"),
        "title": item.get("title"),
        "experience": item.get("experience"),
        "message": item["message"],
    }


def _with_notes(item: dict[str, Any], name: str, decision: Decision | None) -> dict[str, Any]:
    """A requirement's result with the policies that substituted courses into it."""
    if decision is not None and (decision.substitutions or decision.waived):  # else no notes
        notes = decision.notes_for(name)
        if notes:
            item["policies"] = notes
            words = "; ".join(f"{n['reason'].rstrip('.')} (policy {n['policy']})" for n in notes)
            item["reason"] = clip(item["reason"] + f" Substitution allowed: {words}.")
    return item


def _waived(node: Node, name: str, decision: Decision) -> dict[str, Any]:
    """A requirement a policy waived or skipped: met, with the policy and its reason shown."""
    pid, action, why = decision.waived[name]
    lead = "Waived" if action == "waive" else "Does not apply"
    return {
        "path": node.path,
        "name": name,
        "title": node.title,
        "operator": node.op,
        "status": "met",
        "progress": None,
        "applied": [],
        "value": None,
        "reason": clip(f"{lead} (policy {pid}): {why}"),
        "candidates": [],
        "children": [],
        "policies": [{"policy": pid, "action": action, "reason": why}],
    }


def _credit_total(cset: CompiledSet) -> float:
    """The largest credit demand of a top-level leaf counting every course (a set's total)."""
    best = 0.0
    for node in cset.requirements.values():
        if isinstance(node, CreditLeaf) and len(node.eligible) == len(cset.catalog.courses):
            best = max(best, node.demand)
    return best


class _ResultBuilder:
    def __init__(
        self,
        cset: CompiledSet,
        evaluation: Evaluation,
        graded: Sequence[GradedRow],
        student: Student,
    ) -> None:
        self.cset = cset
        self.evaluation = evaluation
        self.student = student
        self.titles = cset.titles
        self.taken = {g.course_id for g in graded if g.credited}

    def candidates(self, node: Node, outcome: Outcome) -> list[str]:
        if outcome.status == "met" or not isinstance(node, CreditLeaf | CountLeaf):
            return []
        grade = self.student.grade_level
        last = self.cset.last_grade
        out: list[str] = []
        for cid in node.ranked:
            if cid not in self.taken and last.get(cid, 12) >= grade:
                out.append(cid)
                if len(out) == MAX_CANDIDATES:
                    break
        return out

    def build(self, node: Node, name: str | None = None, settled: bool = False) -> dict[str, Any]:
        """One requirement's result as ``RequirementResult.model_dump(mode="json")`` data."""
        outcome = self.evaluation.outcomes[id(node)]
        status = outcome.status
        progress = None
        shown = None
        if outcome.unit is not None:
            progress = Amounts(
                outcome.unit,
                float(outcome.needed),
                _round4(outcome.earned),
                _round4(outcome.in_progress),
                _round4(outcome.planned),
            )
            shown = {
                "unit": progress.unit,
                "needed": progress.needed,
                "earned": progress.earned,
                "in_progress": progress.in_progress,
                "planned": progress.planned,
            }
        applied: list[dict[str, Any]] = []
        candidates: list[str] = []
        children: list[dict[str, Any]] = []
        if isinstance(node, Group):
            met = status == "met"
            children = [self.build(child, None, met) for child in node.children]
            reason = (
                self._reason(node, outcome, progress, candidates, outcome.detail)
                if progress is not None and met
                else _group_reason(node, outcome, progress)
            )
        elif isinstance(node, CreditLeaf) and not outcome.chosen:
            # Not counted: its amounts are what rows no other requirement used would give it
            # (its rows are not shown as applied). Under a group that is met (``settled``) it
            # needs nothing; else it is one way to close the gap, so its candidates stay.
            if settled:
                reason = _unchosen_reason(outcome)
            else:
                candidates = self.candidates(node, outcome)
                detail = "another option of this requirement was used instead"
                reason = self._reason(node, outcome, progress, candidates, detail)
        else:
            applied = [
                {"index": row.index, "course": row.course_id, "credits": float(credits)}
                for row, credits in outcome.applied
            ]
            candidates = self.candidates(node, outcome)
            reason = self._reason(node, outcome, progress, candidates, outcome.detail)
        value: float | None = None
        if outcome.value is not None and isinstance(node, GpaLeaf):
            value = int(outcome.value * 1000) / 1000
        return {
            "path": node.path,
            "name": name,
            "title": node.title,
            "operator": node.op,
            "status": status,
            "progress": shown,
            "applied": applied,
            "value": value,
            "reason": reason if len(reason) <= MAX_EXPLANATION else clip(reason),
            "candidates": candidates,
            "children": children,
        }

    def _reason(
        self,
        node: Node,
        outcome: Outcome,
        progress: Amounts | None,
        candidates: list[str],
        detail: str,
    ) -> str:
        status = outcome.status
        # A reason names the courses counted only when met or in progress, and the courses
        # that could close it only when unmet (``reason_for``): build just those.
        names = status != "unmet" and progress is not None and progress.unit not in _NO_LIST
        return reason_for(
            status=status,
            title=node.title,
            progress=progress,
            applied_titles=[
                f"{row.course.title} ({row.letter or row.status.replace('_', ' ')})"
                for row, _ in outcome.applied[:LISTED]
            ]
            if names
            else [],
            applied_count=len(outcome.applied) if names else 0,
            candidate_titles=[self.titles[c] for c in candidates] if status == "unmet" else [],
            value=outcome.value,
            detail=detail,
        )


def _round4(value: float) -> float:
    """``float(round(value, 4))``, without rounding a multiple of 0.5 (most amounts are):
    such a value has one decimal at most, so rounding returns it unchanged, and ``round``
    with digits is the slowest step of building a requirement's amounts."""
    value = float(value)
    return value if (value * 2).is_integer() else round(value, 4)


def _unchosen_reason(outcome: Outcome) -> str:
    text = "Not counted: another option of this requirement was used instead."
    unit = outcome.unit or "credits"
    have = outcome.earned + outcome.in_progress + outcome.planned
    if have > 1e-9 and outcome.applied:
        titles = ", ".join(row.course.title for row, _ in outcome.applied[:LISTED])
        text += (
            f" Courses not used elsewhere would give it {fmt_amount(have, unit)} of "
            f"{fmt_amount(outcome.needed, unit)} ({titles})."
        )
    return text


def _group_reason(node: Group, outcome: Outcome, progress: Amounts | None) -> str:
    if outcome.status == "met":
        return "Met: " + ("every part is met." if node.op == "all" else "an option is met.")
    words = {"all": "every part", "any": "one of the options", "sequence": "one of the options"}
    need = words.get(node.op, f"{node.need} of the options")
    text = f"Needs {need}"
    if progress is not None:
        text += (
            f"; {fmt_amount(progress.earned, progress.unit)} of "
            f"{fmt_amount(progress.needed, progress.unit)} earned"
        )
    if outcome.status == "in_progress":
        text += "; on track if the courses in progress and planned are passed"
    return text + "."
