"""Why no plan exists: the smallest set of constraints that cannot hold together, in plain words.

The plan model is rebuilt in *explaining* mode: every offering rule, grade-level rule, load limit,
prerequisite, lock, exclusion and requirement is a named group switched on by an assumption
literal, and courses may be placed anywhere (so relaxing "offered only in fall" can be tried).
CP-SAT names a sufficient set of assumptions for infeasibility; its subsets are then tried by
size, so the answer is the smallest conflicting set inside it (a large core falls back to a
deletion filter, which still leaves a set where every member is needed). The whole search keeps
to the plan's time limit: when it runs out, the conflicting set found so far is the answer
(still a set with no plan, perhaps not the smallest).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

from engine.graph import prereq_courses
from engine.model import Course, Prereq, PrereqAll, PrereqAny, PrereqCourse
from engine.normalize import GradedRow
from engine.planning.model import GroupKey, PlanModel, Problem
from engine.planning.results import Conflict
from engine.planning.terms import Calendar
from engine.requirements import CompiledSet

__all__ = ["explain_infeasible", "minimal_conflict"]

#: Cores up to this size are searched subset by subset for a smallest conflict.
SMALL_CORE = 8
#: Most solves spent on that search.
MAX_SUBSET_SOLVES = 120
#: Least solver time for the first proof of a conflict, even with the plan's budget spent.
FIRST_FLOOR = 0.2
#: Groups tried for removal first are the ones a student thinks of last as "the reason".
ORDER = ("summer", "load", "grades", "offered", "coreq", "exclude", "lock", "prereq", "req")


def minimal_conflict(problem: Problem, time_limit: float) -> list[GroupKey]:
    """A minimal set of constraint groups with no plan (empty when relaxing them all fails too).

    ``time_limit`` is what the plan left of its budget. The first proof that the groups
    conflict gets at most that, but never less than ``FIRST_FLOOR``: with the budget spent
    the student is still told why, from that proof alone, rather than nothing.
    """
    relaxed = replace(problem, relax=True, optimize=False)
    pm = PlanModel(relaxed)
    keys = sorted(pm.guards, key=lambda k: (ORDER.index(k[0]), k))
    if not keys:
        return []
    deadline = time.monotonic() + time_limit
    step = max(0.2, time_limit / 20)
    first = pm.solve(max(min(step * 4, time_limit), FIRST_FLOOR), [pm.guards[k] for k in keys])
    if first.status != "infeasible":
        return []
    core = sorted(set(first.core) or set(keys), key=lambda k: (ORDER.index(k[0]), k))

    def infeasible(groups: Sequence[GroupKey]) -> bool:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _OutOfTimeError
        return pm.solve(min(step, left), [pm.guards[k] for k in groups]).status == "infeasible"

    try:
        # Smallest first: every subset of a small core, by size, within a budget of solves.
        if len(core) <= SMALL_CORE:
            budget = MAX_SUBSET_SOLVES
            for size in range(1, len(core)):
                for subset in itertools.combinations(core, size):
                    budget -= 1
                    if budget < 0:
                        break
                    if infeasible(subset):
                        return list(subset)
                if budget < 0:
                    break
            else:
                return core
        for key in list(core):  # otherwise a deletion filter: minimal, if not the smallest
            trial = [k for k in core if k != key]
            if infeasible(trial):
                core = trial
    except _OutOfTimeError:
        pass  # the set found so far still has no plan
    return core


class _OutOfTimeError(Exception):
    """The explanation's share of the time limit is spent."""


def _prereq_text(node: Prereq, titles: Mapping[str, str]) -> str:
    if isinstance(node, PrereqCourse):
        grade = f" (at least {node.min_grade})" if node.min_grade else ""
        return titles.get(node.course, node.course) + grade
    kids = node.all if isinstance(node, PrereqAll) else node.any
    joiner = " and " if isinstance(node, PrereqAll) else " or "
    parts = [_prereq_text(k, titles) for k in kids]
    text = joiner.join(parts)
    return f"({text})" if len(parts) > 1 and isinstance(node, PrereqAny) else text


def _terms_text(course: Course) -> str:
    if course.terms == ("year",):
        return "as a full-year course"
    return "only in " + " or ".join(course.terms)


def _left(course: Course, calendar: Calendar) -> str:
    """How many terms of the plan offer ``course`` to this student's grade levels."""
    if course.terms == ("year",):
        count = len(
            {p.grade for p in calendar.periods if p.grade in course.grade_levels}
            & {p.grade for p in calendar.periods if p.term in ("fall", "year")}
        )
        unit = "year"
    else:
        count = sum(
            1 for p in calendar.periods if p.term in course.terms and p.grade in course.grade_levels
        )
        unit = "/".join(course.terms) + " term"
    word = {0: "no", 1: "one", 2: "two", 3: "three"}.get(count, str(count))
    return f"{word} such {unit}{'s are' if count != 1 else ' is'} left"


def _not_passed(course: Course, passed: Sequence[GradedRow], titles: Mapping[str, str]) -> str:
    have = {r.course.id for r in passed if r.credited}
    missing = [titles.get(c, c) for c in prereq_courses(course.prerequisites) if c not in have]
    if not missing:
        return ""
    verb = "is" if len(missing) == 1 else "are"
    return f", and {' and '.join(missing)} {verb} not yet passed"


def _when(grade: int | None, term: str | None) -> str:
    """ " in grade 11 fall" for a lock's grade level and term ("" for neither)."""
    parts = [x for x in (f"grade {grade}" if grade else None, term) if x]
    return " in " + " ".join(parts) if parts else ""


def explain_infeasible(
    core: Sequence[GroupKey],
    *,
    courses: Mapping[str, Course],
    sets: Mapping[str, CompiledSet],
    calendar: Calendar,
    passed: Sequence[GradedRow],
    max_courses: int | None,
    max_credits: float | None,
    locks: Mapping[str, Sequence[tuple[int | None, str | None]]],
) -> list[Conflict]:
    """Each group of a minimal conflict, phrased for the student."""
    titles = {cid: c.title for cid, c in courses.items()}
    out: list[Conflict] = []
    for key in core:
        kind = key[0]
        if kind == "req":
            goal, name = key[1], key[2]
            cset = sets[goal]
            node = cset.requirements[name]
            out.append(
                Conflict(
                    kind="requirement",
                    goal=goal,
                    requirement=name,
                    text=f"{cset.title} requires {node.title}",
                )
            )
            continue
        if kind in ("load", "summer"):
            if kind == "summer":
                text = "summer terms are not allowed"
            else:
                limits = []
                if max_courses is not None:
                    limits.append(f"at most {max_courses} courses per term")
                if max_credits is not None:
                    limits.append(f"at most {max_credits:g} credits per term")
                text = " and ".join(limits)
            out.append(Conflict(kind=kind, text=text))
            continue
        cid = key[1]
        course = courses[cid]
        title = course.title
        if kind == "prereq" and course.prerequisites is not None:
            text = f"{title} needs {_prereq_text(course.prerequisites, titles)}" + _not_passed(
                course, passed, titles
            )
            out.append(Conflict(kind="prerequisite", course=cid, text=text))
        elif kind == "coreq":
            names = " and ".join(titles.get(c, c) for c in course.corequisites)
            out.append(
                Conflict(kind="corequisite", course=cid, text=f"{title} must be taken with {names}")
            )
        elif kind == "offered":
            text = f"{title} is offered {_terms_text(course)}; {_left(course, calendar)}"
            out.append(Conflict(kind="offered", course=cid, text=text))
        elif kind == "grades":
            levels = ", ".join(str(g) for g in course.grade_levels)
            out.append(
                Conflict(
                    kind="grade_levels",
                    course=cid,
                    text=f"{title} is open only to grade level {levels}",
                )
            )
        elif kind == "lock":
            # Every lock of the course (one group): locked twice, in grade 11 and in grade 12,
            # the two locks are the conflict, and naming only one would hide the other.
            whens = list(dict.fromkeys(_when(g, t) for g, t in locks.get(cid, ())))
            when = " and".join(w for w in whens if w)
            out.append(Conflict(kind="locked", course=cid, text=f"you locked in {title}{when}"))
        elif kind == "exclude":
            out.append(Conflict(kind="excluded", course=cid, text=f"you excluded {title}"))
    return out
