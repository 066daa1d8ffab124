"""Load-time checks of ``policies:``: every name a policy uses must exist, like any rule reference.

pydantic already refuses unknown keys, flags and operators with positions. What needs the other
files is checked here: requirement names (in the merged set), course ids and attributes (in the
jurisdiction's catalogs), subjects, rule-set ids, message fields, and the rule engine's size
limits. Each problem is a :class:`~engine.errors.Diagnostic` at the offending key's line and
column, with a did-you-mean where one is close.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from engine.errors import Diagnostic, suggest
from engine.loader import Loaded
from engine.model import Catalog, RequirementSet, Selector
from engine.policy import MAX_RULES, outcome_text
from engine.policy_model import (
    PLACEHOLDERS,
    ROW_PLACEHOLDERS,
    AlertOutcome,
    AnyCondition,
    ApplySetOutcome,
    Condition,
    CourseCondition,
    CourseMatch,
    CreditsCondition,
    GoalCondition,
    NoCourseCondition,
    RecommendOutcome,
    RequirementCondition,
    SkipOutcome,
    SubstituteOutcome,
    WaiveOutcome,
    alternatives,
    placeholders,
)
from engine.references import Path, Reference

__all__ = ["PolicyVocabulary", "check_policies", "policy_problems", "vocabulary_for"]


@dataclass(frozen=True)
class PolicyVocabulary:
    """What policies of one set may name."""

    requirements: frozenset[str]
    courses: frozenset[str] | None  # None: a national set with no catalog of its own
    attributes: frozenset[str]
    subjects: frozenset[str]
    rulesets: frozenset[str]


def vocabulary_for(
    rset: RequirementSet, catalogs: Mapping[str, Sequence[Catalog]], rulesets: Iterable[str]
) -> PolicyVocabulary:
    """Names a set's policies may use: its own catalogs', or every catalog's for a national set."""
    own = catalogs.get(rset.jurisdiction)
    pool = list(own) if own else [c for cats in catalogs.values() for c in cats]
    courses = [c for cat in pool for c in cat.courses]
    return PolicyVocabulary(
        requirements=frozenset(rset.requirements),
        courses=frozenset(c.id for c in courses) if own else None,
        attributes=frozenset(a for c in courses for a in c.attributes),
        subjects=frozenset(c.subject for c in courses),
        rulesets=frozenset(rulesets),
    )


def _conditions(conds: Sequence[Condition], path: Path) -> Iterator[tuple[Condition, Path]]:
    for j, cond in enumerate(conds):
        here = (*path, j)
        yield cond, here
        if isinstance(cond, AnyCondition):
            yield from _conditions(cond.any, (*here, "any"))


class _Checker:
    def __init__(self, rset: RequirementSet, vocab: PolicyVocabulary) -> None:
        self.rset = rset
        self.vocab = vocab
        self.out: list[Reference] = []

    def error(self, path: Path, message: str, code: str, crumb: str) -> None:
        self.out.append(Reference(path, message, code, crumb))

    def known(
        self, value: str, choices: Iterable[str], path: Path, what: str, code: str, crumb: str
    ) -> None:
        pool = set(choices)
        if value in pool:
            return
        extra = suggest(value, pool)
        if code == "unknown-course":
            jurisdiction = self.rset.jurisdiction
            message = f"course {value!r} is not in any {jurisdiction} catalog{extra}"
        else:
            message = f"unknown {what} {value!r}{extra}"
        self.error(path, message, code, crumb)

    def selector(self, sel: Selector | CourseMatch, path: Path, crumb: str) -> None:
        courses = list(sel.course) + list(getattr(sel, "not_course", ()))
        keys = ["course"] * len(sel.course) + ["not_course"] * (len(courses) - len(sel.course))
        if self.vocab.courses is not None:
            for key, course in zip(keys, courses, strict=True):
                self.known(
                    course,
                    self.vocab.courses,
                    (*path, key),
                    "course",
                    "unknown-course",
                    crumb,
                )
        attrs = list(sel.attribute) + list(getattr(sel, "not_attribute", ()))
        for attr in attrs:
            self.known(
                attr,
                self.vocab.attributes,
                (*path, "attribute"),
                "attribute",
                "unknown-attribute",
                crumb,
            )
        for subject in sel.subject:
            self.known(
                subject,
                self.vocab.subjects,
                (*path, "subject"),
                "subject",
                "unknown-subject",
                crumb,
            )

    def requirement(self, name: str, path: Path, crumb: str) -> None:
        self.known(
            name,
            self.vocab.requirements,
            path,
            "requirement of this set",
            "unknown-requirement",
            crumb,
        )

    def policy(self, index: int) -> None:
        policy = self.rset.policies[index]
        base: Path = ("policies", index)
        crumb = f"policy {policy.id!r}"
        for cond, path in _conditions(policy.when, (*base, "when")):
            if isinstance(cond, CourseCondition):
                self.selector(cond.course, (*path, "course"), crumb)
            elif isinstance(cond, NoCourseCondition):
                self.selector(cond.no_course, (*path, "no_course"), crumb)
            elif isinstance(cond, CreditsCondition) and cond.from_ is not None:
                self.selector(cond.from_, (*path, "from"), crumb)
            elif isinstance(cond, RequirementCondition):
                self.requirement(cond.requirement, (*path, "requirement"), crumb)
            elif isinstance(cond, GoalCondition):
                self.known(
                    cond.goal,
                    self.vocab.rulesets,
                    (*path, "goal"),
                    "rule set",
                    "unknown-ruleset",
                    crumb,
                )
        alts = alternatives(policy.when)
        has_row = all(any(isinstance(c, CourseCondition) for c in alt) for alt in alts)
        for cond, path in _conditions(policy.when, (*base, "when")):
            match = getattr(cond, "course", None) or getattr(cond, "no_course", None)
            if not isinstance(match, CourseMatch) or not match.same_course:
                continue
            key = "course" if isinstance(cond, CourseCondition) else "no_course"
            firsts = [
                next((c for c in alt if isinstance(c, CourseCondition)), None) for alt in alts
            ]
            if not has_row or any(f is cond for f in firsts):
                self.error(
                    (*path, key, "same_course"),
                    "'same_course' refers to the policy's first 'course' condition; "
                    "put a 'course' condition before it",
                    "invalid-value",
                    crumb,
                )
        fields = set(PLACEHOLDERS) | (set(ROW_PLACEHOLDERS) if has_row else set())
        for k, outcome in enumerate(policy.then):
            path = (*base, "then", k)
            self.outcome(outcome, path, crumb)
            text_key = (
                "message" if isinstance(outcome, AlertOutcome | RecommendOutcome) else "reason"
            )
            try:
                names = placeholders(outcome_text(outcome))
            except ValueError as exc:
                self.error((*path, text_key), f"bad message template: {exc}", "bad-template", crumb)
                continue
            for name in names:
                if name in fields:
                    continue
                if name in ROW_PLACEHOLDERS:
                    message = (
                        f"'{{{name}}}' needs a 'course' condition in every alternative of 'when'"
                    )
                else:
                    extra = suggest(name, fields)
                    message = (
                        f"unknown fact '{{{name}}}' in the message{extra}; known: "
                        + ", ".join(sorted(fields))
                    )
                self.error((*path, text_key), message, "unknown-fact", crumb)

    def outcome(self, outcome: object, path: Path, crumb: str) -> None:
        if isinstance(outcome, SubstituteOutcome):
            self.requirement(outcome.substitute, (*path, "substitute"), crumb)
            self.selector(outcome.with_, (*path, "with"), crumb)
        elif isinstance(outcome, WaiveOutcome):
            self.requirement(outcome.waive, (*path, "waive"), crumb)
        elif isinstance(outcome, SkipOutcome):
            self.requirement(outcome.skip, (*path, "skip"), crumb)
        elif isinstance(outcome, RecommendOutcome) and outcome.course is not None:
            if self.vocab.courses is not None:
                self.known(
                    outcome.course,
                    self.vocab.courses,
                    (*path, "course"),
                    "course",
                    "unknown-course",
                    crumb,
                )
        elif isinstance(outcome, ApplySetOutcome):
            if outcome.apply_set == self.rset.id:
                self.error(
                    (*path, "apply_set"), "a set cannot apply itself", "invalid-value", crumb
                )
            else:
                self.known(
                    outcome.apply_set,
                    self.vocab.rulesets,
                    (*path, "apply_set"),
                    "rule set",
                    "unknown-ruleset",
                    crumb,
                )


def check_policies(loaded: Loaded[RequirementSet], vocab: PolicyVocabulary) -> list[Diagnostic]:
    """Every problem in the ``policies:`` of one loaded rule file, at its line and column."""
    source = loaded.source
    out = []
    for ref in policy_problems(loaded.model, vocab):
        line, column = source.position(ref.path)
        text = source.line_text(line)
        out.append(Diagnostic(loaded.file, line, column, ref.message, ref.code, ref.crumb, text))
    return out


def policy_problems(rset: RequirementSet, vocab: PolicyVocabulary) -> list[Reference]:
    """Every problem in the ``policies:`` of ``rset``, each with its path in the set (a draft
    rule set given inline has no file to point into)."""
    checker = _Checker(rset, vocab)
    seen: dict[str, int] = {}
    rules = 0
    for i, policy in enumerate(rset.policies):
        if policy.id in seen:
            checker.error(
                ("policies", i, "id"),
                f"policy id {policy.id!r} is used twice in this set "
                f"(first at policies[{seen[policy.id]}])",
                "duplicate-policy",
                f"policy {policy.id!r}",
            )
        seen.setdefault(policy.id, i)
        checker.policy(i)
        rules += len(alternatives(policy.when))
    if rules > MAX_RULES:
        checker.error(
            ("policies",),
            f"the policies make {rules} rules; at most {MAX_RULES} fit one rule-engine ruleset "
            "(split the set or simplify 'any' conditions)",
            "too-many-rules",
            "policies",
        )
    return checker.out
