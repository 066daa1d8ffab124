"""The batch's output record for one student: what a nightly job needs, not the full audit.

A state run writes millions of these, so a record keeps per goal the status, the top-level
requirements still missing (``unmet``) or pending (``in_progress``), and the credit totals;
``full=True`` adds the whole audit (the JSON contract of ``docs/audit-json.md``) and a plan
adds its outcome and terms. Nothing time-dependent goes in (no solver timings), so the same
input always gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from engine.audit import AuditSummary, GoalSummary, summary_of
from engine.planning import PlanResult
from engine.student import Student

__all__ = ["FLAT_COLUMNS", "flat_rows", "goal_record", "plan_record", "student_record"]


def _credits(goal: GoalSummary) -> dict[str, float] | None:
    if goal.credits is None:
        return None
    return {
        "needed": goal.credits["needed"],
        "earned": goal.credits["earned"],
        "in_progress": goal.credits["in_progress"] + goal.credits["planned"],
    }


def goal_record(goal: GoalSummary) -> dict[str, Any]:
    """One goal: status, summary, what is missing or pending, credits."""
    out: dict[str, Any] = {
        "goal": goal.goal,
        "version": goal.version,
        "status": goal.status,
        "summary": goal.summary,
        "missing": goal.missing,
        "pending": goal.pending,
        "credits": _credits(goal),
    }
    if goal.added_by is not None:
        out["added_by"] = goal.added_by["policy"]
    if goal.alerts:
        out["alerts"] = [dict(a) for a in goal.alerts]
    return out


def plan_record(result: PlanResult) -> dict[str, Any]:
    """A plan's outcome and terms, without solver timings."""
    return {
        "status": result.status,
        "message": result.message,
        "added_credits": result.added_credits,
        "added_courses": result.added_courses,
        "completes": result.completes,
        "terms": [
            {"grade_level": t.grade_level, "term": t.term, "planned": list(t.planned)}
            for t in result.terms
            if t.planned
        ],
    }


def student_record(
    index: int,
    student: Student,
    audited: AuditSummary | dict[str, Any],
    *,
    unmapped: list[dict[str, str]],
    plan: PlanResult | None,
) -> dict[str, Any]:
    """The output record of one student: from an audit summary, or from the full audit
    document (an :func:`~engine.audit.audit_document`), which the record then carries."""
    document = audited if isinstance(audited, dict) else None
    if isinstance(audited, dict):
        catalog, unrecognized = audited["catalog"], len(audited["unrecognized"])
        goals = [summary_of(g) for g in audited["goals"]]
    else:
        catalog, unrecognized, goals = audited.catalog, audited.unrecognized, list(audited.goals)
    out: dict[str, Any] = {
        "index": index,
        "student": student.id,
        "jurisdiction": student.jurisdiction,
        "cohort": student.cohort,
        "grade_level": student.grade_level,
        "catalog": catalog,
        "goals": [goal_record(g) for g in goals],
        "unrecognized": unrecognized,
        "unmapped": unmapped,
    }
    if plan is not None:
        out["plan"] = plan_record(plan)
    if document is not None:
        out["audit"] = document
    return out


#: Columns of the flat (CSV, Parquet) output: one row per student and goal.
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("index", "int"),
    ("student", "str"),
    ("jurisdiction", "str"),
    ("cohort", "int"),
    ("grade_level", "int"),
    ("catalog", "str"),
    ("goal", "str"),
    ("status", "str"),
    ("missing", "str"),
    ("pending", "str"),
    ("credits_needed", "float"),
    ("credits_earned", "float"),
    ("credits_in_progress", "float"),
    ("unrecognized", "int"),
    ("unmapped", "int"),
    ("plan_status", "str"),
    ("plan_added_credits", "float"),
    ("plan_completes", "str"),
    ("audit", "str"),
)


def flat_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """A student record as one flat row per goal (lists joined with ``;``)."""
    plan = record.get("plan") or {}
    audit = record.get("audit")
    rows = []
    for goal in record["goals"]:
        credits = goal.get("credits") or {}
        rows.append(
            {
                "index": record["index"],
                "student": record["student"],
                "jurisdiction": record["jurisdiction"],
                "cohort": record["cohort"],
                "grade_level": record["grade_level"],
                "catalog": record["catalog"],
                "goal": goal["goal"],
                "status": goal["status"],
                "missing": ";".join(goal["missing"]),
                "pending": ";".join(goal["pending"]),
                "credits_needed": credits.get("needed"),
                "credits_earned": credits.get("earned"),
                "credits_in_progress": credits.get("in_progress"),
                "unrecognized": record["unrecognized"],
                "unmapped": len(record["unmapped"]),
                "plan_status": plan.get("status"),
                "plan_added_credits": plan.get("added_credits"),
                "plan_completes": plan.get("completes"),
                "audit": None if audit is None else json.dumps(audit, sort_keys=True),
            }
        )
    return rows
