"""GradPath's exceptions and authoring diagnostics.

One tree, each class with a stable machine ``code`` beside its human message::

    GradPathError                  base of everything GradPath raises on purpose
    ├── AuthoringError             rule or catalog files are wrong; carries every Diagnostic found
    ├── StudentDataError           a student record is malformed; carries {loc, msg, type} items
    ├── UnknownGoalError           a goal id names no requirement set (with did-you-mean)
    ├── KnowledgeError             no catalog loaded for a jurisdiction
    └── BudgetExceededError        a what-if ran past its time budget, between two plans

Authoring errors read like a compiler's::

    rules/tx/2025/fhsp.yaml:14:7: unknown key 'min_grde' (did you mean 'min_grade'?) [unknown-key]
       14 |       min_grde: C
          |       ^
      in requirement 'math' > all[2]
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "MAX_PROBLEMS",
    "SCENARIOS",
    "TOO_MANY",
    "AuthoringError",
    "BudgetExceededError",
    "Diagnostic",
    "FieldProblem",
    "GradPathError",
    "KnowledgeError",
    "StudentDataError",
    "Suggester",
    "UnknownGoalError",
    "capped",
    "did_you_mean",
    "omitted_message",
    "show_key",
    "split_severity",
    "suggest",
]


#: Longest key a diagnostic quotes whole; a longer one is cut, so a message stays one line.
MAX_SHOWN_KEY = 40


def show_key(key: str | int) -> str:
    """A mapping key as a message quotes it: ``'min_grde'``, ``10``, or cut with ``...``.

    >>> show_key("min_grde"), show_key(10), show_key("k" * 50)
    ("'min_grde'", '10', "'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' (50 characters)")
    """
    if not isinstance(key, str):
        return str(key)
    if len(key) <= MAX_SHOWN_KEY:
        return repr(key)
    return f"{key[: MAX_SHOWN_KEY - 3]!r}"[:-1] + f"...' ({len(key)} characters)"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a misspelt ``word``, if any is close enough."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)``, for the end of a message; empty when nothing is close."""
    hint = did_you_mean(word, choices)
    return f" (did you mean {hint!r}?)" if hint else ""


class Suggester:
    """:func:`suggest` for many misspellings against one vocabulary, for the first ``limit`` only.

    Each hint scans the whole vocabulary (about 5 ms over a 5000-course catalog): a draft with
    thousands of unknown course ids took a minute of a validate request on hints alone, and past
    the first hundred a hint helps nobody (the problems are listed all the same).
    """

    def __init__(self, choices: Iterable[str], limit: int = 100) -> None:
        self._choices = list(choices)
        self._left = limit

    def __call__(self, word: str) -> str:
        if self._left <= 0:
            return ""
        self._left -= 1
        return suggest(word, self._choices)


@dataclass(frozen=True)
class Diagnostic:
    """One problem in an authored file, pointing at the exact place."""

    file: str
    line: int
    column: int
    message: str
    code: str
    breadcrumb: str = ""
    source_line: str = ""
    severity: str = "error"
    #: On a ``too-many-errors`` note: how many problems it stands for (0 on any other).
    omitted: int = 0

    @property
    def is_error(self) -> bool:
        """Whether it refuses the files (a warning is shown, never refused)."""
        return self.severity == "error"

    def render(self) -> str:
        """Compiler-style text: location, message, source line with a caret, breadcrumb."""
        kind = "" if self.severity == "error" else f"{self.severity}: "
        out = [f"{self.file}:{self.line}:{self.column}: {kind}{self.message} [{self.code}]"]
        if self.source_line:
            gutter = f"{self.line:>5} | "
            out.append(gutter + self.source_line.rstrip("\n"))
            out.append(" " * (len(gutter) - 2) + "| " + " " * max(self.column - 1, 0) + "^")
        if self.breadcrumb:
            out.append(f"  in {self.breadcrumb}")
        return "\n".join(out)

    def as_dict(self) -> dict[str, Any]:
        """JSON form for editors and CI."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "code": self.code,
            "breadcrumb": self.breadcrumb,
            "severity": self.severity,
        }


#: Problems listed for one file; past it one ``too-many-errors`` note counts the rest: 100,000
#: mistakes would be 100,000 lines of noise, and each would cost a did-you-mean.
MAX_PROBLEMS = 1000
TOO_MANY = "too-many-errors"


def omitted_message(count: int) -> str:
    return f"{count:,} more problems not listed; fix those above first"


def capped(found: Sequence[Diagnostic], limit: int) -> list[Diagnostic]:
    """``found`` in at most ``limit`` lines, the last a note counting every problem left out.

    Notes already in ``found`` (a file cut by the loader) are merged into the one note, their
    counts included, so however the problems were gathered the author learns how many remain.
    """
    if len(found) <= limit:
        return list(found)
    notes = [d for d in found if d.code == TOO_MANY]
    real = [d for d in found if d.code != TOO_MANY]
    shown, rest = real[: limit - 1], real[limit - 1 :]
    count = len(rest) + sum(max(note.omitted, 1) for note in notes)
    first = rest[0] if rest else notes[0]
    note = replace(
        first, message=omitted_message(count), code=TOO_MANY, breadcrumb="", omitted=count
    )
    return [*shown, note]


def split_severity(
    diagnostics: Sequence[Diagnostic],
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The errors, then the warnings, each in their order."""
    return [d for d in diagnostics if d.is_error], [d for d in diagnostics if not d.is_error]


class GradPathError(Exception):
    """Base class: every error GradPath raises on purpose has a code and a message."""

    code = "gradpath-error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AuthoringError(GradPathError):
    """Raised when rule or catalog files are invalid; ``diagnostics`` lists every problem."""

    code = "authoring-error"

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        count = sum(1 for d in self.diagnostics if d.is_error) or len(self.diagnostics)
        head = self.diagnostics[0].render() if self.diagnostics else ""
        super().__init__(f"{count} error(s) in rule or catalog files\n{head}")

    def render(self) -> str:
        """All diagnostics, one block each."""
        return "\n".join(d.render() for d in self.diagnostics)


@dataclass(frozen=True)
class FieldProblem:
    """One problem in a student record: where (``loc``), what (``msg``), and its ``type``."""

    loc: tuple[str | int, ...]
    msg: str
    type: str

    def render(self) -> str:
        where = ".".join(str(part) for part in self.loc) or "(record)"
        return f"{where}: {self.msg} [{self.type}]"


#: The ``source`` of a :class:`StudentDataError` raised for a what-if scenario.
SCENARIOS = "scenarios"


class StudentDataError(GradPathError):
    """Raised when a student record does not match the student schema."""

    code = "invalid-student"

    def __init__(self, problems: Sequence[FieldProblem], source: str = "student") -> None:
        self.problems = tuple(problems)
        self.source = source
        lines = "\n".join(f"{source}: {p.render()}" for p in self.problems)
        what = "a scenario cannot be applied" if self.in_scenarios else "invalid student record"
        super().__init__(f"{what}:\n{lines}")

    @property
    def in_scenarios(self) -> bool:
        """Whether the problems are a what-if scenario's (located from ``scenarios``), not the
        student record's."""
        return self.source == SCENARIOS


class UnknownGoalError(GradPathError):
    """Raised when a goal id names no loaded requirement set."""

    code = "unknown-goal"

    def __init__(self, goal: str, known: Iterable[str]) -> None:
        self.goal = goal
        super().__init__(f"unknown goal {goal!r}{suggest(goal, known)}")


class KnowledgeError(GradPathError):
    """Raised when the loaded catalogs and rules cannot serve a request."""

    code = "knowledge-error"


class BudgetExceededError(GradPathError):
    """Raised by a what-if whose deadline passed before all its scenarios were planned.

    ``done`` scenarios were planned of ``total``; the message says so, so the caller can send
    fewer scenarios or a lower plan time limit.
    """

    code = "budget-exceeded"

    def __init__(self, done: int, total: int, budget: float) -> None:
        self.done = done
        self.total = total
        super().__init__(
            f"the planning budget of {budget:g} s was spent after {done} of {total} scenario(s); "
            "send fewer scenarios or a lower plan time limit"
        )
