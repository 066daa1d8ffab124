"""Small factories for tests: build catalogs, rule sets and students in a line each.

Also the suite's pytest hooks: the ``deep`` profile and mark of ``tests/depth.py`` (and the check
that a deep run really ran its examples), and the xdist groups that keep the browser tests, and
the Dask tests, each on one worker.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.statistics import collector

from engine.audit import audit_goal
from engine.model import Catalog, Course, RequirementSet
from engine.normalize import resolve_transcript
from engine.requirements import compile_set
from engine.results import GoalResult
from engine.student import Student
from tests.depth import DEEP_EXAMPLES, DEEP_PROFILE, EXHAUSTED, deep_run, passing_examples

ROOT = Path(__file__).resolve().parent.parent
SOURCE = {"citation": "test fixture", "year": 2025}

# Registered here, before pytest loads the profile named by --hypothesis-profile. A failure found
# deep in CI prints the blob that replays it with @reproduce_failure.
settings.register_profile(DEEP_PROFILE, print_blob=True)


def course(cid: str, credits: float = 1.0, subject: str = "elective", **kw: Any) -> Course:
    return Course.model_validate(
        {"id": cid, "title": kw.pop("title", cid), "subject": subject, "credits": credits, **kw}
    )


def catalog(*courses: Course, jurisdiction: str = "TX", year: int = 2025) -> Catalog:
    return Catalog(
        id=f"{jurisdiction.lower()}-{year}",
        title="test catalog",
        jurisdiction=jurisdiction,
        catalog_year=year,
        source=SOURCE,
        courses=courses,
    )


def ruleset(requirements: dict[str, Any], **kw: Any) -> RequirementSet:
    data = {
        "id": kw.pop("id", "test-set"),
        "title": kw.pop("title", "Test set"),
        "kind": kw.pop("kind", "graduation"),
        "jurisdiction": kw.pop("jurisdiction", "TX"),
        "catalog_year": kw.pop("catalog_year", 2025),
        "source": SOURCE,
        "requirements": requirements,
        **kw,
    }
    return RequirementSet.model_validate(data)


def row(cid: str, grade: Any = "A", level: int = 9, **kw: Any) -> dict[str, Any]:
    status = kw.pop("status", "completed")
    if status != "completed" and grade == "A":
        grade = None
    return {"course": cid, "grade": grade, "grade_level": level, "status": status, **kw}


def student(*rows: dict[str, Any], **kw: Any) -> Student:
    data = {
        "id": kw.pop("id", "S-TEST"),
        "jurisdiction": kw.pop("jurisdiction", "TX"),
        "cohort": kw.pop("cohort", 2029),
        "grade_level": kw.pop("grade_level", 12),
        "transcript": list(rows),
        **kw,
    }
    return Student.model_validate(data)


def run(cat: Catalog, rset: RequirementSet, stu: Student) -> GoalResult:
    """Audit one set against one student without files."""
    resolved, _ = resolve_transcript(stu, cat)
    return audit_goal(compile_set(rset, cat), resolved, stu)


def req(goal: GoalResult, name: str) -> Any:
    return next(r for r in goal.requirements if r.name == name)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# --------------------------------------------------------------------------------------------
# Hooks


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"deep: an engine or planner property that tries {DEEP_EXAMPLES} examples under "
        f"--hypothesis-profile={DEEP_PROFILE} (tests/depth.py)",
    )


#: Tests that must share one xdist worker (``--dist loadgroup``), by the file or folder they are in.
XDIST_GROUPS = {
    # One server and one Chromium per worker (session fixtures): split across two workers they
    # would start both twice on a two-core machine.
    ROOT / "tests" / "web": "browser",
    # One module-wide Dask cluster (2 worker processes) serves these tests: on one xdist worker.
    ROOT / "tests" / "batch" / "test_dask.py": "dask",
}


#: The longest tests, by name, with their seconds (``--durations``, ``-n 2`` on two cores), run
#: first. ``--dist loadgroup`` hands tests out in collection order, a couple ahead to each
#: worker, so a long test collected late starts when the other worker has little left and ends
#: alone; started first, longest first, the short ones fill in around them.
START_FIRST = {
    # the slow stage (-m "slow or deep")
    "test_every_operation_deep__post_v1_whatif": 70,
    "test_another_seed_with_memory_measured": 47,
    "test_a_broken_request_is_answered_with_a_result_or_a_problem": 19,
    "test_plans_are_valid_minimal_and_repeatable": 10,
    "test_semester_plans_respect_offerings_loads_and_scheduled_rows": 9,
    # the other stage
    "test_every_mutant_is_refused_at_its_line_without_crashing": 30,
    "test_the_load_harness_reports_every_figure_with_no_errors": 20,
    "test_sighup_serves_good_rules_and_keeps_the_old_ones_when_a_file_is_broken": 18,
    "test_a_worker_killed_under_load_loses_only_its_requests_in_flight": 16,
    "test_every_operation_fast__post_v1_whatif": 15,
    "test_a_run_killed_with_sigkill_resumes_without_duplicates_or_gaps": 12,
    "test_every_operation_with_a_narrow_key__post_v1_whatif": 9,
    "test_spawned_workers_load_the_versions_themselves": 8,
    "test_worker_processes_give_the_same_answer": 8,
    "test_every_operation_without_a_key__post_v1_whatif": 8,
}


def _seconds(item: pytest.Item) -> int:
    """The item's seconds in :data:`START_FIRST` (0 when not listed), by its name without ids."""
    return START_FIRST.get(item.nodeid.rsplit("::", 1)[-1].split("[")[0], 0)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`XDIST_GROUPS`, before xdist reads the marks; put the tests of
    :data:`START_FIRST` first, longest first."""
    for item in items:
        for where, group in XDIST_GROUPS.items():
            if item.path.is_relative_to(where):
                item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: -_seconds(item))  # stable: the rest keep their order


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """In the deep run, prove from Hypothesis's statistics that a ``deep`` property went deep.

    It must have passed :data:`DEEP_EXAMPLES` examples, or have exhausted its search space
    (Hypothesis stops early when no untried input is left: said in the summary, not an error).
    Innermost wrapper, so it sees the statistics before passing them on to Hypothesis's own
    plugin (``--hypothesis-show-statistics`` keeps working).
    """
    if not (deep_run() and item.get_closest_marker("deep")):
        return (yield)
    runs: list[Mapping[str, Any]] = []
    outer = collector.value

    def note(statistics: Mapping[str, Any]) -> None:
        runs.append(statistics)
        if outer is not None:
            outer(statistics)

    with collector.with_value(note):  # type: ignore[arg-type]  # DynamicVariable(None) upstream
        result = yield
    if len(runs) != 1:
        pytest.fail(f"expected the statistics of one Hypothesis run, got {len(runs)}")
    passed, reason = passing_examples(runs[0]), str(runs[0].get("stopped-because", "?"))
    item.user_properties.append(("deep-examples", f"{passed} passing, stopped: {reason}"))
    if passed < DEEP_EXAMPLES and reason != EXHAUSTED:
        message = f"ran {passed} passing examples, not {DEEP_EXAMPLES} (stopped: {reason})"
        pytest.fail(message, pytrace=False)
    return result


_DEEP_RUNS: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Gather the deep runs' counts (on the xdist controller too: user properties travel)."""
    for name, value in report.user_properties:
        if name == "deep-examples" and report.when == "call":
            _DEEP_RUNS[report.nodeid] = str(value)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _DEEP_RUNS:
        return
    terminalreporter.section(f"deep properties (at least {DEEP_EXAMPLES} examples each)")
    for nodeid in sorted(_DEEP_RUNS):
        terminalreporter.write_line(f"{nodeid}: {_DEEP_RUNS[nodeid]}")
