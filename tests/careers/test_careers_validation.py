"""Career files: every mistake is reported at file:line:col, never as a traceback.

Files are written to a temporary project root (catalogs/, rules/, careers/) and loaded the way
``gradpath validate`` loads the bundled tree: ``build_knowledge(load_tree(root))``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine import AuthoringError, Diagnostic, build_knowledge, load_tree
from engine.loader import load_career_file

CATALOG = """\
schema_version: 1
id: tx-test
title: test catalog
jurisdiction: TX
catalog_year: 2025
source: {citation: test fixture, year: 2025}
courses:
  - {id: ALG1, title: Algebra I, subject: math, credits: 1}
  - {id: BIO, title: Biology, subject: science, credits: 1}
  - {id: PHS, title: Principles of Health Science, subject: cte, credits: 1,
     attributes: [cte:health-science, pos:health-science]}
  - {id: MEDTERM, title: Medical Terminology, subject: cte, credits: 1,
     attributes: [cte:health-science, pos:health-science]}
"""

DIPLOMA = """\
schema_version: 1
id: tx-fhsp
title: Test diploma
kind: graduation
jurisdiction: TX
catalog_year: 2025
source: {citation: test fixture, year: 2025}
requirements:
  math: {credits: 1, from: {subject: math}}
"""

ROUTES = """\
schema_version: 1
source: {citation: test fixture, year: 2025}
diplomas: {TX: tx-fhsp, CA: ca-grad}
routes:
  bachelor: {CA: [uc-ag]}
"""

CAREERS = """\
schema_version: 1
cluster: health-science
catalog_year: 2025
source: {citation: test fixture, year: 2025}
careers:
  - id: registered-nurse
    title: Registered Nurse
    soc: "29-1141"
    entry_education: bachelors
    programs: [health-science]
    coursework:
      - {subject: science, credits: 1}
    routes:
      - {kind: bachelor, title: BSN}
    source: {citation: test fixture, year: 2025}
"""


def _root(tmp_path: Path, careers: str = CAREERS, routes: str = ROUTES) -> Path:
    files = {
        "catalogs/tx/2025/courses.yaml": CATALOG,
        "rules/tx/2025/fhsp.yaml": DIPLOMA,
        "careers/routes.yaml": routes,
        "careers/health-science.yaml": careers,
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _errors(root: Path) -> list[Diagnostic]:
    with pytest.raises(AuthoringError) as caught:
        build_knowledge(load_tree(root))
    return list(caught.value.diagnostics)


def test_a_valid_tree_loads_and_compiles_the_career(tmp_path: Path) -> None:
    kb = build_knowledge(load_tree(_root(tmp_path)))
    assert set(kb.careers.entries) == {"registered-nurse"}
    assert "career-registered-nurse" in kb.rulesets
    # CA lists uc-ag and ca-grad, neither loaded here: pending, not an error.
    pending = {(p.jurisdiction, p.ruleset) for p in kb.careers.pending}
    assert pending == {("CA", "uc-ag"), ("CA", "ca-grad")}


def test_schema_errors_point_at_the_value(tmp_path: Path) -> None:
    bad = CAREERS.replace('"29-1141"', '"29-114"').replace("[health-science]", "[nursing]")
    bad = bad.replace("entry_education: bachelors", "entry_education: bachelor")
    errors = _errors(_root(tmp_path, bad))
    where = {(d.line, d.column, d.code) for d in errors}
    assert (8, 10, "invalid-value") in where  # soc
    assert (9, 22, "invalid-value") in where  # entry_education
    assert (10, 16, "invalid-value") in where  # programs[0]
    texts = " | ".join(d.message for d in errors)
    assert "a 2018 SOC code such as '29-1141'" in texts
    assert "did you mean 'bachelors'?" in texts
    assert "did you mean 'nursing-science'?" in texts
    assert all(d.file == "careers/health-science.yaml" for d in errors)
    assert any("career 'registered-nurse' (careers[0]) > soc" in d.breadcrumb for d in errors)


def test_unknown_cluster_has_a_suggestion(tmp_path: Path) -> None:
    errors = _errors(_root(tmp_path, CAREERS.replace("cluster: health-science", "cluster: health")))
    assert [(d.line, d.column) for d in errors] == [(2, 10)]
    assert "did you mean 'health-science'?" in errors[0].message


def test_unknown_rule_set_in_a_route_is_an_error_at_its_position(tmp_path: Path) -> None:
    bad = CAREERS.replace("title: BSN}", "title: BSN, sets: {TX: [tx-fhps]}}")
    errors = _errors(_root(tmp_path, bad))
    assert [(d.code, d.line) for d in errors] == [("unknown-ruleset", 14)]
    assert "no rule set with id 'tx-fhps' (did you mean 'tx-fhsp'?)" in errors[0].message


def test_unknown_rule_set_in_route_defaults_is_an_error(tmp_path: Path) -> None:
    errors = _errors(_root(tmp_path, routes=ROUTES.replace("CA: [uc-ag]", "CA: [uc-abc]")))
    assert [(d.file, d.line, d.code) for d in errors] == [
        ("careers/routes.yaml", 5, "unknown-ruleset")
    ]


def test_state_attributes_are_refused_in_national_coursework(tmp_path: Path) -> None:
    bad = CAREERS.replace("{subject: science, credits: 1}", '{attribute: "tx:biology", credits: 1}')
    errors = _errors(_root(tmp_path, bad))
    assert [d.code for d in errors] == ["unknown-attribute"]
    assert errors[0].line == 12


def test_coursework_no_course_of_a_state_can_meet_is_an_error(tmp_path: Path) -> None:
    bad = CAREERS.replace("{subject: science, credits: 1}", "{subject: fine-arts, credits: 1}")
    errors = _errors(_root(tmp_path, bad))
    assert [d.code for d in errors] == ["matches-nothing"]
    assert "TX catalog 'tx-test'" in errors[0].message
    assert (errors[0].line, errors[0].column) == (12, 9)


def test_a_duplicate_career_id_names_the_first(tmp_path: Path) -> None:
    first = CAREERS.split("careers:\n", 1)[1]
    errors = _errors(_root(tmp_path, CAREERS + first))
    assert [d.code for d in errors] == ["duplicate-career"]
    assert "careers/health-science.yaml:6" in errors[0].message


def test_an_unconfirmed_2024_cluster_name_is_refused(tmp_path: Path) -> None:
    bad = CAREERS.replace(
        "catalog_year: 2025", "cluster_2024: Health Science 2024\ncatalog_year: 2025"
    )
    errors = _errors(_root(tmp_path, bad))
    assert [d.code for d in errors] == ["unconfirmed-cluster"]
    assert "'Healthcare & Human Services'" in errors[0].message


def test_one_file_alone_reports_every_problem(tmp_path: Path) -> None:
    path = _root(tmp_path, CAREERS.replace("    title: Registered Nurse\n", "")) / "careers"
    with pytest.raises(AuthoringError) as caught:
        load_career_file(path / "health-science.yaml", tmp_path)
    [diag] = caught.value.diagnostics
    assert diag.code == "missing-key"
    assert "'title'" in diag.message
    assert diag.line == 6
