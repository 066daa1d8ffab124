"""Plain-language reasons for verdicts, and the counselor's text report.

Reasons are written for a counselor reading aloud to a family: what counted, what is missing,
and what could close the gap. The text report is a rendering of an :class:`AuditResult`; it adds
nothing the JSON does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from engine.results import AuditResult, GoalResult, Progress, RequirementResult

__all__ = ["LISTED", "Amounts", "fmt_amount", "reason_for", "render_text"]

#: Courses named in one reason; the rest are counted ("and 12 more"), all are in ``applied``.
LISTED = 6


class Amounts(NamedTuple):
    """How far a requirement has come, in its unit (the fields of ``Progress``)."""

    unit: str
    needed: float
    earned: float
    in_progress: float
    planned: float


_UNIT_WORDS = {
    "credits": ("credit", "credits"),
    "courses": ("course", "courses"),
    "levels": ("level", "levels"),
    "hours": ("hour", "hours"),
    "items": ("item", "items"),
}


#: ``f"{x:g}"`` of the positive multiples of half a unit up to 100, what most amounts are: a
#: table look-up instead of formatting a float (formatting was a fifth of building reasons).
_HALVES = {k / 2: f"{k / 2:g}" for k in range(1, 201)}


def fmt_amount(value: float, unit: str) -> str:
    """``1.5 credits``, ``1 course``."""
    one, many = _UNIT_WORDS.get(unit, (unit, unit))
    text = _HALVES.get(value) if value > 0 else None  # (zero may be -0.0, shown "-0")
    if text is None:
        text = f"{value:g}"
    return f"{text} {one if abs(value - 1) < 1e-9 else many}"


def reason_for(
    *,
    status: str,
    title: str,
    progress: Amounts | Progress | None,
    applied_titles: Sequence[str],
    applied_count: int | None = None,
    candidate_titles: Sequence[str],
    value: float | None = None,
    detail: str = "",
) -> str:
    """One or two sentences saying why a requirement has its status."""
    counted = ", ".join(applied_titles)
    more = (applied_count or len(applied_titles)) - len(applied_titles)
    if more > 0:
        counted += f" and {more} more"
    if progress is not None and progress.unit == "gpa":
        now = "no graded courses yet" if value is None else f"{_trunc(value):.3f} so far"
        text = f"Needs a GPA of at least {progress.needed:.2f}; {now}."
        if status == "met":
            text = f"GPA {_trunc(value or 0.0):.3f} meets the minimum of {progress.needed:.2f}."
        if detail:
            text += f" It {detail}."
        return text
    if progress is None or progress.unit == "items":
        lead = {"met": "Met", "in_progress": "In progress", "unmet": "Not met"}[status]
        if detail:  # a ``goal`` requirement: say where each named set stands
            return f"{lead}: {detail}."
        if status == "met":
            return "Completed."
        if status == "in_progress":
            return "Planned; not yet completed."
        return f"Missing: {title}."
    unit = progress.unit
    have = fmt_amount(progress.earned, unit)
    need = fmt_amount(progress.needed, unit)
    pending = progress.in_progress + progress.planned
    if status == "met":
        return f"Met with {have} of {need}" + (f": {counted}." if counted else ".")
    missing = progress.needed - progress.earned - pending
    parts = [f"{have} of {need} earned"]
    if pending > 1e-9:
        parts.append(f"{fmt_amount(pending, unit)} in progress or planned")
    text = "; ".join(parts)
    if status == "in_progress":
        text += " - complete when the courses in progress and planned are passed"
        return text + (f" ({counted})." if counted else ".")
    if detail:
        text += f"; {detail}"
    text += f". Still needs {fmt_amount(max(missing, 0.0), unit)}"
    if candidate_titles:
        text += " - for example " + ", ".join(candidate_titles[:4])
    return text + "."


def _trunc(value: float) -> float:
    return int(value * 1000) / 1000


_MARK = {"met": "[met]         ", "in_progress": "[in progress] ", "unmet": "[UNMET]       "}


def _progress_text(p: Progress | None) -> str:
    if p is None or p.unit in ("gpa", "items"):
        return ""
    done = p.earned
    more = p.in_progress + p.planned
    text = f"{done:g}"
    if more:
        text += f" (+{more:g})"
    return f"  {text} / {fmt_amount(p.needed, p.unit)}"


def _requirement_lines(
    req: RequirementResult, depth: int, out: list[str], other_option: bool = False
) -> None:
    pad = "  " * depth
    mark = "[other option]" if other_option else _MARK[req.status]
    out.append(f"{pad}{mark} {req.title}{_progress_text(req.progress)}")
    if not other_option and (req.status != "met" or depth == 1):
        out.append(f"{pad}                {req.reason}")
    choice = req.operator in ("any", "n_of", "sequence") and req.status != "unmet"
    for child in req.children:
        unused = choice and child.status == "unmet"
        _requirement_lines(child, depth + 1, out, other_option or unused)


def _goal_lines(goal: GoalResult, out: list[str]) -> None:
    out.append("")
    out.append(f"== {goal.title} ({goal.goal}, {goal.version}): {goal.status.replace('_', ' ')}")
    out.append(f"   {goal.summary}")
    out.append(f"   Source: {goal.source}")
    for req in goal.requirements:
        _requirement_lines(req, 1, out)
    if goal.unused:
        rows = {r.index: r for r in goal.rows}
        names = ", ".join(rows[i].title for i in goal.unused)
        out.append(f"   Counted toward no requirement: {names}")
    _policy_lines(goal, out)


def _policy_lines(goal: GoalResult, out: list[str]) -> None:
    """State policies: why the goal was added, alerts (most severe first), recommendations."""
    if goal.added_by is not None:
        out.append(f"   Added by policy {goal.added_by.policy}: {goal.added_by.reason}")
    if goal.alerts:
        out.append("   Alerts:")
        for alert in goal.alerts:
            out.append(f"     [{alert.severity}] {alert.message} (policy {alert.policy})")
    if goal.recommendations:
        out.append("   Recommended:")
        for rec in goal.recommendations:
            what = rec.title or rec.course or (rec.experience or "").replace("-", " ")
            out.append(f"     - {what}: {rec.message} (policy {rec.policy})")


def render_text(result: AuditResult) -> str:
    """The audit as a report a counselor can read."""
    out = [
        f"GradPath audit - student {result.student} - {result.jurisdiction} catalog "
        f"{result.catalog} ({result.catalog_year})"
    ]
    out.extend(f"Note: {notice}" for notice in result.notices)
    for goal in result.goals:
        _goal_lines(goal, out)
    if result.unrecognized:
        out.append("")
        out.append("Rows not recognised (not counted anywhere):")
        for row in result.unrecognized:
            out.append(f"  row {row.index}: {row.reason}")
    return "\n".join(out) + "\n"
