"""Audit the installed dependencies for known vulnerabilities, and never call a skipped audit clean.

``pip-audit`` needs a vulnerability database: PyPI's per-release JSON or OSV. Where neither can
be reached it cannot audit, and without ``--strict`` it even exits 0 having audited nothing. So
this runs ``pip-audit --strict`` (JSON output) against each service in turn and reads its exit
code *and* its output into one of three verdicts, printed on the last line:

``AUDITED-CLEAN``   every dependency was looked up and none has a known vulnerability (exit 0)
``VULNERABLE``      at least one has; each is listed with the versions that fix it (exit 1)
``NOT AUDITED``     no service could audit every dependency: says why (exit 75, EX_TEMPFAIL)

CI treats 75 as "not run" (``bash scripts/audit-deps || [ $? -eq 75 ]``): the build stays green
on machines without the network, and the log says NOT AUDITED, never clean. ``--require-audit``
makes NOT AUDITED fail (exit 2) where a database is known to be reachable.

Usage: ``python -m cli.audit_deps [--service pypi --service osv] [--require-audit]``.
"""

from __future__ import annotations

import argparse
import enum
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["EXIT", "Outcome", "Verdict", "audit", "classify", "main"]


class Verdict(enum.Enum):
    CLEAN = "AUDITED-CLEAN"
    VULNERABLE = "VULNERABLE"
    NOT_AUDITED = "NOT AUDITED"


#: Exit code per verdict; 75 is sysexits' EX_TEMPFAIL ("try again where the service answers").
EXIT = {Verdict.CLEAN: 0, Verdict.VULNERABLE: 1, Verdict.NOT_AUDITED: 75}
REQUIRED_BUT_NOT_AUDITED = 2
#: Lines of pip-audit's error output worth quoting when it could not audit: its own errors and
#: the exception line of a traceback.
_REASON = re.compile(r"could not be audited|^ERROR|error:|Tip:|^[\w.]+(Error|Exception)\b")


@dataclass(frozen=True)
class Outcome:
    """A verdict and the lines that justify it (packages and fixes, or why nothing was audited)."""

    verdict: Verdict
    lines: tuple[str, ...] = field(default=())
    audited: int = 0


def _why_not(returncode: int, stderr: str) -> tuple[str, ...]:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    picked = [line for line in lines if _REASON.search(line)]
    return tuple((picked or lines[-1:] or [f"pip-audit exited {returncode} and said nothing"])[-3:])


def _fixes(vuln: dict[str, object]) -> str:
    versions = vuln.get("fix_versions")
    return ", ".join(map(str, versions)) if isinstance(versions, list) and versions else "none yet"


def classify(returncode: int, stdout: str, stderr: str) -> Outcome:
    """The verdict of one ``pip-audit --strict --format json`` run, from its code and output.

    Clean needs exit 0 *and* a JSON report in which every dependency has a version and an empty
    ``vulns`` list: a report that skipped any dependency (pip-audit without ``--strict``) or an
    exit 0 with no report is NOT AUDITED. Vulnerable needs exit 1 and a report listing one.
    Everything else (a fatal error: unreachable service, a dependency it could not find) is
    NOT AUDITED, quoting pip-audit's reason.
    """
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    deps = report.get("dependencies") if isinstance(report, dict) else None
    if not isinstance(deps, list) or returncode not in (0, 1):
        return Outcome(Verdict.NOT_AUDITED, _why_not(returncode, stderr))
    skipped = [d for d in deps if "skip_reason" in d or "version" not in d]
    vulnerable = [d for d in deps if d.get("vulns")]
    if vulnerable and returncode == 1:
        lines = tuple(
            f"{d['name']} {d['version']}: {v['id']} (fixed in {_fixes(v)})"
            for d in vulnerable
            for v in d["vulns"]
        )
        return Outcome(Verdict.VULNERABLE, lines, len(deps) - len(skipped))
    if skipped or returncode != 0 or not deps:
        reasons = tuple(str(d.get("skip_reason", d.get("name"))) for d in skipped[:3])
        return Outcome(Verdict.NOT_AUDITED, reasons or _why_not(returncode, stderr))
    return Outcome(Verdict.CLEAN, (), len(deps))


def audit(services: Sequence[str], python: Path) -> list[tuple[str, Outcome]]:
    """Run pip-audit against each service until one audits: each service tried, its outcome.

    The last outcome is the verdict (NOT AUDITED when every service failed).
    """
    tried: list[tuple[str, Outcome]] = []
    for service in services:
        command = [
            str(python),
            "-m",
            "pip_audit",
            "--strict",
            "--skip-editable",  # GradPath itself is not on PyPI
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--vulnerability-service",
            service,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        outcome = classify(done.returncode, done.stdout, done.stderr)
        tried.append((service, outcome))
        if outcome.verdict is not Verdict.NOT_AUDITED:
            break
    return tried


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="audit-deps", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--service",
        action="append",
        choices=("pypi", "osv"),
        help="vulnerability service, tried in order (default: pypi, then osv)",
    )
    parser.add_argument(
        "--python",
        type=Path,
        default=Path(sys.executable),
        help="the interpreter whose environment to audit (default: this one)",
    )
    parser.add_argument(
        "--require-audit",
        action="store_true",
        help="exit 2 instead of 75 when nothing could be audited",
    )
    args = parser.parse_args(argv)
    tried = audit(args.service or ["pypi", "osv"], args.python)
    print(f"pip-audit --strict over the environment of {args.python}:")
    for service, result in tried:
        print(f"- {service}: {result.verdict.value}")
        for line in result.lines:
            print(f"    {line}")
    outcome = tried[-1][1]
    # The verdict is the last line, first word, so a log reader (or grep) finds it.
    if outcome.verdict is Verdict.NOT_AUDITED:
        print("No vulnerability database answered for every dependency: this is NOT a clean")
        print("result. Run it where pypi.org (per-release JSON) or api.osv.dev can be reached.")
        print("NOT AUDITED")
        return REQUIRED_BUT_NOT_AUDITED if args.require_audit else EXIT[outcome.verdict]
    if outcome.verdict is Verdict.VULNERABLE:
        print(f"VULNERABLE: {len(outcome.lines)} known vulnerabilities; upgrade and re-lock")
    else:
        print(f"AUDITED-CLEAN: {outcome.audited} dependencies, no known vulnerabilities")
    return EXIT[outcome.verdict]


if __name__ == "__main__":
    sys.exit(main())
