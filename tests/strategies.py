"""Hypothesis strategies: random catalogs, rule sets, students and flow networks.

Everything here builds the same authored models the engine reads (through the factories in
``tests/conftest.py``), so a shrunk failing example reads like a small hand-written test:

* :func:`catalogs` - 10-30 courses over a few subjects, half or whole credits, attributes, an
  optional random prerequisite DAG (edges only from a lower to a higher index, so it is acyclic),
  and one or two language tracks whose courses carry a ``sequence`` level.
* :func:`rulesets` - top-level requirements made of ``credits``/``course``/``sequence``/``courses``
  leaves (and optionally ``gpa``), grouped by ``any``/``all``/``n_of``, with an optional shared
  total, ``share`` and ``allow_sharing``, and a random repeat policy.
* :func:`students` - transcripts of 0-40 rows from a catalog, with grades, grade levels 9-12,
  terms, completed/in-progress/planned statuses and repeats.
* :func:`cases` - a catalog with a rule set and a student drawn over it.
* :func:`flow_instances` - bipartite networks for :func:`engine.allocate.allocate`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from engine.allocate import UNIT, FlowLeaf, FlowRow
from engine.model import Catalog, Course, RequirementSet
from engine.student import Student
from tests.conftest import catalog, course, ruleset, student

__all__ = [
    "ATTRIBUTES",
    "LETTERS",
    "SUBJECTS",
    "TRACKS",
    "Case",
    "FlowInstance",
    "cases",
    "catalogs",
    "flow_instances",
    "prerequisites",
    "rulesets",
    "students",
    "transcript_rows",
]

SUBJECTS = ("english", "math", "science", "art", "lote")
ATTRIBUTES = ("core", "lab", "stem", "honors-ok")
TRACKS = ("spanish", "french")
LETTERS = ("A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F")
MIN_GRADES = ("D-", "C", "B")
STATUSES = ("completed", "completed", "completed", "in_progress", "planned")


# Every strategy a generator below draws from is built once, here or in a cache keyed by what it
# depends on, not inside the generator: Hypothesis validates each new strategy object and works
# out its properties (emptiness, labels, reusable values) on its first draw, and a catalog or
# transcript draws a few hundred times, so building them per draw took most of the time of the
# properties that use these generators (profiled). The draws, and so the examples, are the same.


@functools.cache
def _rarely(p_in_4: int = 1) -> st.SearchStrategy[bool]:
    """True about ``p_in_4`` times in four draws (shrinks to False)."""
    return st.integers(0, 3).map(lambda x: x >= 4 - p_in_4)


_SUBJECT = st.sampled_from(SUBJECTS)
_ATTRIBUTE = st.sampled_from(ATTRIBUTES)
_TRACK = st.sampled_from(TRACKS)
_MIN_GRADE = st.sampled_from(MIN_GRADES)


@functools.cache
def _index_of(ids: tuple[str, ...]) -> st.SearchStrategy[str]:
    """``st.sampled_from(ids)`` over the list (a list and a tuple get different labels)."""
    return st.sampled_from(list(ids))


# --------------------------------------------------------------------------------------------
# Catalogs
# --------------------------------------------------------------------------------------------


_PREREQUISITE_KIND = st.sampled_from(["none", "none", "course", "all", "any"])
_PREREQUISITE_GRADE = st.sampled_from([None, None, *MIN_GRADES])


@functools.cache
def _earlier(ids: tuple[str, ...]) -> tuple[st.SearchStrategy[str], st.SearchStrategy[list[str]]]:
    """One of ``ids``, and a list of one to three of them (drawn by index, as before)."""
    one = st.integers(0, len(ids) - 1).map(ids.__getitem__)
    return one, st.lists(one, min_size=1, max_size=3, unique=True)


@st.composite
def prerequisites(draw: st.DrawFn, index: int, ids: Sequence[str]) -> dict[str, Any] | None:
    """A prerequisite tree over ``ids[:index]`` only, so the whole catalog stays acyclic."""
    if index == 0:
        return None
    kind = draw(_PREREQUISITE_KIND)
    if kind == "none":
        return None
    earlier, several = _earlier(tuple(ids[:index]))

    def leaf(cid: str) -> dict[str, Any]:
        grade = draw(_PREREQUISITE_GRADE)
        return {"course": cid} if grade is None else {"course": cid, "min_grade": grade}

    if kind == "course":
        return leaf(draw(earlier))
    picked = draw(several)
    return {kind: [leaf(cid) for cid in picked]}


@functools.cache
def _prerequisites_of(index: int, ids: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any] | None]:
    return prerequisites(index, ids)


_ATTRIBUTES = st.lists(_ATTRIBUTE, max_size=2, unique=True)
_LEVEL = st.sampled_from(["general", "general", "honors", "ap"])
_FIRST_GRADE = st.sampled_from([9, 9, 9, 10, 11])
_CREDITS = st.sampled_from([0.5, 1.0, 1.0])


@st.composite
def catalogs(
    draw: st.DrawFn,
    min_courses: int = 10,
    max_courses: int = 30,
    prereqs: bool = True,
    every_track: bool = True,
) -> Catalog:
    """A random catalog; course ``C07`` may only require courses ``C00``-``C06``.

    Language-track courses (subject ``lote``) are whole-credit, non-repeatable and take distinct
    levels in their track, like a real Spanish I/II/III sequence. With ``every_track`` each
    track has at least one course (a catalog with none is covered by its own test in
    ``tests/engine/test_properties.py``).
    """
    n = draw(st.integers(min_courses, max_courses))
    ids = tuple(f"C{i:02d}" for i in range(n))
    next_level = dict.fromkeys(TRACKS, 1)
    out: list[Course] = []
    for i, cid in enumerate(ids):
        subject = draw(_SUBJECT)
        extra: dict[str, Any] = {
            "attributes": draw(_ATTRIBUTES),
            "level": draw(_LEVEL),
            "grade_levels": list(range(draw(_FIRST_GRADE), 13)),
        }
        credits = draw(_CREDITS)
        if subject == "lote":
            track = draw(_TRACK)
            extra["sequence"] = {"track": track, "level": next_level[track]}
            next_level[track] += 1
            credits = 1.0
        else:
            extra["repeatable"] = draw(_rarely())
        if prereqs:
            tree = draw(_prerequisites_of(i, ids[:i]))
            if tree is not None:
                extra["prerequisites"] = tree
        out.append(course(cid, credits, subject=subject, **extra))
    if every_track:
        for track in TRACKS:
            if next_level[track] == 1:
                cid = f"C{len(out):02d}"
                out.append(course(cid, subject="lote", sequence={"track": track, "level": 1}))
    return catalog(*out)


# --------------------------------------------------------------------------------------------
# Rule sets
# --------------------------------------------------------------------------------------------


_SELECTOR_KIND = st.sampled_from(["subject", "subject", "attribute", "course", "any", "not"])
_SUBJECTS = st.lists(_SUBJECT, min_size=1, max_size=2)


@functools.cache
def _courses_of(ids: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(_index_of(ids), min_size=1, max_size=4)


@st.composite
def selectors(draw: st.DrawFn, ids: Sequence[str]) -> dict[str, Any]:
    kind = draw(_SELECTOR_KIND)
    if kind == "subject":
        return {"subject": draw(_SUBJECTS)}
    if kind == "attribute":
        return {"attribute": draw(_ATTRIBUTE)}
    if kind == "course":
        return {"course": draw(_courses_of(tuple(ids)))}
    if kind == "not":
        return {"subject": draw(_SUBJECT), "not_course": draw(_index_of(tuple(ids)))}
    return {}


@functools.cache
def _selectors_of(ids: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return selectors(ids)


_LEAF_KINDS = ["credits", "credits", "credits", "course", "course", "sequence", "courses"]
_LEAF_KIND = {False: st.sampled_from(_LEAF_KINDS), True: st.sampled_from([*_LEAF_KINDS, "gpa"])}
_GPA = st.sampled_from([1.5, 2.0, 2.5, 3.0])
_LEAF_CREDITS = st.sampled_from([0.5, 1, 1, 1.5, 2, 3, 4])
_LIMIT_CREDITS = st.sampled_from([0.5, 1, 2])
_ONE_TO_THREE = st.integers(1, 3)
_BEFORE = st.integers(10, 13)


@st.composite
def leaves(draw: st.DrawFn, ids: Sequence[str], gpa: bool, before: bool) -> dict[str, Any]:
    key = tuple(ids)
    kind = draw(_LEAF_KIND[gpa])
    if kind == "gpa":
        return {"gpa": draw(_GPA), "from": draw(_selectors_of(key))}
    node: dict[str, Any]
    if kind == "credits":
        node = {"credits": draw(_LEAF_CREDITS), "from": draw(_selectors_of(key))}
        if draw(_rarely()):
            node["limits"] = [{"credits": draw(_LIMIT_CREDITS), "from": draw(_selectors_of(key))}]
    elif kind == "course":
        node = {"course": draw(_index_of(key))}
    elif kind == "sequence":
        node = {"sequence": draw(_ONE_TO_THREE), "from": {"subject": "lote"}}
    else:
        node = {"courses": draw(_ONE_TO_THREE), "from": draw(_selectors_of(key))}
    if draw(_rarely()):
        node["min_grade"] = draw(_MIN_GRADE)
    if before and draw(_rarely()):
        node["before"] = draw(_BEFORE)
    if kind != "courses" and draw(_rarely()):
        node["share"] = True
    return node


_GROUP_OP = st.sampled_from(["any", "all", "n_of"])


def requirement_trees(ids: Sequence[str], gpa: bool, before: bool) -> st.SearchStrategy[Any]:
    """A leaf, or an ``any``/``all``/``n_of`` group of them, at most two groups deep."""
    return _requirement_trees(tuple(ids), gpa, before)


@functools.cache
def _requirement_trees(ids: tuple[str, ...], gpa: bool, before: bool) -> st.SearchStrategy[Any]:
    base = leaves(ids, gpa, before)

    @st.composite
    def group(draw: st.DrawFn, kids_of: st.SearchStrategy[list[Any]]) -> dict[str, Any]:
        kids = draw(kids_of)
        op = draw(_GROUP_OP)
        if op == "n_of":
            return {"n_of": draw(st.integers(1, len(kids))), "of": kids}
        return {op: kids}

    level1 = st.one_of(base, base, group(st.lists(base, min_size=1, max_size=3)))
    return st.one_of(base, base, group(st.lists(level1, min_size=1, max_size=3)))


_REQUIREMENT_COUNT = st.integers(1, 5)
_TOTAL = st.sampled_from([2, 4, 6])
_REPEATS = st.sampled_from(["best", "latest", "first"])


@st.composite
def rulesets(
    draw: st.DrawFn,
    cat: Catalog,
    gpa: bool = True,
    before: bool = True,
    sharing: bool = True,
) -> RequirementSet:
    """A random requirement set over ``cat``: 1-5 named requirements and maybe a shared total.

    ``gpa=False`` leaves out GPA leaves (a new grade can lower a GPA), ``before=False`` leaves
    out deadlines, ``sharing=False`` leaves out ``allow_sharing`` (``share`` on leaves stays).
    No ``within`` and no references between requirements.
    """
    trees = requirement_trees([c.id for c in cat.courses], gpa, before)
    reqs = {f"r{i}": draw(trees) for i in range(draw(_REQUIREMENT_COUNT))}
    if draw(st.booleans()):
        reqs["total"] = {"credits": draw(_TOTAL), "from": {}, "share": True}
    extra: dict[str, Any] = {"grading": {"repeats": draw(_REPEATS)}}
    if sharing and draw(_rarely()):
        extra["allow_sharing"] = True
    return ruleset(reqs, **extra)


# --------------------------------------------------------------------------------------------
# Students
# --------------------------------------------------------------------------------------------


_STATUS = st.sampled_from(STATUSES)
_GRADE = st.one_of(st.sampled_from(LETTERS), st.just("P"), st.integers(50, 100).map(float))
_GRADE_LEVEL = st.integers(9, 12)
_TERM = st.sampled_from(["year", "year", "year", "fall", "spring", "summer"])
#: The courses of the catalog whose rows are being drawn, and the strategy picking one of them.
_PICKING: list[Any] = [None, None]


def _course_of(cat: Catalog) -> st.SearchStrategy[Course]:
    """``st.sampled_from(cat.courses)``, built once for a catalog's consecutive rows."""
    if _PICKING[0] is not cat.courses:
        _PICKING[:] = [cat.courses, st.sampled_from(cat.courses)]
    picking: st.SearchStrategy[Course] = _PICKING[1]
    return picking


@st.composite
def transcript_rows(draw: st.DrawFn, cat: Catalog) -> dict[str, Any]:
    """One transcript row of a catalog course; completed rows carry a grade."""
    picked = draw(_course_of(cat))
    status = draw(_STATUS)
    grade: str | float | None = None
    if status == "completed":
        grade = draw(_GRADE)
    return {
        "course": picked.id,
        "grade": grade,
        "grade_level": draw(_GRADE_LEVEL),
        "term": draw(_TERM),
        "status": status,
    }


@st.composite
def students(draw: st.DrawFn, cat: Catalog, max_rows: int = 40) -> Student:
    """A student with 0-``max_rows`` rows; a row of a course already listed is marked a repeat."""
    rows = draw(st.lists(transcript_rows(cat), max_size=max_rows))
    seen: set[str] = set()
    for r in rows:
        r["repeat"] = r["course"] in seen
        seen.add(r["course"])
    return student(*rows)


@dataclass(frozen=True)
class Case:
    """One audit input: a catalog, a rule set over it and a student who took its courses."""

    catalog: Catalog
    ruleset: RequirementSet
    student: Student

    def __repr__(self) -> str:
        """Short enough to read in a failure report; pastes back into the conftest factories."""
        courses = ",\n    ".join(
            f"course({c.id!r}, {c.credits}, **{_short(c, 'id', 'credits', 'title')})"
            for c in self.catalog.courses
        )
        rset = self.ruleset.model_dump(
            mode="json", by_alias=True, exclude_defaults=True, include={"requirements"}
        )
        rows = ",\n    ".join(repr(_short(r)) for r in self.student.transcript)
        grading = self.ruleset.grading.repeats if self.ruleset.grading else "best"
        return (
            f"Case(\n  catalog(\n    {courses}\n  ),\n"
            f"  ruleset({rset['requirements']!r}, allow_sharing={self.ruleset.allow_sharing},"
            f" grading={{'repeats': {grading!r}}}),\n"
            f"  student(\n    {rows}\n  ),\n)"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _short(model: Any, *drop: str) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    for key in drop:
        data.pop(key, None)
    return data


@st.composite
def cases(
    draw: st.DrawFn,
    gpa: bool = True,
    before: bool = True,
    sharing: bool = True,
    prereqs: bool = False,
    max_rows: int = 40,
) -> Case:
    cat = draw(catalogs(prereqs=prereqs))
    rset = draw(rulesets(cat, gpa=gpa, before=before, sharing=sharing))
    return Case(cat, rset, draw(students(cat, max_rows=max_rows)))


# --------------------------------------------------------------------------------------------
# Flow networks for the allocator
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowInstance:
    """Rows (in priority order) and leaves for :func:`engine.allocate.allocate`."""

    rows: tuple[FlowRow, ...]
    leaves: tuple[FlowLeaf, ...]


@st.composite
def flow_instances(
    draw: st.DrawFn,
    equal_units: bool = True,
    limits: bool = False,
    max_rows: int = 12,
    max_leaves: int = 5,
) -> FlowInstance:
    """A random bipartite network.

    With ``equal_units`` every row, demand and limit is a multiple of one unit size, so the best
    fractional flow never needs to split a row and equals the best whole-row allocation.
    """
    unit = draw(st.sampled_from([UNIT // 2, UNIT])) if equal_units else 0
    sizes = st.just(unit) if equal_units else st.sampled_from([25, 50, 100, 150, 200])

    def amount(most: int) -> st.SearchStrategy[int]:
        if equal_units:
            return st.integers(1, most).map(lambda k: k * unit)
        return st.integers(1, most * 4).map(lambda k: k * 25)

    n_leaves = draw(st.integers(1, max_leaves))
    leaves: list[FlowLeaf] = []
    for _ in range(n_leaves):
        caps: tuple[int, ...] = ()
        if limits:
            caps = tuple(draw(st.lists(amount(2), max_size=2)))
        leaves.append(FlowLeaf(draw(amount(4)), caps))
    n_rows = draw(st.integers(0, max_rows))
    phases = sorted(draw(st.lists(st.integers(0, 2), min_size=n_rows, max_size=n_rows)))
    keys = draw(st.permutations(range(n_rows)))  # keys are not positions
    rows: list[FlowRow] = []
    for key, phase in zip(keys, phases, strict=True):
        targets = draw(st.lists(st.integers(0, n_leaves - 1), max_size=3, unique=True))
        edges = {
            li: draw(st.integers(-1, len(leaves[li].limits) - 1)) if leaves[li].limits else -1
            for li in targets
        }
        rows.append(FlowRow(key=key, units=draw(sizes), phase=phase, edges=edges))
    return FlowInstance(tuple(rows), tuple(leaves))
