"""The end-of-run summary: per goal, how many students met it, are on the way, or not, and the
requirements most often missing, overall and by grade level. Errors are counted by code.

Built from the output records in input order (so it is the same for any number of workers and
after a resume), and small: counts and the top requirements, never students.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["STATUSES", "Summary", "Tally"]

STATUSES = ("met", "in_progress", "unmet")


@dataclass
class Tally:
    """Statuses and missing requirements of one goal (overall, or within one grade level)."""

    statuses: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)

    def add(self, goal: dict[str, Any]) -> None:
        self.statuses[goal["status"]] += 1
        self.missing.update(goal["missing"])

    def as_dict(self, top: int) -> dict[str, Any]:
        counts = {s: self.statuses.get(s, 0) for s in STATUSES}
        return {
            "students": sum(counts.values()),
            **counts,
            # ties broken by name, so the order never depends on arrival
            "most_missing": [
                [name, n] for name, n in sorted(self.missing.items(), key=lambda p: (-p[1], p[0]))
            ][:top],
        }


@dataclass
class Summary:
    """Totals over a run."""

    students: int = 0
    goals: dict[str, Tally] = field(default_factory=dict)
    by_grade: dict[str, dict[int, Tally]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, record: dict[str, Any]) -> None:
        """Count one student's result record."""
        self.students += 1
        for goal in record["goals"]:
            name = goal["goal"]
            self.goals.setdefault(name, Tally()).add(goal)
            grades = self.by_grade.setdefault(name, {})
            grades.setdefault(int(record["grade_level"]), Tally()).add(goal)

    def add_error(self, error: dict[str, Any]) -> None:
        """Count one student that could not be audited."""
        self.errors[str(error.get("code", "error"))] += 1

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        """The summary as JSON data (goals in name order, grade levels ascending)."""
        return {
            "students": self.students + sum(self.errors.values()),
            "audited": self.students,
            "errors": sum(self.errors.values()),
            "errors_by_code": dict(sorted(self.errors.items())),
            "goals": {
                name: {
                    **self.goals[name].as_dict(top),
                    "by_grade_level": {
                        str(level): tally.as_dict(min(top, 5))
                        for level, tally in sorted(self.by_grade[name].items())
                    },
                }
                for name in sorted(self.goals)
            },
        }
