"""Audit latency: 40-row transcripts against Texas FHSP and NCAA Division I together.

Students are synthetic and seeded (no real data): a typical four-year Texas schedule of year-long
courses recorded as fall and spring semester rows (40 rows), grades drawn from a realistic
distribution with a few failures, and the senior year in progress for half of them.

Run: ``.venv/bin/python benchmarks/bench_audit.py [--students 300] [--repeat 3]``.
Prints the median and p99 milliseconds per audit (both goals) for each form of the audit
(``engine.audit``): the JSON document the API and batch send, the typed result, the summary.
Target: median <= 2 ms.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import Student, load_knowledge  # noqa: E402
from engine._native import STATUS as ENGINE_BUILD  # noqa: E402
from engine.audit import audit, audit_document, audit_summary  # noqa: E402

# One entry per course: alternatives, and the terms it is recorded in (a year-long course recorded
# as two semester rows, or one year row; semester courses as one row). Ten rows a year.
SCHEDULE: dict[int, list[tuple[list[str], tuple[str, ...]]]] = {
    9: [
        (["ENG1"], ("fall", "spring")),
        (["ALG1"], ("fall", "spring")),
        (["BIO"], ("fall", "spring")),
        (["WGEO", "APHG"], ("year",)),
        (["SPAN1", "FREN1"], ("year",)),
        (["FPF"], ("fall",)),
        (["HEALTH"], ("spring",)),
    ],
    10: [
        (["ENG2"], ("fall", "spring")),
        (["GEOM"], ("fall", "spring")),
        (["CHEM", "IPC"], ("fall", "spring")),
        (["WHIST"], ("year",)),
        (["SPAN2", "FREN2"], ("year",)),
        (["ART1", "BAND1"], ("year",)),
        (["TEAMSPT"], ("fall",)),
    ],
    11: [
        (["ENG3", "APLANG"], ("fall", "spring")),
        (["ALG2"], ("fall", "spring")),
        (["PHYS", "APBIO"], ("fall", "spring")),
        (["USHIST", "APUSH"], ("year",)),
        (["PHS", "CS1"], ("year",)),
        (["MEDTERM", "CS2"], ("year",)),
        (["PROFCOMM"], ("fall",)),
    ],
    12: [
        (["ENG4", "APLIT"], ("fall", "spring")),
        (["PRECAL", "STATS"], ("fall", "spring")),
        (["ANATPHYS", "ENVSYS"], ("year",)),
        (["USGOV"], ("fall",)),
        (["ECON"], ("spring",)),
        (["SPAN3", "ART2"], ("year",)),
        (["HST", "CS3"], ("year",)),
        (["PSYCH"], ("fall",)),
    ],
}
GRADES = ["A"] * 30 + ["B"] * 35 + ["C"] * 20 + ["D"] * 8 + ["F"] * 3 + ["A-", "B+", "C+", 93, 81]


def synthetic_student(rng: random.Random, number: int) -> Student:
    """A 40-row, four-year Texas transcript; the senior year in progress for half the students."""
    senior_in_progress = rng.random() < 0.5
    rows: list[dict[str, Any]] = []
    for grade_level, courses in SCHEDULE.items():
        for options, terms in courses:
            course = rng.choice(options)
            for term in terms:
                row: dict[str, Any] = {"course": course, "grade_level": grade_level, "term": term}
                if grade_level == 12 and senior_in_progress:
                    row["status"] = "in_progress" if term != "spring" else "planned"
                else:
                    row["grade"] = rng.choice(GRADES)
                rows.append(row)
    return Student.model_validate(
        {
            "id": f"BENCH-{number:05d}",
            "jurisdiction": "TX",
            "cohort": 2029,
            "catalog_year": 2025,
            "grade_level": 12,
            "transcript": rows,
            "experiences": [
                {
                    "kind": "credential",
                    "id": "high-school-diploma",
                    "status": "planned" if senior_in_progress else "completed",
                }
            ],
            "goals": ["tx-fhsp", "ncaa-d1"],
        }
    )


#: What is timed: the explained audit as the API and batch send it (JSON-ready document), the
#: same validated as typed models (the Python API), and the verdicts without explanations.
FORMS: list[tuple[str, Callable[..., object]]] = [
    ("audit_document (JSON the API sends)", audit_document),
    ("audit (typed, validated AuditResult)", audit),
    ("audit_summary (verdicts only: batch, impact)", audit_summary),
]


def measure(knowledge: Any, students: list[Student], repeat: int) -> dict[str, list[float]]:
    """Milliseconds per call of each form, every student ``repeat`` times.

    The forms take turns student by student (each going first as often), so a slow spell of
    a shared machine (on this VM the same code measures up to 30% apart from one minute to
    the next) weighs on all three alike instead of on whichever form happened to run then.
    """
    timings: dict[str, list[float]] = {label: [] for label, _ in FORMS}
    for _ in range(repeat):
        for number, student in enumerate(students):
            # Each form goes first for a third of the students: the first audit of a student
            # finds its data cold in the processor's caches.
            turn = number % len(FORMS)
            for label, run in FORMS[turn:] + FORMS[:turn]:
                start = time.perf_counter()
                run(knowledge=knowledge, student=student)
                timings[label].append((time.perf_counter() - start) * 1000)
    for found in timings.values():
        found.sort()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT)
    # Long-lived knowledge never becomes garbage: keep the cyclic collector from walking it on
    # every full collection (what a server does after loading, too).
    gc.collect()
    gc.freeze()
    rng = random.Random(args.seed)
    students = [synthetic_student(rng, i) for i in range(args.students)]
    assert all(len(s.transcript) == 40 for s in students)
    for student in students[:20]:  # warm up caches and allocator code paths
        audit(knowledge=knowledge, student=student)
    statuses: dict[str, int] = {}
    for student in students:
        key = "/".join(g.status for g in audit(knowledge=knowledge, student=student).goals[:2])
        statuses[key] = statuses.get(key, 0) + 1
    print(
        f"audits: {args.students} students x {args.repeat}, 40 rows each, goals tx-fhsp + ncaa-d1 "
        "(with their state policies; the NCAA academic-redshirt set is added when its policy fires)"
    )
    figures: dict[str, float] = {}
    measured = measure(knowledge, students, args.repeat)
    for label, _ in FORMS:
        timings = measured[label]
        median = statistics.median(timings)
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        figures[label] = median
        print(
            f"{label:<44} median {median:6.3f} ms   p99 {p99:7.3f} ms   "
            f"mean {statistics.fmean(timings):6.3f} ms"
        )
    headline = figures[FORMS[0][0]]
    print(
        f"target: median <= 2 ms for the audit the API sends -> "
        f"{'met' if headline <= 2 else 'NOT met'} ({headline:.3f} ms); "
        f"vs 1.5 s published for a commercial engine: {1500 / headline:.0f}x faster"
    )
    print("statuses (fhsp/ncaa):", dict(sorted(statuses.items())))
    print(f"engine: {ENGINE_BUILD}")


if __name__ == "__main__":
    main()
