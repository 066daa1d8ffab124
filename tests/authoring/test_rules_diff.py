"""``gradpath rules diff``: what a new version changes, in the reviewer's words, across extends."""

from __future__ import annotations

import json
from pathlib import Path

from engine.authoring.diff import diff_sets
from engine.model import RequirementSet
from tests.authoring.conftest import ROOT, check_golden, run_cli

FHSP = ROOT / "rules" / "tx" / "2025" / "fhsp.yaml"
STEM = ROOT / "rules" / "tx" / "2025" / "endorsement-stem.yaml"


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def fhsp_next(tmp_path: Path) -> Path:
    """A proposed Foundation program: one edit of each kind a reviewer must see."""
    text = edited(
        FHSP.read_text(encoding="utf-8"),
        # credits 2 -> 3
        (
            "      - credits: 2\n        from: {attribute: [tx:ipc, tx:advanced-science]}",
            "      - credits: 3\n        from: {attribute: [tx:ipc, tx:advanced-science]}",
        ),
        # a course added to a list
        ("from: {course: COMMAPP}", "from: {course: [COMMAPP, DEBATE1]}"),
        # the minimum passing grade raised
        ("    min_passing: D\n", "    min_passing: C\n"),
        # a requirement removed
        (
            "  fine_arts:\n    title: Fine arts (1 credit)\n"
            "    description: One credit of art, band, choir, dance or theatre"
            " (or Floral Design).\n"
            "    credits: 1\n    from: {attribute: tx:fine-arts}\n",
            "",
        ),
        # a policy's threshold raised
        ("      - credits: {at_least: 2}", "      - credits: {at_least: 3}"),
    )
    path = tmp_path / "fhsp-next.yaml"  # outside any tree: it stands in for the bundled set
    path.write_text(text, encoding="utf-8")
    return path


def test_semantic_diff_of_the_foundation_program(tmp_path: Path) -> None:
    code, out, err = run_cli("rules", "diff", str(FHSP), str(fhsp_next(tmp_path)))
    assert code == 0, err
    assert "~ requirement 'science' > all[1]: credits 2 -> 3 (raised)" in out
    assert "+ requirement 'english' > all[3]: limits[0].from.course added DEBATE1" in out
    assert "~ rule set: grading.scale.min_passing D -> C (raised)" in out
    assert "- requirement 'fine_arts': removed {" in out
    assert "~ policy 'tx-cs-for-lote': when[0].credits.at_least 2 -> 3 (raised)" in out
    # Every endorsement and the DLA extend the Foundation program: they change with it.
    assert "tx-endorsement-stem 2025" in out.splitlines()[-1]
    check_golden("diff-fhsp.txt", out)


def test_json_diff(tmp_path: Path) -> None:
    code, out, _ = run_cli("rules", "diff", str(FHSP), str(fhsp_next(tmp_path)), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["ruleset"] == "tx-fhsp"
    kinds = {(c["kind"], c["where"]) for c in data["changes"]}
    assert ("removed", "requirement 'fine_arts'") in kinds
    assert {"ruleset": "tx-dla", "catalog_year": 2025} in data["also_changed"]


def test_diff_across_extends_compares_the_merged_sets(tmp_path: Path) -> None:
    """A child that overrides an inherited requirement shows the change against the parent's."""
    text = STEM.read_text(encoding="utf-8")
    proposed = text + (
        "\n  pe:\n    title: Physical education (2 credits)\n    credits: 2\n"
        "    from: {attribute: tx:pe}\n"
    )
    path = tmp_path / "stem-next.yaml"
    path.write_text(proposed, encoding="utf-8")
    code, out, err = run_cli("rules", "diff", str(STEM), str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "tx-endorsement-stem (catalog year 2025): 3 change(s)"
    assert lines[2].startswith("- requirement 'pe': description removed One credit of PE")
    assert (
        "~ requirement 'pe': title Physical education (1 credit) -> Physical education (2 credits)"
        in lines
    )
    assert "~ requirement 'pe': credits 1 -> 2 (raised)" in lines
    # DLA names the endorsements in a goal requirement, so its result can change too.
    assert lines[-1] == "rule sets that change with it (extends or goal): tx-dla 2025"


def test_identical_versions_have_no_changes(tmp_path: Path) -> None:
    copy = tmp_path / "same.yaml"
    copy.write_text(FHSP.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli("rules", "diff", str(FHSP), str(copy))
    assert code == 0
    assert out == "tx-fhsp (catalog year 2025): 0 change(s)\n"


def test_different_sets_or_broken_files_are_errors(tmp_path: Path) -> None:
    code, _, err = run_cli("rules", "diff", str(FHSP), str(STEM))
    assert code == 1
    assert "different rule sets" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text(FHSP.read_text(encoding="utf-8").replace("credits: 22", "credit: 22"))
    code, _, err = run_cli("rules", "diff", str(FHSP), str(broken))
    assert code == 1
    assert "did you mean 'credits' instead of 'credit'?" in err
    code, _, err = run_cli("rules", "diff", str(FHSP), str(tmp_path / "missing.yaml"))
    assert code == 1


def test_children_align_like_a_text_diff() -> None:
    """A sub-requirement inserted in the middle is one addition, not a cascade of changes."""
    base = {
        "id": "demo",
        "title": "Demo",
        "kind": "graduation",
        "jurisdiction": "TX",
        "catalog_year": 2025,
        "source": {"citation": "Demo code", "year": 2025},
        "requirements": {"math": {"all": [{"course": "ALG1"}, {"course": "ALG2"}]}},
    }
    new = {
        **base,
        "requirements": {
            "math": {"all": [{"course": "ALG1"}, {"course": "GEOM"}, {"course": "ALG2"}]},
            "science": {"credits": 2, "from": {"subject": "science"}},
        },
    }
    changes = diff_sets(RequirementSet.model_validate(base), RequirementSet.model_validate(new))
    assert [c.render() for c in changes] == [
        "+ requirement 'math': all[1] added {course: GEOM}",
        "+ requirement 'science': added {credits: 2, from: {subject: [science]}}",
    ]


def test_a_change_of_dating_is_shown() -> None:
    """Dating a set by enrolment moves every class to another version: a reviewer must see it."""
    base = {
        "id": "demo",
        "title": "Demo",
        "kind": "eligibility",
        "jurisdiction": "US",
        "catalog_year": 2027,
        "source": {"citation": "Demo code", "year": 2027},
        "requirements": {"english": {"credits": 4, "from": {"subject": "english"}}},
    }
    new = {**base, "dated_by": "enrolment"}
    changes = diff_sets(RequirementSet.model_validate(base), RequirementSet.model_validate(new))
    assert [c.render() for c in changes] == ["+ rule set: dated_by added enrolment"]
