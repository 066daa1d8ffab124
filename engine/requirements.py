"""Compile authored requirement sets into evaluable trees for one catalog.

Authoring is friendly (names, references, ``extends``, selectors over subjects and attributes);
evaluation wants flat facts: for every leaf, the exact set of catalog course ids it accepts.
Compiling once per (rule set, catalog) keeps that work out of every audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard

from engine.model import (
    AllReq,
    AnyReq,
    AssessmentReq,
    Before,
    Catalog,
    Course,
    CourseReq,
    CoursesReq,
    CredentialReq,
    CreditsReq,
    GoalReq,
    GpaReq,
    Grading,
    HonorsCap,
    HoursReq,
    NOfReq,
    RefReq,
    Requirement,
    RequirementSet,
    Selector,
    SequenceReq,
)
from engine.results import MAX_EXPLANATION, clip

__all__ = [
    "CompiledSet",
    "CountLeaf",
    "CreditLeaf",
    "GpaLeaf",
    "Group",
    "ItemLeaf",
    "Node",
    "compile_set",
    "consumes",
    "describe_selector",
    "leaves_of",
    "merge_extends",
    "selector_matches",
]

LeafUnit = Literal["credits", "levels"]


@dataclass(eq=False)
class _Base:
    path: str
    title: str
    description: str | None
    name: str | None  # set on top-level requirements


@dataclass(eq=False)
class Group(_Base):
    """``all`` / ``any`` / ``n_of`` (and ``sequence``, an ``any`` over tracks)."""

    op: str
    need: int
    children: list[Node] = field(default_factory=list)


@dataclass(eq=False)
class CreditLeaf(_Base):
    """Consumes credited rows of the eligible courses until ``demand`` credits are reached."""

    op: str
    eligible: frozenset[str]
    demand: float
    min_grade: str | None
    before: tuple[int, int] | None  # (grade level, term order) a row must end before
    share: bool
    within: tuple[str, ...]
    limits: tuple[tuple[float, frozenset[str]], ...]
    levels: int = 0  # a sequence leaf also needs this many distinct levels
    level_of: Mapping[str, int] = field(default_factory=dict)
    selector_text: str = ""
    ranked: tuple[str, ...] = ()  # eligible courses, earliest grade level first


@dataclass(eq=False)
class CountLeaf(_Base):
    """At least ``need`` distinct eligible courses; never consumes rows."""

    op: str
    eligible: frozenset[str]
    need: int
    min_grade: str | None
    before: tuple[int, int] | None  # (grade level, term order) a row must end before
    within: tuple[str, ...]
    selector_text: str = ""
    ranked: tuple[str, ...] = ()


@dataclass(eq=False)
class GpaLeaf(_Base):
    """A grade point average over applied rows (``over``) or matching rows (``eligible``)."""

    op: str
    minimum: float
    over: tuple[str, ...]
    eligible: frozenset[str] | None
    grade_levels: tuple[int, ...]
    summer_after: tuple[int, ...]  # summers after these grades count too (rows: grade, summer)
    weighted: bool
    honors_cap: HonorsCap | None
    best_grades: bool

    def in_window(self, grade_level: int, term: str) -> bool:
        """Whether a row of ``grade_level`` and ``term`` falls in the GPA's grade window."""
        if not self.grade_levels or grade_level in self.grade_levels:
            return True
        return term == "summer" and grade_level in self.summer_after


@dataclass(eq=False)
class ItemLeaf(_Base):
    """A non-course item: credential, assessment score or hours."""

    op: str
    ids: tuple[str, ...]
    min_score: float | None = None
    hours: float = 0.0
    kind: str = ""


Node = Group | CreditLeaf | CountLeaf | GpaLeaf | ItemLeaf


@dataclass(eq=False)
class CompiledSet:
    """A requirement set ready to evaluate against transcripts read through one catalog."""

    id: str
    title: str
    kind: str
    catalog_year: int
    source: str
    grading: Grading
    allow_sharing: bool
    requirements: dict[str, Node]
    leaves: list[Node]
    best_grades: bool
    catalog: Catalog
    titles: dict[str, str]
    last_grade: dict[str, int]  # course id -> last grade level it is offered in
    flow_leaves: list[CreditLeaf]  # leaves that consume rows, each once, in authored order
    under: dict[str, list[CreditLeaf]]  # top-level name -> consuming leaves beneath it
    goals: tuple[str, ...] = ()  # other sets a ``goal`` requirement refers to, in order
    # What evaluation derives from the set alone (never from a student), built on first use
    # by the module that reads it and kept with the set; a copy (``dataclasses.replace``)
    # starts empty.
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False)


def consumes(node: Node) -> bool:
    """Whether ``node`` takes rows in the allocation (rather than checking them in place)."""
    return isinstance(node, CreditLeaf) and not node.share


def _flow(node: Node) -> TypeGuard[CreditLeaf]:
    return isinstance(node, CreditLeaf) and not node.share


def leaves_of(node: Node) -> list[Node]:
    """Every leaf under ``node``, depth first."""
    if isinstance(node, Group):
        return [leaf for child in node.children for leaf in leaves_of(child)]
    return [node]


def selector_matches(selector: Selector | tuple[Selector, ...], course: Course) -> bool:
    """Whether ``course`` is one the selector (or any selector of a list) draws on."""
    if isinstance(selector, tuple):
        return any(_matches(one, course) for one in selector)
    return _matches(selector, course)


def _matches(selector: Selector, course: Course) -> bool:
    if selector.course and course.id not in selector.course:
        return False
    if selector.subject and course.subject not in selector.subject:
        return False
    if selector.level and course.level not in selector.level:
        return False
    if selector.sced and not (course.sced and course.sced.startswith(selector.sced)):
        return False
    if selector.attribute and not set(selector.attribute) & set(course.attributes):
        return False
    if course.id in selector.not_course:
        return False
    return not set(selector.not_attribute) & set(course.attributes)


def describe_selector(selector: Selector | tuple[Selector, ...]) -> str:
    """Plain words for a selector, for reasons shown to counselors."""
    if isinstance(selector, tuple):
        return " or ".join(describe_selector(one) for one in selector)
    parts: list[str] = []
    if selector.course:
        parts.append("courses " + ", ".join(selector.course))
    if selector.subject:
        parts.append(" or ".join(selector.subject))
    if selector.attribute:
        parts.append(" or ".join(selector.attribute))
    if selector.level:
        parts.append(" or ".join(selector.level) + " level")
    if selector.sced:
        parts.append("SCED " + " or ".join(selector.sced))
    text = ", ".join(parts) if parts else "any course"
    if selector.not_course:
        text += " (not " + ", ".join(selector.not_course) + ")"
    return clip(text, MAX_EXPLANATION // 4)  # room for the words a title or reason adds


def merge_extends(child: RequirementSet, parent: RequirementSet) -> RequirementSet:
    """The child's requirements laid over its parent's: same name replaces, ``remove`` drops."""
    merged: dict[str, Requirement] = {
        name: req for name, req in parent.requirements.items() if name not in child.remove
    }
    merged.update(child.requirements)
    return child.model_copy(
        update={
            "requirements": merged,
            "grading": child.grading or parent.grading,
            "dated_by": child.dated_by or parent.dated_by,
            "extends": None,
            "remove": (),
        }
    )


class _Compiler:
    def __init__(self, rset: RequirementSet, catalog: Catalog) -> None:
        self.rset = rset
        self.catalog = catalog
        self.courses = {c.id: c for c in catalog.courses}
        self.top: dict[str, Node] = {}
        self.leaves: list[Node] = []
        self.in_progress: set[str] = set()

    def eligible(self, selector: Selector | tuple[Selector, ...]) -> frozenset[str]:
        return frozenset(c.id for c in self.catalog.courses if selector_matches(selector, c))

    def top_level(self, name: str) -> Node:
        if name in self.top:
            return self.top[name]
        if name in self.in_progress:
            raise ValueError(f"requirement {name!r} refers to itself")
        self.in_progress.add(name)
        node = self.node(self.rset.requirements[name], f"{self.rset.id} > {name}", name)
        self.in_progress.discard(name)
        self.top[name] = node
        return node

    def node(self, req: Requirement, path: str, name: str | None) -> Node:
        title = req.title or ""
        desc = req.description
        if isinstance(req, RefReq):
            return self.top_level(req.requirement)
        if isinstance(req, AllReq | AnyReq | NOfReq):
            if isinstance(req, AllReq):
                op, kids, need = "all", req.all, len(req.all)
            elif isinstance(req, AnyReq):
                op, kids, need = "any", req.any, 1
            else:
                op, kids, need = "n_of", req.of, req.n_of
            children = [self.node(kid, f"{path} > {op}[{i}]", None) for i, kid in enumerate(kids)]
            return Group(
                path, title or _group_title(op, need, len(children)), desc, name, op, need, children
            )
        leaf = self.leaf(req, path, title, desc, name)
        self.leaves.append(leaf)
        return leaf

    def leaf(
        self, req: Requirement, path: str, title: str, desc: str | None, name: str | None
    ) -> Node:
        sharing = self.rset.allow_sharing
        if isinstance(req, CourseReq):
            course = self.courses.get(req.course)
            demand = course.credits if course else 1.0
            label = course.title if course else req.course
            return CreditLeaf(
                path,
                title or label,
                desc,
                name,
                "course",
                frozenset({req.course}),
                demand,
                req.min_grade,
                _cutoff(req.before),
                req.share or sharing or bool(req.within),
                req.within,
                (),
                selector_text=label,
            )
        if isinstance(req, CreditsReq):
            limits = tuple((lim.credits, self.eligible(lim.from_)) for lim in req.limits)
            text = describe_selector(req.from_)
            return CreditLeaf(
                path,
                title or f"{req.credits:g} credits of {text}",
                desc,
                name,
                "credits",
                self.eligible(req.from_),
                req.credits,
                req.min_grade,
                _cutoff(req.before),
                req.share or sharing or bool(req.within),
                req.within,
                limits,
                selector_text=text,
            )
        if isinstance(req, SequenceReq):
            return self.sequence(req, path, title, desc, name)
        if isinstance(req, CoursesReq):
            text = describe_selector(req.from_)
            return CountLeaf(
                path,
                title or f"{req.courses} courses of {text}",
                desc,
                name,
                "courses",
                self.eligible(req.from_),
                req.courses,
                req.min_grade,
                _cutoff(req.before),
                req.within,
                selector_text=text,
            )
        if isinstance(req, GpaReq):
            eligible = self.eligible(req.from_) if req.from_ is not None else None
            return GpaLeaf(
                path,
                title or f"GPA of at least {req.gpa:.2f}",
                desc,
                name,
                "gpa",
                req.gpa,
                req.over,
                eligible,
                req.grade_levels,
                req.summer_after,
                req.weighted,
                req.honors_cap,
                req.best_grades,
            )
        if isinstance(req, CredentialReq):
            return ItemLeaf(
                path,
                title or "credential " + " or ".join(req.credential),
                desc,
                name,
                "credential",
                req.credential,
            )
        if isinstance(req, AssessmentReq):
            score = f" with a score of at least {req.min_score:g}" if req.min_score else ""
            return ItemLeaf(
                path,
                title or f"assessment {req.assessment}{score}",
                desc,
                name,
                "assessment",
                (req.assessment,),
                min_score=req.min_score,
            )
        if isinstance(req, GoalReq):
            return ItemLeaf(
                path, title or "met: " + " or ".join(req.goal), desc, name, "goal", req.goal
            )
        assert isinstance(req, HoursReq)
        words = req.kind.replace("_", " ")
        return ItemLeaf(
            path,
            title or f"{req.hours:g} hours of {words}",
            desc,
            name,
            "hours",
            (),
            hours=req.hours,
            kind=req.kind,
        )

    def sequence(
        self, req: SequenceReq, path: str, title: str, desc: str | None, name: str | None
    ) -> Node:
        """``sequence: N`` becomes ``any`` over tracks, each a leaf needing N distinct levels."""
        tracks: dict[str, list[Course]] = {}
        for course in self.catalog.courses:
            if course.sequence and selector_matches(req.from_, course):
                tracks.setdefault(course.sequence.track, []).append(course)
        text = describe_selector(req.from_)
        group = Group(
            path, title or f"{req.sequence} levels of the same {text}", desc, name, "sequence", 1
        )
        for track, courses in sorted(tracks.items()):
            levels = {c.id: c.sequence.level for c in courses if c.sequence}
            by_level = sorted(courses, key=lambda c: levels[c.id])
            demand = sum(c.credits for c in by_level[: req.sequence])
            leaf = CreditLeaf(
                f"{path} > {track}",
                f"{req.sequence} levels of {_track_name(by_level[0].title)}",
                None,
                None,
                "sequence",
                frozenset(levels),
                demand,
                req.min_grade,
                _cutoff(req.before),
                req.share or self.rset.allow_sharing or bool(req.within),
                req.within,
                (),
                levels=req.sequence,
                level_of=levels,
                selector_text=track,
            )
            group.children.append(leaf)
            self.leaves.append(leaf)
        return group


def _cutoff(before: int | Before | None) -> tuple[int, int] | None:
    if before is None:
        return None
    return (before, 0) if isinstance(before, int) else before.cutoff()


def _track_name(first_title: str) -> str:
    """``Spanish I`` -> ``Spanish``: a track's name from its first level's title."""
    words = first_title.split()
    if len(words) > 1 and set(words[-1]) <= set("IVX"):
        words = words[:-1]
    return " ".join(words)


def _group_title(op: str, need: int, count: int) -> str:
    if op == "all":
        return "all of these"
    if op == "any":
        return "one of these"
    return f"{need} of these {count}"


def compile_set(rset: RequirementSet, catalog: Catalog) -> CompiledSet:
    """Compile a merged (``extends`` resolved) requirement set against ``catalog``."""
    compiler = _Compiler(rset, catalog)
    for name in rset.requirements:
        compiler.top_level(name)
    best = any(isinstance(leaf, GpaLeaf) and leaf.best_grades for leaf in compiler.leaves)
    first = {c.id: min(c.grade_levels) for c in catalog.courses}
    for leaf in compiler.leaves:
        if isinstance(leaf, CreditLeaf | CountLeaf):
            # Candidates are courses the catalog offers: a national set may name a course
            # another state's catalog has, which no student of this one can take.
            offered = (cid for cid in leaf.eligible if cid in first)
            leaf.ranked = tuple(sorted(offered, key=lambda cid: (first[cid], cid)))
    src = rset.source
    return CompiledSet(
        id=rset.id,
        title=rset.title,
        kind=rset.kind,
        catalog_year=rset.catalog_year,
        source=f"{src.citation} ({src.year})",
        grading=rset.grading or Grading(),
        allow_sharing=rset.allow_sharing,
        requirements={name: compiler.top[name] for name in rset.requirements},
        leaves=compiler.leaves,
        best_grades=best,
        catalog=catalog,
        titles={c.id: c.title for c in catalog.courses},
        last_grade={c.id: max(c.grade_levels) for c in catalog.courses},
        flow_leaves=list(
            {
                id(x): x for x in compiler.leaves if isinstance(x, CreditLeaf) and consumes(x)
            }.values()
        ),
        under={
            name: [x for x in leaves_of(node) if _flow(x)] for name, node in compiler.top.items()
        },
        goals=tuple(
            dict.fromkeys(
                goal
                for leaf in compiler.leaves
                if isinstance(leaf, ItemLeaf) and leaf.op == "goal"
                for goal in leaf.ids
            )
        ),
    )
