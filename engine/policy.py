"""State policy rules on durable-rules: the only module that imports ``durable``.

A rule file's ``policies:`` (:mod:`engine.policy_model`) compile to one durable-rules JSON
ruleset per rule-set version; each policy becomes one Rete rule per alternative of its ``when``.
Matching a student asserts the facts of :mod:`engine.policy_facts` and collects, in Python, which
policies fired and their rendered messages. What was measured about durable-rules on this machine
(``../shared/reference/durable-rules.md``) shapes every line here:

1. *Threads*: one host per process, created lazily (again after a fork); its ``_run`` is
   overridden so no background dispatcher thread starts; one lock serialises evaluations.
2. *1,024 live states per ruleset*: every evaluation gets a fresh state id and deletes it in
   ``finally``, whatever happened.
3. *No truth maintenance*: data facts first, the student fact (the trigger every rule starts
   with) last, so "no such fact" conditions see the whole record; nothing is ever retracted.
4. *Unmatched facts raise* ``MessageNotHandledException``: caught per fact.
5. *Identical facts raise* ``MessageObservedException``: every fact carries a distinct ``n``;
   should it happen anyway it is a :class:`PolicyError`, never silence.
6. *Errors inside actions are stored, not raised*: the one generic action renders the rule's own
   data template into a Python list (never ``c.assert_fact``); the state is read for an
   ``exception`` before it is deleted, and one becomes a :class:`PolicyError`.
7. *Rules on the session state can loop*: no pattern reads ``$s`` (a test checks every ruleset).
8. *No aggregation*: totals and the GPA are computed in Python (:mod:`engine.policy_facts`).
9. *No reloading*: rulesets are named ``<jurisdiction>-<id>-<year>-<content hash>`` and
   registered once per process; a changed file gets a new name.
10. *Size*: at most :data:`MAX_RULES` rules per ruleset and 16 facts per join, checked when rule
    files load (:mod:`engine.policy_check`) and again here.
11. *Python 3.13* cannot import durable-rules 2.0.28: ``pyproject.toml`` pins ``<3.13``.
12. *Deleting a state before any action has ever run in its ruleset aborts the process*
    (``free(): invalid pointer`` or a segfault; measured while building this module: a student
    whom no policy matches is exactly that case). Each ruleset carries a *prime* rule; on
    registration one prime fact fires its no-op action and its state is deleted, after which
    every ``delete_state`` is safe, including states whose facts all went unmatched.
13. *A registered ruleset is never freed* by the Python host (~220 KB of C tables each,
    measured): draft rule sets sent to a what-if would grow a server by that much per edit,
    for as long as it runs. The host keeps at most :data:`MAX_REGISTERED` rulesets and frees
    the least recently used one (``durable_rules_engine.delete_ruleset``, which the Python
    host does not call; under the evaluation lock, so no state of it is live): 4,000 drafts
    registered, evaluated and freed in turn kept the process flat (+2.7 MB), against
    +424 MB for 2,000 kept. A freed ruleset used again is registered again, as at first use.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import os
import string
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import durable_rules_engine  # type: ignore[import-not-found]
from durable import engine as durable_engine

from engine.errors import GradPathError
from engine.grades import letter_rank
from engine.model import Catalog, RequirementSet, Selector
from engine.policy_facts import (
    FLAG,
    GOAL,
    REQUIREMENT,
    ROW,
    STUDENT,
    FactPlan,
    RowNeed,
    TotalSpec,
)
from engine.policy_model import (
    AlertOutcome,
    ApplySetOutcome,
    Compare,
    CourseCondition,
    CourseMatch,
    CreditsCondition,
    FlagCondition,
    GoalCondition,
    GpaCondition,
    NoCourseCondition,
    NotFlagCondition,
    Outcome,
    Policy,
    RecommendOutcome,
    RequirementCondition,
    StudentCondition,
    alternatives,
)
from engine.requirements import selector_matches
from engine.results import clip

__all__ = [
    "MAX_REGISTERED",
    "MAX_RULES",
    "CompiledPolicies",
    "Fired",
    "PolicyError",
    "compile_policies",
    "evaluate_policies",
    "outcome_text",
    "policies_for",
]

#: Most rules in one durable ruleset (errors were reported near 480; issue #312).
MAX_RULES = 400
#: Rulesets one process keeps registered (hazard 13): every bundled rule set with policies,
#: compiled for each catalog it is audited against, fits many times over.
MAX_REGISTERED = 256
#: The rule every ruleset carries, fired once at registration (hazard 12), and its fact kind.
PRIME_RULE = "prime"
PRIME_KIND = "prime"
#: The rule that takes every fact kind the rules read and never fires, so a batch is accepted.
ABSORB_RULE = "absorb"


class PolicyError(GradPathError):
    """A policy could not be evaluated: an action failed or the rule engine refused a fact."""

    code = "policy-error"


@dataclass(frozen=True)
class _RuleAction:
    policy: int  # index into CompiledPolicies.policies
    row_alias: str | None  # the alias of the first positive course condition
    templates: tuple[tuple[tuple[str, str | None], ...], ...]  # per outcome: (literal, field)


@dataclass(frozen=True)
class Fired:
    """A policy whose conditions held, with each outcome's message or reason rendered."""

    policy: Policy
    texts: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class CompiledPolicies:
    """A rule set's policies as one durable ruleset, plus what facts it needs."""

    name: str  # durable ruleset name, unique per content
    ruleset: str  # the rule set id, for messages
    policies: tuple[Policy, ...]
    definition: Mapping[str, Any]
    actions: Mapping[str, _RuleAction]  # durable action name -> what the rule renders
    plan: FactPlan

    @cached_property
    def applies_sets(self) -> bool:
        """Whether a policy may add a rule set to the audit (an ``apply_set`` outcome)."""
        return any(isinstance(o, ApplySetOutcome) for p in self.policies for o in p.then)

    @property
    def reads_statuses(self) -> bool:
        """Whether a policy tests requirement statuses (so the audit must run first)."""
        return REQUIREMENT in self.plan.kinds


def outcome_text(outcome: Outcome) -> str:
    """The template of an outcome: its message, or its reason."""
    if isinstance(outcome, AlertOutcome | RecommendOutcome):
        return outcome.message
    return outcome.reason


# ---- compiling ---------------------------------------------------------------------------------


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _compare(field: str, cmp: Compare) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for op, bound in (
        ("$gte", cmp.at_least),
        ("$lte", cmp.at_most),
        ("$gt", cmp.above),
        ("$lt", cmp.below),
    ):
        if bound is not None:
            tests.append({op: {field: _num(bound)}})
    if cmp.equals is not None:
        tests.append({field: _num(cmp.equals)})
    return tests


def _one_of(field: str, values: Sequence[str]) -> dict[str, Any]:
    if len(values) == 1:
        return {field: values[0]}
    return {"$or": [{field: v} for v in values]}


def _pattern(kind: str, tests: list[dict[str, Any]]) -> dict[str, Any]:
    if not tests:
        return {"t": kind}
    return {"$and": [{"t": kind}, *tests]}


def _row_tests(match: CourseMatch, first: str | None) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    if match.same_course and first is not None:
        tests.append({"course": {first: "course"}})  # a join on the first matched row's course
    if match.course:
        tests.append(_one_of("course", match.course))
    if match.subject:
        tests.append(_one_of("subject", match.subject))
    if match.level:
        tests.append(_one_of("level", match.level))
    if match.status:
        tests.append(_one_of("status", match.status))
    if match.attribute:
        anys = [{"$iany": {"attrs": {"$i": a}}} for a in match.attribute]
        tests.append(anys[0] if len(anys) == 1 else {"$or": anys})
    if match.result:
        tests.append(_one_of("result", match.result))
    if match.min_grade is not None:
        tests.append({"$gte": {"rank": letter_rank(match.min_grade)}})
    if match.below_grade is not None:
        tests.append({"$lt": {"rank": letter_rank(match.below_grade)}})
    if match.grade_level is not None:
        tests.extend(_compare("gl", match.grade_level))
    return tests


def _split(template: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((literal, name) for literal, name, _, _ in string.Formatter().parse(template))


class _Totals:
    """Credit totals named ``k0``, ``k1``... one per distinct (selector, counting) pair."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.keys: dict[str, TotalSpec] = {}

    def key(self, selector: Selector | None, counting: Sequence[str]) -> str:
        ident = json.dumps(
            [selector.model_dump(mode="json") if selector else None, sorted(counting)],
            sort_keys=True,
        )
        spec = self.keys.get(ident)
        if spec is None:
            courses = (
                None
                if selector is None
                else frozenset(c.id for c in self.catalog.courses if selector_matches(selector, c))
            )
            spec = TotalSpec(f"k{len(self.keys)}", courses, frozenset(counting))
            self.keys[ident] = spec
        return spec.key


def _rule(
    alternative: Sequence[object], totals: _Totals, kinds: set[str]
) -> tuple[list[dict[str, Any]], str | None]:
    """One alternative as durable patterns: the trigger first, then joins, then negations."""
    student: list[dict[str, Any]] = []
    joins: list[dict[str, Any]] = []
    nots: list[dict[str, Any]] = []
    row_alias = next(
        (f"c{i}" for i, c in enumerate(alternative) if isinstance(c, CourseCondition)), None
    )
    for i, cond in enumerate(alternative):
        if isinstance(cond, StudentCondition):
            facts = cond.student
            if facts.grade_level is not None:
                student.extend(_compare("grade_level", facts.grade_level))
            if facts.cohort is not None:
                student.extend(_compare("cohort", facts.cohort))
            if facts.residency is not None:
                student.append({"residency": facts.residency})
        elif isinstance(cond, CreditsCondition):
            if cond.from_ is None and cond.counting == ("completed",):
                student.extend(_compare("credits", cond.credits))
            else:
                student.extend(_compare(totals.key(cond.from_, cond.counting), cond.credits))
        elif isinstance(cond, GpaCondition):
            student.extend(_compare("gpa", cond.gpa))
        elif isinstance(cond, CourseCondition):
            kinds.add(ROW)
            first = row_alias if row_alias != f"c{i}" else None
            joins.append({f"c{i}": _pattern(ROW, _row_tests(cond.course, first))})
        elif isinstance(cond, NoCourseCondition):
            kinds.add(ROW)
            nots.append({f"x{i}$not": _pattern(ROW, _row_tests(cond.no_course, row_alias))})
        elif isinstance(cond, FlagCondition):
            kinds.add(FLAG)
            joins.append({f"c{i}": _pattern(FLAG, [{"flag": cond.flag}])})
        elif isinstance(cond, NotFlagCondition):
            kinds.add(FLAG)
            nots.append({f"x{i}$not": _pattern(FLAG, [{"flag": cond.not_flag}])})
        elif isinstance(cond, GoalCondition):
            kinds.add(GOAL)
            joins.append({f"c{i}": _pattern(GOAL, [{"goal": cond.goal}])})
        elif isinstance(cond, RequirementCondition):
            kinds.add(REQUIREMENT)
            tests = [{"req": cond.requirement}, _one_of("status", cond.status)]
            joins.append({f"c{i}": _pattern(REQUIREMENT, tests)})
    # The trigger comes first: a negation must follow a positive pattern, and the trigger is
    # asserted last, so nothing is judged before the whole record is in.
    return [{"s": _pattern(STUDENT, student)}, *joins, *nots], row_alias


def _row_courses(rset: RequirementSet, catalog: Catalog) -> frozenset[str] | None:
    """Courses some course condition could match (by id, subject, attribute, level), so rows
    of other courses are never built or asserted; None when a condition matches any course."""
    matches: list[CourseMatch] = []
    for policy in rset.policies:
        for alternative in alternatives(policy.when):
            for cond in alternative:
                if isinstance(cond, CourseCondition):
                    matches.append(cond.course)
                elif isinstance(cond, NoCourseCondition):
                    matches.append(cond.no_course)
    keep: set[str] = set()
    for match in matches:
        if match.same_course:
            continue  # only rows of a course the first condition matched
        if not (match.course or match.subject or match.attribute or match.level):
            return None
        for course in catalog.courses:
            if (
                (not match.course or course.id in match.course)
                and (not match.subject or course.subject in match.subject)
                and (not match.level or course.level in match.level)
                and (not match.attribute or set(match.attribute) & set(course.attributes))
            ):
                keep.add(course.id)
    return frozenset(keep)


def _match_courses(match: CourseMatch, catalog: Catalog) -> frozenset[str] | None:
    """Courses one condition's selector allows (id, subject, attribute, level); None: any."""
    if not (match.course or match.subject or match.attribute or match.level):
        return None
    return frozenset(
        course.id
        for course in catalog.courses
        if (not match.course or course.id in match.course)
        and (not match.subject or course.subject in match.subject)
        and (not match.level or course.level in match.level)
        and (not match.attribute or set(match.attribute) & set(course.attributes))
    )


def _row_needs(rset: RequirementSet, catalog: Catalog) -> tuple[RowNeed, ...]:
    """One :class:`~engine.policy_facts.RowNeed` per course or no_course condition.

    Each need is implied by the condition's durable pattern (``_row_tests``): the pattern
    tests the same course selector, result and status, and a ``same_course`` join tests the
    course of the row the alternative's first course condition matched.
    """
    needs: list[RowNeed] = []
    for policy in rset.policies:
        for alternative in alternatives(policy.when):
            conds = [c for c in alternative if isinstance(c, CourseCondition | NoCourseCondition)]
            # ``_rule``'s row alias: the alternative's first positive course condition.
            first = next((i for i, c in enumerate(conds) if isinstance(c, CourseCondition)), None)
            base = len(needs)
            for i, cond in enumerate(conds):
                match = cond.course if isinstance(cond, CourseCondition) else cond.no_course
                joined = match.same_course and first is not None and i != first
                needs.append(
                    RowNeed(
                        _match_courses(match, catalog),
                        frozenset(match.result),
                        frozenset(match.status),
                        base + first if joined and first is not None else None,
                    )
                )
    return tuple(needs)


def _content_hash(rset: RequirementSet, catalog: Catalog) -> str:
    data = [p.model_dump(mode="json", by_alias=True) for p in rset.policies]
    text = json.dumps([rset.id, rset.catalog_year, catalog.id, data], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def compile_policies(rset: RequirementSet, catalog: Catalog) -> CompiledPolicies:
    """Compile ``rset.policies`` into a durable ruleset for transcripts read through ``catalog``.

    Raises
    ------
    PolicyError
        When the set has more than :data:`MAX_RULES` rules (the loader reports it first).
    """
    name = f"{rset.jurisdiction.lower()}-{rset.id}-{rset.catalog_year}-"
    name += _content_hash(rset, catalog)
    totals = _Totals(catalog)
    kinds: set[str] = {STUDENT}
    definition: dict[str, Any] = {}
    actions: dict[str, _RuleAction] = {}
    for p_index, policy in enumerate(rset.policies):
        templates = tuple(_split(outcome_text(o)) for o in policy.then)
        for a_index, alternative in enumerate(alternatives(policy.when)):
            patterns, row_alias = _rule(alternative, totals, kinds)
            rule_name = f"p{p_index}a{a_index}"
            action = f"{name}#{rule_name}"
            definition[rule_name] = {"all": patterns, "run": action}
            actions[action] = _RuleAction(p_index, row_alias, templates)
    definition[PRIME_RULE] = {"all": [{"p": {"t": PRIME_KIND}}], "run": f"{name}#{PRIME_RULE}"}
    taken = [{"t": kind} for kind in sorted(kinds)]
    definition[ABSORB_RULE] = {
        "all": [
            {"k": taken[0] if len(taken) == 1 else {"$or": taken}},
            {"z": {"t": "never-asserted"}},
        ],
        "run": f"{name}#{ABSORB_RULE}",
    }
    if len(definition) > MAX_RULES + 2:
        raise PolicyError(
            f"rule set {rset.id}: its policies make {len(definition) - 2} rules; "
            f"at most {MAX_RULES} fit one rule-engine ruleset"
        )
    tested = frozenset(
        a
        for policy in rset.policies
        for alternative in alternatives(policy.when)
        for cond in alternative
        if isinstance(cond, CourseCondition | NoCourseCondition)
        for a in (cond.course if isinstance(cond, CourseCondition) else cond.no_course).attribute
    )
    named = frozenset(
        cond.requirement
        for policy in rset.policies
        for alternative in alternatives(policy.when)
        for cond in alternative
        if isinstance(cond, RequirementCondition)
    )
    plan = FactPlan(
        frozenset(kinds),
        tuple(totals.keys.values()),
        _row_courses(rset, catalog),
        tested,
        _row_needs(rset, catalog),
        named,
    )
    return CompiledPolicies(name, rset.id, rset.policies, definition, actions, plan)


#: Compiled policies by (rule set id, year, catalog id, and the objects' identities). Keyed by
#: identity too, so two versions of one rule set (an impact run holds both) each stay compiled
#: instead of evicting each other; bounded, since a reload makes new objects.
_COMPILED: dict[tuple[str, int, str, int, int], tuple[RequirementSet, Catalog, CompiledPolicies]]
_COMPILED = {}
_COMPILED_MAX = 256
_COMPILE_LOCK = threading.Lock()


def policies_for(rset: RequirementSet, catalog: Catalog) -> CompiledPolicies | None:
    """The compiled policies of ``rset`` for ``catalog`` (cached), or None if it has none.

    The cache holds the rule set and catalog it compiled; different objects under the same ids
    (knowledge loaded again after an edit) are compiled afresh, and a changed content hash gives
    the new ruleset a new name.
    """
    if not rset.policies:
        return None
    key = (rset.id, rset.catalog_year, catalog.id, id(rset), id(catalog))
    found = _COMPILED.get(key)
    # The identity check guards against a freed object's id being reused by a new one.
    if found is None or found[0] is not rset or found[1] is not catalog:
        with _COMPILE_LOCK:
            found = _COMPILED.get(key)
            if found is None or found[0] is not rset or found[1] is not catalog:
                found = (rset, catalog, compile_policies(rset, catalog))
                while len(_COMPILED) >= _COMPILED_MAX:
                    del _COMPILED[next(iter(_COMPILED))]
                _COMPILED[key] = found
    return found[2]


# ---- the host ----------------------------------------------------------------------------------


Sink = list[tuple[int, int, tuple[str, ...]]]


def _render(action: _RuleAction, matched: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """Fill the rule's own templates from the facts it matched (plain substitution, no eval)."""
    trigger = matched["s"]
    values: dict[str, str] = {
        "grade_level": str(trigger["grade_level"]),
        "cohort": str(trigger["cohort"]),
        "credits": str(trigger["show_credits"]),
        "gpa": str(trigger["show_gpa"]),
    }
    if action.row_alias is not None:
        row = matched[action.row_alias]
        values["course"] = str(row["course"])
        values["title"] = str(row["title"])
        values["grade"] = str(row["grade"]) or "no grade yet"
        values["row_grade_level"] = str(row["gl"])
    return tuple(
        clip("".join(lit + (values[field] if field is not None else "") for lit, field in template))
        for template in action.templates
    )


class _Host(durable_engine.Host):  # type: ignore[misc]
    """A durable host with no dispatcher threads, whose actions append to the current sink."""

    def __init__(self) -> None:
        self.actions: dict[str, _RuleAction] = {}
        #: Registered ruleset names, least recently used first, each with its action names.
        self.registered: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self.sink: Sink | None = None
        self.invoked = 0  # actions started in the current evaluation
        super().__init__()

    def _run(self) -> None:
        """Start nothing: the stock host runs timer threads that race callers (a segfault)."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        if action_name.endswith(f"#{PRIME_RULE}"):
            return _prime
        if action_name.endswith(f"#{ABSORB_RULE}"):
            return _absorbed
        rule = self.actions[action_name]

        def act(c: Any) -> None:
            self.invoked += 1
            matched = c._m
            row = matched[rule.row_alias]["row"] if rule.row_alias is not None else -1
            texts = render(rule, matched)
            if self.sink is not None:
                self.sink.append((rule.policy, row, texts))

        return act

    def register(self, compiled: CompiledPolicies) -> None:
        """Make ``compiled`` ready to evaluate, freeing the least recently used ruleset when
        :data:`MAX_REGISTERED` are held (hazard 13). Hold ``_LOCK``."""
        if compiled.name in self.registered:
            self.registered.move_to_end(compiled.name)
            return
        while len(self.registered) >= MAX_REGISTERED:
            self._free(next(iter(self.registered)))
        self.actions.update(compiled.actions)
        # durable-rules deletes the "run" keys of what it is given: hand it a copy.
        self.set_rulesets({compiled.name: copy.deepcopy(dict(compiled.definition))})
        self.registered[compiled.name] = tuple(compiled.actions)
        sid = f"{PRIME_KIND}-{compiled.name}"
        self.assert_fact(compiled.name, {"t": PRIME_KIND, "sid": sid})
        self.delete_state(compiled.name, sid)

    def _free(self, name: str) -> None:
        """Unregister ruleset ``name`` and free its C tables. Hold ``_LOCK``: every state of it
        was deleted when its evaluation ended."""
        for action in self.registered.pop(name):
            self.actions.pop(action, None)
        ruleset = self._ruleset_directory.pop(name)
        self._ruleset_list.remove(ruleset)
        durable_rules_engine.delete_ruleset(ruleset._handle)


def _prime(c: Any) -> None:
    """The prime rule's action: running once is its whole purpose (hazard 12)."""


def _absorbed(c: Any) -> None:
    """The absorb rule waits for a fact kind that is never asserted."""
    raise PolicyError("the absorb rule fired: a fact of a reserved kind was asserted")


#: The renderer actions call (a seam for the test that makes an action fail).
render: Callable[[_RuleAction, Mapping[str, Mapping[str, Any]]], tuple[str, ...]] = _render

_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_PROCESS: dict[str, Any] = {"pid": None, "host": None}


def _host() -> _Host:
    """The process's host, created on first use and again in a forked child. Hold ``_LOCK``."""
    if _PROCESS["pid"] != os.getpid() or _PROCESS["host"] is None:
        _PROCESS["host"] = _Host()
        _PROCESS["pid"] = os.getpid()
    host: _Host = _PROCESS["host"]
    return host


class _UnhandledFactError(Exception):
    """A batch met a fact no pattern takes; the batch is retried fact by fact."""


def _run_state(
    host: _Host, compiled: CompiledPolicies, facts: Sequence[dict[str, Any]], batch: bool
) -> Sink:
    """One evaluation in a fresh state, always deleted; the collected action results."""
    collected: Sink = []
    sid = str(next(_SIDS))
    host.sink = collected
    host.invoked = 0
    name = compiled.name
    try:
        messages = [{**fact, "sid": sid} for fact in facts]
        try:
            if batch:
                try:
                    host.assert_facts(name, messages)
                except durable_engine.MessageNotHandledException:
                    raise _UnhandledFactError from None
            else:
                for message in messages:
                    try:
                        host.assert_fact(name, message)
                    except durable_engine.MessageNotHandledException:
                        continue  # a fact no rule looks at (hazard 4)
        except durable_engine.MessageObservedException:
            raise PolicyError(
                f"policies of {compiled.ruleset}: the same fact was asserted twice"
            ) from None
        # An error can only arise inside an action, and durable-rules keeps it in the state.
        state = host.get_state(name, sid) if host.invoked else {}
        failure = state.get("exception") if isinstance(state, dict) else None
        if failure:
            first = str(failure).split(", traceback")[0]
            fired = sorted({compiled.policies[p].id for p, _, _ in collected})
            raise PolicyError(
                f"a policy action of rule set {compiled.ruleset} failed "
                f"(policies matched: {', '.join(fired) or 'none'}): {first}"
            )
    except (PolicyError, _UnhandledFactError):
        raise
    except Exception as exc:  # the engine's own errors carry no type of their own
        raise PolicyError(f"policies of {compiled.ruleset} could not run: {exc}") from exc
    finally:
        host.sink = None
        host.delete_state(name, sid)
    return collected


def evaluate_policies(compiled: CompiledPolicies, facts: Sequence[dict[str, Any]]) -> list[Fired]:
    """Match ``facts`` (data first, trigger last) and return the policies that fired, in order.

    Facts go in as one batch (one call into the engine); every fact kind the rules read is
    absorbed by the ruleset's absorb rule, so a batch is refused only for a fact of a kind no
    rule reads, and is then asserted fact by fact, skipping the unmatched ones. A policy that
    matches several ways (two failed courses) fires once, with the messages of the match on
    the earliest transcript row.

    Raises
    ------
    PolicyError
        If an action failed or the engine refused a fact: never silently ignored.
    """
    with _LOCK:
        host = _host()
        host.register(compiled)
        try:
            collected = _run_state(host, compiled, facts, batch=True)
        except _UnhandledFactError:
            collected = _run_state(host, compiled, facts, batch=False)
    best: dict[int, tuple[int, tuple[str, ...]]] = {}
    for policy, row, texts in collected:
        if policy not in best or row < best[policy][0]:
            best[policy] = (row, texts)
    return [Fired(compiled.policies[p], best[p][1]) for p in sorted(best)]
