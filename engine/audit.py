"""The audit: a student's transcript judged against each of their goals, every verdict explained.

``audit`` is a pure function of (knowledge, student, goals): no I/O, no shared mutable state, the
same input always gives the same output. Goals are judged independently, so a course counts
toward a diploma and toward NCAA eligibility at once; within one goal a course counts toward one
requirement unless the rule set says otherwise.

Three forms of one audit, for three kinds of caller:

- :func:`audit` returns the typed, validated :class:`~engine.results.AuditResult`;
- :func:`audit_document` returns the same result as JSON-ready data, equal to
  ``audit(...).model_dump(mode="json")`` (a test holds them equal, byte for byte as JSON). The
  service and batch send it as it is: validating the engine's own output costs a quarter of an
  audit, and serialising the dict is as fast as serialising the model;
- :func:`audit_summary` judges the goals without explaining each requirement: status, summary
  line, missing and pending requirements, credits, alerts. Batch runs and impact analyses need
  no more, and it skips building the explanation (about a third of an audit).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from engine.evaluate import STATUS_RANK, Evaluation, evaluate_set, status_bound
from engine.goal_result import Verdict, goal_result, tally
from engine.knowledge import Knowledge, entering_year
from engine.normalize import (
    GradedRow,
    ResolvedRow,
    grade_rows,
    reading_of,
    repeats_matter,
    resolve_transcript,
)
from engine.policy import CompiledPolicies, evaluate_policies, policies_for
from engine.policy_apply import Decision, adjust, decide
from engine.policy_facts import build_facts
from engine.requirements import CompiledSet, ItemLeaf
from engine.results import AUDIT_SCHEMA_VERSION, MAX_NOTICES, AuditResult, GoalResult
from engine.student import Student

__all__ = [
    "AuditSummary",
    "GoalSummary",
    "audit",
    "audit_document",
    "audit_goal",
    "audit_summary",
    "summary_of",
]

_Built = TypeVar("_Built")


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
    document = audit_document(knowledge=knowledge, student=student, goals=goals)
    return AuditResult.model_validate(document)


def audit_document(
    *, knowledge: Knowledge, student: Student, goals: Sequence[str] | None = None
) -> dict[str, Any]:
    """The audit as JSON-ready data: ``audit(...).model_dump(mode="json")``, built directly."""
    auditor = _Auditor(knowledge, student, short_circuit=False)
    found = auditor.goals(goals, lambda v, cset: goal_result(v, cset, student))
    return {
        "schema_version": AUDIT_SCHEMA_VERSION,
        "student": student.id,
        "jurisdiction": student.jurisdiction,
        "catalog": auditor.catalog.id,
        "catalog_year": auditor.catalog.catalog_year,
        "goals": [item if note is None else {**item, "added_by": note} for item, note in found],
        "unrecognized": [u.model_dump(mode="json") for u in auditor.unknown],
        **({"notices": auditor.notice_list()} if auditor.notices else {}),
    }


@dataclass(frozen=True)
class GoalSummary:
    """One goal judged without its explanation: what a batch record or an impact count needs."""

    goal: str
    version: int
    status: str
    summary: str
    requirements: dict[str, str]  # top-level requirement name -> status
    credits: dict[str, Any] | None  # Progress fields: unit, needed, earned, in_progress, planned
    alerts: tuple[dict[str, Any], ...]
    added_by: dict[str, str] | None  # the apply_set policy that added this goal

    @property
    def missing(self) -> list[str]:
        return [name for name, status in self.requirements.items() if status == "unmet"]

    @property
    def pending(self) -> list[str]:
        return [name for name, status in self.requirements.items() if status == "in_progress"]


@dataclass(frozen=True)
class AuditSummary:
    """:func:`audit_summary`'s answer: the catalog, unrecognised rows counted, each goal."""

    catalog: str
    unrecognized: int
    goals: tuple[GoalSummary, ...]


def summary_of(goal: Mapping[str, Any]) -> GoalSummary:
    """The summary of one goal of an :func:`audit_document` (for callers that have both)."""
    return GoalSummary(
        goal=goal["goal"],
        version=goal["version"],
        status=goal["status"],
        summary=goal["summary"],
        requirements={r["name"]: r["status"] for r in goal["requirements"]},
        credits=goal["credits"],
        alerts=tuple(goal.get("alerts", ())),
        added_by=goal.get("added_by"),
    )


def audit_summary(
    *, knowledge: Knowledge, student: Student, goals: Sequence[str] | None = None
) -> AuditSummary:
    """Per goal, the verdicts of :func:`audit` without the explanations.

    Statuses, summary lines, credits and alerts equal the full audit's (a test holds them
    equal). A ``goal`` requirement stops judging the sets it names at the first one met.
    """
    auditor = _Auditor(knowledge, student, short_circuit=True)

    def summarise(verdict: Verdict, original: CompiledSet) -> GoalSummary:
        statuses, credits, summary = tally(verdict, original)
        decision = verdict.decision
        return GoalSummary(
            goal=original.id,
            version=original.catalog_year,
            status=verdict.evaluation.status,
            summary=summary,
            requirements=statuses,
            credits=credits,
            alerts=tuple(decision.alerts) if decision else (),
            added_by=None,
        )

    found = auditor.goals(goals, summarise)
    out = tuple(item if note is None else replace(item, added_by=note) for item, note in found)
    return AuditSummary(auditor.catalog.id, len(auditor.unknown), out)


class _Auditor:
    """One student's audit: resolved rows, graded rows per grading, and sets judged so far."""

    def __init__(self, knowledge: Knowledge, student: Student, *, short_circuit: bool) -> None:
        self.knowledge = knowledge
        self.student = student
        self.year = entering_year(student)
        self.catalog = knowledge.catalog_for(student.jurisdiction, self.year)
        # What was used in place of what the student's catalog year asks for, said in the result.
        self.notices: list[str] = []
        if self.catalog.catalog_year > self.year:
            self.notices.append(
                f"No {student.jurisdiction} catalog is loaded for catalog year {self.year} "
                f"({self._year_source()}); the oldest, {self.catalog.id} "
                f"({self.catalog.catalog_year}), was used."
            )
        resolved, self.unknown = resolve_transcript(student, knowledge.index(self.catalog))
        self.grades = _GradeCache(resolved)
        self.short_circuit = short_circuit
        self.judged: dict[str, Verdict] = {}
        self.sets: dict[str, tuple[CompiledSet, CompiledPolicies | None]] = {}
        self.added: list[tuple[str, str, str]] = []  # (set, policy, reason) from ``apply_set``

    def _compiled(self, goal: str) -> tuple[CompiledSet, CompiledPolicies | None]:
        """The set and its policies, looked up once per audit (judging, bounds and building
        each ask for them)."""
        found = self.sets.get(goal)
        if found is None:
            cohort = self.student.cohort
            rset = self.knowledge.ruleset(goal, self.year, cohort=cohort)
            if rset.by_enrolment:
                # A national set (NCAA) dates its versions by when students enrol, the fall
                # after they graduate, not by a state's catalog year.
                if rset.catalog_year > cohort:
                    self.notices.append(
                        f"{goal} has no version for the class of {cohort}; its oldest, for "
                        f"students enrolling from {rset.catalog_year}, was used."
                    )
            elif rset.catalog_year > self.year:
                self.notices.append(
                    f"{goal} has no version for catalog year {self.year} "
                    f"({self._year_source()}); its oldest, {rset.catalog_year}, was used."
                )
            found = self.knowledge.compiled(rset, self.catalog), policies_for(rset, self.catalog)
            self.sets[goal] = found
        return found

    def notice_list(self) -> list[str]:
        """The notices, at most :data:`MAX_NOTICES` (the last one counting any left out: a
        ``goal`` requirement may name any number of sets)."""
        if len(self.notices) <= MAX_NOTICES:
            return self.notices
        left = len(self.notices) - MAX_NOTICES + 1
        return [*self.notices[: MAX_NOTICES - 1], f"...and {left} more rule sets likewise."]

    def _year_source(self) -> str:
        if self.student.catalog_year is not None:
            return "the student's catalog_year"
        return f"the fall the class of {self.student.cohort} entered grade 9"

    def _statuses(self, cset: CompiledSet) -> dict[str, str]:
        """Status of each set ``cset`` names in a ``goal`` requirement, each judged once.

        The full audit judges them all, to show each one. Short-circuited, only the status of
        the ``goal`` requirement must be right, and it is the best of the named sets: they are
        tried most promising first, a set whose bound (:func:`~engine.evaluate.status_bound`)
        cannot beat the best found so far is not judged (its bound is recorded instead, which
        cannot change the best), and judging stops at the first set met.
        """
        if not self.short_circuit:
            return {ref: self.status_of(ref) for ref in cset.goals}
        out: dict[str, str] = {}
        for leaf in cset.leaves:
            if not (isinstance(leaf, ItemLeaf) and leaf.op == "goal"):
                continue
            if any(map(self._adds_goals, leaf.ids)):  # judging them may add goals: judge all
                out.update((ref, self.status_of(ref)) for ref in leaf.ids)
                continue
            bounds = {ref: self._bound(ref) for ref in leaf.ids}
            best = "unmet"
            for ref in sorted(leaf.ids, key=lambda r: -STATUS_RANK[bounds[r]]):
                if ref not in self.judged and STATUS_RANK[bounds[ref]] <= STATUS_RANK[best]:
                    out[ref] = bounds[ref]
                    continue
                out[ref] = self.status_of(ref)
                if STATUS_RANK[out[ref]] > STATUS_RANK[best]:
                    best = out[ref]
                if best == "met":
                    break
        return out

    def _bound(self, goal: str) -> str:
        """The best status ``goal`` could reach ("met" when policies could change it)."""
        if goal in self.judged:
            return self.judged[goal].evaluation.status
        cset, policies = self._compiled(goal)
        if policies is not None or cset.goals:
            return "met"
        return status_bound(cset, self.grades.rows(cset), self.student.experiences)

    def _adds_goals(self, goal: str) -> bool:
        """Whether judging ``goal`` may add a goal (an ``apply_set`` policy): never skipped."""
        policies = self._compiled(goal)[1]
        return policies is not None and policies.applies_sets

    def judge(self, goal: str) -> Verdict:
        """Judge one set (once): policies, then the allocation they leave."""
        verdict = self.judged.get(goal)
        if verdict is None:
            cset, policies = self._compiled(goal)
            statuses = self._statuses(cset)
            verdict = _judge(cset, self.grades, self.student, statuses, policies)
            self.judged[goal] = verdict
            if verdict.decision is not None:
                self.added.extend(verdict.decision.apply_sets)
        return verdict

    def status_of(self, goal: str) -> str:
        # A set named by a ``goal`` requirement is judged first, once, without building its
        # result (DLA names five endorsements). Load-time checks rule out cycles.
        return self.judge(goal).evaluation.status

    def goals(
        self, goals: Sequence[str] | None, build: Callable[[Verdict, CompiledSet], _Built]
    ) -> list[tuple[_Built, dict[str, str] | None]]:
        """Each wanted goal built, then each goal a policy applied (with that policy's note)."""
        wanted = list(dict.fromkeys(goals if goals is not None else self.student.goals))
        built: dict[str, _Built] = {}

        def run(goal: str) -> _Built:
            if goal not in built:
                verdict = self.judge(goal)
                built[goal] = build(verdict, self._compiled(goal)[0])
            return built[goal]

        results: list[tuple[_Built, dict[str, str] | None]] = [(run(g), None) for g in wanted]
        # Sets a policy applies are audited after the student's own goals, each once.
        listed = set(wanted)
        while self.added:
            goal, policy, reason = self.added.pop(0)
            if goal in listed:
                continue
            listed.add(goal)
            note = {"policy": policy, "action": "apply_set", "reason": reason}
            results.append((run(goal), note))
        return results


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
    return GoalResult.model_validate(goal_result(verdict, cset, student))


class _GradeCache:
    """Graded rows per reading of the grades (:func:`~engine.normalize.reading_of`): sets that
    read them alike (a set and the sets extending it; usually Texas and NCAA) share them."""

    def __init__(self, resolved: Sequence[ResolvedRow]) -> None:
        self.resolved = resolved
        self.repeats = repeats_matter(resolved)
        self.found: list[tuple[tuple[object, ...], list[GradedRow]]] = []
        self.by_set: dict[int, list[GradedRow]] = {}

    def rows(self, cset: CompiledSet) -> list[GradedRow]:
        # By the set's identity first: comparing frozen pydantic models walks all their fields.
        graded = self.by_set.get(id(cset))
        if graded is None:
            grading, scale = cset.grading, cset.catalog.grading
            reading = reading_of(grading, scale, self.repeats)
            graded = next((rows for key, rows in self.found if key == reading), None)
            if graded is None:
                graded = grade_rows(self.resolved, grading, scale)
                self.found.append((reading, graded))
            self.by_set[id(cset)] = graded
        return graded


def _judge(
    original: CompiledSet,
    grades: _GradeCache,
    student: Student,
    goal_status: Mapping[str, str] | None,
    policies: CompiledPolicies | None,
) -> Verdict:
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
    return Verdict(cset, graded, evaluation, decision)
