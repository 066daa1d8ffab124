"""`gradpath import` and `gradpath openapi`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import ROOT, gradpath

BUNDLE = ROOT.parent / "shared/reference/data/edfi_sample_student_bundle.json"


def test_import_edfi_writes_a_student_that_audits(tmp_path: Path) -> None:
    out = tmp_path / "student.json"
    crosswalk = tmp_path / "crosswalk.json"
    crosswalk.write_text(json.dumps({"BIO-01": "BIO"}))
    done = gradpath(
        "import", "edfi", str(BUNDLE), "-j", "TX", "--crosswalk", str(crosswalk), "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    student = json.loads(out.read_text())
    assert [r.get("course") or r.get("sced") for r in student["transcript"]] == [
        "02052",
        "01001",
        "BIO",
    ]
    assert "unmapped courseTranscripts[2]" in done.stderr
    audited = gradpath("audit", str(out), "--goal", "tx-fhsp")
    assert audited.returncode == 0, audited.stderr
    assert "Biology" in audited.stdout


def test_import_csv_to_stdout_and_bad_input_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "history.csv"
    good.write_text("student_id,course,grade_level,grade\nQ-9,ALG1,9,A\n")
    done = gradpath("import", "csv", str(good), "-j", "TX", "--cohort", "2029")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "Q-9"
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    failed = gradpath("import", "csv", str(empty), "-j", "TX", "--cohort", "2029")
    assert failed.returncode == 1
    assert "needs a header line" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_openapi_command_writes_the_committed_document(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    done = gradpath("openapi", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text()) == json.loads((ROOT / "docs/openapi.json").read_text())


def test_import_edfi_of_the_wrong_shape_says_where(tmp_path: Path) -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    bundle["graduationPlans"] = {"schoolYear": 2028}
    broken = tmp_path / "bundle.json"
    broken.write_text(json.dumps(bundle))
    failed = gradpath("import", "edfi", str(broken), "-j", "TX")
    assert failed.returncode == 1
    assert "error: graduationPlans is an object, not an array" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_import_edfi_warns_when_the_bundle_is_short_of_transcripts(tmp_path: Path) -> None:
    bundle = json.loads(BUNDLE.read_text(encoding="utf-8"))
    del bundle["courseTranscripts"][3]  # BIO-01, Spring 2025: its record still counts it
    short = tmp_path / "bundle.json"
    short.write_text(json.dumps(bundle))
    done = gradpath("import", "edfi", str(short), "-j", "TX")
    assert done.returncode == 0, done.stderr  # a warning, not a refusal: the record imports
    assert json.loads(done.stdout)["id"] == "S-000123"
    assert (
        "warning: studentAcademicRecords[1] (school year 2025, Spring Semester) reports 1.5 "
        "credits earned; the bundle's courseTranscripts of that session earn 0.5"
    ) in done.stderr
