"""The durable-rules adapter: each measured hazard of the engine is handled, and stays handled.

Numbers refer to ``../shared/reference/durable-rules.md`` (1-11) and to the module docstring of
``engine/policy.py`` (12 and 13, found while building it and after).
"""

from __future__ import annotations

import json
import os
import re
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest

import engine.policy as policy
from engine import GradPathError, Knowledge, audit
from engine.normalize import grade_rows, resolve_transcript
from engine.policy import (
    MAX_RULES,
    CompiledPolicies,
    Fired,
    PolicyError,
    compile_policies,
    evaluate_policies,
    policies_for,
)
from engine.policy_facts import STUDENT, build_facts
from engine.requirements import compile_set
from engine.student import Student
from tests.conftest import catalog, course, ruleset
from tests.policy.conftest import ROOT, make_student, row

CAT = catalog(
    course("ALG1", subject="math", attributes=["core"], title="Algebra I"),
    course("GEOM", subject="math", attributes=["core"], title="Geometry"),
    course("ENG1", subject="english", attributes=["core"], title="English I"),
    course("CS1", subject="cs", attributes=["prog"]),
    course("ART1", subject="art"),
)
SRC = {"citation": "test fixture", "year": 2025}


def _rset(policies: list[dict[str, Any]], set_id: str = "engine-test") -> Any:
    return ruleset(
        {"math": {"course": "ALG1"}, "total": {"credits": 3, "from": {}, "share": True}},
        id=set_id,
        policies=policies,
    )


POLICIES: list[dict[str, Any]] = [
    {
        "id": "failed-unrecovered",
        "title": "failed and not recovered",
        "source": SRC,
        "when": [
            {"course": {"attribute": "core", "result": "failed"}},
            {"no_course": {"same_course": True, "result": ["passed", "pending"]}},
        ],
        "then": [{"alert": "warning", "message": "{title} failed ({grade})"}],
    },
    {
        "id": "low-credits",
        "title": "few credits",
        "source": SRC,
        "when": [{"student": {"grade_level": {"at_least": 10}}}, {"credits": {"below": 1}}],
        "then": [{"alert": "critical", "message": "grade {grade_level}: {credits} credits"}],
    },
    {
        "id": "flagged",
        "title": "a flag",
        "source": SRC,
        "when": [{"any": [{"flag": "iep"}, {"flag": "section_504"}]}],
        "then": [{"waive": "total", "reason": "committee"}],
    },
    {
        "id": "programmer",
        "title": "programming",
        "source": SRC,
        "when": [{"credits": {"at_least": 1}, "from": {"attribute": "prog"}}],
        "then": [{"substitute": "math", "with": {"course": "CS1"}, "reason": "allowed"}],
    },
]
RSET = _rset(POLICIES)
COMPILED = compile_policies(RSET, CAT)
CSET = compile_set(RSET, CAT)


def facts_for(compiled: CompiledPolicies, student: Student) -> list[dict[str, Any]]:
    resolved, _ = resolve_transcript(student, CAT)
    graded = grade_rows(resolved, CSET.grading, CAT.grading)
    return build_facts(plan=compiled.plan, student=student, graded=graded, statuses={})


def fired(result: list[Fired]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.policy.id, f.texts) for f in result]


STUDENTS = [
    make_student(row("ALG1", "F"), grade_level=10),
    make_student(row("ALG1", "F"), row("ALG1", "B", 10), grade_level=11),
    make_student(row("ENG1", "D"), row("CS1", "A"), flags=["iep"]),
    make_student(row("ART1", "A"), grade_level=9),
    make_student(row("ENG1", "F"), row("GEOM", "F"), row("CS1", "A"), flags=["section_504"]),
    make_student(row("ALG1", "A"), row("ENG1", "A"), row("GEOM", "A"), grade_level=12),
    make_student(grade_level=10),
    make_student(row("ALG1", level=11, status="in_progress"), row("ALG1", "F"), grade_level=11),
]


def test_each_engine_policy_fires_as_written() -> None:
    results = [fired(evaluate_policies(COMPILED, facts_for(COMPILED, s))) for s in STUDENTS]
    assert results[0] == [
        ("failed-unrecovered", ("Algebra I failed (F)",)),
        ("low-credits", ("grade 10: 0 credits",)),
    ]
    assert results[1] == []  # failed, then passed: recovered, and one credit
    assert [p for p, _ in results[2]] == ["flagged", "programmer"]
    assert results[3] == []
    assert [p for p, _ in results[4]] == ["failed-unrecovered", "flagged", "programmer"]
    assert results[4][0][1] == ("English I failed (F)",)  # the earliest row's match
    assert results[5] == []
    assert results[6] == [("low-credits", ("grade 10: 0 credits",))]
    assert results[7] == [("low-credits", ("grade 11: 0 credits",))]


# ---- 1. threads ----------------------------------------------------------------------------


def test_eight_threads_match_one_thread_and_do_not_crash() -> None:
    facts = [facts_for(COMPILED, s) for s in STUDENTS]
    expected = [fired(evaluate_policies(COMPILED, f)) for f in facts]
    errors: list[BaseException] = []
    mismatches: list[int] = []

    def work(offset: int) -> None:
        try:
            for i in range(2000):
                k = (i + offset) % len(facts)
                if fired(evaluate_policies(COMPILED, facts[k])) != expected[k]:
                    mismatches.append(k)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert mismatches == []


def test_the_host_starts_no_threads_and_is_remade_after_a_fork() -> None:
    evaluate_policies(COMPILED, facts_for(COMPILED, STUDENTS[0]))
    before = threading.active_count()
    host = policy._PROCESS["host"]
    policy._PROCESS["pid"] = -1  # as a forked child sees it
    result = evaluate_policies(COMPILED, facts_for(COMPILED, STUDENTS[0]))
    assert policy._PROCESS["host"] is not host
    assert policy._PROCESS["pid"] == os.getpid()
    assert threading.active_count() == before
    assert [p for p, _ in fired(result)] == ["failed-unrecovered", "low-credits"]


# ---- 2 and 12. states are always deleted; deleting is always safe ------------------------------


def test_5000_evaluations_failing_midway_do_not_exhaust_states(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = compile_policies(_rset(POLICIES, "fail-midway"), CAT)
    facts = facts_for(compiled, STUDENTS[0])
    real = policy.render

    def broken(action: Any, matched: Any) -> tuple[str, ...]:
        raise RuntimeError("template store unavailable")

    monkeypatch.setattr(policy, "render", broken)
    for _ in range(5000):
        with pytest.raises(PolicyError):
            evaluate_policies(compiled, facts)
    monkeypatch.setattr(policy, "render", real)
    assert [p for p, _ in fired(evaluate_policies(compiled, facts))] == [
        "failed-unrecovered",
        "low-credits",
    ]


def test_students_no_rule_matches_can_be_evaluated_without_end() -> None:
    # A fresh ruleset whose first evaluations match nothing: deleting those states used to abort.
    compiled = compile_policies(_rset(POLICIES, "nothing-matches"), CAT)
    quiet = facts_for(compiled, STUDENTS[5])
    for _ in range(3000):
        assert evaluate_policies(compiled, quiet) == []
    assert evaluate_policies(compiled, facts_for(compiled, STUDENTS[6]))


def _rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_memory_stays_flat_over_50000_evaluations() -> None:
    facts = [facts_for(COMPILED, s) for s in STUDENTS]
    for i in range(5000):
        evaluate_policies(COMPILED, facts[i % len(facts)])
    start = _rss_bytes()
    for i in range(50_000):
        evaluate_policies(COMPILED, facts[i % len(facts)])
    grown = _rss_bytes() - start
    # One leaked state costs ~260 KB; 50,000 of them would be gigabytes.
    assert grown < 8 * 1024 * 1024, f"resident memory grew by {grown / 1e6:.1f} MB"


# ---- 3. no truth maintenance: data first, trigger last -----------------------------------------


def test_the_trigger_is_asserted_last_so_negations_see_everything() -> None:
    student = make_student(row("ALG1", "F", 9), row("ALG1", "B", 10), grade_level=11)
    facts = facts_for(COMPILED, student)
    assert facts[-1]["t"] == STUDENT
    assert all(f["t"] != STUDENT for f in facts[:-1])
    assert evaluate_policies(COMPILED, facts) == []
    # What ordering protects against: with the trigger first, "no passing attempt" is judged
    # before the passing attempt arrives, and the engine never takes it back.
    early = [facts[-1], *facts[:-1]]
    assert [p for p, _ in fired(evaluate_policies(COMPILED, early))] == ["failed-unrecovered"]


def test_transcript_order_does_not_change_what_fires() -> None:
    rows = [row("ALG1", "F", 9), row("ALG1", "B", 10), row("ENG1", "F", 9)]
    one = make_student(*rows, grade_level=11)
    other = make_student(*reversed(rows), grade_level=11)
    first = fired(evaluate_policies(COMPILED, facts_for(COMPILED, one)))
    assert first == fired(evaluate_policies(COMPILED, facts_for(COMPILED, other)))
    assert first == [("failed-unrecovered", ("English I failed (F)",))]


# ---- 4 and 5. unmatched facts; identical facts -------------------------------------------------


def test_facts_no_rule_reads_are_accepted() -> None:
    facts = facts_for(COMPILED, STUDENTS[3])
    extra = [{"t": "g", "goal": "x", "n": 100}, {"t": "q", "req": "math", "status": "met"}]
    extra[1]["n"] = 101
    assert evaluate_policies(COMPILED, [*extra, *facts]) == []


def test_identical_transcript_rows_are_distinct_facts() -> None:
    twice = make_student(row("ALG1", "F", 9), row("ALG1", "F", 9), grade_level=9)
    facts = facts_for(COMPILED, twice)
    assert len({f["n"] for f in facts}) == len(facts)
    assert [p for p, _ in fired(evaluate_policies(COMPILED, facts))] == ["failed-unrecovered"]


def test_a_fact_asserted_twice_is_an_error_not_silence() -> None:
    facts = facts_for(COMPILED, STUDENTS[0])
    with pytest.raises(PolicyError, match="asserted twice"):
        evaluate_policies(COMPILED, [facts[0], facts[0], *facts[1:]])
    assert evaluate_policies(COMPILED, facts)  # the state was deleted; the next one works


# ---- 6. errors inside actions -------------------------------------------------------------------


def test_an_error_inside_a_policy_action_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch, kb: Knowledge
) -> None:
    def broken(action: Any, matched: Any) -> tuple[str, ...]:
        raise KeyError("grade")

    monkeypatch.setattr(policy, "render", broken)
    with pytest.raises(PolicyError) as caught:
        evaluate_policies(COMPILED, facts_for(COMPILED, STUDENTS[0]))
    text = str(caught.value)
    assert "a policy action of rule set engine-test failed" in text
    assert "KeyError" in text or "'grade'" in text
    assert "traceback" not in text
    student = make_student(row("ALG1", "F"), grade_level=10)
    with pytest.raises(GradPathError, match="policy action of rule set tx-fhsp failed"):
        audit(knowledge=kb, student=student, goals=["tx-fhsp"])


# ---- 7. no rules on the session state --------------------------------------------------------


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def test_no_bundled_policy_reads_the_session_state(kb: Knowledge) -> None:
    compiled = 0
    for versions in kb.rulesets.values():
        for rset in versions:
            for cats in kb.catalogs.values():
                found = policies_for(rset, cats[-1])
                if found is not None:
                    compiled += 1
                    assert "$s" not in _keys(found.definition)
                    assert "s" not in {k for r in found.definition.values() for k in r}
    assert compiled >= 5


# ---- 8. aggregates are computed in Python ------------------------------------------------------


def test_totals_and_gpa_are_precomputed_on_the_trigger() -> None:
    compiled = compile_policies(
        _rset(
            [
                {
                    "id": "two-totals",
                    "title": "totals",
                    "source": SRC,
                    "when": [
                        {"credits": {"at_least": 1}, "from": {"subject": "math"}},
                        {
                            "credits": {"at_least": 1},
                            "from": {"attribute": "core"},
                            "counting": ["completed", "planned"],
                        },
                        {"gpa": {"at_least": 2.0}},
                    ],
                    "then": [{"alert": "info", "message": "gpa {gpa}"}],
                }
            ],
            "totals",
        ),
        CAT,
    )
    student = make_student(
        row("ALG1", "A"),
        row("ENG1", "C"),
        row("GEOM", level=10, status="planned"),
        row("ART1", "F"),
    )
    trigger = facts_for(compiled, student)[-1]
    assert (trigger["k0"], trigger["k1"]) == (1.0, 3.0)
    assert trigger["credits"] == 2.0
    assert trigger["show_gpa"] == "2.00"
    assert fired(evaluate_policies(compiled, facts_for(compiled, student))) == [
        ("two-totals", ("gpa 2.00",))
    ]


def test_only_the_statuses_a_policy_names_are_asserted_and_they_still_fire() -> None:
    compiled = compile_policies(
        _rset(
            [
                {
                    "id": "math-open",
                    "title": "math still open",
                    "source": SRC,
                    "when": [{"requirement": "math", "status": ["unmet", "in_progress"]}],
                    "then": [{"alert": "warning", "message": "math is {grade_level}th grade"}],
                }
            ],
            "statuses",
        ),
        CAT,
    )
    assert compiled.reads_statuses
    student = make_student(row("ENG1", "A"), grade_level=10)
    resolved, _ = resolve_transcript(student, CAT)
    graded = grade_rows(resolved, CSET.grading, CAT.grading)

    def run(statuses: dict[str, str]) -> tuple[list[dict[str, Any]], list[Fired]]:
        facts = build_facts(plan=compiled.plan, student=student, graded=graded, statuses=statuses)
        return facts, evaluate_policies(compiled, facts)

    facts, result = run({"math": "unmet", "total": "met"})
    assert [(f["req"], f["status"]) for f in facts if f["t"] == "q"] == [("math", "unmet")]
    assert fired(result) == [("math-open", ("math is 10th grade",))]
    facts, result = run({"math": "met", "total": "unmet"})
    assert [(f["req"], f["status"]) for f in facts if f["t"] == "q"] == [("math", "met")]
    assert result == []
    # A status the rules do not name is absorbed when asserted anyway: leaving it out changes
    # nothing the engine can see.
    extra = {"t": "q", "req": "total", "status": "unmet", "n": 99}
    assert evaluate_policies(compiled, [extra, *facts]) == []


# ---- 9. names carry the version and a content hash -------------------------------------------


def test_ruleset_names_are_versioned_and_content_addressed() -> None:
    assert re.fullmatch(r"tx-engine-test-2025-[0-9a-f]{12}", COMPILED.name)
    changed = json.loads(json.dumps(POLICIES))
    changed[1]["when"][1]["credits"]["below"] = 3
    other = compile_policies(_rset(changed), CAT)
    assert other.name != COMPILED.name
    again = compile_policies(_rset(POLICIES), CAT)
    assert again.name == COMPILED.name
    student = make_student(row("ALG1", "A"), row("ENG1", "A"), grade_level=10)  # 2 credits
    assert fired(evaluate_policies(COMPILED, facts_for(COMPILED, student))) == []
    assert [p for p, _ in fired(evaluate_policies(other, facts_for(other, student)))] == [
        "low-credits"
    ]
    assert evaluate_policies(again, facts_for(again, student)) == []  # registered once


def test_compiled_policies_are_cached_and_sets_without_policies_skip_the_engine(
    kb: Knowledge,
) -> None:
    assert policies_for(RSET, CAT) is policies_for(RSET, CAT)
    assert policies_for(_rset([]), CAT) is None
    redshirt = kb.ruleset("ncaa-d1-redshirt", 2025)
    assert policies_for(redshirt, kb.catalog_for("TX", 2025)) is None


# ---- 13. registered rulesets are freed past a bound --------------------------------------------


def _variant(i: int) -> CompiledPolicies:
    """The test policies with message ``i``: a new content hash, so a new ruleset, as each
    edit of a draft rule set sent to a what-if makes."""
    changed = json.loads(json.dumps(POLICIES))
    changed[0]["then"][0]["message"] = f"variant {i}: {{title}} failed"
    return compile_policies(_rset(changed), CAT)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_rulesets_past_the_bound_are_freed_and_come_back_when_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(policy, "MAX_REGISTERED", 8)
    student = make_student(row("ALG1", "F"), grade_level=10)
    first = _variant(0)
    facts = facts_for(first, student)
    assert fired(evaluate_policies(first, facts))[0] == (
        "failed-unrecovered",
        ("variant 0: Algebra I failed",),
    )
    for i in range(1, 50):  # warm up: the bound is reached and freeing has begun
        evaluate_policies(_variant(i), facts)
    start = _rss_bytes()
    for i in range(50, 650):
        found = fired(evaluate_policies(_variant(i), facts))
        assert found[0] == ("failed-unrecovered", (f"variant {i}: Algebra I failed",))
    grown = _rss_bytes() - start
    host = policy._PROCESS["host"]
    assert len(host.registered) <= 8
    assert len(host._ruleset_directory) == len(host.registered)
    assert first.name not in host.registered  # freed long ago; used again, it comes back
    assert fired(evaluate_policies(first, facts))[0][1] == ("variant 0: Algebra I failed",)
    # Each ruleset kept costs ~220 KB of C tables: 600 of them would be ~130 MB.
    assert grown < 24 * 1024 * 1024, f"resident memory grew by {grown / 1e6:.1f} MB"


# ---- 10. size limits, checked at load ----------------------------------------------------------


def _tree(tmp_path: Path, rules: str) -> Path:
    (tmp_path / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "rules" / "tx" / "2025").mkdir(parents=True)
    (tmp_path / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(
        "schema_version: 1\nid: tx-2025\ntitle: t\njurisdiction: TX\ncatalog_year: 2025\n"
        "source: {citation: test, year: 2025}\ncourses:\n"
        "  - {id: ALG1, title: Algebra I, subject: math, credits: 1}\n"
    )
    (tmp_path / "rules" / "tx" / "2025" / "big.yaml").write_text(rules)
    return tmp_path


HEAD = (
    "schema_version: 1\nid: big\ntitle: Big\nkind: graduation\njurisdiction: TX\n"
    "catalog_year: 2025\nsource: {citation: test, year: 2025}\n"
    "requirements:\n  math: {course: ALG1}\npolicies:\n"
)


def test_too_many_rules_is_an_authoring_error(tmp_path: Path) -> None:
    from engine import AuthoringError, load_knowledge

    anys = "[" + ", ".join(f"{{student: {{grade_level: {g}}}}}" for g in (9, 10, 11, 12)) + "]"
    policy_text = "".join(
        f"  - id: p{i}\n    title: p\n    source: {{citation: test, year: 2025}}\n"
        f"    when: [{{any: {anys}}}, {{any: {anys}}}]\n"
        f"    then: [{{alert: info, message: hi}}]\n"
        for i in range(MAX_RULES // 16 + 1)
    )
    with pytest.raises(AuthoringError) as caught:
        load_knowledge(_tree(tmp_path, HEAD + policy_text))
    (diag,) = caught.value.diagnostics
    assert diag.code == "too-many-rules"
    assert (diag.file, diag.line) == ("rules/tx/2025/big.yaml", 11)
    assert f"at most {MAX_RULES}" in diag.message


def test_more_conditions_than_one_join_allows_is_an_authoring_error(tmp_path: Path) -> None:
    from engine import AuthoringError, load_knowledge

    conds = ", ".join("{flag: iep}" for _ in range(16))
    text = HEAD + (
        "  - id: long\n    title: p\n    source: {citation: test, year: 2025}\n"
        f"    when: [{conds}]\n    then: [{{alert: info, message: hi}}]\n"
    )
    with pytest.raises(AuthoringError) as caught:
        load_knowledge(_tree(tmp_path, text))
    (diag,) = caught.value.diagnostics
    assert diag.line == 14
    assert "at most 15" in diag.message


# ---- 11. the Python pin; and durable stays behind one module ----------------------------------


def test_python_is_pinned_below_3_13() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "<3.13" in meta["project"]["requires-python"].replace(" ", "")


def test_only_engine_policy_imports_durable() -> None:
    pattern = re.compile(r"^\s*(import durable|from durable)", re.MULTILINE)
    users = [
        str(p.relative_to(ROOT))
        for folder in ("engine", "service", "cli")
        for p in (ROOT / folder).rglob("*.py")
        if pattern.search(p.read_text())
    ]
    assert users == ["engine/policy.py"]
