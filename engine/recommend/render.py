"""Plain-text views of recommendations for counselors: a ranked table and a pathway.

The text is made from the JSON results only, so what a counselor reads and what a portal
receives never disagree.
"""

from __future__ import annotations

from engine.recommend.results import CareerFit, PathwayResult, RecommendResult

__all__ = ["render_pathway", "render_recommendations"]

_STATUS = {"met": "met", "in_progress": "in progress", "unmet": "unmet"}
_EDUCATION = {
    "doctoral-or-professional": "doctoral/professional",
    "masters": "master's",
    "bachelors": "bachelor's",
    "associates": "associate's",
    "postsecondary-nondegree-award": "postsecondary award",
    "some-college-no-degree": "some college",
    "high-school-diploma": "high school diploma",
    "no-formal-credential": "no formal credential",
}


def _credits(amount: float) -> str:
    return f"about {amount:g} credit{'' if amount == 1 else 's'}"


def _points(fit: CareerFit, name: str) -> str:
    part = next(p for p in fit.parts if p.name == name)
    return "-" if part.score is None else f"{part.points:.1f}"


def render_recommendations(result: RecommendResult) -> str:
    """The ranked careers as a table, the parts' points in columns, then leverage courses."""
    wanted = result.interests.riasec or "-"
    stage = result.stage.replace("_", " ")
    lines = [
        f"Careers for {result.student} ({result.jurisdiction}, grade {result.grade_level}, "
        f"{stage}; catalog {result.catalog}) - interests {wanted}",
        "weights: "
        + ", ".join(f"{k} {v:.2f}" for k, v in result.weights.items())
        + " (a part without evidence gives its weight to the others)",
        "",
        f"{'#':>3}  {'career':<40} {'score':>5}  {'inter':>5} {'ready':>5} {'grade':>5} "
        f"{'pref':>5}  {'code':<4} {'entry education':<21} {'status':<11} {'+cr':>4}",
    ]
    for fit in result.careers:
        lines.append(
            f"{fit.rank:>3}  {fit.title[:40]:<40} {fit.score:>5.1f}  "
            f"{_points(fit, 'interests'):>5} {_points(fit, 'readiness'):>5} "
            f"{_points(fit, 'strengths'):>5} {_points(fit, 'preferences'):>5}  "
            f"{fit.riasec or '-':<4} {_EDUCATION[fit.entry_education]:<21} "
            f"{_STATUS[fit.status]:<11} {fit.credits_to_add:>4g}"
        )
    shown = len(result.careers)
    lines.append(f"{shown} of {result.considered} careers shown (--top N for more).")
    if result.courses:
        of = result.courses[0].of
        lines += ["", f"Next courses that keep the most of the top {of} careers open:"]
        for course in result.courses:
            lines.append(
                f"  {course.course:<10} {course.title[:40]:<40} keeps {course.count} of "
                f"{course.of} open"
            )
    if result.notes:
        lines += ["", *(f"note: {n}" for n in result.notes)]
    return "\n".join(lines) + "\n"


def render_pathway(view: PathwayResult) -> str:
    """The routes to one career, each with the high-school goals it needs and the gaps."""
    lines = [
        f"Routes to {view.title} (SOC {view.soc}; typical entry: {view.entry_education_title}) "
        f"for {view.student} ({view.jurisdiction})",
        "",
        "Career coursework (every route):",
    ]
    for gap in view.coursework:
        extra = f", {_credits(gap.credits_to_add)} to add" if gap.credits_to_add else ""
        lines.append(f"  [{_STATUS[gap.status]}] {gap.title}{extra}")
    for route in view.routes:
        lines += ["", f"{route.kind}: {route.title} [{_STATUS[route.status]}]"]
        if not route.goals:
            lines.append("  no bundled rule set leads here in this state yet")
        for goal in route.goals:
            lines.append(f"  {goal.goal} ({goal.title}): {_STATUS[goal.status]} - {goal.summary}")
            for gap in goal.gaps:
                extra = f" ({_credits(gap.credits_to_add)})" if gap.credits_to_add else ""
                lines.append(f"    - {gap.title}{extra}: {gap.reason}")
    return "\n".join(lines) + "\n"
