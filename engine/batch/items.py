"""What travels from a reader to a worker, and the options every worker applies.

A :class:`WorkItem` is one student *before* any parsing: its position in the input, where it
came from (``students.jsonl:12``) and the raw payload of its format. Readers stay cheap and
streaming (the parent process only splits the input); parsing, validation and the audit happen
in the workers, where a bad record becomes an error record instead of stopping the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["BatchOptions", "ItemKind", "WorkItem"]

#: ``json``: a student record as JSON text; ``csv``: one student's course-history CSV (header +
#: rows); ``edfi``: an Ed-Fi bundle as JSON text; ``error``: the reader already knows it is bad.
ItemKind = Literal["json", "csv", "edfi", "error"]


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One student of the input, unparsed."""

    index: int
    where: str
    kind: ItemKind
    payload: str
    #: For ``csv`` items: the input line number of each data row (row ``k`` of the payload's
    #: data is input line ``lines[k]``), so unmapped rows point into the real file.
    lines: tuple[int, ...] = ()
    #: Per-student facts a CSV may carry in optional columns (``jurisdiction``, ``cohort``,
    #: ``current_grade_level``); the command-line options fill what is missing.
    facts: tuple[tuple[str, str], ...] = ()
    #: The student id when the reader knows it (CSV groups), for error records.
    student: str | None = None


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How every student is audited; part of the resume manifest, so a rerun must match it."""

    goals: tuple[str, ...] = ()
    plan: bool = False
    full: bool = False
    #: Header facts for CSV and Ed-Fi inputs, which do not always carry them.
    jurisdiction: str | None = None
    cohort: int | None = None
    plan_time_limit: float = 5.0

    def manifest(self) -> dict[str, object]:
        """The options as plain JSON data."""
        return {
            "goals": list(self.goals),
            "plan": self.plan,
            "full": self.full,
            "jurisdiction": self.jurisdiction,
            "cohort": self.cohort,
            "plan_time_limit": self.plan_time_limit,
        }
