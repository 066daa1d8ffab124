"""Impact throughput: students audited under two versions of a rule set, per second.

A synthetic Texas population (``gradpath synth``, seeded; no real data) is measured against two
proposed changes: NCAA Division I's core GPA raised 2.3 -> 2.5 (every student lists ncaa-d1),
and the Foundation program's science credits raised 3 -> 4 in one sub-requirement (every
student lists tx-fhsp; the change also reaches the five endorsements and the DLA, which the
students who list them are audited for as well).

Run: ``.venv/bin/python benchmarks/bench_impact.py [--students 100000] [--jobs 2]``.
Prints students per second, the time for the population, and that time extrapolated to
100,000 students. Target: 100,000 students in at most 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import load_knowledge  # noqa: E402
from engine.authoring.impact import measure_impact  # noqa: E402
from engine.authoring.synth import SynthOptions, synthesize  # noqa: E402

TARGET_STUDENTS = 100_000
TARGET_SECONDS = 120.0


def scenarios(folder: Path) -> list[tuple[str, Path, Path]]:
    ncaa = ROOT / "rules" / "us" / "2023" / "ncaa-d1.yaml"
    stricter = folder / "ncaa-d1.yaml"
    stricter.write_text(ncaa.read_text(encoding="utf-8").replace("gpa: 2.3", "gpa: 2.5"))
    fhsp = ROOT / "rules" / "tx" / "2025" / "fhsp.yaml"
    old = "      - credits: 2\n        from: {attribute: [tx:ipc, tx:advanced-science]}"
    text = fhsp.read_text(encoding="utf-8")
    assert old in text
    more = folder / "fhsp.yaml"
    more.write_text(text.replace(old, old.replace("credits: 2", "credits: 3")))
    return [("ncaa-d1 core GPA 2.3 -> 2.5", ncaa, stricter), ("tx-fhsp science +1", fhsp, more)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=TARGET_STUDENTS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        population = folder / "tx.jsonl"
        start = time.perf_counter()
        options = SynthOptions("TX", args.students, seed=args.seed, goals=("ncaa-d1",))
        with population.open("w", encoding="utf-8") as out:
            for record in synthesize(knowledge=knowledge, options=options):
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
        made = time.perf_counter() - start
        print(f"synth: {args.students} Texas students in {made:.1f} s")
        for name, old, new in scenarios(folder):
            start = time.perf_counter()
            with population.open(encoding="utf-8") as handle:
                report = measure_impact(old=old, new=new, students=handle, jobs=args.jobs)
            took = time.perf_counter() - start
            rate = report.students / took
            projected = TARGET_STUDENTS / rate
            verdict = "met" if projected <= TARGET_SECONDS else "NOT met"
            print(
                f"{name}: {report.students} students ({report.considered} audited for "
                f"{', '.join(report.goals)}) in {took:.1f} s with {args.jobs} workers = "
                f"{rate:.0f} students/s; {report.changed} change status"
            )
            print(
                f"  100,000 students: {projected:.0f} s"
                + ("" if args.students == TARGET_STUDENTS else " (extrapolated)")
                + f"; target <= {TARGET_SECONDS:.0f} s -> {verdict}"
            )


if __name__ == "__main__":
    main()
