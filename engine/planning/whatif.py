"""What-if: the student plus changes, audited and planned, and compared with the student as is.

A scenario adds, drops or regrades transcript rows, swaps goals, moves to another catalog year
or jurisdiction (rows are carried by their SCED codes where the old catalog knows them, the way a
receiving school reads a transfer transcript), or audits against a draft rule set given inline.
Each scenario's result says which requirements changed status, which courses the plan gains or
loses, and the change in added credits and terms to graduation.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Annotated, Any, NamedTuple

import networkx as nx
from pydantic import ConfigDict, Field, ValidationError, model_validator

from engine.audit import audit
from engine.errors import (
    SCENARIOS,
    BudgetExceededError,
    FieldProblem,
    GradPathError,
    KnowledgeError,
    StudentDataError,
    UnknownGoalError,
    suggest,
)
from engine.knowledge import Knowledge, entering_year
from engine.model import ID_PATTERN, FrozenModel, RequirementSet, mixed_dating
from engine.planning.constraints import CONSTRAINTS, PlanConstraints
from engine.planning.plan import plan
from engine.planning.results import (
    MAX_DRAFT_WARNINGS,
    DraftWarning,
    GoalChange,
    PlanResult,
    RequirementChange,
    ScenarioResult,
    WhatIfResult,
)
from engine.policy_check import policy_problems, vocabulary_for
from engine.references import Vocabulary, goal_references, reference_problems
from engine.requirements import merge_extends
from engine.results import AuditResult, RequirementResult, clip
from engine.student import MAX_GOAL, MAX_GOALS, MAX_TRANSCRIPT, Student, TranscriptRow

__all__ = ["AppliedScenario", "RowMatch", "Scenario", "ScenarioSet", "apply_scenario", "whatif"]


#: The JSON Schema of "a course or a SCED code, one of them" (the model's check below).
_ONE_COURSE: dict[str, Any] = {
    "oneOf": [
        {
            "required": ["course"],
            "properties": {"course": {"not": {"type": "null"}}, "sced": {"type": "null"}},
        },
        {
            "required": ["sced"],
            "properties": {"sced": {"not": {"type": "null"}}, "course": {"type": "null"}},
        },
    ]
}


class RowMatch(FrozenModel):
    """Which transcript rows a change applies to: a course (by catalog id, or by SCED code for
    rows given only by one, as transfer rows are), optionally in one grade and term."""

    model_config = ConfigDict(json_schema_extra=_ONE_COURSE)

    course: str | None = Field(default=None, pattern=ID_PATTERN)
    sced: str | None = Field(
        default=None,
        pattern=r"^\d{5}([A-Z][0-9.]{4}\d{2})?$",
        max_length=12,
        description="rows given by this SCED code (instead of course)",
    )
    grade_level: int | None = Field(default=None, ge=6, le=12)
    term: str | None = Field(default=None, max_length=8)
    grade: Annotated[str, Field(max_length=8)] | float | None = Field(
        default=None, description="the new grade (regrade)"
    )

    @model_validator(mode="after")
    def _one_course(self) -> RowMatch:
        if (self.course is None) == (self.sced is None):
            raise ValueError("name the rows by 'course' (catalog id) or by 'sced', one of them")
        return self

    @property
    def names(self) -> str:
        """The course as a message names it."""
        return self.course if self.course is not None else f"SCED {self.sced}"


class Scenario(FrozenModel):
    """The student as recorded, plus these changes."""

    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    add: tuple[TranscriptRow, ...] = Field(default=(), max_length=MAX_TRANSCRIPT)
    drop: tuple[RowMatch, ...] = Field(default=(), max_length=MAX_TRANSCRIPT)
    regrade: tuple[RowMatch, ...] = Field(default=(), max_length=MAX_TRANSCRIPT)
    goals: tuple[Annotated[str, Field(max_length=MAX_GOAL)], ...] | None = Field(
        default=None, max_length=MAX_GOALS
    )
    catalog_year: int | None = Field(default=None, ge=2000, le=2100)
    jurisdiction: str | None = Field(default=None, pattern=r"^[A-Z]{2,8}$")
    rules: tuple[RequirementSet, ...] = Field(
        default=(), max_length=10, description="draft rule sets, inline"
    )
    constraints: PlanConstraints | None = None


class ScenarioSet(FrozenModel):
    """A scenarios file: optional plan constraints for every scenario, and the scenarios."""

    constraints: PlanConstraints | None = None
    scenarios: tuple[Scenario, ...] = Field(min_length=1, max_length=50)


def _matches(row: TranscriptRow, match: RowMatch) -> bool:
    if (row.course != match.course) if match.course is not None else (row.sced != match.sced):
        return False
    if match.grade_level is not None and row.grade_level != match.grade_level:
        return False
    return match.term is None or row.term == match.term


Where = tuple[str | int, ...]


def _problem(index: int, scenario: Scenario, where: Where, msg: str, kind: str) -> StudentDataError:
    """A scenario that cannot be applied: located by its index, as its JSON path is
    (``scenarios.1.drop.0``), and named in the message, as a counselor knows it."""
    return StudentDataError(
        [FieldProblem(("scenarios", index, *where), f"scenario {scenario.name!r}: {msg}", kind)],
        source=SCENARIOS,
    )


def _with_drafts(
    knowledge: Knowledge, index: int, scenario: Scenario
) -> tuple[Knowledge, tuple[FieldProblem, ...]]:
    """Knowledge with the scenario's draft rule sets laid over the bundled ones (same id and
    year replaced), and the drafts' warnings."""
    drafts = scenario.rules
    if not drafts:
        return knowledge, ()
    rulesets = {k: list(v) for k, v in knowledge.rulesets.items()}
    given: dict[tuple[str, int], int] = {}
    for k, draft in enumerate(drafts):
        first = given.setdefault((draft.id, draft.catalog_year), k)
        if first != k:
            msg = f"draft {draft.id!r} for catalog year {draft.catalog_year} is given twice"
            msg += f" (also rules[{first}])"
            raise _problem(index, scenario, ("rules", k, "id"), msg, "duplicate-ruleset")
    for k, draft in enumerate(drafts):
        merged = draft
        if draft.extends is not None:
            try:
                base = knowledge.ruleset(draft.extends, draft.catalog_year)
            except GradPathError:
                extra = suggest(draft.extends, knowledge.rulesets)
                msg = f"draft {draft.id!r} extends unknown rule set {draft.extends!r}{extra}"
                raise _problem(
                    index, scenario, ("rules", k, "extends"), msg, "unknown-ruleset"
                ) from None
            for i, name in enumerate(draft.remove):
                if name not in base.requirements:
                    msg = f"draft {draft.id!r} cannot remove {name!r}: {base.id} has no such"
                    msg += " requirement"
                    raise _problem(
                        index, scenario, ("rules", k, "remove", i), msg, "unknown-requirement"
                    )
            merged = merge_extends(draft, base)
        versions = [r for r in rulesets.get(draft.id, []) if r.catalog_year != draft.catalog_year]
        rulesets[draft.id] = sorted([*versions, merged], key=lambda r: r.catalog_year)
        mixed = mixed_dating(rulesets[draft.id])
        if mixed is not None:
            msg = f"draft {draft.id!r}: {mixed}"
            raise _problem(index, scenario, ("rules", k, "dated_by"), msg, "mixed-dating")
    out = Knowledge(
        catalogs=knowledge.catalogs,
        rulesets=rulesets,
        graphs=knowledge.graphs,
        indexes=knowledge.indexes,
        careers=knowledge.careers,  # a career's route is per state (its variants)
    )
    warnings = _check_references(out, index, scenario)
    for k, draft in enumerate(drafts):  # compile now so a broken draft fails here, with its name
        for cats in out.catalogs.values():
            for cat in cats:
                try:
                    out.compiled(out.ruleset(draft.id, draft.catalog_year), cat)
                except ValueError as exc:
                    msg = f"draft rule set {draft.id!r}: {exc}"
                    raise _problem(index, scenario, ("rules", k), msg, "value_error") from None
    return out, warnings


def _check_references(
    knowledge: Knowledge, index: int, scenario: Scenario
) -> tuple[FieldProblem, ...]:
    """Refuse drafts that name courses, requirements or rule sets that do not exist (in their
    requirements or their policies), as ``gradpath validate`` refuses such a file: each
    problem at its place in the draft. What ``validate`` only warns of (a selector value no
    course carries) is returned, for the scenario's result to say."""
    set_ids = set(knowledge.rulesets)
    problems: list[FieldProblem] = []
    warnings: list[FieldProblem] = []
    for k, draft in enumerate(scenario.rules):
        merged = knowledge.ruleset(draft.id, draft.catalog_year)
        names = set(merged.requirements)
        cats = knowledge.catalogs.get(draft.jurisdiction, ())
        course_ids = {c.id for cat in cats for c in cat.courses} if cats else None
        vocabulary = Vocabulary.of(c for cat in cats for c in cat.courses) if cats else None
        found = reference_problems(draft, names, course_ids, set_ids, vocabulary)
        if draft.policies:
            found += policy_problems(draft, vocabulary_for(merged, knowledge.catalogs, set_ids))
        for ref in found:
            msg = f"scenario {scenario.name!r}: draft {draft.id!r}, {ref.crumb}: {ref.message}"
            where = ("scenarios", index, "rules", k, *ref.path)
            kept = warnings if ref.severity == "warning" else problems
            kept.append(FieldProblem(where, msg, ref.code))
    if problems:
        raise StudentDataError(problems, source=SCENARIOS)
    _check_goal_cycles(knowledge, index, scenario)
    return tuple(warnings)


def _check_goal_cycles(knowledge: Knowledge, index: int, scenario: Scenario) -> None:
    """Refuse a draft whose ``goal`` requirements lead back to itself: judging it would never
    end. (Bundled sets are checked when loaded; only a draft can close a loop.)"""
    refs = nx.DiGraph()
    for goal_id, versions in knowledge.rulesets.items():
        for version in versions:
            refs.add_edges_from((goal_id, goal) for goal, _ in goal_references(version))
    for k, draft in enumerate(scenario.rules):
        for goal, path in goal_references(draft):
            if goal in refs and draft.id in refs and nx.has_path(refs, goal, draft.id):
                loop = " -> ".join((draft.id, *nx.shortest_path(refs, goal, draft.id)))
                msg = f"draft {draft.id!r}: rule sets require each other through 'goal': {loop}"
                where = ("rules", k, *path)
                raise _problem(index, scenario, where, msg, "goal-cycle")


class AppliedScenario(NamedTuple):
    """A scenario applied: the knowledge with its drafts laid over, the student as changed,
    and what ``validate`` would warn of in the drafts (selector values no course carries)."""

    knowledge: Knowledge
    student: Student
    warnings: tuple[FieldProblem, ...]


def apply_scenario(
    knowledge: Knowledge,
    student: Student,
    scenario: Scenario,
    *,
    index: int = 0,
    max_rows: int = MAX_TRANSCRIPT,
) -> AppliedScenario:
    """The knowledge and student a scenario describes, and its draft rule sets' warnings.

    A change that cannot be applied raises :class:`StudentDataError` at the field, its path
    starting ``scenarios.<index>``; so does a transcript that the changes take past
    ``max_rows`` rows.
    """

    def problem(where: Where, msg: str) -> StudentDataError:
        return _problem(index, scenario, where, msg, "value_error")

    rows = list(student.transcript)
    for n, match in enumerate(scenario.drop):
        kept = [r for r in rows if not _matches(r, match)]
        if len(kept) == len(rows):
            raise problem(("drop", n), f"no transcript row of {match.names} matches")
        rows = kept
    for n, match in enumerate(scenario.regrade):
        if match.grade is None:
            raise problem(("regrade", n), "a regrade needs 'grade'")
        hits = [i for i, r in enumerate(rows) if _matches(r, match)]
        if not hits:
            raise problem(("regrade", n), f"no transcript row of {match.names} matches")
        for i in hits:
            data = rows[i].model_dump()
            data.update(grade=match.grade, status="completed")
            try:
                rows[i] = TranscriptRow.model_validate(data)
            except ValidationError as exc:
                msg = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
                raise problem(("regrade", n, "grade"), msg) from None
    rows.extend(scenario.add)
    limit = min(max_rows, MAX_TRANSCRIPT)
    if len(rows) > limit:
        raise problem(("add",), f"the transcript would have {len(rows)} rows; the limit is {limit}")
    update: dict[str, Any] = {"transcript": tuple(rows)}
    if scenario.goals is not None:
        update["goals"] = scenario.goals
    if scenario.catalog_year is not None:
        update["catalog_year"] = scenario.catalog_year
    if scenario.jurisdiction is not None and scenario.jurisdiction != student.jurisdiction:
        update["jurisdiction"] = scenario.jurisdiction
        old = knowledge.catalog_for(student.jurisdiction, entering_year(student))
        sced = {c.id: c.sced for c in old.courses if c.sced}
        update["transcript"] = tuple(
            r.model_copy(update={"sced": sced[r.course]})
            if r.course in sced and r.sced is None
            else r
            for r in rows
        )
    try:
        changed = Student.model_validate({**student.model_dump(), **update})
    except ValidationError as exc:  # e.g. an added row the student's other fields rule out
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise problem((), f"the student as changed is not valid: {where}: {first['msg']}") from None
    with_drafts, warnings = _with_drafts(knowledge, index, scenario)
    return AppliedScenario(with_drafts, changed, warnings)


def _cause(scenario: Scenario, exc: GradPathError) -> Where:
    """The field of a scenario that most likely made its audit or plan fail."""
    if isinstance(exc, UnknownGoalError) and scenario.goals is not None:
        return ("goals",)
    if isinstance(exc, KnowledgeError):
        if scenario.jurisdiction is not None:
            return ("jurisdiction",)
        if scenario.catalog_year is not None:
            return ("catalog_year",)
    return ()


def _constraints_problem(index: int, scenario: Scenario, exc: StudentDataError) -> StudentDataError:
    """The plan's refusal of the constraints a scenario planned with (a locked course its
    catalog lacks), at their place: the scenario's own, else the shared ones (which the base
    plan accepted, so the scenario's catalog year or jurisdiction is what lacks the course)."""
    under: Where = ("scenarios", index, "constraints")
    if scenario.constraints is None:
        under = ("constraints",)
    return StudentDataError(
        [
            FieldProblem((*under, *p.loc), f"scenario {scenario.name!r}: {p.msg}", p.type)
            for p in exc.problems
        ],
        source=SCENARIOS,
    )


def _statuses(result: AuditResult) -> dict[tuple[str, str], tuple[str, str]]:
    out: dict[tuple[str, str], tuple[str, str]] = {}

    def walk(goal: str, node: RequirementResult) -> None:
        out[(goal, node.path)] = (node.status, node.title)
        for child in node.children:
            walk(goal, child)

    for goal in result.goals:
        for req in goal.requirements:
            walk(goal.goal, req)
    return out


def _has_plan(result: PlanResult) -> bool:
    return result.status in ("optimal", "feasible")


def _compare(
    name: str,
    description: str | None,
    result: AuditResult,
    planned: PlanResult,
    base: tuple[AuditResult, PlanResult] | None,
) -> ScenarioResult:
    if base is None:
        base = (result, planned)
    b_audit, b_plan = base
    b_goals = {g.goal: g.status for g in b_audit.goals}
    goals = {g.goal: g.status for g in result.goals}
    goal_changes = tuple(
        GoalChange(goal=g, before=b_goals.get(g), after=goals.get(g))
        for g in dict.fromkeys([*b_goals, *goals])
        if b_goals.get(g) != goals.get(g)
    )
    before, after = _statuses(b_audit), _statuses(result)
    changes = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if (old and old[0]) != (new and new[0]):
            title = (new or old or ("", ""))[1]
            changes.append(
                RequirementChange(
                    goal=key[0],
                    requirement=key[1],
                    title=title,
                    before=old[0] if old else None,
                    after=new[0] if new else None,
                )
            )
    # Plans are compared only when both exist: a result without a plan (none exists, or none
    # was found in time) has no courses, credits or terms to graduation, and reading them as
    # an empty plan would report changes that did not happen.
    both = _has_plan(planned) and _has_plan(b_plan)
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    credits = 0.0
    terms = 0
    if both:
        b_courses = {c.course for c in b_plan.courses}
        courses = {c.course for c in planned.courses}
        added = tuple(sorted(courses - b_courses))
        removed = tuple(sorted(b_courses - courses))
        credits = round(planned.added_credits - b_plan.added_credits, 4)
        terms = planned.terms_to_graduation - b_plan.terms_to_graduation
    parts = [
        f"{g.goal}: {g.before or 'not a goal'} -> {g.after or 'not a goal'}" for g in goal_changes
    ]
    parts.append(f"{len(changes)} requirement(s) changed status")
    if planned.status == "infeasible":
        parts.append("no plan exists")
    elif not _has_plan(planned):
        parts.append("no plan found in the time limit")
    elif not both:
        parts.append(
            f"a plan of {planned.added_credits:g} credits, {planned.terms_to_graduation} terms "
            "to graduation (the base has none to compare with)"
        )
    else:
        parts.append(f"plan {credits:+g} credits, {terms:+d} terms to graduation")
    if added or removed:
        parts.append(
            f"plan adds {', '.join(added) or 'nothing'}; drops {', '.join(removed) or 'nothing'}"
        )
    return ScenarioResult(
        name=name,
        description=description,
        audit=result,
        plan=planned,
        goals=goal_changes,
        requirements=tuple(changes),
        courses_added=added,
        courses_removed=removed,
        credits_delta=credits,
        terms_delta=terms,
        summary="; ".join(parts) + ".",
    )


def _draft_warnings(found: Sequence[FieldProblem]) -> tuple[DraftWarning, ...]:
    """The warnings as the result carries them: at most :data:`MAX_DRAFT_WARNINGS`, the last
    counting any left out."""
    out = [DraftWarning(loc=w.loc, msg=clip(w.msg), type=w.type) for w in found]
    if len(out) > MAX_DRAFT_WARNINGS:
        left = len(out) - MAX_DRAFT_WARNINGS + 1
        last = DraftWarning(
            loc=out[0].loc[:2], msg=f"...and {left} more warnings like these.", type=out[0].type
        )
        out = [*out[: MAX_DRAFT_WARNINGS - 1], last]
    return tuple(out)


def whatif(
    *,
    knowledge: Knowledge,
    student: Student,
    scenarios: ScenarioSet,
    goals: Sequence[str] | None = None,
    budget: float | None = None,
    max_rows: int = MAX_TRANSCRIPT,
) -> WhatIfResult:
    """Audit and plan the student as recorded (the base) and under every scenario.

    ``max_rows`` bounds each scenario's transcript as a caller bounds the student's (the
    service's row limit), so a scenario cannot add its way past it.

    ``budget`` (seconds) bounds the whole what-if: each plan has its own solver time limit, but
    up to 51 of them (and the explanations of infeasible ones, seconds each) could otherwise
    hold a caller for minutes. It is checked before each scenario, so the work stops at most
    one plan past it, with ``BudgetExceededError``.
    """
    started = time.monotonic()
    cons = scenarios.constraints
    base_audit = audit(knowledge=knowledge, student=student, goals=goals)
    base_plan = plan(knowledge=knowledge, student=student, goals=goals, constraints=cons)
    base = _compare("base", "the student as recorded", base_audit, base_plan, None)
    results = []
    for done, scenario in enumerate(scenarios.scenarios):
        if budget is not None and time.monotonic() - started > budget:
            raise BudgetExceededError(done, len(scenarios.scenarios), budget)
        kb, changed, warnings = apply_scenario(
            knowledge, student, scenario, index=done, max_rows=max_rows
        )
        wanted = scenario.goals if scenario.goals is not None else goals
        try:
            result = audit(knowledge=kb, student=changed, goals=wanted)
            planned = plan(
                knowledge=kb,
                student=changed,
                goals=wanted,
                constraints=scenario.constraints or cons,
            )
        except GradPathError as exc:
            if isinstance(exc, StudentDataError) and exc.source == CONSTRAINTS:
                raise _constraints_problem(done, scenario, exc) from None
            where = _cause(scenario, exc)
            raise _problem(done, scenario, where, exc.message, exc.code) from None
        compared = _compare(
            scenario.name, scenario.description, result, planned, (base_audit, base_plan)
        )
        if warnings:
            compared = compared.model_copy(update={"warnings": _draft_warnings(warnings)})
        results.append(compared)
    return WhatIfResult(student=student.id, base=base, scenarios=tuple(results))
