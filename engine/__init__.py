"""GradPath's engine: transcript + goals -> an explained audit, under rules authored as data.

The public surface, re-exported here, is what the CLI and the service use::

    from engine import load_knowledge, load_student_file, audit
    kb = load_knowledge(Path("."))
    result = audit(knowledge=kb, student=load_student_file(Path("student.json")))
"""

# First: it decides whether the compiled build of the hot modules may load (engine/_native.py).
import engine._native  # noqa: F401
from engine.audit import audit, audit_goal
from engine.careers import CareerBook, CareerEntry, search_careers
from engine.errors import (
    AuthoringError,
    Diagnostic,
    FieldProblem,
    GradPathError,
    KnowledgeError,
    StudentDataError,
    UnknownGoalError,
)
from engine.explain import render_text
from engine.graph import CourseGraph, PrerequisiteCycle
from engine.knowledge import Knowledge, build_knowledge, entering_year, load_knowledge
from engine.loader import load_catalog, load_ruleset, load_student, load_student_file, load_tree
from engine.model import Catalog, Course, RequirementSet
from engine.planning import PlanConstraints, PlanResult, ScenarioSet, WhatIfResult, plan, whatif
from engine.policy import PolicyError
from engine.results import AuditResult, GoalResult, RequirementResult
from engine.student import Experience, Student, TranscriptRow

__all__ = [
    "AuditResult",
    "AuthoringError",
    "CareerBook",
    "CareerEntry",
    "Catalog",
    "Course",
    "CourseGraph",
    "Diagnostic",
    "Experience",
    "FieldProblem",
    "GoalResult",
    "GradPathError",
    "Knowledge",
    "KnowledgeError",
    "PlanConstraints",
    "PlanResult",
    "PolicyError",
    "PrerequisiteCycle",
    "RequirementResult",
    "RequirementSet",
    "ScenarioSet",
    "Student",
    "StudentDataError",
    "TranscriptRow",
    "UnknownGoalError",
    "WhatIfResult",
    "audit",
    "audit_goal",
    "build_knowledge",
    "entering_year",
    "load_catalog",
    "load_knowledge",
    "load_ruleset",
    "load_student",
    "load_student_file",
    "load_tree",
    "plan",
    "render_text",
    "search_careers",
    "whatif",
]

__version__ = "0.1.0"
