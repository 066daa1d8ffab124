"""The audit: a student's transcript judged against each of their goals, every verdict explained.

``audit`` is a pure function of (knowledge, student, goals): no I/O, no shared mutable state, the
same input always gives the same output. Goals are judged independently, so a course counts
toward a diploma and toward NCAA eligibility at once; within one goal a course counts toward one
requirement unless the rule set says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.evaluate import Evaluation, Outcome, evaluate_set
from engine.explain import LISTED, Amounts, fmt_amount, reason_for
from engine.knowledge import Knowledge, entering_year
from engine.normalize import GradedRow, ResolvedRow, grade_rows, resolve_transcript, to_result_rows
from engine.policy import CompiledPolicies, evaluate_policies, policies_for
from engine.policy_apply import Decision, adjust, decide
from engine.policy_facts import build_facts
from engine.requirements import CompiledSet, CountLeaf, CreditLeaf, GpaLeaf, Group, Node
from engine.results import AuditResult, GoalResult, PolicyNote, Progress
from engine.student import Student

__all__ = ["audit", "audit_goal"]

#: Catalog courses suggested for an unmet requirement.
MAX_CANDIDATES = 8


def audit(
    *, knowledge: Knowledge, student: Student, goals: Sequence[str] | None = None
) -> AuditResult:
    """Audit ``student`` against ``goals`` (default: the student's own goals).

    Examples
    --------
    >>> from pathlib import Path
    >>> from engine.knowledge import load_knowledge
    >>> from engine.loader import load_student_file
    >>> kb = load_knowledge(Path("."))
    >>> student = load_student_file(Path("samples/students/tx-senior-complete.json"))
    >>> [(g.goal, g.status) for g in audit(knowledge=kb, student=student).goals]
    [('tx-fhsp', 'met'), ('ncaa-d1', 'met')]
    """
    year = entering_year(student)
    catalog = knowledge.catalog_for(student.jurisdiction, year)
    resolved, unknown = resolve_transcript(student, knowledge.index(catalog))
    wanted = list(dict.fromkeys(goals if goals is not None else student.goals))
    done: dict[str, GoalResult] = {}
    judged: dict[str, str] = {}  # status of sets only named by ``goal`` requirements
    added: list[tuple[str, str, str]] = []  # (set, policy, reason) from ``apply_set`` policies
    grades = _GradeCache(resolved)

    def status_of(goal: str) -> str:
        # A set named by a ``goal`` requirement is judged first, once, without building its
        # result (DLA names five endorsements). Load-time checks rule out cycles.
        if goal in done:
            return done[goal].status
        if goal not in judged:
            rset = knowledge.ruleset(goal, year)
            cset = knowledge.compiled(rset, catalog)
            statuses = {ref: status_of(ref) for ref in cset.goals}
            verdict = _judge(cset, grades, student, statuses, policies_for(rset, catalog))
            judged[goal] = verdict.evaluation.status
            if verdict.decision is not None:
                added.extend(verdict.decision.apply_sets)
        return judged[goal]

    def run(goal: str) -> GoalResult:
        found = done.get(goal)
        if found is None:
            rset = knowledge.ruleset(goal, year)
            cset = knowledge.compiled(rset, catalog)
            statuses = {ref: status_of(ref) for ref in cset.goals}
            verdict = _judge(cset, grades, student, statuses, policies_for(rset, catalog))
            found = done[goal] = _result(verdict, cset, student)
            if verdict.decision is not None and goal not in judged:
                added.extend(verdict.decision.apply_sets)
        return found

    results = [run(goal) for goal in wanted]
    # Sets a policy applies are audited after the student's own goals, each once.
    listed = set(wanted)
    while added:
        goal, policy, reason = added.pop(0)
        if goal in listed:
            continue
        listed.add(goal)
        note = PolicyNote(policy=policy, action="apply_set", reason=reason)
        results.append(run(goal).model_copy(update={"added_by": note}))
    return AuditResult(
        student=student.id,
        jurisdiction=student.jurisdiction,
        catalog=catalog.id,
        catalog_year=catalog.catalog_year,
        goals=tuple(results),
        unrecognized=tuple(unknown),
    )


def audit_goal(
    cset: CompiledSet,
    resolved: Sequence[ResolvedRow],
    student: Student,
    goal_status: Mapping[str, str] | None = None,
    policies: CompiledPolicies | None = None,
) -> GoalResult:
    """Audit one compiled requirement set.

    ``goal_status`` gives the status of each set that ``cset`` names in a ``goal`` requirement;
    ``policies`` are the set's compiled state policies (:func:`engine.policy.policies_for`).
    """
    verdict = _judge(cset, _GradeCache(resolved), student, goal_status, policies)
    return _result(verdict, cset, student)


class _GradeCache:
    """Graded rows per (rule-set grading, school scale): sets that extend one another share it."""

    def __init__(self, resolved: Sequence[ResolvedRow]) -> None:
        self.resolved = resolved
        self.found: dict[tuple[object, object], list[GradedRow]] = {}

    def rows(self, cset: CompiledSet) -> list[GradedRow]:
        key = (cset.grading, cset.catalog.grading)
        graded = self.found.get(key)
        if graded is None:
            graded = self.found[key] = grade_rows(self.resolved, cset.grading, cset.catalog.grading)
        return graded


@dataclass(frozen=True)
class _Verdict:
    """One set judged: the set as policies left it, its graded rows, evaluation and decision."""

    cset: CompiledSet
    graded: list[GradedRow]
    evaluation: Evaluation
    decision: Decision | None


def _judge(
    original: CompiledSet,
    grades: _GradeCache,
    student: Student,
    goal_status: Mapping[str, str] | None,
    policies: CompiledPolicies | None,
) -> _Verdict:
    # Policies run before the allocation they may change; a policy that reads requirement
    # statuses reads them from the audit without policies (docs/policies.md, "Order").
    cset = original
    graded = grades.rows(cset)
    evaluation: Evaluation | None = None
    decision: Decision | None = None
    if policies is not None:
        statuses: dict[str, str] = {}
        if policies.reads_statuses:
            evaluation = evaluate_set(cset, graded, student.experiences, goal_status)
            statuses = {n: evaluation.outcomes[id(r)].status for n, r in cset.requirements.items()}
        facts = build_facts(plan=policies.plan, student=student, graded=graded, statuses=statuses)
        decision = decide(evaluate_policies(policies, facts), cset.catalog)
        if decision.changes_allocation:
            cset, evaluation = adjust(cset, decision), None
    if evaluation is None:
        evaluation = evaluate_set(cset, graded, student.experiences, goal_status)
    return _Verdict(cset, graded, evaluation, decision)


def _result(verdict: _Verdict, original: CompiledSet, student: Student) -> GoalResult:
    """The explained result of a judged set."""
    cset, graded, evaluation, decision = (
        verdict.cset,
        verdict.graded,
        verdict.evaluation,
        verdict.decision,
    )
    builder = _ResultBuilder(cset, evaluation, graded, student)
    requirements = tuple(
        _waived(node, name, decision)
        if decision is not None and name in decision.waived
        else _with_notes(builder.build(cset.requirements[name], name), name, decision)
        for name, node in original.requirements.items()
    )
    credited = [g for g in graded if g.credited]
    unused = tuple(sorted(g.index for g in credited if g.index not in evaluation.consumed))
    if not cset.flow_leaves:  # nothing allocates, so nothing is "left over"
        unused = ()
    earned = sum(g.credits for g in credited if g.status == "completed")
    in_progress = sum(g.credits for g in credited if g.status == "in_progress")
    planned = sum(g.credits for g in credited if g.status == "planned")
    total = _credit_total(original)
    credits = (
        Progress(
            unit="credits", needed=total, earned=earned, in_progress=in_progress, planned=planned
        )
        if total
        else None
    )
    met = sum(1 for r in requirements if r["status"] == "met")
    summary = f"{met} of {len(requirements)} requirements met; {earned:g} credits earned"
    if in_progress or planned:
        summary += f", {in_progress + planned:g} in progress or planned"
    if total:
        summary += f" (needs {total:g})"
    summary += "."
    if evaluation.notes:
        summary += " Note: " + "; ".join(evaluation.notes) + "."
    return GoalResult.model_validate(
        {
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
            "alerts": decision.alerts if decision else (),
            "recommendations": decision.recommendations if decision else (),
        }
    )


def _with_notes(item: dict[str, Any], name: str, decision: Decision | None) -> dict[str, Any]:
    """A requirement's result with the policies that substituted courses into it."""
    if decision is not None:
        notes = decision.notes_for(name)
        if notes:
            item["policies"] = notes
            words = "; ".join(f"{n['reason'].rstrip('.')} (policy {n['policy']})" for n in notes)
            item["reason"] += f" Substitution allowed: {words}."
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
        "reason": f"{lead} (policy {pid}): {why}",
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
        self.taken = {g.course.id for g in graded if g.credited}

    def candidates(self, node: Node, outcome: Outcome) -> tuple[str, ...]:
        if outcome.status == "met" or not isinstance(node, CreditLeaf | CountLeaf):
            return ()
        grade = self.student.grade_level
        last = self.cset.last_grade
        out: list[str] = []
        for cid in node.ranked:
            if cid not in self.taken and last.get(cid, 12) >= grade:
                out.append(cid)
                if len(out) == MAX_CANDIDATES:
                    break
        return tuple(out)

    def build(self, node: Node, name: str | None = None, settled: bool = False) -> dict[str, Any]:
        """One requirement's result as plain data; validated once with its goal."""
        outcome = self.evaluation.outcomes[id(node)]
        progress = None
        if outcome.unit is not None:
            progress = Amounts(
                outcome.unit,
                outcome.needed,
                round(outcome.earned, 4),
                round(outcome.in_progress, 4),
                round(outcome.planned, 4),
            )
        applied = [
            {"index": row.index, "course": row.course.id, "credits": credits}
            for row, credits in outcome.applied
        ]
        candidates = self.candidates(node, outcome)
        detail = outcome.detail
        unchosen = isinstance(node, CreditLeaf) and not outcome.chosen
        if unchosen:
            # Not counted: its amounts are what rows no other requirement used would give it.
            # Under a group that is met (``settled``) it needs nothing; else it is one way to
            # close the gap, so its candidates stay.
            applied = []
            detail = "another option of this requirement was used instead"
            if settled:
                candidates = ()
        reason = (
            _unchosen_reason(outcome)
            if unchosen and settled
            else reason_for(
                status=outcome.status,
                title=node.title,
                progress=progress,
                applied_titles=[
                    f"{row.course.title} ({row.letter or row.status.replace('_', ' ')})"
                    for row, _ in outcome.applied[:LISTED]
                ],
                applied_count=len(outcome.applied),
                candidate_titles=[self.titles[c] for c in candidates],
                value=outcome.value,
                detail=detail,
            )
        )
        if isinstance(node, GpaLeaf) and outcome.value is not None:
            value: float | None = int(outcome.value * 1000) / 1000
        else:
            value = None
        children: list[dict[str, Any]] = []
        if isinstance(node, Group):
            children = [
                self.build(child, settled=outcome.status == "met") for child in node.children
            ]
            if progress is not None and outcome.status != "met":
                reason = _group_reason(node, outcome, progress)
            elif progress is None:
                reason = _group_reason(node, outcome, None)
        return {
            "path": node.path,
            "name": name,
            "title": node.title,
            "operator": node.op,
            "status": outcome.status,
            "progress": progress._asdict() if progress is not None else None,
            "applied": [] if isinstance(node, Group) else applied,
            "value": value,
            "reason": reason,
            "candidates": candidates,
            "children": children,
        }


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
