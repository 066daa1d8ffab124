"""Rule tests: named student cases beside a rule file, with the statuses the published rule gives.

Staff prove a rule file right the way they would check it by hand: "a student with these courses
meets the diploma; drop English IV and English is unmet". ``fhsp.tests.yaml`` sits beside
``fhsp.yaml`` and holds such cases; :func:`run_case_file` audits each one through the public
:func:`~engine.audit.audit` and reports every expectation that does not hold, with the audit's
reason. A case file is data like a rule file: it is parsed by the same safe YAML reader, and its
mistakes (an unknown goal, a misspelt requirement) are diagnostics at file:line:col.

To keep cases short, a file may name base students once (``students:``) and derive each case's
student from one (``{base: complete, drop: [ENG4]}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from engine.audit import audit
from engine.errors import AuthoringError, Diagnostic, GradPathError, suggest
from engine.knowledge import Knowledge
from engine.loader import parse_model
from engine.model import SLUG, FrozenModel, RequirementSet
from engine.policy_model import Flag
from engine.results import GoalResult, Status
from engine.student import Experience, Student, TranscriptRow
from engine.yamlsource import DocPath, SourceMap, load_yaml

__all__ = [
    "TESTS_SUFFIX",
    "CaseFile",
    "CaseResult",
    "FileReport",
    "Mismatch",
    "case_file_for",
    "check_case_file",
    "discover_case_files",
    "load_case_file",
    "run_case_file",
]

#: A rule file ``fhsp.yaml`` is tested by ``fhsp.tests.yaml`` in the same folder.
TESTS_SUFFIX = ".tests.yaml"


class RecordSpec(FrozenModel):
    """A student record without an id (the case name gives one): what the audit needs."""

    jurisdiction: str = Field(pattern=r"^[A-Z]{2,8}$")
    cohort: int = Field(ge=2000, le=2100)
    grade_level: int = Field(ge=6, le=12)
    catalog_year: int | None = Field(
        default=None, ge=2000, le=2100, description="default: the tested rule set's year"
    )
    residency: Literal["resident", "nonresident"] | None = None
    flags: tuple[Flag, ...] = ()
    transcript: tuple[TranscriptRow, ...] = Field(default=(), max_length=500)
    experiences: tuple[Experience, ...] = Field(default=(), max_length=200)


class DerivedSpec(FrozenModel):
    """A base student changed: rows dropped (by course id) or added, fields replaced."""

    base: str = Field(description="a name under 'students:'")
    drop: tuple[str, ...] = Field(default=(), description="course ids whose rows are removed")
    add: tuple[TranscriptRow, ...] = Field(default=(), description="rows added")
    drop_experiences: tuple[str, ...] = Field(default=(), description="experience ids removed")
    add_experiences: tuple[Experience, ...] = ()
    grade_level: int | None = Field(default=None, ge=6, le=12)
    catalog_year: int | None = Field(default=None, ge=2000, le=2100)
    residency: Literal["resident", "nonresident"] | None = None
    flags: tuple[Flag, ...] | None = None


def _student_tag(value: Any) -> str:
    if isinstance(value, str):
        return "name"
    if isinstance(value, dict):
        return "derived" if "base" in value else "record"
    return "derived" if isinstance(value, DerivedSpec) else "record"


StudentSpec = Annotated[
    Annotated[str, Tag("name")]
    | Annotated[DerivedSpec, Tag("derived")]
    | Annotated[RecordSpec, Tag("record")],
    Discriminator(_student_tag),
]


class GoalExpect(FrozenModel):
    """What the audit of one goal must say: its status and chosen requirements' statuses."""

    status: Status | None = None
    requirements: dict[str, Status] = Field(default_factory=dict)


def _expect_tag(value: Any) -> str:
    return "status" if isinstance(value, str) else "detail"


Expectation = Annotated[
    Annotated[Status, Tag("status")] | Annotated[GoalExpect, Tag("detail")],
    Discriminator(_expect_tag),
]


class Case(FrozenModel):
    """One named case: a student and the expected result of each goal it lists."""

    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    student: StudentSpec
    expect: dict[Annotated[str, Field(pattern=SLUG)], Expectation] = Field(min_length=1)


class CaseFile(FrozenModel):
    """A ``<rule>.tests.yaml`` file: cases for one rule set, citing where the answers come from."""

    schema_version: Literal[1] = 1
    ruleset: str = Field(pattern=SLUG, description="the id of the rule set under test")
    source: str = Field(
        min_length=3, max_length=2000, description="the published text the expectations follow"
    )
    students: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")], RecordSpec] = (
        Field(default_factory=dict)
    )
    cases: tuple[Case, ...] = Field(min_length=1, max_length=500)


@dataclass(frozen=True)
class LoadedCases:
    """A parsed case file with its source map, for positions."""

    model: CaseFile
    source: SourceMap
    file: str


@dataclass(frozen=True)
class Mismatch:
    """One expectation that did not hold."""

    goal: str
    requirement: str | None
    expected: str
    actual: str
    reason: str = ""

    @property
    def where(self) -> str:
        """``tx-fhsp`` or ``tx-fhsp > english``."""
        return self.goal if self.requirement is None else f"{self.goal} > {self.requirement}"


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case."""

    name: str
    line: int
    mismatches: tuple[Mismatch, ...]
    error: str | None = None

    @property
    def passed(self) -> bool:
        return not self.mismatches and self.error is None


@dataclass(frozen=True)
class FileReport:
    """Every case of one file, or the diagnostics that kept it from running."""

    file: str
    ruleset: str
    cases: tuple[CaseResult, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.diagnostics and all(c.passed for c in self.cases)


def case_file_for(rule_file: Path) -> Path:
    """``rules/tx/2025/fhsp.yaml`` -> ``rules/tx/2025/fhsp.tests.yaml``."""
    return rule_file.with_name(rule_file.name.removesuffix(".yaml") + TESTS_SUFFIX)


def discover_case_files(path: Path) -> list[Path]:
    """Case files at ``path``: itself, the one beside a rule file, or all under a folder."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*" + TESTS_SUFFIX) if p.is_file())
    if path.name.endswith(TESTS_SUFFIX):
        return [path]
    return [case_file_for(path)]


def load_case_file(raw: bytes, file: str) -> LoadedCases:
    """Parse and validate a case file; every problem is a positioned diagnostic."""
    data, source = load_yaml(raw, file)
    return LoadedCases(parse_model(CaseFile, data, source), source, file)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40] or "case"


def _student(case: Case, index: int, cases: CaseFile, default_year: int | None) -> Student:
    spec = case.student
    record: dict[str, Any]
    if isinstance(spec, str):
        record = cases.students[spec].model_dump(exclude_none=True)
    elif isinstance(spec, RecordSpec):
        record = spec.model_dump(exclude_none=True)
    else:
        base = cases.students[spec.base]
        dropped = set(spec.drop)
        gone = set(spec.drop_experiences)
        record = base.model_dump(exclude_none=True)
        record["transcript"] = [
            row.model_dump(exclude_none=True)
            for row in (*(r for r in base.transcript if r.course not in dropped), *spec.add)
        ]
        record["experiences"] = [
            e.model_dump(exclude_none=True)
            for e in (*(e for e in base.experiences if e.id not in gone), *spec.add_experiences)
        ]
        for key in ("grade_level", "catalog_year", "residency", "flags"):
            value = getattr(spec, key)
            if value is not None:
                record[key] = value
    record.setdefault("catalog_year", default_year)
    if record["catalog_year"] is None:
        del record["catalog_year"]
    record["id"] = f"T{index + 1}-{_slug(case.name)}"
    return Student.model_validate(record)


def _check(loaded: LoadedCases, knowledge: Knowledge, year: int | None) -> list[Diagnostic]:
    """References that the schema cannot check: base students, goals, requirement names."""
    model, source = loaded.model, loaded.source
    problems: list[Diagnostic] = []

    def report(path: DocPath, message: str, code: str, key: bool = False) -> None:
        pos = source.key_position(path) if key else source.position(path)
        index = path[1] if len(path) > 1 else None
        crumb = f"case {model.cases[index].name!r}" if isinstance(index, int) else ""
        problems.append(source.diagnostic(pos, message, code, crumb))

    goals = sorted(knowledge.rulesets)
    if model.ruleset not in knowledge.rulesets:
        report(
            ("ruleset",),
            f"unknown rule set {model.ruleset!r}{suggest(model.ruleset, goals)}",
            "unknown-ruleset",
        )
    first_named: dict[str, int] = {}
    for i, case in enumerate(model.cases):
        first = first_named.setdefault(case.name, i)
        if first != i:
            line = source.position(("cases", first, "name"))[0]
            report(
                ("cases", i, "name"),
                f"another case is named {case.name!r} (line {line}): a report names the case "
                "that failed, so each name must be unique",
                "duplicate-case",
            )
        spec = case.student
        base = (
            spec if isinstance(spec, str) else spec.base if isinstance(spec, DerivedSpec) else None
        )
        if base is not None and base not in model.students:
            where: DocPath = ("cases", i, "student") + (() if isinstance(spec, str) else ("base",))
            names = sorted(model.students)
            report(
                where,
                f"no student named {base!r} under 'students:'{suggest(base, names)}",
                "unknown-student",
            )
        elif isinstance(spec, DerivedSpec):
            problems.extend(_dropped_nothing(loaded, i, spec))
        for goal, expectation in case.expect.items():
            if goal not in knowledge.rulesets:
                report(
                    ("cases", i, "expect", goal),
                    f"unknown goal {goal!r}{suggest(goal, goals)}",
                    "unknown-goal",
                    key=True,
                )
                continue
            if isinstance(expectation, str):
                continue
            if expectation.status is None and not expectation.requirements:
                report(
                    ("cases", i, "expect", goal),
                    f"the expectation for {goal} checks nothing: give a status, requirements "
                    "or both",
                    "empty-expectation",
                )
                continue
            rset = _version(knowledge, goal, year)
            for name in expectation.requirements:
                if name not in rset.requirements:
                    hint = suggest(name, list(rset.requirements))
                    message = f"{goal} has no requirement {name!r}{hint}"
                    report(
                        ("cases", i, "expect", goal, "requirements", name),
                        message,
                        "unknown-requirement",
                        key=True,
                    )
    return problems


def _dropped_nothing(loaded: LoadedCases, index: int, spec: DerivedSpec) -> list[Diagnostic]:
    """A ``drop`` or ``drop_experiences`` entry the base student does not have: the case would
    test the base student unchanged (a misspelt course id), and could pass for that reason."""
    model, source = loaded.model, loaded.source
    base = model.students[spec.base]
    crumb = f"case {model.cases[index].name!r}"
    out: list[Diagnostic] = []
    lists = (
        ("drop", spec.drop, [r.course for r in base.transcript if r.course], "course"),
        ("drop_experiences", spec.drop_experiences, [e.id for e in base.experiences], "experience"),
    )
    for key, dropped, present, what in lists:
        for k, item in enumerate(dropped):
            if item in present:
                continue
            message = (
                f"student {spec.base!r} has no {what} {item!r} to drop"
                f"{suggest(item, sorted(set(present)))}"
            )
            pos = source.position(("cases", index, "student", key, k))
            out.append(source.diagnostic(pos, message, "nothing-to-drop", crumb))
    return out


def _version(knowledge: Knowledge, goal: str, year: int | None) -> RequirementSet:
    return knowledge.ruleset(goal, year if year is not None else 9999)


def _compare(goal: str, expectation: Status | GoalExpect, result: GoalResult) -> list[Mismatch]:
    wanted = GoalExpect(status=expectation) if isinstance(expectation, str) else expectation
    out: list[Mismatch] = []
    if wanted.status is not None and wanted.status != result.status:
        out.append(Mismatch(goal, None, wanted.status, result.status, result.summary))
    by_name = {r.name: r for r in result.requirements}
    for name, status in wanted.requirements.items():
        found = by_name.get(name)
        if found is None:
            out.append(Mismatch(goal, name, status, "absent", "not in this audit"))
        elif found.status != status:
            out.append(Mismatch(goal, name, status, found.status, found.reason))
    return out


def check_case_file(
    path: Path, knowledge: Knowledge, *, display: str | None = None
) -> list[Diagnostic]:
    """Every problem of the case file at ``path`` that keeps its cases from running: its schema
    and its references (base students, goals, requirement names, what a case drops), without
    auditing a case. ``gradpath rules validate`` reports these; ``rules test`` then runs."""
    return list(run_case_file(path, knowledge, display=display, audit_cases=False).diagnostics)


def run_case_file(
    path: Path, knowledge: Knowledge, *, display: str | None = None, audit_cases: bool = True
) -> FileReport:
    """Run every case of the file at ``path`` against ``knowledge``.

    The version of the rule set under test is that of the rule file beside the case file (when
    there is one): students whose record gives no ``catalog_year`` are audited under it.
    """
    file = display or str(path)
    try:
        loaded = load_case_file(path.read_bytes(), file)
    except OSError as exc:
        diag = Diagnostic(file, 1, 1, f"cannot read file: {exc.strerror or exc}", "io-error")
        return FileReport(file, "?", diagnostics=(diag,))
    except AuthoringError as exc:
        return FileReport(file, "?", diagnostics=exc.diagnostics)
    model = loaded.model
    year = _sibling_year(path, model.ruleset)
    knowledge = _pinned(knowledge, model.ruleset, year)
    problems = _check(loaded, knowledge, year)
    if problems or not audit_cases:
        return FileReport(file, model.ruleset, diagnostics=tuple(problems))
    results: list[CaseResult] = []
    for i, case in enumerate(model.cases):
        line = loaded.source.position(("cases", i))[0]
        try:
            student = _student(case, i, model, year)
            outcome = audit(knowledge=knowledge, student=student, goals=list(case.expect))
        except GradPathError as exc:
            results.append(CaseResult(case.name, line, (), exc.message))
            continue
        except ValueError as exc:  # a derived record no longer valid as a student
            results.append(CaseResult(case.name, line, (), str(exc)))
            continue
        by_goal = {g.goal: g for g in outcome.goals}
        mismatches = [
            m for goal, exp in case.expect.items() for m in _compare(goal, exp, by_goal[goal])
        ]
        results.append(CaseResult(case.name, line, tuple(mismatches)))
    return FileReport(file, model.ruleset, tuple(results))


def _pinned(knowledge: Knowledge, goal: str, year: int | None) -> Knowledge:
    """``knowledge`` with no version of ``goal`` after ``year`` when its versions are dated by
    enrolment: the cases' students are then under the version beside them, as a record's
    ``catalog_year`` (which those sets do not read) puts them for every other set."""
    versions = knowledge.rulesets.get(goal)
    if year is None or not versions or not versions[-1].by_enrolment:
        return knowledge
    kept = [r for r in versions if r.catalog_year <= year] or versions[:1]
    return replace(knowledge, rulesets={**knowledge.rulesets, goal: kept})


def _sibling_year(path: Path, ruleset: str) -> int | None:
    rule_file = path.with_name(path.name.removesuffix(TESTS_SUFFIX) + ".yaml")
    if not rule_file.is_file():
        return None
    try:
        data, _ = load_yaml(rule_file.read_bytes(), str(rule_file))
    except AuthoringError:
        return None
    if isinstance(data, dict) and data.get("id") == ruleset:
        year = data.get("catalog_year")
        return year if isinstance(year, int) else None
    return None
