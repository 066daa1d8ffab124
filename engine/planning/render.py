"""Plain-text plans and what-if comparisons for counselors: a term-by-term table, then why."""

from __future__ import annotations

from engine.planning.results import PlanResult, ScenarioResult, WhatIfResult

__all__ = ["render_plan", "render_whatif"]


def render_plan(result: PlanResult) -> str:
    """The plan as text: the message, a term-by-term table, each course's reason, milestones."""
    out = [f"Plan for {result.student}: {', '.join(result.goals)}", result.message, ""]
    if result.status == "infeasible":
        if result.conflicts:
            out.append("Constraints that cannot all hold (a smallest such set):")
            out.extend(f"  - {c.text}" for c in result.conflicts)
        return "\n".join(out) + "\n"
    if result.terms:
        titles = {c.course: c.title for c in result.courses}
        out.append(f"{'term':<18} {'credits':>7}  courses")
        for term in result.terms:
            name = f"grade {term.grade_level} {term.term}"
            planned = ", ".join(f"{titles.get(c, c)} ({c})" for c in term.planned) or "-"
            out.append(f"{name:<18} {term.credits:>7g}  {planned}")
            if term.existing:
                out.append(f"{'':<18} {'':>7}  already scheduled: {', '.join(term.existing)}")
        out.append("")
    if result.courses:
        out.append("Why each course:")
        for course in result.courses:
            out.append(
                f"  {course.title} ({course.course}, grade {course.grade_level} "
                f"{course.term}): {course.reason}"
            )
            if course.alternatives is not None:
                out.append(f"      alternatives: {course.alternatives.text}")
        out.append("")
    if result.milestones:
        out.append("Milestones (not courses):")
        out.extend(f"  - {m.text} ({m.goal})" for m in result.milestones)
        out.append("")
    return "\n".join(out)


def _scenario(result: ScenarioResult) -> list[str]:
    out = [f"== {result.name}" + (f": {result.description}" if result.description else "")]
    out.append(result.summary)
    out.append(f"plan: {result.plan.message}")
    for change in result.requirements:
        out.append(
            f"  {change.goal} {change.title}: {change.before or '-'} -> {change.after or '-'}"
        )
    return out


def render_whatif(result: WhatIfResult) -> str:
    """Every scenario against the base, one block each."""
    out = _scenario(result.base)
    for scenario in result.scenarios:
        out.append("")
        out.extend(_scenario(scenario))
    return "\n".join(out) + "\n"
