"""State-policy overhead per audit: the same audits with and without the rule files' policies.

Students are the seeded synthetic 40-row Texas transcripts of ``bench_audit.py``, spread over
grades 9-12 with a share of program flags (english_learner, iep, homeless) so that policies fire
(failed courses, off-track, at-risk, NCAA alerts, CS-for-LOTE substitutions, redshirt goals).
Each student is audited (goals tx-fhsp + ncaa-d1) once with the bundled policies and once with the
same rule sets stripped of them, alternately; the overhead of one audit is the difference of the
two (best of ``--repeat`` each, to take out scheduler noise). Also timed: the policy step alone
(facts, rule-engine match, outcomes) per goal.

Run: ``.venv/bin/python benchmarks/bench_policy.py [--students 300] [--repeat 5]``.
Target: median overhead <= 1 ms per audit.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_audit import synthetic_student  # noqa: E402

from engine import Knowledge, Student, audit, entering_year, load_knowledge  # noqa: E402
from engine.normalize import grade_rows, resolve_transcript  # noqa: E402
from engine.policy import evaluate_policies, policies_for  # noqa: E402
from engine.policy_apply import decide  # noqa: E402
from engine.policy_facts import build_facts  # noqa: E402

FLAGS = [[]] * 6 + [["english_learner"], ["iep"], ["homeless"], ["iep", "english_learner"]]


def varied(rng: random.Random, number: int) -> Student:
    base = synthetic_student(rng, number)
    grade = rng.choice([9, 10, 11, 12])
    rows = [r for r in base.transcript if r.grade_level < grade or grade == 12]
    return base.model_copy(
        update={
            "grade_level": grade,
            "transcript": tuple(rows),
            "flags": tuple(rng.choice(FLAGS)),
        }
    )


def without_policies(kb: Knowledge) -> Knowledge:
    rulesets = {
        goal: [r.model_copy(update={"policies": ()}) for r in versions]
        for goal, versions in kb.rulesets.items()
    }
    return Knowledge(catalogs=kb.catalogs, rulesets=rulesets, graphs=kb.graphs)


def best_of(kb: Knowledge, student: Student, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        audit(knowledge=kb, student=student)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def policy_step(kb: Knowledge, student: Student) -> float:
    """Milliseconds of the policy step alone (no re-allocation) for the student's goals."""
    year = entering_year(student)
    catalog = kb.catalog_for(student.jurisdiction, year)
    resolved, _ = resolve_transcript(student, kb.index(catalog))
    total = 0.0
    for goal in student.goals:
        rset = kb.ruleset(goal, year)
        cset = kb.compiled(rset, catalog)
        graded = grade_rows(resolved, cset.grading, catalog.grading)
        statuses = dict.fromkeys(cset.requirements, "unmet")
        start = time.perf_counter()
        compiled = policies_for(rset, catalog)
        if compiled is not None:
            facts = build_facts(
                plan=compiled.plan, student=student, graded=graded, statuses=statuses
            )
            decide(evaluate_policies(compiled, facts), catalog)
        total += time.perf_counter() - start
    return total * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    with_kb = load_knowledge(ROOT)
    plain_kb = without_policies(with_kb)
    gc.collect()
    gc.freeze()
    rng = random.Random(args.seed)
    students = [varied(rng, i) for i in range(args.students)]
    for student in students[:20]:
        audit(knowledge=with_kb, student=student)
        audit(knowledge=plain_kb, student=student)
    overhead: list[float] = []
    base: list[float] = []
    step: list[float] = []
    alerts = recommendations = changed = added = 0
    for student in students:
        plain = best_of(plain_kb, student, args.repeat)
        full = best_of(with_kb, student, args.repeat)
        base.append(plain)
        overhead.append(full - plain)
        step.append(min(policy_step(with_kb, student) for _ in range(args.repeat)))
        result = audit(knowledge=with_kb, student=student)
        for goal in result.goals:
            alerts += len(goal.alerts)
            recommendations += len(goal.recommendations)
            changed += sum(1 for r in goal.requirements if r.policies)
            added += goal.added_by is not None
    print(
        f"students: {len(students)} (40-row transcripts cut to their grade), "
        "goals tx-fhsp + ncaa-d1"
    )
    print(f"audit without policies: median {statistics.median(base):.3f} ms")
    print(
        f"policy overhead per audit: median {statistics.median(overhead):.3f} ms, "
        f"p99 {pct(overhead, 0.99):.3f} ms"
    )
    print(
        f"policy step alone (facts + match + outcomes, both goals): median "
        f"{statistics.median(step):.3f} ms, p99 {pct(step, 0.99):.3f} ms"
    )
    print(
        f"fired: {alerts} alerts, {recommendations} recommendations, {changed} requirements "
        f"changed, {added} goals added"
    )
    verdict = "met" if statistics.median(overhead) <= 1.0 else "NOT met"
    print(f"target: median overhead <= 1 ms -> {verdict}")


if __name__ == "__main__":
    main()
