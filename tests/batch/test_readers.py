"""Readers: every student of every format, numbered by input position, nothing parsed early."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from engine.batch import InputError, count_students, detect_format
from engine.batch.readers import read_students
from tests.batch.batchkit import EDFI_BUNDLE, students, write_jsonl

CSV_HEADER = "student_id,course,grade_level,term,grade,credits,cohort\n"


def test_json_lines_skip_blank_lines_and_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"a": 1}\n\n   \n{"b": 2}\nnot json\n', encoding="utf-8")
    items = list(read_students(path, "jsonl"))
    assert [(i.index, i.kind, i.where) for i in items] == [
        (0, "json", f"{path}:1"),
        (1, "json", f"{path}:4"),
        (2, "json", f"{path}:5"),
    ]
    assert count_students(path, "jsonl") == 3


def test_a_line_that_is_not_utf8_is_an_error_item_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": "\xff"}\n')
    kinds = [(i.kind, i.payload) for i in read_students(path, "jsonl")]
    assert kinds[1] == ("error", "not UTF-8 at byte 8")


def test_csv_groups_contiguous_students_and_keeps_input_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        CSV_HEADER
        + "S1,ENG1,9,year,A,1,2027\nS1,ALG1,9,year,B,1,2027\n\nS2,ENG1,9,year,C,1,2028\n",
        encoding="utf-8",
    )
    items = list(read_students(path, "csv"))
    assert [(i.index, i.student, i.lines, dict(i.facts)) for i in items] == [
        (0, "S1", (2, 3), {"cohort": "2027"}),
        (1, "S2", (5,), {"cohort": "2028"}),
    ]
    assert items[0].payload.splitlines() == [
        CSV_HEADER.strip(),
        *["S1,ENG1,9,year,A,1,2027", "S1,ALG1,9,year,B,1,2027"],
    ]
    assert count_students(path, "csv") == 2


def test_csv_students_split_across_the_file_are_gathered_in_first_appearance_order(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        CSV_HEADER + "S2,ENG1,9,year,A,1,2027\nS1,ENG1,9,year,B,1,2027\nS2,ALG1,9,year,C,1,2027\n",
        encoding="utf-8",
    )
    items = list(read_students(path, "csv"))
    assert [(i.student, i.lines) for i in items] == [("S2", (2, 4)), ("S1", (3,))]


def test_csv_lines_without_a_student_id_are_an_error_item(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(CSV_HEADER + ",ENG1,9,year,A,1,2027\n", encoding="utf-8")
    (item,) = read_students(path, "csv")
    assert item.kind == "error"
    assert "line(s) 2" in item.payload
    assert "empty student id" in item.payload


def test_csv_without_a_student_id_column_cannot_start(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("course,grade_level\nENG1,9\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"h\.csv:1: the header needs a student id column"):
        list(read_students(path, "csv"))


def test_parquet_reads_the_student_column(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    texts = [json.dumps(r) for r in students(3)]
    pq.write_table(pa.table({"student": [texts[0], None, texts[2]], "other": [1, 2, 3]}), path)
    items = list(read_students(path, "parquet"))
    assert [(i.index, i.kind) for i in items] == [(0, "json"), (1, "error"), (2, "json")]
    assert items[2].payload == texts[2]
    assert count_students(path, "parquet") == 3


def test_parquet_without_the_student_column_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    pq.write_table(pa.table({"record": ["{}"]}), path)
    with pytest.raises(InputError, match="no column 'student'"):
        list(read_students(path, "parquet"))


def test_an_edfi_folder_is_one_student_per_file_in_name_order(tmp_path: Path) -> None:
    for name in ("b.json", "a.json"):
        (tmp_path / name).write_bytes(EDFI_BUNDLE.read_bytes())
    (tmp_path / "notes.txt").write_text("ignored")
    items = list(read_students(tmp_path, "edfi"))
    assert [(i.index, Path(i.where).name, i.kind) for i in items] == [
        (0, "a.json", "edfi"),
        (1, "b.json", "edfi"),
    ]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("x.jsonl", "jsonl"), ("x.ndjson", "jsonl"), ("x.csv", "csv"), ("x.parquet", "parquet")],
)
def test_formats_are_told_by_suffix(tmp_path: Path, name: str, fmt: str) -> None:
    assert detect_format(tmp_path / name) == fmt


def test_an_unknown_suffix_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"x\.xlsx: cannot tell the format .*\.csv"):
        detect_format(tmp_path / "x.xlsx")
    assert detect_format(tmp_path) == "edfi"
    with pytest.raises(InputError, match="no such file"):
        count_students(write_jsonl(tmp_path / "s.jsonl", []).with_name("gone.jsonl"), "jsonl")
