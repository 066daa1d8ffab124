"""Careers checked against everything loaded, and compiled into requirement sets.

A career compiles to one requirement set, ``career-<slug>`` (kind ``career_pathway``,
jurisdiction ``US``), that the audit and the planner read like any other goal:

* ``coursework`` - the recommended credits, in national terms (a subject or a national
  attribute), so the same set applies to every state's catalog;
* ``concentrator`` - Perkins V's CTE concentrator: at least 2 courses in one program of study
  (``n_of: 1`` over ``courses: 2`` from ``pos:<program>``, one option per fitting program);
* ``route`` - a ``goal`` requirement over the rule sets that lead to the career's postsecondary
  routes in the student's state (UC or CSU admission in California, else the state diploma).

The route depends on the state, and a rule set is compiled per catalog, so the book keeps one
variant of each career set per jurisdiction; :meth:`CareerBook.variant` hands
:class:`~engine.knowledge.Knowledge` the one for the catalog being compiled. A route naming a
rule set of the shared vocabulary that is not bundled yet is *pending* (listed, not an error),
so careers never block loading while states are being encoded; an id outside the vocabulary is
an error with ``file:line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.careers.model import Career, CareerFile, Coursework, Route, RouteDefaults
from engine.careers.vocabulary import (
    CLUSTER_TITLES,
    CLUSTERS_2024,
    ENTRY_EDUCATION,
    GOAL_IDS,
    NATIONAL_ATTRIBUTE_PREFIXES,
    NATIONAL_ATTRIBUTES,
)
from engine.errors import Diagnostic, suggest
from engine.model import Catalog, RequirementSet, Selector
from engine.requirements import selector_matches
from engine.yamlsource import DocPath

if TYPE_CHECKING:  # the loader imports the career models, so only type-check against it
    from engine.loader import Loaded

__all__ = ["CareerBook", "CareerEntry", "Pending", "build_book", "career_set_id"]

#: Perkins V: a secondary CTE concentrator has completed at least 2 courses in one program.
CONCENTRATOR_COURSES = 2


def career_set_id(career_id: str) -> str:
    """The goal id of a career's requirement set: ``career-<slug>``."""
    return f"career-{career_id}"


@dataclass(frozen=True)
class CareerEntry:
    """A career with the facts of the file it sits in."""

    career: Career
    cluster: str
    cluster_2024: str | None
    file: str
    line: int

    @property
    def goal(self) -> str:
        return career_set_id(self.career.id)

    @property
    def cluster_title(self) -> str:
        return CLUSTER_TITLES[self.cluster]

    @property
    def education(self) -> str:
        return ENTRY_EDUCATION[self.career.entry_education]

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the CLI and the service."""
        career = self.career
        return {
            "id": career.id,
            "goal": self.goal,
            "title": career.title,
            "soc": career.soc,
            "riasec": career.riasec,
            "cluster": self.cluster,
            "cluster_title": self.cluster_title,
            "cluster_2024": self.cluster_2024,
            "entry_education": career.entry_education,
            "entry_education_title": self.education,
            "aliases": list(career.aliases),
            "keywords": list(career.keywords),
            "programs": [f"pos:{p}" for p in career.programs],
            "coursework": [c.model_dump(exclude_none=True) for c in career.coursework],
            "routes": [r.model_dump(exclude_defaults=True) for r in career.routes],
            "source": career.source.model_dump(exclude_none=True),
        }


@dataclass(frozen=True)
class Pending:
    """A route naming a vocabulary rule set that is not bundled yet."""

    career: str
    jurisdiction: str
    ruleset: str


@dataclass(frozen=True)
class CareerBook:
    """Every career, its compiled set, and the per-state variants carrying the route."""

    entries: Mapping[str, CareerEntry] = field(default_factory=dict)
    sets: Mapping[str, RequirementSet] = field(default_factory=dict)
    variants: Mapping[tuple[str, str], RequirementSet] = field(default_factory=dict)
    pending: tuple[Pending, ...] = ()

    def variant(self, rset: RequirementSet, jurisdiction: str) -> RequirementSet:
        """The version of ``rset`` to compile for a ``jurisdiction`` catalog (itself if none)."""
        if self.sets.get(rset.id) is not rset:
            return rset
        return self.variants.get((rset.id, jurisdiction), rset)

    def get(self, career_id: str) -> CareerEntry | None:
        """A career by id, or by its goal id ``career-<slug>``."""
        return self.entries.get(career_id) or self.entries.get(career_id.removeprefix("career-"))


# Compiling one career.


def _name(used: set[str], base: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "coursework"
    name, n = slug, 2
    while name in used:
        name, n = f"{slug}-{n}", n + 1
    used.add(name)
    return name


def _coursework_node(item: Coursework) -> dict[str, Any]:
    what = " or ".join(item.subject + item.attribute)
    title = item.title or f"{item.credits:g} credit{'s' if item.credits != 1 else ''} of {what}"
    if item.note and not item.title:
        title += f" ({item.note})"
    selector: dict[str, Any] = {}
    if item.subject:
        selector["subject"] = list(item.subject)
    if item.attribute:
        selector["attribute"] = list(item.attribute)
    node: dict[str, Any] = {"title": title[:200], "credits": item.credits, "from": selector}
    if item.note:
        node["description"] = f"Recommended: {item.note}."
    return node


def _concentrator_node(career: Career) -> dict[str, Any]:
    options = [
        {
            "title": f"{CONCENTRATOR_COURSES} courses of the {program} program of study",
            "courses": CONCENTRATOR_COURSES,
            "from": {"attribute": f"pos:{program}"},
        }
        for program in career.programs
    ]
    return {
        "title": "CTE concentrator: 2 courses in one program of study (Perkins V)",
        "description": (
            "Perkins V: a CTE concentrator has completed at least 2 courses in a single "
            "program of study. Programs that fit: " + ", ".join(career.programs) + "."
        ),
        "n_of": 1,
        "of": options,
    }


def _base_set(entry: CareerEntry, catalog_year: int) -> dict[str, Any]:
    career = entry.career
    requirements: dict[str, Any] = {}
    used: set[str] = {"concentrator", "route"}
    for item in career.coursework:
        requirements[_name(used, (item.subject + item.attribute)[0])] = _coursework_node(item)
    requirements["concentrator"] = _concentrator_node(career)
    return {
        "id": entry.goal,
        "title": f"Career pathway: {career.title}",
        "kind": "career_pathway",
        "jurisdiction": "US",
        "catalog_year": catalog_year,
        "source": career.source.model_dump(exclude_none=True),
        "description": (
            f"{career.title} (SOC {career.soc}, {entry.cluster_title} cluster). Typical entry "
            f"education: {entry.education}. Recommended coursework and a CTE program of study; "
            "the postsecondary route depends on the student's state."
        ),
        "allow_sharing": True,
        "requirements": requirements,
    }


# Checking and building the book.


@dataclass
class _Context:
    loaded_sets: Mapping[str, RequirementSet]
    catalogs: Sequence[Catalog]  # the newest catalog of each jurisdiction
    defaults: RouteDefaults | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)


def _diag(loaded: Loaded[Any], path: DocPath, message: str, code: str, crumb: str) -> Diagnostic:
    return loaded.source.diagnostic(loaded.source.position(path), message, code, crumb)


def _check_set_id(
    ctx: _Context, loaded: Loaded[Any], path: DocPath, set_id: str, crumb: str
) -> bool:
    """True if ``set_id`` is loaded; an id outside the vocabulary is an error."""
    if set_id in ctx.loaded_sets:
        return True
    if set_id not in GOAL_IDS:
        extra = suggest(set_id, set(ctx.loaded_sets) | GOAL_IDS)
        message = f"no rule set with id {set_id!r}{extra}"
        ctx.diagnostics.append(_diag(loaded, path, message, "unknown-ruleset", crumb))
    return False


def _check_coursework(ctx: _Context, loaded: Loaded[CareerFile], index: int) -> None:
    career = loaded.model.careers[index]
    crumb = f"career {career.id!r}"
    for i, item in enumerate(career.coursework):
        base: DocPath = ("careers", index, "coursework", i)
        national_only = True
        for j, attribute in enumerate(item.attribute):
            national = attribute in NATIONAL_ATTRIBUTES or attribute.startswith(
                NATIONAL_ATTRIBUTE_PREFIXES
            )
            if not national:
                national_only = False
                message = (
                    f"attribute {attribute!r} is not in the national vocabulary "
                    "(docs/vocabulary.md); a career applies to every state's catalog"
                )
                ctx.diagnostics.append(
                    _diag(loaded, (*base, "attribute", j), message, "unknown-attribute", crumb)
                )
        if not national_only:
            continue  # already wrong; that it matches nothing would say the same twice
        selector = Selector(subject=item.subject, attribute=item.attribute)
        for catalog in ctx.catalogs:
            if any(selector_matches(selector, course) for course in catalog.courses):
                continue
            subjects = sorted({c.subject for c in catalog.courses})
            message = (
                f"this coursework matches no course of the {catalog.jurisdiction} catalog "
                f"{catalog.id!r}, so no student there could meet it (its subjects: "
                + ", ".join(subjects)
                + "); list the state's subject too, or use a national attribute"
            )
            ctx.diagnostics.append(_diag(loaded, base, message, "matches-nothing", crumb))


def _check_2024(ctx: _Context, loaded: Loaded[CareerFile]) -> None:
    """A 2024 cluster name must be one a source confirmed (vocabulary.CLUSTERS_2024)."""
    confirmed = set(CLUSTERS_2024.values())
    model = loaded.model
    named: list[tuple[DocPath, str]] = []
    if model.cluster_2024 is not None:
        expected = CLUSTERS_2024.get(model.cluster)
        if model.cluster_2024 != expected:
            why = f"it is {expected!r}" if expected else "no 2024 name is confirmed for it"
            message = f"{model.cluster_2024!r} is not this cluster's 2024 name: {why}"
            ctx.diagnostics.append(
                _diag(loaded, ("cluster_2024",), message, "unconfirmed-cluster", "")
            )
    for index, career in enumerate(model.careers):
        if career.cluster_2024 is not None:
            named.append((("careers", index, "cluster_2024"), career.cluster_2024))
    for path, name in named:
        if name not in confirmed:
            extra = suggest(name, confirmed)
            message = f"{name!r} is not a confirmed 2024 cluster name{extra}"
            ctx.diagnostics.append(_diag(loaded, path, message, "unconfirmed-cluster", ""))


def _route_sets(
    ctx: _Context,
    loaded: Loaded[CareerFile],
    index: int,
    route_index: int,
    route: Route,
    jurisdiction: str,
) -> list[str]:
    """The loaded rule sets leading along ``route`` in ``jurisdiction``; records pending ones."""
    career = loaded.model.careers[index]
    defaults = ctx.defaults
    listed: Sequence[str] = route.sets.get(jurisdiction, ())
    if not listed and defaults is not None:
        listed = defaults.routes.get(route.kind, {}).get(jurisdiction, ())
    diploma = defaults.diplomas.get(jurisdiction) if defaults is not None else None
    candidates = list(listed) or ([diploma] if diploma else [])
    found = [s for s in candidates if s in ctx.loaded_sets]
    for set_id in candidates:
        if set_id not in ctx.loaded_sets and set_id in GOAL_IDS:
            ctx.pending.append(Pending(career.id, jurisdiction, set_id))
    if not found and diploma and listed:  # the admission sets are not bundled yet:
        if diploma in ctx.loaded_sets:  # the diploma still leads on
            found = [diploma]
        elif diploma in GOAL_IDS:
            ctx.pending.append(Pending(career.id, jurisdiction, diploma))
    return found  # ids outside the vocabulary are reported once, by _check_routes


def _check_routes(ctx: _Context, loaded: Loaded[CareerFile], index: int) -> None:
    career = loaded.model.careers[index]
    for r, route in enumerate(career.routes):
        for jurisdiction, ids in route.sets.items():
            for s, set_id in enumerate(ids):
                path: DocPath = ("careers", index, "routes", r, "sets", jurisdiction, s)
                crumb = f"career {career.id!r} > routes[{r}]"
                _check_set_id(ctx, loaded, path, set_id, crumb)


def _route_node(
    ctx: _Context, loaded: Loaded[CareerFile], index: int, jurisdiction: str
) -> dict[str, Any] | None:
    career = loaded.model.careers[index]
    options: list[dict[str, Any]] = []
    for r, route in enumerate(career.routes):
        sets = _route_sets(ctx, loaded, index, r, route, jurisdiction)
        if not sets:
            continue
        titles = " or ".join(ctx.loaded_sets[s].title for s in sets)
        options.append(
            {
                "title": f"{route.title}: {titles}"[:200],
                "description": f"A {route.kind} route; in {jurisdiction} it starts from "
                + " or ".join(sets)
                + ".",
                "goal": sets,
            }
        )
    if not options:
        return None
    if len(options) == 1:
        return options[0]
    return {"title": "A route to this career (any one)", "any": options}


def _newest(catalogs: Mapping[str, Sequence[Catalog]]) -> list[Catalog]:
    return [max(cats, key=lambda c: c.catalog_year) for _, cats in sorted(catalogs.items()) if cats]


def _check_defaults(ctx: _Context, loaded: Loaded[RouteDefaults]) -> None:
    for jurisdiction, set_id in loaded.model.diplomas.items():
        _check_set_id(ctx, loaded, ("diplomas", jurisdiction), set_id, "diplomas")
    for kind, by_state in loaded.model.routes.items():
        for jurisdiction, ids in by_state.items():
            for s, set_id in enumerate(ids):
                path: DocPath = ("routes", kind, jurisdiction, s)
                _check_set_id(ctx, loaded, path, set_id, f"routes > {kind}")


def build_book(
    files: Iterable[Loaded[CareerFile]],
    routes: Sequence[Loaded[RouteDefaults]],
    catalogs: Mapping[str, Sequence[Catalog]],
    rulesets: Mapping[str, Sequence[RequirementSet]],
) -> tuple[CareerBook, list[Diagnostic]]:
    """Check careers against the loaded catalogs and rule sets, and compile them.

    Returns the book and every problem found (each at ``file:line:col``). Route sets that
    are in the shared vocabulary but not loaded are listed in ``book.pending``, not returned
    as problems.
    """
    defaults = routes[0].model if routes else None
    loaded_sets = {goal: versions[-1] for goal, versions in rulesets.items()}
    ctx = _Context(loaded_sets, _newest(catalogs), defaults)
    for extra in routes[1:]:
        message = f"route defaults are already given in {routes[0].file}"
        ctx.diagnostics.append(_diag(extra, (), message, "duplicate-routes", ""))
    if routes:
        _check_defaults(ctx, routes[0])
    jurisdictions = set(catalogs)
    if defaults is not None:
        jurisdictions |= set(defaults.diplomas)
        for by_state in defaults.routes.values():
            jurisdictions |= set(by_state)
    entries: dict[str, CareerEntry] = {}
    sets: dict[str, RequirementSet] = {}
    variants: dict[tuple[str, str], RequirementSet] = {}
    clusters: dict[str, str] = {}
    for loaded in files:
        model = loaded.model
        if model.cluster in clusters:
            message = f"cluster {model.cluster!r} is also described by {clusters[model.cluster]}"
            ctx.diagnostics.append(_diag(loaded, ("cluster",), message, "duplicate-cluster", ""))
        clusters.setdefault(model.cluster, loaded.file)
        _check_2024(ctx, loaded)
        for index, career in enumerate(model.careers):
            crumb = f"career {career.id!r}"
            where: DocPath = ("careers", index, "id")
            if career.id in entries:
                first = entries[career.id]
                message = f"career id {career.id!r} is also used in {first.file}:{first.line}"
                ctx.diagnostics.append(_diag(loaded, where, message, "duplicate-career", crumb))
                continue
            goal = career_set_id(career.id)
            if goal in loaded_sets:
                message = f"career set id {goal!r} is already a rule set's id"
                ctx.diagnostics.append(_diag(loaded, where, message, "duplicate-ruleset", crumb))
                continue
            line = loaded.source.position(("careers", index))[0]
            entry = CareerEntry(
                career, model.cluster, career.cluster_2024 or model.cluster_2024, loaded.file, line
            )
            entries[career.id] = entry
            _check_coursework(ctx, loaded, index)
            _check_routes(ctx, loaded, index)
            data = _base_set(entry, model.catalog_year)
            sets[goal] = RequirementSet.model_validate(data)
            for jurisdiction in sorted(jurisdictions):
                route = _route_node(ctx, loaded, index, jurisdiction)
                if route is not None:
                    with_route = {**data, "requirements": {**data["requirements"], "route": route}}
                    variants[(goal, jurisdiction)] = RequirementSet.model_validate(with_route)
    pending = tuple(dict.fromkeys(ctx.pending))
    return CareerBook(entries, sets, variants, pending), ctx.diagnostics
