"""Read-only reference data: jurisdictions, catalogs, courses and goals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import Field

from engine.careers import search_careers
from engine.model import Catalog, Course, SetKind
from service.auth import Reader
from service.deps import KnowledgeDep
from service.openapi_doc import problem_responses
from service.problems import ProblemError
from service.schemas import (
    CareerDetail,
    CatalogSummary,
    CourseDetail,
    CoursePage,
    CourseSummary,
    GoalSummary,
    JurisdictionSummary,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["reference"])


def _summary(course: Course) -> CourseSummary:
    return CourseSummary(
        id=course.id,
        title=course.title,
        sced=course.sced,
        subject=course.subject,
        credits=course.credits,
        grade_levels=list(course.grade_levels),
        terms=list(course.terms),
        level=course.level,
    )


#: Upper bounds of the list answers (JSON Schema maxItems): US states and territories; every
#: rule set and career of a deployment; the bundled sample students.
MAX_JURISDICTIONS = 100
MAX_GOAL_LIST = 10_000


@router.get(
    "/jurisdictions",
    response_model=Annotated[list[JurisdictionSummary], Field(max_length=MAX_JURISDICTIONS)],
)
async def jurisdictions(knowledge: KnowledgeDep, _caller: Reader) -> list[JurisdictionSummary]:
    """Jurisdictions with bundled catalogs, and the rule sets written for each."""
    out = []
    for code in knowledge.jurisdictions():
        cats = knowledge.catalogs[code]
        goals = sorted(r.id for r in knowledge.goals() if r.jurisdiction == code)
        out.append(
            JurisdictionSummary(
                jurisdiction=code,
                catalogs=[
                    CatalogSummary(
                        id=c.id, title=c.title, catalog_year=c.catalog_year, courses=len(c.courses)
                    )
                    for c in cats
                ],
                goals=goals,
            )
        )
    return out


def _catalog(knowledge: KnowledgeDep, jurisdiction: str, year: int) -> Catalog:
    if jurisdiction.upper() not in knowledge.catalogs:
        known = ", ".join(knowledge.jurisdictions())
        raise ProblemError(404, "Not found", f"No catalog for {jurisdiction!r} (have: {known}).")
    return knowledge.catalog_for(jurisdiction.upper(), year)


@router.get(
    "/catalogs/{jurisdiction}/{year}/courses",
    response_model=CoursePage,
    responses=problem_responses(404),
    summary="Search a catalog's courses",
    description="The catalog in force for that year (the newest not later than it, else the "
    "oldest; ``catalog`` and ``catalog_year`` say which). ``q`` "
    "matches id, title and SCED code; ``subject`` filters exactly.",
)
async def courses(
    jurisdiction: Annotated[str, Path(pattern=r"^[A-Za-z]{2,8}$", max_length=8)],
    year: Annotated[int, Path(ge=2000, le=2100)],
    knowledge: KnowledgeDep,
    _caller: Reader,
    q: Annotated[str | None, Query(max_length=100)] = None,
    subject: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CoursePage:
    catalog = _catalog(knowledge, jurisdiction, year)
    found = list(catalog.courses)
    if subject:
        found = [c for c in found if c.subject == subject]
    if q:
        words = q.lower().split()
        found = [
            c for c in found if all(w in f"{c.id} {c.title} {c.sced or ''}".lower() for w in words)
        ]
    page = found[offset : offset + limit]
    return CoursePage(
        catalog=catalog.id,
        catalog_year=catalog.catalog_year,
        total=len(found),
        offset=offset,
        limit=limit,
        items=[_summary(c) for c in page],
    )


@router.get(
    "/courses/{course_id}",
    response_model=CourseDetail,
    responses=problem_responses(404, 409),
    summary="One course, with its prerequisites and what it unlocks",
)
async def course(
    course_id: Annotated[str, Path(max_length=64)],
    knowledge: KnowledgeDep,
    _caller: Reader,
    catalog: Annotated[str | None, Query(max_length=64, description="e.g. tx-2025")] = None,
) -> CourseDetail:
    holders = [
        c
        for cats in knowledge.catalogs.values()
        for c in cats
        if (catalog is None or c.id == catalog) and any(x.id == course_id for x in c.courses)
    ]
    if not holders:
        where = f" in catalog {catalog!r}" if catalog else ""
        raise ProblemError(404, "Not found", f"No course {course_id!r}{where}.")
    if len(holders) > 1:
        names = ", ".join(c.id for c in holders)
        raise ProblemError(
            409,
            "Ambiguous course id",
            f"{course_id!r} is in several catalogs ({names}); pass ?catalog=<id>.",
        )
    cat = holders[0]
    graph = knowledge.graphs[cat.id]
    found = graph.courses[course_id]
    return CourseDetail(
        catalog=cat.id,
        course=found,
        prerequisites=list(graph.requires(course_id)),
        unlocks=list(graph.unlocks(course_id)),
        prerequisite_rule=found.prerequisites,
    )


@router.get(
    "/goals",
    response_model=Annotated[list[GoalSummary], Field(max_length=MAX_GOAL_LIST)],
    summary="Goals a student may choose: rule sets and careers",
    description="Filter by ``kind`` (graduation, endorsement, admission, eligibility, "
    "career_pathway, ...), ``jurisdiction`` (national sets are always included), career "
    "``cluster`` (slug), or search careers by name and keyword with ``q``.",
)
async def goals(
    knowledge: KnowledgeDep,
    _caller: Reader,
    kind: Annotated[SetKind | None, Query()] = None,
    jurisdiction: Annotated[str | None, Query(max_length=8)] = None,
    cluster: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=100, description="career search words")] = None,
) -> list[GoalSummary]:
    careers = knowledge.careers
    found: list[str] | None = None
    q = q.strip() if q else None  # blanks search for nothing: the same as no q
    if q or cluster:
        found = [hit.entry.goal for hit in search_careers(careers, q or "", cluster=cluster)]
    out = []
    for r in knowledge.goals():
        entry = careers.get(r.id) if r.kind == "career_pathway" else None
        out.append(
            GoalSummary(
                id=r.id,
                title=r.title,
                kind=r.kind,
                jurisdiction=r.jurisdiction,
                catalog_year=r.catalog_year,
                dated_by=r.dating,
                source=f"{r.source.citation} ({r.source.year})"[:600],
                cluster=entry.cluster if entry else None,
            )
        )
    if found is not None:
        rank = {goal: i for i, goal in enumerate(found)}
        out = sorted((g for g in out if g.id in rank), key=lambda g: rank[g.id])
    if kind:
        out = [g for g in out if g.kind == kind]
    if jurisdiction:
        out = [g for g in out if g.jurisdiction in (jurisdiction.upper(), "US")]
    return out


@router.get(
    "/careers/{career_id}",
    response_model=CareerDetail,
    responses=problem_responses(404),
    summary="One career",
)
async def career(
    career_id: Annotated[str, Path(max_length=80, description="e.g. registered-nurse")],
    knowledge: KnowledgeDep,
    _caller: Reader,
) -> CareerDetail:
    entry = knowledge.careers.get(career_id)
    if entry is None:
        raise ProblemError(404, "Not found", f"No career {career_id!r}.")
    return CareerDetail.model_validate(entry.as_dict())
