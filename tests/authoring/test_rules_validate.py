"""``gradpath rules validate`` (and its old name ``gradpath validate``) on real and broken files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.authoring.conftest import check_golden, gradpath, run_cli

BROKEN = """\
schema_version: 1
id: demo-diploma
title: Demo diploma
kind: graduation
jurisdiction: TX
catalog_year: 2025
source: {citation: Demo Administrative Code 1.2, year: 2025}
requirements:
  math:
    all:
      - course: ALG1
      - course: GEOM
      - credits: 1
        from: {subject: math}
        min_grde: C
  science:
    credit: 3
    from: {subject: science}
  english:
    n_of: 3
    of:
      - course: ENG1
      - course: ENG2
"""


def test_bundled_files_are_valid() -> None:
    done = gradpath("rules", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all rule and catalog files are valid" in done.stdout


def test_every_error_at_once_compiler_style(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN)
    done = gradpath("rules", "validate", "broken.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    # file:line:col, the source line with a caret, the breadcrumb, a did-you-mean; all three.
    assert "broken.yaml:15:9: unknown key 'min_grde' (did you mean 'min_grade'?)" in done.stdout
    assert "in requirement 'math' > all[2]" in done.stdout
    assert "3 error(s)" in done.stderr
    check_golden("validate-broken.txt", done.stdout)


def test_json_for_editors_and_ci(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN)
    done = gradpath("rules", "validate", "broken.yaml", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    errors = json.loads(done.stdout)["errors"]
    first = errors[0]
    assert (first["line"], first["column"], first["code"]) == (15, 9, "unknown-key")
    assert {e["file"] for e in errors} == {"broken.yaml"}
    assert len(errors) == 3


def test_old_name_still_works(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN)
    old = gradpath("validate", "broken.yaml", cwd=tmp_path)
    new = gradpath("rules", "validate", "broken.yaml", cwd=tmp_path)
    assert old.returncode == new.returncode == 1
    assert old.stdout == new.stdout


def test_a_bad_format_is_a_usage_error() -> None:
    done = gradpath("rules", "validate", "--format", "xml")
    assert done.returncode == 2


def test_rule_test_files_are_checked_too(tx_tree: Path) -> None:
    cases = tx_tree / "rules" / "tx" / "2025" / "fhsp.tests.yaml"
    cases.write_text("schema_version: 1\nruleset: tx-fhsp\nsource: 19 TAC 74.12\ncasse: []\n")
    code, out, err = run_cli("rules", "validate", str(tx_tree))
    assert code == 1
    assert "fhsp.tests.yaml:4:1: unknown key 'casse' (did you mean 'cases'?)" in out
    assert "2 error(s)" in err  # and 'cases' is missing
