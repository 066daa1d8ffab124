"""What a rule set refers to that does not exist: courses, requirements, other rule sets.

Pure checks on a :class:`~engine.model.RequirementSet`, each problem with its path in the set
(``("requirements", "art", "course")``). Two callers render them: :mod:`engine.knowledge` as
diagnostics with the line and column of the author's file, and a what-if as problems at the
draft rule set given inline, which has no file. One checker, so a draft sent to the API is held
to exactly what ``gradpath validate`` holds a file to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from engine.errors import Suggester, suggest
from engine.model import (
    AllReq,
    AnyReq,
    Course,
    CourseReq,
    CreditsReq,
    GoalReq,
    GpaReq,
    NOfReq,
    RefReq,
    Requirement,
    RequirementSet,
    Selector,
)

__all__ = ["Path", "Reference", "Vocabulary", "goal_references", "reference_problems", "walk"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Reference:
    """A reference to nothing: where in the set, what is wrong, its code, and the requirement."""

    path: Path
    message: str
    code: str
    crumb: str
    severity: str = "error"


@dataclass(frozen=True)
class Vocabulary:
    """What the courses of one jurisdiction's catalogs carry. A selector value outside it
    matches no course: a typo (``englsh``), or a part of the rule no bundled course can meet
    yet. Either way the author should hear of it, as a warning: a rule may rightly name a
    kind of course a catalog does not list (yet)."""

    subjects: frozenset[str]
    attributes: frozenset[str]
    sced: frozenset[str]

    @classmethod
    def of(cls, courses: Iterable[Course]) -> Vocabulary:
        subjects: set[str] = set()
        attributes: set[str] = set()
        sced: set[str] = set()
        for course in courses:
            subjects.add(course.subject)
            attributes.update(course.attributes)
            if course.sced:
                sced.add(course.sced)
        return cls(frozenset(subjects), frozenset(attributes), frozenset(sced))


def walk(req: Requirement, path: Path) -> Iterable[tuple[Requirement, Path]]:
    """``req`` and every requirement under it, each with its path."""
    yield req, path
    kids: Sequence[Requirement] = ()
    key = ""
    if isinstance(req, AllReq):
        kids, key = req.all, "all"
    elif isinstance(req, AnyReq):
        kids, key = req.any, "any"
    elif isinstance(req, NOfReq):
        kids, key = req.of, "of"
    for i, kid in enumerate(kids):
        yield from walk(kid, (*path, key, i))


def _selectors(node: Requirement, path: Path) -> Iterable[tuple[Selector, Path]]:
    """Every selector of ``node`` (its ``from`` and its limits' ``from``), with its path."""
    found: list[tuple[object, Path]] = [(getattr(node, "from_", None), (*path, "from"))]
    if isinstance(node, CreditsReq):
        found.extend((lim.from_, (*path, "limits", k, "from")) for k, lim in enumerate(node.limits))
    for value, where in found:
        if isinstance(value, Selector):
            yield value, where
        elif isinstance(value, tuple):
            yield from ((sel, (*where, i)) for i, sel in enumerate(value))


def _selector_courses(
    rset: RequirementSet,
    node: Requirement,
    path: Path,
    course_ids: Set[str],
    crumb: str,
    hint: Suggester,
) -> Iterable[Reference]:
    """A course a selector names (``course`` or ``not_course``) that no catalog of the set's
    jurisdiction has: a typo there would match nothing, silently."""
    for selector, where in _selectors(node, path):
        for key in ("course", "not_course"):
            for j, cid in enumerate(getattr(selector, key)):
                if cid in course_ids:
                    continue
                extra = hint(cid)
                yield Reference(
                    (*where, key, j),
                    f"course {cid!r} in '{key}' is in no {rset.jurisdiction} catalog{extra}",
                    "unknown-course",
                    crumb,
                )


def _selector_values(
    rset: RequirementSet, node: Requirement, path: Path, vocabulary: Vocabulary, crumb: str
) -> Iterable[Reference]:
    """Warnings for selector values no course of the jurisdiction carries (see
    :class:`Vocabulary`): a ``subject``, ``attribute`` or ``sced`` prefix that matches nothing,
    or a ``not_attribute`` that excludes nothing."""
    where_not = f"on no course of any {rset.jurisdiction} catalog"
    for selector, where in _selectors(node, path):
        for key, label, known in (
            ("subject", "subject", vocabulary.subjects),
            ("attribute", "attribute", vocabulary.attributes),
            ("not_attribute", "attribute", vocabulary.attributes),
        ):
            effect = "excludes nothing" if key == "not_attribute" else "matches no course"
            for j, value in enumerate(getattr(selector, key)):
                if value not in known:
                    yield Reference(
                        (*where, key, j),
                        f"{label} {value!r} is {where_not}: this {effect} until a catalog "
                        f"lists one{suggest(value, known)}",
                        "matches-no-course",
                        crumb,
                        "warning",
                    )
        for j, prefix in enumerate(selector.sced):
            if not any(code.startswith(prefix) for code in vocabulary.sced):
                yield Reference(
                    (*where, "sced", j),
                    f"no course of any {rset.jurisdiction} catalog has a SCED code starting "
                    f"{prefix!r}: this matches no course until a catalog lists one",
                    "matches-no-course",
                    crumb,
                    "warning",
                )


def reference_problems(
    rset: RequirementSet,
    names: Set[str],
    course_ids: Set[str] | None,
    set_ids: Set[str],
    vocabulary: Vocabulary | None = None,
) -> list[Reference]:
    """References of one set: requirement names (``names``: the set's, after ``extends``),
    ``over``/``within``, courses (``None``: no catalog of its jurisdiction to check against),
    and other sets (``set_ids``); with ``vocabulary``, also warnings for selector values no
    course carries."""
    out: list[Reference] = []
    hint = Suggester(course_ids or ())
    for name, req in rset.requirements.items():
        for node, path in walk(req, ("requirements", name)):
            crumb = f"requirement {name!r}"
            if isinstance(node, GoalReq):
                for i, goal in enumerate(node.goal):
                    if goal not in set_ids:
                        extra = suggest(goal, set_ids)
                        out.append(
                            Reference(
                                (*path, "goal", i),
                                f"no rule set with id {goal!r}{extra}",
                                "unknown-ruleset",
                                crumb,
                            )
                        )
            refs: list[tuple[str, Path]] = []
            if isinstance(node, RefReq):
                refs.append((node.requirement, (*path, "requirement")))
            if isinstance(node, GpaReq):
                refs.extend((n, (*path, "over")) for n in node.over)
            refs.extend((n, (*path, "within")) for n in getattr(node, "within", ()))
            for ref, where in refs:
                if ref not in names:
                    extra = suggest(ref, names)
                    out.append(
                        Reference(
                            where,
                            f"no requirement named {ref!r} in this set{extra}",
                            "unknown-requirement",
                            crumb,
                        )
                    )
            if course_ids is None:
                continue
            out.extend(_selector_courses(rset, node, path, course_ids, crumb, hint))
            if vocabulary is not None:
                out.extend(_selector_values(rset, node, path, vocabulary, crumb))
            if isinstance(node, CourseReq) and node.course not in course_ids:
                extra = hint(node.course)
                out.append(
                    Reference(
                        (*path, "course"),
                        f"course {node.course!r} is in no {rset.jurisdiction} catalog{extra}",
                        "unknown-course",
                        crumb,
                    )
                )
    return out


def goal_references(rset: RequirementSet) -> list[tuple[str, Path]]:
    """The rule sets ``rset`` names in ``goal`` requirements, each with its path."""
    return [
        (goal, (*path, "goal", i))
        for name, req in rset.requirements.items()
        for node, path in walk(req, ("requirements", name))
        if isinstance(node, GoalReq)
        for i, goal in enumerate(node.goal)
    ]
