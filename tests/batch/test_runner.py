"""run_batch: every student audited or listed with its reason, in input order, resumable."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from engine.audit import audit
from engine.batch import (
    BatchOptions,
    LocalBackend,
    ManifestMismatchError,
    OutputExistsError,
    WorkItem,
    run_batch,
)
from engine.knowledge import load_knowledge
from engine.loader import load_student
from engine.planning import plan
from tests.batch.batchkit import EDFI_BUNDLE, read_jsonl, run_local, students, write_jsonl
from tests.conftest import ROOT

KNOWLEDGE = load_knowledge(ROOT)


def mixed_input(path: Path) -> list[Any]:
    good = students(6)
    bad_record = {"id": "B-BAD", "jurisdiction": "TX", "cohort": 2027}
    unknown_goal = {**students(1)[0], "id": "B-GOAL", "goals": ["tx-fhps"]}
    no_goals = {**students(1)[0], "id": "B-NONE", "goals": []}
    lines = [*good[:3], "{not json", bad_record, *good[3:], unknown_goal, no_goals]
    write_jsonl(path, lines)
    return lines


def test_every_student_is_audited_or_listed_with_its_reason(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = tmp_path / "s.jsonl"
    mixed_input(source)
    report = run_local(source, tmp_path / "out.jsonl", files=files)
    records = read_jsonl(tmp_path / "out.jsonl")
    errors = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert [r["index"] for r in records] == [0, 1, 2, 5, 6, 7]
    assert [r["student"] for r in records] == [f"B-{i:05d}" for i in range(6)]
    assert [(e["index"], e["code"], e["student"]) for e in errors] == [
        (3, "invalid-json", None),
        (4, "invalid-student", "B-BAD"),
        (8, "unknown-goal", "B-GOAL"),
        (9, "no-goals", "B-NONE"),
    ]
    assert errors[0]["where"] == f"{source}:4"
    assert "grade_level: missing key" in errors[1]["message"]
    assert "did you mean 'tx-fhsp'" in errors[2]["message"]
    assert (report.students, report.audited, report.errors) == (10, 6, 4)
    assert not (tmp_path / "out.jsonl.parts").exists()  # merged, then dropped


def test_a_record_says_what_the_audit_says(tmp_path: Path, files: dict[str, bytes]) -> None:
    record = students(1)[0]
    source = write_jsonl(tmp_path / "s.jsonl", [record])
    options = BatchOptions(goals=("tx-fhsp", "ncaa-d1"), full=True)
    run_local(source, tmp_path / "out.jsonl", files=files, options=options)
    (out,) = read_jsonl(tmp_path / "out.jsonl")
    expected = audit(
        knowledge=KNOWLEDGE, student=load_student(record), goals=["tx-fhsp", "ncaa-d1"]
    )
    assert out["audit"] == expected.model_dump(mode="json")
    for got, goal in zip(out["goals"], expected.goals, strict=True):
        assert got["goal"] == goal.goal
        assert got["status"] == goal.status
        assert got["missing"] == [r.name for r in goal.requirements if r.status == "unmet"]
        assert got["pending"] == [r.name for r in goal.requirements if r.status == "in_progress"]


def test_the_summary_counts_the_output(tmp_path: Path, files: dict[str, bytes]) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", [*students(20), "{}"])
    report = run_local(source, tmp_path / "out.jsonl", files=files, chunk_size=6)
    records = read_jsonl(tmp_path / "out.jsonl")
    summary = json.loads((tmp_path / "out.jsonl.summary.json").read_text())
    assert summary == report.summary
    assert (summary["students"], summary["audited"], summary["errors"]) == (21, 20, 1)
    assert summary["errors_by_code"] == {"invalid-student": 1}
    statuses: Counter[tuple[str, str]] = Counter()
    missing: Counter[tuple[str, str]] = Counter()
    by_grade: Counter[tuple[str, int, str]] = Counter()
    for r in records:
        for g in r["goals"]:
            statuses[(g["goal"], g["status"])] += 1
            by_grade[(g["goal"], r["grade_level"], g["status"])] += 1
            missing.update((g["goal"], m) for m in g["missing"])
    for goal, tally in summary["goals"].items():
        for status in ("met", "in_progress", "unmet"):
            assert tally[status] == statuses[(goal, status)]
            for level, sub in tally["by_grade_level"].items():
                assert sub[status] == by_grade[(goal, int(level), status)]
        counts = [n for _, n in tally["most_missing"]]
        assert counts == sorted(counts, reverse=True)
        for name, n in tally["most_missing"]:
            assert missing[(goal, name)] == n
    assert "tx-fhsp" in summary["goals"]
    assert "uc-ag" in summary["goals"]


def test_csv_and_parquet_outputs_are_one_row_per_student_and_goal(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(5))
    run_local(source, tmp_path / "out.jsonl", files=files)
    run_local(source, tmp_path / "out.csv", files=files, output_format="csv")
    run_local(source, tmp_path / "out.parquet", files=files, output_format="parquet")
    expected = [
        (r["student"], g["goal"], g["status"], ";".join(g["missing"]))
        for r in read_jsonl(tmp_path / "out.jsonl")
        for g in r["goals"]
    ]
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student"], r["goal"], r["status"], r["missing"]) for r in rows] == expected
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [(r["student"], r["goal"], r["status"], r["missing"]) for r in table] == expected
    assert table[0]["index"] == 0
    assert isinstance(table[0]["credits_earned"], float | None)


def test_a_course_history_csv_is_audited_student_by_student(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = tmp_path / "history.csv"
    source.write_text(
        "student_id,course,grade_level,term,grade,cohort\n"
        "C-1,ENG1,9,year,A,2028\n"
        "C-1,ALG1,9,year,B,2028\n"
        "C-1,BIO,9,year,Q,2028\n"
        "C-2,ENG1,9,year,B,2029\n"
        "C-3,ENG1,9,year,B,2029\n"
        "C-3,ENG1,9,year,B,2030\n",
        encoding="utf-8",
    )
    options = BatchOptions(goals=("tx-fhsp",), jurisdiction="TX")
    report = run_local(
        source, tmp_path / "out.jsonl", files=files, input_format="csv", options=options
    )
    first, second = read_jsonl(tmp_path / "out.jsonl")
    assert (first["student"], first["cohort"], first["grade_level"]) == ("C-1", 2028, 9)
    assert [u["source"] for u in first["unmapped"]] == ["line 4"]  # the input file's line
    assert "grade" in first["unmapped"][0]["reason"]
    assert (second["student"], second["cohort"]) == ("C-2", 2029)
    (error,) = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert (error["student"], error["code"]) == ("C-3", "invalid-csv")
    assert "cohort differs" in error["message"]
    assert report.errors == 1


def test_unmapped_rows_name_their_input_line_after_a_field_with_a_line_break(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    """Quoted notes over two lines make line numbers and record numbers part: the unmapped row
    is named by the input line it starts on, not by its record's count or its last line."""
    source = tmp_path / "history.csv"
    source.write_text(
        "student_id,course,grade_level,term,grade,cohort,note\n"
        'C-1,ENG1,9,year,A,2028,"took it\nin summer"\n'
        "C-1,ALG1,9,year,B,2028,\n"
        'C-1,BIO,9,year,Q,2028,"dropped\nin May"\n',
        encoding="utf-8",
    )
    options = BatchOptions(goals=("tx-fhsp",), jurisdiction="TX")
    run_local(source, tmp_path / "out.jsonl", files=files, input_format="csv", options=options)
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    assert [u["source"] for u in record["unmapped"]] == ["line 5"]  # where BIO starts in the file
    assert "grade" in record["unmapped"][0]["reason"]


def test_a_folder_of_edfi_bundles_is_imported_and_audited(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    folder = tmp_path / "edfi"
    folder.mkdir()
    (folder / "one.json").write_bytes(EDFI_BUNDLE.read_bytes())
    (folder / "two.json").write_text('{"courses": []}', encoding="utf-8")
    options = BatchOptions(goals=("tx-fhsp",), jurisdiction="TX")
    run_local(folder, tmp_path / "out.jsonl", files=files, input_format="edfi", options=options)
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    assert record["cohort"] == 2028
    assert record["goals"][0]["goal"] == "tx-fhsp"
    assert [u["source"] for u in record["unmapped"]] == [
        "courseTranscripts[2]",
        "courseTranscripts[3]",
        "courseTranscripts[4]",
    ]
    (error,) = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert error["code"] == "invalid-edfi"
    assert "courseTranscripts" in error["message"]


class Crashing:
    """A backend that dies after ``after`` chunks, as a killed run would."""

    def __init__(self, after: int) -> None:
        self.inner = LocalBackend(ROOT, 1)
        self.after = after

    def describe(self) -> str:
        return "crashing"

    def run(
        self, chunks: Iterable[tuple[int, list[WorkItem]]], options: BatchOptions
    ) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        for n, (number, outcomes) in enumerate(self.inner.run(chunks, options)):
            if n == self.after:
                raise KeyboardInterrupt
            yield number, outcomes


class Counting(LocalBackend):
    """A local backend that remembers which chunks it was given."""

    seen: list[int]

    def run(
        self, chunks: Iterable[tuple[int, list[WorkItem]]], options: BatchOptions
    ) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        self.seen = []

        def spy() -> Iterator[tuple[int, list[WorkItem]]]:
            for number, items in chunks:
                self.seen.append(number)
                yield number, items

        yield from super().run(spy(), options)


def test_a_rerun_after_a_crash_audits_only_what_is_left(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", [*students(13), "oops"])
    clean = tmp_path / "clean.jsonl"
    run_local(source, clean, files=files, chunk_size=3)
    out = tmp_path / "out.jsonl"
    kwargs: dict[str, Any] = {
        "source": source,
        "input_format": "jsonl",
        "out": out,
        "output_format": "jsonl",
        "options": BatchOptions(),
        "knowledge_files": files,
        "chunk_size": 3,
    }
    with pytest.raises(KeyboardInterrupt):
        run_batch(backend=Crashing(after=2), **kwargs)
    assert not out.exists()
    assert len(list((tmp_path / "out.jsonl.parts").glob("chunk-*.jsonl"))) == 2
    backend = Counting(ROOT, 1)
    report = run_batch(backend=backend, **kwargs)
    assert backend.seen == [2, 3, 4]  # chunks 0 and 1 were not audited again
    assert report.resumed == 6
    assert out.read_bytes() == clean.read_bytes()
    assert (tmp_path / "out.jsonl.errors.jsonl").read_bytes() == (
        tmp_path / "clean.jsonl.errors.jsonl"
    ).read_bytes()


def test_a_rerun_with_other_options_is_refused_not_mixed(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(6))
    out = tmp_path / "out.jsonl"
    common: dict[str, Any] = {
        "source": source,
        "input_format": "jsonl",
        "out": out,
        "output_format": "jsonl",
        "knowledge_files": files,
        "chunk_size": 2,
    }
    with pytest.raises(KeyboardInterrupt):
        run_batch(backend=Crashing(after=1), options=BatchOptions(), **common)
    other = BatchOptions(goals=("tx-fhsp",))
    with pytest.raises(ManifestMismatchError, match=r"changed: options.*--restart"):
        run_batch(backend=LocalBackend(ROOT, 1), options=other, **common)
    report = run_batch(backend=LocalBackend(ROOT, 1), options=other, restart=True, **common)
    assert report.resumed == 0
    assert {g["goal"] for r in read_jsonl(out) for g in r["goals"]} == {"tx-fhsp"}


def test_a_finished_output_is_not_overwritten_without_restart(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(2))
    run_local(source, tmp_path / "out.jsonl", files=files)
    with pytest.raises(OutputExistsError, match="--restart"):
        run_local(source, tmp_path / "out.jsonl", files=files)
    assert run_local(source, tmp_path / "out.jsonl", files=files, restart=True).audited == 2


def test_plans_are_added_with_plan(tmp_path: Path, files: dict[str, bytes]) -> None:
    record = json.loads((ROOT / "samples/students/tx-sophomore-off-track.json").read_text())
    source = write_jsonl(tmp_path / "s.jsonl", [record])
    options = BatchOptions(goals=("tx-fhsp",), plan=True)
    run_local(source, tmp_path / "out.jsonl", files=files, options=options)
    (out,) = read_jsonl(tmp_path / "out.jsonl")
    expected = plan(knowledge=KNOWLEDGE, student=load_student(record), goals=["tx-fhsp"])
    assert out["plan"]["status"] == expected.status
    assert out["plan"]["added_credits"] == expected.added_credits > 0
    assert out["plan"]["terms"] == [
        {"grade_level": t.grade_level, "term": t.term, "planned": list(t.planned)}
        for t in expected.terms
        if t.planned
    ]


def test_a_bug_on_one_student_costs_that_student_only(
    tmp_path: Path, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    import engine.batch.work as work

    real = work.audit_summary

    def flaky(**kwargs: Any) -> Any:
        if kwargs["student"].id == "B-00001":
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(work, "audit_summary", flaky)
    source = write_jsonl(tmp_path / "s.jsonl", students(3))
    report = run_local(source, tmp_path / "out.jsonl", files=files)
    assert [r["student"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["B-00000", "B-00002"]
    (error,) = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert (error["index"], error["code"]) == (1, "internal-error")
    assert error["message"] == "RuntimeError: boom"
    assert report.errors == 1


def test_progress_counts_up_to_the_total_from_what_was_already_done(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(7))
    out = tmp_path / "out.jsonl"
    kwargs: dict[str, Any] = {
        "source": source,
        "input_format": "jsonl",
        "out": out,
        "output_format": "jsonl",
        "options": BatchOptions(),
        "knowledge_files": files,
        "chunk_size": 2,
    }
    with pytest.raises(KeyboardInterrupt):
        run_batch(backend=Crashing(after=1), **kwargs)
    calls: list[tuple[int, int]] = []
    run_batch(
        backend=LocalBackend(ROOT, 1),
        progress=lambda done, total: calls.append((done, total)),
        **kwargs,
    )
    assert calls == [(2, 7), (4, 7), (6, 7), (7, 7)]


def test_the_chunk_size_changes_nothing_in_the_output(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", [*students(7), "[]"])
    outputs = set()
    for size in (1, 3, 8, 100):
        out = tmp_path / f"out-{size}.jsonl"
        run_local(source, out, files=files, chunk_size=size)
        errors = (tmp_path / f"out-{size}.jsonl.errors.jsonl").read_bytes()
        summary = (tmp_path / f"out-{size}.jsonl.summary.json").read_bytes()
        outputs.add((out.read_bytes(), errors, summary))
    assert len(outputs) == 1


def test_parquet_in_gives_what_json_lines_in_gives(tmp_path: Path, files: dict[str, bytes]) -> None:
    import pyarrow as pa

    records = students(5)
    texts = [json.dumps(r) for r in records]
    jsonl = write_jsonl(tmp_path / "s.jsonl", records)
    parquet = tmp_path / "s.parquet"
    pq.write_table(pa.table({"student": texts}), parquet)
    run_local(jsonl, tmp_path / "a.jsonl", files=files)
    run_local(parquet, tmp_path / "b.jsonl", files=files, input_format="parquet")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_an_edfi_bundle_of_the_wrong_shape_costs_one_student_with_a_clear_error(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    folder = tmp_path / "edfi"
    folder.mkdir()
    bundle = json.loads(EDFI_BUNDLE.read_text(encoding="utf-8"))
    bundle["courses"] = [None]
    (folder / "one.json").write_text(json.dumps(bundle), encoding="utf-8")
    options = BatchOptions(goals=("tx-fhsp",), jurisdiction="TX")
    run_local(folder, tmp_path / "out.jsonl", files=files, input_format="edfi", options=options)
    (error,) = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert (error["code"], error["message"]) == (
        "invalid-edfi",
        "courses[0] is null, not an object",
    )
