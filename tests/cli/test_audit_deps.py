"""The dependency audit's verdict, read from pip-audit's real outputs (no network needed).

The captured outputs are in ``tests/cli/audit_outputs/`` (see its README). The rule under test:
a run that did not look every dependency up is NOT AUDITED, whatever pip-audit's exit code.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from cli.audit_deps import EXIT, Verdict, audit, classify, main

OUT = Path(__file__).parent / "audit_outputs"


def read(name: str) -> str:
    return (OUT / name).read_text(encoding="utf-8")


def test_pypi_answering_404_is_not_audited() -> None:
    outcome = classify(1, "", read("pypi-unreachable.stderr"))
    assert outcome.verdict is Verdict.NOT_AUDITED
    assert outcome.lines == (
        "ERROR:pip_audit._cli:absl-py: Dependency not found on PyPI and could not be audited: "
        "absl-py (2.5.1)",
    )


def test_osv_not_resolving_is_not_audited_and_says_why() -> None:
    outcome = classify(1, "", read("osv-unreachable.stderr"))
    assert outcome.verdict is Verdict.NOT_AUDITED
    assert any("Failed to resolve 'api.osv.dev'" in line for line in outcome.lines)
    assert len(outcome.lines) <= 3


def test_exit_0_with_every_dependency_skipped_is_not_clean() -> None:
    # What pip-audit says here without --strict: "No known vulnerabilities found", exit 0.
    report = read("not-strict-all-skipped.json")
    outcome = classify(0, report, "No known vulnerabilities found\n")
    assert outcome.verdict is Verdict.NOT_AUDITED
    assert outcome.lines[0] == (
        "Dependency not found on PyPI and could not be audited: absl-py (2.5.1)"
    )


def test_one_skipped_dependency_among_clean_ones_is_not_clean() -> None:
    report = read("clean.json").replace(
        '{"name": "pyyaml", "version": "6.0.3", "vulns": []}',
        '{"name": "pyyaml", "skip_reason": "could not be audited"}',
    )
    assert "skip_reason" in report
    assert classify(0, report, "").verdict is Verdict.NOT_AUDITED


def test_a_full_report_with_no_findings_is_clean() -> None:
    outcome = classify(0, read("clean.json"), "No known vulnerabilities found\n")
    assert outcome.verdict is Verdict.CLEAN
    assert outcome.audited == 2


def test_a_finding_is_vulnerable_with_its_fix() -> None:
    outcome = classify(1, read("vulnerable.json"), "Found 1 known vulnerability in 1 package\n")
    assert outcome.verdict is Verdict.VULNERABLE
    assert outcome.lines == ("jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)",)


@pytest.mark.parametrize(
    ("code", "stdout", "stderr"),
    [
        (0, "", ""),  # exit 0 and no report at all
        (0, "not json", ""),
        (0, '{"dependencies": []}', ""),  # nothing was looked up
        (2, "", "usage: pip-audit [-h] ...\npip-audit: error: unrecognized arguments"),
        (1, "", ""),
    ],
)
def test_anything_else_is_not_audited(code: int, stdout: str, stderr: str) -> None:
    outcome = classify(code, stdout, stderr)
    assert outcome.verdict is Verdict.NOT_AUDITED
    assert outcome.lines  # always says why


def fake_pip_audit(tmp_path: Path, answers: dict[str, tuple[int, str, str]]) -> Path:
    """An executable standing in for the interpreter: answers per ``--service`` value."""
    for service, (code, out, err) in answers.items():
        (tmp_path / f"{service}.out").write_text(out, encoding="utf-8")
        (tmp_path / f"{service}.err").write_text(err, encoding="utf-8")
        (tmp_path / f"{service}.code").write_text(str(code), encoding="utf-8")
    script = tmp_path / "python"
    script.write_text(
        "#!/bin/sh\n"
        'for a; do s="$a"; done\n'  # the last argument is the service
        f'd="{tmp_path}"\n'
        'echo "$s" >> "$d/calls"\n'
        'cat "$d/$s.out"; cat "$d/$s.err" >&2; exit "$(cat "$d/$s.code")"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_the_next_service_is_tried_when_one_cannot_audit(tmp_path: Path) -> None:
    python = fake_pip_audit(
        tmp_path,
        {
            "pypi": (1, "", read("pypi-unreachable.stderr")),
            "osv": (1, read("vulnerable.json"), "Found 1 known vulnerability in 1 package\n"),
        },
    )
    tried = audit(["pypi", "osv"], python)
    assert [(service, got.verdict) for service, got in tried] == [
        ("pypi", Verdict.NOT_AUDITED),
        ("osv", Verdict.VULNERABLE),
    ]
    assert (tmp_path / "calls").read_text().split() == ["pypi", "osv"]


def test_the_command_prints_the_verdict_last_and_exits_by_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unreachable = (1, "", read("osv-unreachable.stderr"))
    python = fake_pip_audit(tmp_path, {"pypi": unreachable, "osv": unreachable})
    assert main(["--python", str(python)]) == EXIT[Verdict.NOT_AUDITED] == 75
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == "NOT AUDITED"
    assert "AUDITED-CLEAN" not in "\n".join(printed)
    assert main(["--python", str(python), "--require-audit"]) == 2
    clean = fake_pip_audit(tmp_path, {"pypi": (0, read("clean.json"), "")})
    capsys.readouterr()
    assert main(["--python", str(clean), "--service", "pypi"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("AUDITED-CLEAN: 2 dependencies")
