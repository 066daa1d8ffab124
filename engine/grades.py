"""Grades and grade scales.

A transcript grade is a letter with optional +/- (``"B+"``), numeric points on a 0-100 scale
(``87``), or pass/fail (``"P"``/``"F"``). Every rule set reads grades through its own
:class:`GradeScale`, so "C or better" and GPA points mean what that rule set's authors meant.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat

__all__ = [
    "DEFAULT_SCALE",
    "LETTERS",
    "GradeBand",
    "GradeScale",
    "letter_rank",
    "parse_letter",
    "truncate",
]

#: Letters from best to worst; a grade's rank is its index from the bottom.
LETTERS: tuple[str, ...] = (
    "F",
    "D-",
    "D",
    "D+",
    "C-",
    "C",
    "C+",
    "B-",
    "B",
    "B+",
    "A-",
    "A",
    "A+",
)
_RANK = {letter: i for i, letter in enumerate(LETTERS)}
_BASE_POINTS = {"A": 4.0, "B": 3.0, "C": 2.0, "D": 1.0, "F": 0.0}


def parse_letter(text: str) -> str | None:
    """Return the canonical letter grade for ``text`` or ``None`` if it is not one."""
    candidate = text.strip().upper()
    return candidate if candidate in _RANK else None


def letter_rank(letter: str) -> int:
    """Rank of a canonical letter (F=0 ... A+=12); higher is better."""
    return _RANK[letter]


def truncate(value: float, places: int = 3) -> float:
    """Truncate (never round up) a GPA, as published rules require."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_DOWN))


class GradeBand(BaseModel):
    """Numeric grades from ``min`` up to the next band map to ``letter``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    letter: str = Field(pattern=r"^[A-DF][+-]?$")
    min: StrictFloat = Field(ge=0, le=100)


class GradeScale(BaseModel):
    """How a rule set turns grades into points and pass/fail.

    ``plus_minus`` adds or subtracts ``plus_minus_step`` points for +/- grades; by default they are
    ignored (NCAA and UC count a B+ as a B). ``numeric_bands`` convert 0-100 grades to letters.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    plus_minus: bool = False
    plus_minus_step: StrictFloat = Field(default=0.3, ge=0, le=1)
    min_passing: str = Field(default="D-", pattern=r"^[A-DF][+-]?$")
    numeric_bands: tuple[GradeBand, ...] = Field(
        default=(
            GradeBand(letter="A", min=90),
            GradeBand(letter="B", min=80),
            GradeBand(letter="C", min=70),
            GradeBand(letter="D", min=65),
            GradeBand(letter="F", min=0),
        ),
        max_length=13,  # one band per letter, A+ to F
    )

    def letter_for_number(self, value: float) -> str:
        """Letter for a numeric grade on this scale."""
        for band in sorted(self.numeric_bands, key=lambda b: -b.min):
            if value >= band.min:
                return band.letter
        return "F"

    def points(self, letter: str) -> float:
        """Unweighted quality points of a canonical letter."""
        base = _BASE_POINTS[letter[0]]
        if self.plus_minus and len(letter) == 2 and letter[0] != "F":
            step = self.plus_minus_step if letter[1] == "+" else -self.plus_minus_step
            return max(0.0, min(4.0 + self.plus_minus_step, base + step))
        return base

    def passes(self, letter: str) -> bool:
        """True when ``letter`` earns credit on this scale."""
        return letter_rank(letter) >= letter_rank(self.min_passing)


DEFAULT_SCALE = GradeScale()
