"""A selector value no course carries (``subject: englsh``) matches nothing: ``validate`` warns
at its line and column, and still passes, since a rule may rightly name a kind of course its
catalogs do not list yet (the bundled ones do: see the last test)."""

from __future__ import annotations

import json
from pathlib import Path

from engine import load_knowledge
from tests.authoring.conftest import run_cli
from tests.authoring.test_selector_courses import HEAD, tree

ROOT = Path(__file__).resolve().parents[2]

RULES = (
    HEAD
    + """\
requirements:
  math:
    credits: 2
    from: {subject: maths}
  science:
    credits: 1
    from: {sced: ["03"]}
  electives:
    credits: 3
    from: {subject: cs}
"""
)


def test_validate_warns_where_a_selector_matches_nothing_and_passes(tmp_path: Path) -> None:
    root = tree(tmp_path, RULES)
    code, out, err = run_cli("validate", str(root))
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == (
        "rules/tx/2025/demo.yaml:11:21: warning: subject 'maths' is on no course of any TX "
        "catalog: this matches no course until a catalog lists one (did you mean 'math'?) "
        "[matches-no-course]"
    )
    assert (
        "rules/tx/2025/demo.yaml:14:19: warning: no course of any TX catalog has a SCED code "
        "starting '03': this matches no course until a catalog lists one [matches-no-course]"
    ) in lines
    assert lines[-1] == "all rule and catalog files are valid (2 warning(s))"
    # The knowledge loads: warnings never refuse files (the service starts on them).
    assert len(load_knowledge(root).warnings) == 2


def test_json_output_keeps_warnings_apart_from_errors(tmp_path: Path) -> None:
    root = tree(tmp_path, RULES.replace("from: {subject: cs}", "from: {course: CS9}"))
    code, out, _ = run_cli("validate", str(root), "--format", "json")
    assert code == 1  # CS9 is an unknown course: an error
    found = json.loads(out)
    assert [e["code"] for e in found["errors"]] == ["unknown-course"]
    assert [w["severity"] for w in found["warnings"]] == ["warning", "warning"]
    code, out, err = run_cli("rules", "validate", str(root))
    assert code == 1
    assert "1 error(s) (2 warning(s))" in err


def test_the_bundled_rules_warn_of_the_career_clusters_their_catalogs_lack() -> None:
    # The Public Services endorsement (TX) and California's CTE pathway name the Government and
    # Public Administration and Human Services clusters, which no bundled catalog course is in:
    # those options cannot be met until the catalogs list such courses.
    warned = {
        (Path(d.file).name, d.message.split(" is on no course")[0])
        for d in load_knowledge(ROOT).warnings
    }
    assert warned == {
        ("ca-grad.yaml", "attribute 'cte:government-public-administration'"),
        ("ca-grad.yaml", "attribute 'cte:human-services'"),
        ("endorsement-public-services.yaml", "attribute 'cte:government-public-administration'"),
        ("endorsement-public-services.yaml", "attribute 'cte:human-services'"),
        (
            "endorsement-public-services.yaml",
            "attribute 'tx:cte-advanced:government-public-administration'",
        ),
        ("endorsement-public-services.yaml", "attribute 'tx:cte-advanced:human-services'"),
    }
