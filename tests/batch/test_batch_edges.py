"""Edges a district's nightly batch meets: odd bytes in a record or a file name, CSV headers
that name two id columns, a student file given as the input, outputs aimed at the input,
Ctrl-C while the workers start, a malformed Dask address."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from engine.batch import (
    BackendError,
    BatchOptions,
    InputError,
    LocalBackend,
    OutputExistsError,
    count_students,
    run_batch,
)
from engine.batch.readers import read_students
from tests.batch.batchkit import EDFI_BUNDLE, read_jsonl, run_local, students, write_jsonl
from tests.conftest import ROOT

runner = CliRunner()
BATCH = ["batch", "--no-progress", "--workers", "1", "-g", "tx-fhsp"]
GRADPATH = [sys.executable, "-c", "from cli.main import main; main()"]


def _positions(out: Path) -> list[int]:
    """Every input position of a finished run: the output's and the errors file's."""
    errors = out.with_name(out.name + ".errors.jsonl")
    return sorted(r["index"] for r in [*read_jsonl(out), *read_jsonl(errors)])


def test_an_escaped_surrogate_in_a_record_costs_that_student_not_the_run(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    bad = dict(students(1)[0], id="S-\ud800")  # json.dumps writes it as "\ud800"
    source = write_jsonl(tmp_path / "s.jsonl", [*students(3), bad, *students(2)])
    out = tmp_path / "o.jsonl"
    report = run_local(source, out, files=files, chunk_size=2)
    assert (report.audited, report.errors) == (5, 1)
    (error,) = read_jsonl(tmp_path / "o.jsonl.errors.jsonl")
    assert (error["index"], error["where"]) == (3, f"{source}:4")
    assert error["student"] == "S-\\ud800"  # written out, not a crash on encoding
    assert _positions(out) == list(range(6))


def test_a_bad_edfi_bundle_whose_file_name_is_not_utf8_is_an_error_record(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    (folder / "a.json").write_bytes(EDFI_BUNDLE.read_bytes())
    # A Latin-1 "é" in the name: Python keeps the undecodable byte as a surrogate.
    (folder / "Jos\udce9.json").write_text("{", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    options = BatchOptions(goals=("tx-fhsp",), jurisdiction="TX")
    report = run_local(folder, out, files=files, input_format="edfi", options=options)
    assert (report.audited, report.errors) == (1, 1)
    (error,) = read_jsonl(tmp_path / "o.jsonl.errors.jsonl")
    assert error["code"] == "invalid-json"
    assert error["where"].endswith("Jos\\udce9.json")


def test_a_csv_header_with_a_name_and_an_id_column_stops_before_grouping_by_name(
    tmp_path: Path,
) -> None:
    source = tmp_path / "h.csv"
    source.write_text(
        "Student,Student ID,course,grade_level,grade\n"
        "Ana Diaz,H-1,ENG1,9,A\nAna Diaz,H-2,ALG1,9,B\nBo Li,H-3,ALG1,9,B\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"h\.csv:1: .*two columns for student_id"):
        count_students(source, "csv")
    out = tmp_path / "o.jsonl"
    done = runner.invoke(
        app,
        [*BATCH, "--students", str(source), "--out", str(out), "-j", "TX", "--cohort", "2028"],
    )
    assert done.exit_code == 1, done.output
    assert "two columns for student_id" in done.output
    assert not out.with_name("o.jsonl.errors.jsonl").exists()  # no names written anywhere


def test_a_csv_header_no_student_can_be_imported_with_stops_the_run(tmp_path: Path) -> None:
    source = tmp_path / "h.csv"
    source.write_text("student_id,grade_level,grade\nH-1,9,A\nH-2,9,B\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"needs a 'course' or 'sced' column"):
        count_students(source, "csv")
    source.write_text("student_id,course,grade\nH-1,ENG1,A\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"needs a 'grade_level' column"):
        count_students(source, "csv")


def test_an_unreadable_csv_line_is_named(tmp_path: Path) -> None:
    source = tmp_path / "h.csv"
    rows = ["student_id,course,grade_level,grade", "H-1,ENG1,9,A", "H-2,ALG1,9,B"]
    rows.append('H-3,"' + "x" * 200_000 + '",9,A')  # over the csv module's field limit
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"h\.csv:4: unreadable CSV"):
        count_students(source, "csv")


def test_a_byte_order_mark_alone_on_the_first_line_is_a_blank_line(tmp_path: Path) -> None:
    records = students(2)
    source = tmp_path / "s.jsonl"
    source.write_bytes(b"\xef\xbb\xbf\r\n" + b"\r\n".join(json.dumps(r).encode() for r in records))
    items = list(read_students(source, "jsonl"))
    assert count_students(source, "jsonl") == len(items) == 2
    assert [(i.index, i.where, i.kind) for i in items] == [
        (0, f"{source}:2", "json"),
        (1, f"{source}:3", "json"),
    ]


@pytest.mark.parametrize("shape", ["one student", "an array"])
def test_a_pretty_printed_json_file_is_refused_not_read_line_by_line(
    tmp_path: Path, shape: str
) -> None:
    records = students(2)
    document = records[0] if shape == "one student" else records
    source = tmp_path / "s.json"
    source.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.json:1: this is one JSON document .* not JSON Lines"):
        count_students(source, "jsonl")
    with pytest.raises(InputError, match="not JSON Lines"):
        list(read_students(source, "jsonl"))


def test_outputs_that_would_overwrite_the_input_or_each_other_are_refused(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", students(2))
    before = source.read_bytes()

    def run(
        out: Path,
        source: Path = source,
        errors_file: Path | None = None,
        summary_file: Path | None = None,
    ) -> None:
        run_batch(
            source=source,
            input_format="edfi" if source.is_dir() else "jsonl",
            out=out,
            output_format="jsonl",
            options=BatchOptions(goals=("tx-fhsp",), jurisdiction="TX"),
            backend=LocalBackend(ROOT, 1),
            knowledge_files=files,
            errors_file=errors_file,
            summary_file=summary_file,
            restart=True,
        )

    with pytest.raises(OutputExistsError, match="the errors file would overwrite the input"):
        run(tmp_path / "o.jsonl", errors_file=source)
    with pytest.raises(OutputExistsError, match="the output would overwrite the input"):
        run(source)
    with pytest.raises(OutputExistsError, match="the summary file and the output are one file"):
        run(tmp_path / "o.jsonl", summary_file=tmp_path / "o.jsonl")
    assert source.read_bytes() == before
    folder = tmp_path / "bundles"
    folder.mkdir()
    (folder / "a.json").write_bytes(EDFI_BUNDLE.read_bytes())
    with pytest.raises(OutputExistsError, match="read it as an Ed-Fi bundle"):
        run(folder / "o.jsonl", source=folder)  # its summary would be folder/o.jsonl.summary.json
    assert sorted(p.name for p in folder.iterdir()) == ["a.json"]


def test_a_malformed_dask_address_is_a_clear_error_at_once() -> None:
    pytest.importorskip("distributed")
    from engine.batch.dask import DaskBackend  # Dask imports only when asked for

    started = time.monotonic()
    backend = DaskBackend({}, address="notanaddress")
    with pytest.raises(BackendError, match="notanaddress is not a Dask scheduler address"):
        list(backend.run(iter([]), BatchOptions()))
    assert time.monotonic() - started < 15


def test_a_root_without_rules_is_named_not_every_goal_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = write_jsonl(tmp_path / "s.jsonl", students(1))
    done = runner.invoke(
        app,
        [*BATCH, "--students", str(source), "--out", str(tmp_path / "o.jsonl"), "--root", "."],
    )
    assert done.exit_code == 1
    assert "no rule sets found" in done.output


def test_ctrl_c_while_the_workers_start_stops_the_run_and_a_rerun_resumes(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    """Ctrl-C reaches the workers too (one process group). Cancelling the queued chunks left
    Python 3.11's pool manager failing on a cancelled future, and the command hung at exit."""
    records = students(400)  # chunks of 50 records: more than a pipe's buffer each
    source = write_jsonl(tmp_path / "s.jsonl", records)
    out = tmp_path / "o.jsonl"
    args = ["batch", "--students", str(source), "--out", str(out), "-g", "tx-fhsp"]
    args += ["--chunk-size", "50", "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(
        [*GRADPATH, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C sees it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "o.jsonl.parts/manifest.json").exists():
            assert proc.poll() is None, "the run ended before it started"
            assert time.monotonic() < deadline, "the run did not start in time"
            time.sleep(0.01)
        time.sleep(0.3)  # the chunks are queued; the spawned workers are still importing
        os.killpg(proc.pid, signal.SIGINT)
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("the interrupted batch hung instead of exiting")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert code != 0
    report = run_local(
        source, out, files=files, options=BatchOptions(goals=("tx-fhsp",)), chunk_size=50, workers=1
    )
    assert report.students == report.audited == 400
    assert [r["student"] for r in read_jsonl(out)] == [r["id"] for r in records]


def test_an_edfi_bundle_with_a_capital_suffix_is_a_student(tmp_path: Path) -> None:
    # Was: only ``*.json`` was read, so ``B.JSON`` (an export's habit) was passed over silently.
    folder = tmp_path / "edfi"
    folder.mkdir()
    (folder / "a.json").write_bytes(EDFI_BUNDLE.read_bytes())
    (folder / "B.JSON").write_bytes(EDFI_BUNDLE.read_bytes())
    (folder / "notes.txt").write_text("not a bundle", encoding="utf-8")
    items = list(read_students(folder, "edfi"))
    assert [Path(i.where).name for i in items] == ["B.JSON", "a.json"]
