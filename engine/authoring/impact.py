"""Impact of a rule change: which students change status, per goal and per requirement.

Before a new version ships, staff need the count of students it moves ("412 seniors go from met
to unmet on math") and a few example ids to look at. :func:`measure_impact` audits each student
under both versions, but only for the goals the change can reach (the changed set, every set
extending it, every set naming it in a ``goal`` requirement) and only for students who list
such a goal, and tallies every transition of a goal's or a top-level requirement's status.

Students arrive as JSON Lines. The work is split into chunks audited in worker processes, each
loading both versions of the knowledge once; chunks are tallied in file order, so the counts
and the example ids are the same whatever the number of workers.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from engine.audit import audit_summary
from engine.authoring.diff import changed_sets
from engine.authoring.roots import Side, load_sides
from engine.errors import GradPathError
from engine.knowledge import Knowledge
from engine.student import Student

__all__ = ["CHUNK", "ImpactReport", "Transition", "affected_goals", "measure_impact", "tally_chunk"]

#: Students per unit of work sent to a worker.
CHUNK = 400
#: Example student ids kept per transition.
EXAMPLES = 5

#: (goal, requirement or None for the goal itself, old status, new status)
Key = tuple[str, str | None, str, str]


@dataclass(frozen=True)
class Transition:
    """Students whose goal (or one of its requirements) moved from one status to another."""

    goal: str
    requirement: str | None
    old: str
    new: str
    count: int
    examples: tuple[str, ...]


@dataclass
class _Tally:
    audited: dict[str, int] = field(default_factory=dict)  # goal -> students audited
    counts: dict[Key, int] = field(default_factory=dict)
    examples: dict[Key, list[str]] = field(default_factory=dict)
    changed: int = 0  # students with at least one goal whose status changed
    considered: int = 0  # students with at least one affected goal
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line, problem)
    read: int = 0

    def merge(self, other: _Tally) -> None:
        for goal, n in other.audited.items():
            self.audited[goal] = self.audited.get(goal, 0) + n
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
            kept = self.examples.setdefault(key, [])
            kept.extend(other.examples[key][: EXAMPLES - len(kept)])
        self.changed += other.changed
        self.considered += other.considered
        self.invalid.extend(other.invalid)
        self.read += other.read


@dataclass(frozen=True)
class ImpactReport:
    """What a new version changes across a population."""

    ruleset: str
    goals: tuple[str, ...]  # the goals the change can reach
    students: int  # valid records read
    considered: int  # students who list an affected goal
    changed: int  # students whose status changed on at least one goal
    audited: dict[str, int]  # goal -> students audited for it
    transitions: tuple[Transition, ...]
    invalid: tuple[tuple[int, str], ...]  # (line, problem) of records that are not students


def _statuses(kb: Knowledge, student: Student, goals: Sequence[str]) -> dict[Key, str]:
    """(goal, requirement) -> status, with (goal, None) for the goal itself."""
    out: dict[Key, str] = {}
    # Statuses only: the explanation of each requirement is not needed to count transitions.
    result = audit_summary(knowledge=kb, student=student, goals=list(goals))
    for goal in result.goals:
        if goal.goal not in goals:
            continue
        out[(goal.goal, None, "", "")] = goal.status
        for name, status in goal.requirements.items():
            out[(goal.goal, name, "", "")] = status
    return out


def tally_chunk(
    old: Knowledge, new: Knowledge, affected: frozenset[str], lines: Sequence[tuple[int, str]]
) -> _Tally:
    """Audit one chunk of (line number, JSON text) under both versions and count transitions.

    The whole chunk is audited under the old version, then under the new one, so each
    version's compiled sets stay warm in the processor's caches.
    """
    tally = _Tally()
    batch: list[tuple[int, Student, list[str]]] = []
    for number, text in lines:
        if not text.strip():
            continue
        try:
            student = Student.model_validate(json.loads(text))
        except ValidationError as exc:
            tally.invalid.append((number, _first_error(exc)))
            continue
        except ValueError as exc:
            first = str(exc).splitlines()
            tally.invalid.append((number, first[0] if first else type(exc).__name__))
            continue
        tally.read += 1
        # A goal listed twice is audited, and counted, once.
        goals = list(dict.fromkeys(g for g in student.goals if g in affected))
        if goals:
            batch.append((number, student, goals))
    results: list[list[dict[Key, str] | None]] = [[], []]
    for side, kb in enumerate((old, new)):
        for k, (number, student, goals) in enumerate(batch):
            try:
                results[side].append(_statuses(kb, student, goals))
            except GradPathError as exc:
                # A student the new version cannot audit is reported, never silently skipped
                # (one the old version cannot audit already is).
                if side == 0 or results[0][k] is not None:
                    version = "" if side == 0 else "under the new version: "
                    tally.invalid.append((number, version + exc.message.splitlines()[0]))
                results[side].append(None)
    for (_, student, goals), before, after in zip(batch, *results, strict=True):
        if before is None or after is None:
            continue
        tally.considered += 1
        moved = False
        for goal in goals:
            tally.audited[goal] = tally.audited.get(goal, 0) + 1
        for where in sorted({*before, *after}, key=lambda k: (k[0], k[1] or "")):
            was, now = before.get(where, "absent"), after.get(where, "absent")
            if was == now:
                continue
            key: Key = (where[0], where[1], was, now)
            tally.counts[key] = tally.counts.get(key, 0) + 1
            kept = tally.examples.setdefault(key, [])
            if len(kept) < EXAMPLES:
                kept.append(student.id)
            moved = moved or where[1] is None
        tally.changed += moved
    return tally


def _first_error(exc: ValidationError) -> str:
    """``cohort: Field required (and 2 more problems)``: where the first problem is, and what."""
    errors = exc.errors(include_url=False)
    if not errors:  # pragma: no cover - pydantic always lists at least one
        return str(exc).splitlines()[0]
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    text = f"{where}: {first['msg']}" if where else str(first["msg"])
    more = len(errors) - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


# Worker processes hold both versions, loaded once by the initializer.
_WORKER: tuple[Knowledge, Knowledge, frozenset[str]] | None = None


def _init_worker(old: str, new: str, affected: frozenset[str]) -> None:
    global _WORKER  # one loaded copy per worker process, by design
    before, after = load_sides(Path(old), Path(new))
    _WORKER = (before.knowledge, after.knowledge, affected)
    # The loaded knowledge lives as long as the worker: keep the cyclic collector off it.
    gc.collect()
    gc.freeze()


def _work(lines: Sequence[tuple[int, str]]) -> _Tally:
    if _WORKER is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker not initialised")
    return tally_chunk(*_WORKER, lines)


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, text in enumerate(lines, start=1):
        chunk.append((number, text))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def affected_goals(before: Side, after: Side) -> frozenset[str]:
    """Ids of the sets whose result the change can reach."""
    return frozenset(
        i for i, _ in changed_sets(before.knowledge.rulesets, after.knowledge.rulesets)
    )


def measure_impact(
    *,
    old: Path,
    new: Path,
    students: Iterable[str],
    jobs: int = 1,
    on_progress: Callable[[int], None] | None = None,
    sides: tuple[Side, Side] | None = None,
) -> ImpactReport:
    """Audit ``students`` (JSON Lines) under the rule files ``old`` and ``new`` and tally changes.

    ``jobs`` > 1 audits chunks in that many worker processes. ``on_progress`` is called with
    the number of lines done after each chunk. ``sides`` passes versions already loaded.
    """
    before, after = sides if sides is not None else load_sides(old, new)
    affected = affected_goals(before, after)
    total = _Tally()
    done = 0

    def take(part: _Tally, size: int) -> None:
        nonlocal done
        total.merge(part)
        done += size
        if on_progress is not None:
            on_progress(done)

    if jobs <= 1:
        for chunk in _chunks(students, CHUNK):
            take(tally_chunk(before.knowledge, after.knowledge, affected, chunk), len(chunk))
    else:
        global _WORKER  # a forked worker inherits the loaded versions instead of loading them
        forking = "fork" in multiprocessing.get_all_start_methods()
        forking = forking and threading.active_count() == 1  # forking threads risks deadlocks
        if forking:
            _WORKER = (before.knowledge, after.knowledge, affected)
            gc.collect()
            gc.freeze()
        if forking:
            pool = ProcessPoolExecutor(
                max_workers=jobs, mp_context=multiprocessing.get_context("fork")
            )
        else:
            pool = ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(str(old), str(new), affected),
            )
        with pool:
            pending: list[tuple[Future[_Tally], int]] = []
            for chunk in _chunks(students, CHUNK):
                pending.append((pool.submit(_work, chunk), len(chunk)))
                while len(pending) > jobs * 3:  # bounded: the file is never held whole
                    future, size = pending.pop(0)
                    take(future.result(), size)
            for future, size in pending:
                take(future.result(), size)
        if forking:
            _WORKER = None
            gc.unfreeze()
    transitions = tuple(
        Transition(goal, req, was, now, count, tuple(total.examples[(goal, req, was, now)]))
        for (goal, req, was, now), count in sorted(
            total.counts.items(), key=lambda item: (item[0][0], item[0][1] or "", -item[1])
        )
    )
    return ImpactReport(
        ruleset=after.key[0],
        goals=tuple(sorted(affected)),
        students=total.read,
        considered=total.considered,
        changed=total.changed,
        audited=dict(sorted(total.audited.items())),
        transitions=transitions,
        invalid=tuple(total.invalid),
    )
