"""A seeded synthetic population of students, so rule changes can be measured without real data.

Staff need to know which students a rule change affects before it ships, but must never need
real student records to find out. :func:`synthesize` draws a population from a jurisdiction's
catalog alone: each year a student takes a course in each core subject along the catalog's
prerequisite graph (the course with the earliest reachable grade level first, so Algebra I comes
before Geometry), continues one language track, adds PE, arts and electives; grades follow a
profile (strong, typical, struggling), failures are retaken the next year, transfer students'
earlier years arrive as SCED codes from another district, and the current year is in progress.
Assessments and credentials the jurisdiction's rule sets ask for are given to most students,
with passing or failing scores. Ids are opaque (``SYN-TX-000042``); no names, no birth dates.

The same (catalog, rule sets, seed, count) always gives the same population.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.graph import CourseGraph
from engine.knowledge import Knowledge
from engine.model import Catalog, Course, RequirementSet

__all__ = ["Profile", "SynthOptions", "synthesize"]

_CORE = ("english", "math", "science", "social-studies")
_PE = ("pe", "health-fitness", "health")
_ARTS = ("fine-arts", "arts")
_LETTERS = ("A", "B", "C", "D", "F")
_HONORS = ("honors", "ap", "pre_ap", "ib", "dual_credit")


@dataclass(frozen=True)
class Profile:
    """A kind of student: how likely each letter is, how many courses a year, honors appetite."""

    name: str
    share: float
    weights: tuple[float, float, float, float, float]  # A, B, C, D, F
    courses_per_year: int
    honors: float


PROFILES: tuple[Profile, ...] = (
    Profile("strong", 0.2, (0.55, 0.33, 0.09, 0.02, 0.01), 8, 0.6),
    Profile("typical", 0.6, (0.25, 0.38, 0.24, 0.08, 0.05), 7, 0.15),
    Profile("struggling", 0.2, (0.06, 0.2, 0.34, 0.2, 0.2), 6, 0.0),
)


@dataclass(frozen=True)
class SynthOptions:
    """What population to draw."""

    jurisdiction: str
    count: int
    seed: int = 2025
    catalog_year: int | None = None
    transfer_share: float = 0.1
    goals: tuple[str, ...] = ()  # extra goals every student lists
    id_prefix: str = "SYN"


@dataclass
class _Plan:
    """One student's transcript as it is being drawn."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    passed: dict[str, str] = field(default_factory=dict)  # course id -> letter
    failed: list[str] = field(default_factory=list)
    track: str | None = None


class _Catalog:
    """The catalog arranged for drawing: courses by subject, earliest grade levels, bands."""

    def __init__(
        self, catalog: Catalog, graph: CourseGraph, named: set[str], attributes: set[str]
    ) -> None:
        self.catalog = catalog
        self.graph = graph
        # What the diploma asks for by name or attribute: the courses most students take.
        self.named = {c.id for c in catalog.courses if c.id in named}
        # Asked for thousands of times per student: computed once.
        self._earliest = {c.id: graph.earliest_grade_level(c.id) for c in catalog.courses}
        self._leads = {c.id: len(graph.leads_to(c.id)) for c in catalog.courses}
        self.attributes = attributes
        self.demanded = self.named | {
            c.id for c in catalog.courses if attributes & set(c.attributes)
        }
        self.by_subject: dict[str, list[Course]] = {}
        for course in catalog.courses:
            self.by_subject.setdefault(course.subject, []).append(course)
        self.tracks: dict[str, list[Course]] = {}
        for course in catalog.courses:
            if course.sequence is not None:
                self.tracks.setdefault(course.sequence.track, []).append(course)
        self.languages = sorted(
            track
            for track, courses in self.tracks.items()
            if any(c.subject in ("lote", "world-language") for c in courses)
        )
        for courses in self.tracks.values():
            courses.sort(key=lambda c: c.sequence.level if c.sequence else 0)
        self.electives = [
            c for c in catalog.courses if c.subject not in _CORE and c.sequence is None
        ]
        scale = catalog.grading
        self.bands = (
            sorted(((b.letter, b.min) for b in scale.numeric_bands), key=lambda b: -b[1])
            if scale is not None
            else []
        )

    def attributes_of(self, course_id: str) -> tuple[str, ...]:
        course = self.graph.courses.get(course_id)
        return course.attributes if course is not None else ()

    def earliest(self, course: Course) -> int:
        return self._earliest[course.id]

    def rank(
        self, course: Course, level: int, covered: set[str]
    ) -> tuple[int, bool, int, bool, int, bool, str]:
        """Typical order: what the diploma names (earliest first), then what it selects (an
        attribute not yet covered first, at its usual grade), full-year, leading on, general."""
        leads = self._leads[course.id]
        named = course.id in self.named
        fresh = bool((set(course.attributes) & self.attributes) - covered)
        return (
            0 if named else 1 if course.id in self.demanded else 2,
            not fresh,
            self.earliest(course) if named else level - self.earliest(course),
            course.terms != ("year",),
            -leads,
            course.level in _HONORS,
            course.id,
        )

    def open(self, course: Course, level: int, plan: _Plan) -> bool:
        """Takeable in grade ``level``: offered, not passed already, prerequisites passed."""
        if level not in course.grade_levels or course.id in plan.passed:
            return False
        return self.earliest(course) <= level and self.graph.prerequisites_met(
            course.id, plan.passed
        )


def _pick(
    rng: random.Random,
    options: Sequence[Course],
    cat: _Catalog,
    plan: _Plan,
    honors: float,
    level: int,
) -> Course:
    """The typical next course (see :meth:`_Catalog.rank`), honors by appetite, some variety."""
    covered = {a for cid in plan.passed for a in cat.attributes_of(cid)}
    ranked = sorted(options, key=lambda c: cat.rank(c, level, covered))
    if rng.random() < honors:
        advanced = [c for c in ranked if c.level in _HONORS]
        if advanced:
            ranked = [*advanced[:2], *ranked]
    roll = rng.random()
    index = 0 if roll < 0.85 or len(ranked) == 1 else (1 if roll < 0.95 or len(ranked) == 2 else 2)
    return ranked[index]


def _grade(rng: random.Random, profile: Profile, cat: _Catalog) -> tuple[str, str | float]:
    """A letter by the profile's weights, written as a number on catalogs with numeric bands."""
    letter = rng.choices(_LETTERS, weights=profile.weights)[0]
    if not cat.bands or rng.random() < 0.5:
        return letter, letter
    bounds = dict(cat.bands)
    low = bounds.get(letter)
    if low is None:
        return letter, letter
    higher = [m for _, m in cat.bands if m > low]
    high = min(higher) - 1 if higher else 100
    low = max(low, high - 20)  # a failing grade is usually in the 50s, not a 3
    return letter, float(rng.randint(int(low), int(max(low, high))))


def _row(course: Course, level: int, grade: str | float | None, status: str) -> dict[str, Any]:
    row: dict[str, Any] = {"course": course.id, "grade_level": level, "term": course.terms[0]}
    if status == "completed":
        row["grade"] = grade
    else:
        row["status"] = status
    return row


def _year(
    rng: random.Random, cat: _Catalog, plan: _Plan, level: int, profile: Profile, status: str
) -> None:
    """One school year of courses: retakes, core subjects, a language, PE, arts, electives."""
    chosen: list[Course] = []
    courses = cat.catalog.courses
    retakes = [c for c in courses if c.id in plan.failed and level in c.grade_levels]
    plan.failed = []
    chosen.extend(retakes[:2])
    for subject in _CORE:
        options = [c for c in cat.by_subject.get(subject, []) if cat.open(c, level, plan)]
        taken = {c.id for c in chosen}
        options = [c for c in options if c.id not in taken]
        if options:
            first = _pick(rng, options, cat, plan, profile.honors, level)
            chosen.append(first)
            if first.credits < 1:  # a semester course: pair it with another of the subject
                other = [c for c in options if c is not first and c.credits < 1]
                if other:
                    chosen.append(_pick(rng, other, cat, plan, profile.honors, level))
    if plan.track is None and cat.languages and rng.random() < 0.85:
        plan.track = rng.choice(cat.languages)
    if plan.track is not None:
        nxt = [c for c in cat.tracks[plan.track] if cat.open(c, level, plan)]
        if nxt and rng.random() < 0.85:
            chosen.append(nxt[0])
    for group in (_PE, _ARTS):
        options = [c for s in group for c in cat.by_subject.get(s, []) if cat.open(c, level, plan)]
        if options and rng.random() < (0.9 if group is _PE else 0.6):
            chosen.append(_pick(rng, options, cat, plan, 0.0, level))
    taken = {c.id for c in chosen}
    electives = [c for c in cat.electives if c.id not in taken and cat.open(c, level, plan)]
    rng.shuffle(electives)
    # Courses the diploma names (health, financial literacy, CTE) come first, mostly.
    electives.sort(key=lambda c: c.id in cat.demanded and rng.random() < 0.8)
    while len(chosen) < profile.courses_per_year and electives:
        chosen.append(electives.pop())
    for course in chosen:
        if status != "completed":
            plan.rows.append(_row(course, level, None, status))
            plan.passed[course.id] = "C"  # assumed passed, so next year's plan can build on it
            continue
        letter, grade = _grade(rng, profile, cat)
        row = _row(course, level, grade, status)
        if any(r["course"] == course.id for r in plan.rows):
            row["repeat"] = True
        plan.rows.append(row)
        if letter == "F":
            if not course.repeatable and course.subject in _CORE:
                plan.failed.append(course.id)
        else:
            plan.passed[course.id] = letter


def _transferred(
    rng: random.Random, rows: list[dict[str, Any]], cat: _Catalog, before: int
) -> None:
    """Years before ``before`` came from another district: SCED codes, some not in this catalog."""
    by_id = {c.id: c for c in cat.catalog.courses}
    for row in rows:
        if row["grade_level"] >= before:
            continue
        course = by_id[row["course"]]
        if course.sced is not None and rng.random() < 0.7:
            del row["course"]
            row["sced"] = course.sced
    if rng.random() < 0.3:
        rows.append({"sced": "22999", "grade_level": before - 1, "grade": "B"})


def _experience_needs(sets: Sequence[RequirementSet]) -> list[tuple[str, list[str], float | None]]:
    """(kind, ids, min_score) of every credential and assessment the sets ask for."""
    found: list[tuple[str, list[str], float | None]] = []

    def walk(node: object) -> None:
        if isinstance(node, Mapping):
            if "credential" in node and isinstance(node["credential"], list):
                found.append(("credential", [str(x) for x in node["credential"]], None))
            if "assessment" in node and isinstance(node["assessment"], str):
                score = node.get("min_score")
                found.append(("assessment", [node["assessment"]], score))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for rset in sets:
        walk(rset.model_dump(mode="json", exclude_none=True).get("requirements", {}))
    unique: dict[tuple[str, tuple[str, ...]], tuple[str, list[str], float | None]] = {}
    for kind, ids, score in found:
        unique.setdefault((kind, tuple(ids)), (kind, ids, score))
    return sorted(unique.values(), key=lambda item: (item[0], item[1]))


def _demand(sets: Sequence[RequirementSet]) -> tuple[set[str], set[str]]:
    """Course ids and attributes the sets name (``course:`` nodes and ``from:`` selectors)."""
    named: set[str] = set()
    attributes: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, Mapping):
            node = {k: v for k, v in node.items() if k != "limits"}  # a cap is no demand
            if isinstance(node.get("course"), str):
                named.add(node["course"])
            selectors = node.get("from")
            for sel in selectors if isinstance(selectors, list) else [selectors]:
                if isinstance(sel, Mapping):
                    named.update(sel.get("course", ()))
                    attributes.update(sel.get("attribute", ()))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for rset in sets:
        walk(rset.model_dump(mode="json", by_alias=True, exclude_none=True).get("requirements"))
    return named, attributes


def _experiences(
    rng: random.Random,
    needs: Sequence[tuple[str, list[str], float | None]],
    level: int,
    profile: Profile,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    done = 0.9 if profile.name != "struggling" else 0.6
    for kind, ids, min_score in needs:
        chosen = rng.choice(ids)
        if chosen in seen:
            continue
        if chosen == "high-school-diploma":
            if level == 12:
                status = "completed" if rng.random() < 0.5 else "planned"
                out.append({"kind": "credential", "id": chosen, "status": status})
                seen.add(chosen)
            continue
        if rng.random() > done * (level - 8) / 4:
            continue
        seen.add(chosen)
        if kind == "credential":
            out.append({"kind": "credential", "id": chosen})
            continue
        base = min_score if min_score is not None else 3.0
        passing = rng.random() < 0.85
        spread = max(base * 0.3, 1.0)
        score = (
            base + rng.uniform(0, spread) if passing else max(0.0, base - rng.uniform(1, spread))
        )
        out.append({"kind": "assessment", "id": chosen, "score": round(score, 1)})
    return out


def _goal_choices(
    sets: Sequence[RequirementSet], jurisdiction: str
) -> tuple[list[str], list[list[str]]]:
    """Every student's diplomas, and groups (by kind) of optional goals to pick one of."""
    diplomas = [s.id for s in sets if s.kind == "graduation" and s.jurisdiction == jurisdiction]
    groups: dict[str, list[str]] = {}
    for rset in sets:
        if rset.kind == "graduation" or rset.jurisdiction not in (jurisdiction, "US"):
            continue
        groups.setdefault(rset.kind, []).append(rset.id)
    return diplomas, [sorted(ids) for _, ids in sorted(groups.items())]


def synthesize(*, knowledge: Knowledge, options: SynthOptions) -> Iterator[dict[str, Any]]:
    """Student records (plain JSON-ready dicts, valid :class:`~engine.student.Student` data).

    Examples
    --------
    >>> from pathlib import Path
    >>> from engine.knowledge import load_knowledge
    >>> from engine.student import Student
    >>> kb = load_knowledge(Path("."))
    >>> people = list(synthesize(knowledge=kb, options=SynthOptions("TX", 3, seed=1)))
    >>> [p["id"] for p in people]
    ['SYN-TX-000001', 'SYN-TX-000002', 'SYN-TX-000003']
    >>> all(Student.model_validate(p).jurisdiction == "TX" for p in people)
    True
    """
    year = options.catalog_year if options.catalog_year is not None else 9999
    catalog = knowledge.catalog_for(options.jurisdiction, year)
    sets = [
        knowledge.ruleset(goal, catalog.catalog_year)
        for goal in sorted(knowledge.rulesets)
        if not goal.startswith("career-")
    ]
    sets = [s for s in sets if s.jurisdiction in (options.jurisdiction, "US")]
    needs = _experience_needs(sets)
    diploma_sets = [s for s in sets if s.kind == "graduation" and s.jurisdiction != "US"]
    named, attributes = _demand(diploma_sets)
    cat = _Catalog(catalog, knowledge.graphs[catalog.id], named, attributes)
    diplomas, groups = _goal_choices(sets, options.jurisdiction)
    rng = random.Random(f"{options.seed}:{options.jurisdiction}")
    for number in range(1, options.count + 1):
        profile = rng.choices(PROFILES, weights=[p.share for p in PROFILES])[0]
        level = rng.choice((9, 10, 11, 12, 12))  # seniors weigh double: they are who changes bite
        plan = _Plan()
        planned = rng.random() < 0.7  # most students have a four-year plan on file
        finished = level == 12 and rng.random() < 0.3  # seniors at the end of the year
        for grade in range(9, 13 if planned else level + 1):
            status = "completed" if grade < level or finished else "in_progress"
            status = "planned" if grade > level else status
            _year(rng, cat, plan, grade, profile, status)
        if level > 9 and rng.random() < options.transfer_share:
            _transferred(rng, plan.rows, cat, rng.randint(10, level))
        goals = [*diplomas]
        for group in groups:
            if rng.random() < 0.4:
                goals.append(rng.choice(group))
        goals.extend(g for g in options.goals if g not in goals)
        yield {
            "id": f"{options.id_prefix}-{options.jurisdiction}-{number:06d}",
            "jurisdiction": options.jurisdiction,
            # The catalog year is the fall the student entered grade 9 (as the engine reads
            # it): the class graduates four years on, whatever grade it is in now.
            "cohort": catalog.catalog_year + 4,
            "grade_level": level,
            "catalog_year": catalog.catalog_year,
            "transcript": plan.rows,
            "experiences": _experiences(rng, needs, level, profile),
            "goals": goals,
        }
