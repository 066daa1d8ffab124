"""Knowledge: the catalogs, course graphs and requirement sets an audit reads, built once.

Building knowledge is where files become facts and cross-file mistakes are caught: duplicate
course ids, prerequisites naming no course, prerequisite cycles, ``extends`` chains that loop or
name nothing, references to requirements that do not exist. Every such problem is a
:class:`~engine.errors.Diagnostic` pointing into the author's file. The result is immutable and
safe to share between threads and processes.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from engine.careers.book import CareerBook, build_book
from engine.errors import (
    AuthoringError,
    Diagnostic,
    KnowledgeError,
    Suggester,
    UnknownGoalError,
    suggest,
)
from engine.graph import MAX_CYCLES, CourseGraph
from engine.loader import Loaded, LoadedTree, load_tree
from engine.model import Catalog, RequirementSet, mixed_dating
from engine.normalize import CatalogIndex
from engine.policy_check import check_policies, vocabulary_for
from engine.references import Vocabulary, goal_references, reference_problems
from engine.requirements import CompiledSet, compile_set, merge_extends
from engine.student import Student

__all__ = ["MAX_EXTENDS", "Knowledge", "build_knowledge", "entering_year", "load_knowledge"]

#: Rule sets in one ``extends`` chain; real ones are two or three long.
MAX_EXTENDS = 32


def entering_year(student: Student) -> int:
    """The catalog year a student is audited under: their own, or the fall they entered grade 9."""
    return student.catalog_year if student.catalog_year is not None else student.cohort - 4


@dataclass
class Knowledge:
    """Everything loaded: catalogs by jurisdiction and year, rule sets by id and year."""

    catalogs: dict[str, list[Catalog]]  # jurisdiction -> catalogs by year ascending
    rulesets: dict[str, list[RequirementSet]]  # id -> merged sets by catalog year ascending
    graphs: dict[str, CourseGraph]  # catalog id -> graph
    indexes: dict[str, CatalogIndex] = field(default_factory=dict)  # catalog id -> index
    careers: CareerBook = field(default_factory=CareerBook)  # careers/ and their goal sets
    warnings: list[Diagnostic] = field(default_factory=list)  # what validate shows, not refuses
    _compiled: dict[tuple[str, int, str], CompiledSet] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def jurisdictions(self) -> list[str]:
        return sorted(self.catalogs)

    def catalog_for(self, jurisdiction: str, year: int) -> Catalog:
        """The newest catalog of ``jurisdiction`` no later than ``year`` (else the oldest)."""
        options = self.catalogs.get(jurisdiction)
        if not options:
            known = ", ".join(sorted(self.catalogs)) or "none"
            raise KnowledgeError(f"no catalog for jurisdiction {jurisdiction!r} (loaded: {known})")
        fitting = [c for c in options if c.catalog_year <= year]
        return fitting[-1] if fitting else options[0]

    def ruleset(self, goal: str, year: int, *, cohort: int | None = None) -> RequirementSet:
        """The version of rule set ``goal`` in force for catalog year ``year``; for a set dated
        by enrolment (NCAA), for the class of ``cohort`` when it is given. With no version that
        old, the oldest (the audit says so)."""
        versions = self.rulesets.get(goal)
        if not versions:
            raise UnknownGoalError(goal, self.rulesets)
        if cohort is not None and versions[-1].by_enrolment:
            year = cohort  # a class enrols the fall after it graduates, its cohort year
        fitting = [r for r in versions if r.catalog_year <= year]
        return fitting[-1] if fitting else versions[0]

    def index(self, catalog: Catalog) -> CatalogIndex:
        """Courses of ``catalog`` by id and SCED code."""
        found = self.indexes.get(catalog.id)
        if found is None or found.catalog is not catalog:
            found = CatalogIndex.of(catalog)
            self.indexes[catalog.id] = found
        return found

    def compiled(self, rset: RequirementSet, catalog: Catalog) -> CompiledSet:
        """The rule set compiled for ``catalog`` (cached; compiling is deterministic)."""
        rset = self.careers.variant(rset, catalog.jurisdiction)  # a career's route is per state
        key = (rset.id, rset.catalog_year, catalog.id)
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key)
                if found is None:
                    found = compile_set(rset, catalog)
                    self._compiled[key] = found
        return found

    def goals(self) -> list[RequirementSet]:
        """The newest version of every rule set."""
        return [versions[-1] for _, versions in sorted(self.rulesets.items())]


def _diag(
    loaded: Loaded[object],
    path: tuple[str | int, ...],
    message: str,
    code: str,
    breadcrumb: str = "",
    key: bool = False,
    severity: str = "error",
) -> Diagnostic:
    source = loaded.source
    line, column = source.key_position(path) if key else source.position(path)
    text = source.line_text(line)
    return Diagnostic(loaded.file, line, column, message, code, breadcrumb, text, severity)


def _check_catalog(loaded: Loaded[Catalog]) -> tuple[CourseGraph, list[Diagnostic]]:
    catalog = loaded.model
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    index_of: dict[str, int] = {}
    for i, course in enumerate(catalog.courses):
        index_of[course.id] = i
        if course.id in seen:
            first = loaded.source.position(("courses", seen[course.id]))[0]
            out.append(
                _diag(
                    loaded,
                    ("courses", i, "id"),
                    f"course id {course.id!r} is used twice (first at line {first})",
                    "duplicate-course",
                    f"course {course.id!r}",
                )
            )
        seen.setdefault(course.id, i)
    graph = CourseGraph(catalog.courses)
    hint = Suggester(seen)
    for course_id, ref in graph.missing_references():
        extra = hint(ref)
        out.append(
            _diag(
                loaded,
                ("courses", index_of[course_id]),
                f"course {course_id!r} names "
                f"unknown course {ref!r} as a prerequisite or corequisite{extra}",
                "unknown-course",
                f"course {course_id!r}",
            )
        )
    for cycle in graph.cycles():
        start = cycle.courses[0]
        out.append(
            _diag(
                loaded,
                ("courses", index_of[start], "prerequisites"),
                f"prerequisite cycle: {cycle.describe()}",
                "prerequisite-cycle",
                f"course {start!r}",
            )
        )
    return graph, out


def _check_ruleset(
    loaded: Loaded[RequirementSet],
    names: set[str],
    course_ids: set[str] | None,
    set_ids: set[str],
    vocabulary: Vocabulary | None,
) -> list[Diagnostic]:
    """References of one file (:func:`~engine.references.reference_problems`), each pointing
    at its line and column."""
    return [
        _diag(loaded, ref.path, ref.message, ref.code, ref.crumb, severity=ref.severity)
        for ref in reference_problems(loaded.model, names, course_ids, set_ids, vocabulary)
    ]


def _goal_cycles(by_key: Mapping[tuple[str, int], Loaded[RequirementSet]]) -> list[Diagnostic]:
    """Sets that require each other through ``goal`` requirements (any versions): one error each."""
    refs = nx.DiGraph()
    where: dict[tuple[str, str], tuple[Loaded[RequirementSet], tuple[str | int, ...]]] = {}
    for loaded in by_key.values():
        for goal, path in goal_references(loaded.model):
            refs.add_edge(loaded.model.id, goal)
            where.setdefault((loaded.model.id, goal), (loaded, path))
    out: list[Diagnostic] = []
    cycles = itertools.islice(nx.simple_cycles(refs), MAX_CYCLES)  # all of them may be millions
    for cycle in sorted(sorted(c) for c in cycles):
        first = cycle[0]
        following = [v for v in refs.successors(first) if v in cycle]
        loaded, path = where[(first, min(following))]
        out.append(
            _diag(
                loaded,
                path,
                "rule sets require each other through 'goal': " + " -> ".join((*cycle, first)),
                "goal-cycle",
            )
        )
    return out


def build_knowledge(tree: LoadedTree) -> Knowledge:
    """Check cross-file facts and assemble :class:`Knowledge`; raise ``AuthoringError`` if wrong."""
    diagnostics = list(tree.diagnostics)
    catalogs: dict[str, list[Catalog]] = {}
    graphs: dict[str, CourseGraph] = {}
    course_ids: dict[str, set[str]] = {}
    for loaded_catalog in tree.catalogs:
        graph, problems = _check_catalog(loaded_catalog)
        diagnostics.extend(problems)
        cat = loaded_catalog.model
        if cat.id in graphs:
            diagnostics.append(
                _diag(
                    loaded_catalog,
                    ("id",),
                    f"catalog id {cat.id!r} is used by two files",
                    "duplicate-catalog",
                )
            )
        graphs[cat.id] = graph
        catalogs.setdefault(cat.jurisdiction, []).append(cat)
        course_ids.setdefault(cat.jurisdiction, set()).update(c.id for c in cat.courses)
    vocabularies = {
        jur: Vocabulary.of(c for cat in cats for c in cat.courses) for jur, cats in catalogs.items()
    }
    by_key: dict[tuple[str, int], Loaded[RequirementSet]] = {}
    for loaded_set in tree.rulesets:
        rset = loaded_set.model
        key = (rset.id, rset.catalog_year)
        if key in by_key:
            diagnostics.append(
                _diag(
                    loaded_set,
                    ("id",),
                    f"rule set {rset.id!r} for catalog year "
                    f"{rset.catalog_year} is also defined in "
                    f"{by_key[key].file}",
                    "duplicate-ruleset",
                )
            )
            continue
        by_key[key] = loaded_set
    merged: dict[tuple[str, int], RequirementSet] = {}

    def resolve(key: tuple[str, int], chain: tuple[str, ...]) -> RequirementSet | None:
        if key in merged:
            return merged[key]
        loaded = by_key[key]
        rset = loaded.model
        if rset.extends is None:
            merged[key] = rset
            return rset
        if rset.extends in chain:
            diagnostics.append(
                _diag(
                    loaded,
                    ("extends",),
                    "extends loop: " + " -> ".join((*chain, rset.id, rset.extends)),
                    "extends-cycle",
                )
            )
            return None
        if len(chain) >= MAX_EXTENDS:  # a mistake long before Python's recursion limit
            shown = " -> ".join((*chain[:3], "...", rset.id, rset.extends))
            message = f"extends chain more than {MAX_EXTENDS} sets long: {shown}"
            diagnostics.append(_diag(loaded, ("extends",), message, "extends-too-deep"))
            return None
        parents = sorted(k for k in by_key if k[0] == rset.extends)
        fitting = [k for k in parents if k[1] <= rset.catalog_year] or parents
        if not fitting:
            extra = suggest(rset.extends, {k[0] for k in by_key})
            diagnostics.append(
                _diag(
                    loaded,
                    ("extends",),
                    f"extends unknown rule set {rset.extends!r}{extra}",
                    "unknown-ruleset",
                )
            )
            return None
        parent = resolve(fitting[-1], (*chain, rset.id))
        if parent is None:
            return None
        for name in rset.remove:
            if name not in parent.requirements:
                diagnostics.append(
                    _diag(
                        loaded,
                        ("remove",),
                        f"cannot remove {name!r}: {parent.id} has no such requirement",
                        "unknown-requirement",
                    )
                )
        result = merge_extends(rset, parent)
        merged[key] = result
        return result

    rulesets: dict[str, list[RequirementSet]] = {}
    for key in sorted(by_key):
        result = resolve(key, ())
        if result is None:
            continue
        loaded = by_key[key]
        ids = course_ids.get(result.jurisdiction)
        set_ids = {k[0] for k in by_key}
        vocabulary = vocabularies.get(result.jurisdiction)
        names = set(result.requirements)
        diagnostics.extend(_check_ruleset(loaded, names, ids, set_ids, vocabulary))
        if result.policies:
            vocab = vocabulary_for(result, catalogs, set_ids)
            diagnostics.extend(check_policies(loaded, vocab))
        versions = rulesets.setdefault(key[0], [])
        versions.append(result)
        mixed = mixed_dating(versions)
        if mixed is not None and mixed_dating(versions[:-1]) is None:  # said once, at the odd one
            field = ("dated_by",) if loaded.model.dated_by is not None else ("catalog_year",)
            diagnostics.append(_diag(loaded, field, mixed, "mixed-dating"))
    diagnostics.extend(_goal_cycles(by_key))
    book, problems = build_book(tree.careers, tree.career_routes, catalogs, rulesets)
    diagnostics.extend(problems)
    if any(d.is_error for d in diagnostics):
        raise AuthoringError(diagnostics)
    for cats in catalogs.values():
        cats.sort(key=lambda c: c.catalog_year)
    rulesets.update({goal: [rset] for goal, rset in book.sets.items()})
    knowledge = Knowledge(
        catalogs=catalogs, rulesets=rulesets, graphs=graphs, careers=book, warnings=[*diagnostics]
    )
    # Compile eagerly: mistakes surface at load time, and audits never pay for compiling.
    for key, loaded_set in sorted(by_key.items()):
        compiled_set = merged.get(key)
        if compiled_set is None:
            continue
        for cats in catalogs.values():
            for cat in cats:
                if compiled_set.jurisdiction in catalogs and compiled_set.jurisdiction != (
                    cat.jurisdiction
                ):
                    continue
                try:
                    knowledge.compiled(compiled_set, cat)
                except ValueError as exc:
                    diagnostics.append(
                        _diag(loaded_set, ("requirements",), str(exc), "reference-cycle")
                    )
    if any(d.is_error for d in diagnostics):
        raise AuthoringError(diagnostics)
    return knowledge


def load_knowledge(root: Path) -> Knowledge:
    """Load ``root/catalogs`` and ``root/rules`` into :class:`Knowledge`."""
    return build_knowledge(load_tree(root))
