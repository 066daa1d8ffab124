"""Career fit: every bundled career ranked for one student, each score made of visible parts.

``score = 100 x sum(weight x part)`` over the parts that have evidence, the weights of parts
without evidence (no interests given, no grades yet) shared out in proportion among the rest,
so the parts' ``points`` always add up to the score. The weights depend on the student's
stage: in middle school (grades 6-8) interests carry the ranking, since a transcript says
little yet. Same input, same ranking: ties on the score are broken by career id.

A career's RIASEC code is cited as the O*NET occupation it was read from: ``<SOC>.00``, or, for
a 2018 SOC code O*NET splits into several occupations without a ``.00`` profile, the ones
read instead (:data:`ONET_READ_FOR`). The career files carry no O*NET-SOC code of their own,
so the exceptions are listed here, each matching the comment on the career's ``riasec`` line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from engine.careers import CareerEntry
from engine.errors import FieldProblem, StudentDataError, suggest
from engine.knowledge import Knowledge, entering_year
from engine.recommend.inputs import Interests, Preferences
from engine.recommend.interests import interest_part
from engine.recommend.leverage import has_term_left, leverage_courses
from engine.recommend.preferences import preference_part, years_after_high_school
from engine.recommend.readiness import evaluate_careers, readiness
from engine.recommend.results import (
    CareerFit,
    Evidence,
    LeverageCourse,
    Part,
    PartName,
    RecommendResult,
    Stage,
)
from engine.recommend.strengths import graded_courses, strength_part
from engine.student import Student

__all__ = [
    "LEVERAGE_OVER",
    "ONET_READ_FOR",
    "WEIGHTS",
    "interests_source",
    "recommend",
    "stage_of",
]

#: The parts' weights by stage (each row sums to 1).
WEIGHTS: Final[dict[Stage, dict[PartName, float]]] = {
    "high_school": {"interests": 0.40, "readiness": 0.30, "strengths": 0.15, "preferences": 0.15},
    "middle_school": {
        "interests": 0.70,
        "readiness": 0.10,
        "strengths": 0.05,
        "preferences": 0.15,
    },
}
#: High-leverage courses are measured over this many top careers.
LEVERAGE_OVER = 12
#: 2018 SOC codes with no O*NET ``<SOC>.00`` profile -> the O*NET-SOC occupations whose
#: interest high points were read instead (O*NET's Interests.txt, rows dated 02/2026). 21-1018
#: (substance abuse, behavioral disorder and mental health counselors) is O*NET's 21-1011.00
#: and 21-1014.00, both SI; 25-9045 (teaching assistants, except postsecondary) is read as
#: 25-9042.00 (preschool to secondary, except special education), SC - its other part,
#: 25-9043.00 (special education), is S. The files call both codes unconfirmed.
ONET_READ_FOR: Final[dict[str, tuple[str, ...]]] = {
    "21-1018": ("21-1011.00", "21-1014.00"),
    "25-9045": ("25-9042.00",),
}

_NOTES = (
    "Readiness is the audit's evaluation of every career goal; the route sets (diploma, "
    "admission) are audited once and shared.",
    "credits_to_add is an estimate from the audit's unmet amounts (a missing concentrator "
    "course counts as 1 credit), not a plan; run `gradpath plan --goal career-<id>` for one.",
    "The bundled careers carry no wage or outlook figures; preferences use entry education "
    "and route kinds only.",
)


def stage_of(student: Student) -> Stage:
    """Middle school for grades 6-8, else high school."""
    return "middle_school" if student.grade_level <= 8 else "high_school"


def interests_source(entry: CareerEntry) -> str | None:
    """The citation of a career's RIASEC code: the O*NET occupations it was read from (the
    file's ``interests_source`` says more)."""
    career = entry.career
    if career.riasec is None:
        return None
    read = ONET_READ_FOR.get(career.soc)
    if read is None:
        return f"O*NET OnLine, Interests, {career.soc}.00 (cited in {entry.file})"
    return (
        f"O*NET OnLine, Interests, {' and '.join(read)} (O*NET has no {career.soc}.00 "
        f"profile; cited in {entry.file})"
    )


def _check_subjects(knowledge: Knowledge, student: Student, interests: Interests) -> None:
    catalog = knowledge.catalog_for(student.jurisdiction, entering_year(student))
    known = {c.subject for c in catalog.courses}
    problems = []
    for i, subject in enumerate(interests.subjects):
        if subject not in known:
            extra = suggest(subject, known)
            problems.append(
                FieldProblem(
                    ("interests", "subjects", i),
                    f"no subject {subject!r} in the {catalog.id} catalog{extra}; its subjects: "
                    + ", ".join(sorted(known)),
                    "unknown-subject",
                )
            )
    if problems:
        raise StudentDataError(problems, source="interests")


def _parts(
    scored: Sequence[tuple[PartName, float | None, str, tuple[Evidence, ...]]],
    weights: dict[PartName, float],
) -> tuple[float, tuple[Part, ...]]:
    live = sum(weights[name] for name, score, _, _ in scored if score is not None)
    parts: list[Part] = []
    total = 0.0
    for name, score, explanation, evidence in scored:
        effective = weights[name] / live if score is not None and live else 0.0
        points = 100.0 * effective * (score or 0.0)
        total += points
        parts.append(
            Part(
                name=name,
                score=None if score is None else round(score, 4),
                weight=weights[name],
                effective_weight=round(effective, 4),
                points=round(points, 2),
                explanation=explanation,
                evidence=evidence,
            )
        )
    return total, tuple(parts)


def recommend(
    *,
    knowledge: Knowledge,
    student: Student,
    interests: Interests | None = None,
    preferences: Preferences | None = None,
    limit: int | None = None,
    courses: int = 10,
) -> RecommendResult:
    """Rank every bundled career for ``student``; the top ``limit`` (default all) are returned.

    Examples
    --------
    >>> from pathlib import Path
    >>> from engine.knowledge import load_knowledge
    >>> from engine.loader import load_student_file
    >>> kb = load_knowledge(Path("."))
    >>> student = load_student_file(Path("samples/students/tx-junior-on-track.json"))
    >>> result = recommend(knowledge=kb, student=student, interests=Interests(riasec="SI"),
    ...                    limit=3)
    >>> [fit.rank for fit in result.careers], result.considered
    ([1, 2, 3], 115)
    """
    interests = interests or Interests()
    preferences = preferences or Preferences()
    _check_subjects(knowledge, student, interests)
    stage = stage_of(student)
    weights = WEIGHTS[stage]
    entries = [knowledge.careers.entries[k] for k in sorted(knowledge.careers.entries)]
    audits = evaluate_careers(knowledge, student, entries)
    graded = graded_courses(audits.graded)
    scored: list[tuple[float, str, CareerFit]] = []
    for entry in entries:
        ready = readiness(entry, audits)
        source = interests_source(entry)
        interest = interest_part(entry, interests, source)
        strength = strength_part(entry, graded)
        preference = preference_part(entry, preferences)
        ready_text = (
            f"{ready.met} of {ready.total} requirements met or in progress "
            f"(covered {ready.score:.2f}); about {ready.credits_to_add:g} credits to add"
        )
        total, parts = _parts(
            [
                ("interests", *interest),
                ("readiness", ready.score, ready_text, ready.evidence),
                ("strengths", *strength),
                ("preferences", *preference),
            ],
            weights,
        )
        career = entry.career
        fit = CareerFit(
            rank=0,
            career=career.id,
            goal=entry.goal,
            title=career.title,
            cluster=entry.cluster,
            cluster_title=entry.cluster_title,
            soc=career.soc,
            riasec=career.riasec,
            interests_source=source,
            entry_education=career.entry_education,
            entry_education_title=entry.education,
            years_after_high_school=years_after_high_school(entry),
            route_kinds=tuple(dict.fromkeys(r.kind for r in career.routes)),
            score=round(total, 2),
            parts=parts,
            status=ready.status,
            requirements_met=ready.met,
            requirements=ready.total,
            credits_to_add=ready.credits_to_add,
            gaps=ready.gaps,
        )
        scored.append((-round(total, 9), career.id, fit))
    scored.sort(key=lambda t: (t[0], t[1]))
    ranked = [fit.model_copy(update={"rank": i}) for i, (_, _, fit) in enumerate(scored, 1)]
    notes = list(_NOTES)
    if stage == "middle_school":
        notes.insert(0, "Middle school: interests carry the ranking (weight 0.70).")
    if not interests.given:
        notes.insert(0, "No interests given: the ranking rests on the transcript alone.")
    shown = ranked if limit is None else ranked[:limit]
    levers: tuple[LeverageCourse, ...] = ()
    if has_term_left(student, audits.catalog):
        levers = leverage_courses(knowledge, student, audits, ranked[:LEVERAGE_OVER], courses)
    else:
        notes.append("No term is left before graduation, so no next courses are suggested.")
    return RecommendResult(
        student=student.id,
        jurisdiction=student.jurisdiction,
        catalog=audits.catalog.id,
        grade_level=student.grade_level,
        stage=stage,
        weights=dict(weights),
        interests=interests,
        preferences=preferences,
        considered=len(ranked),
        careers=tuple(shown),
        courses=levers,
        notes=tuple(notes),
    )
