"""The load-test harness (benchmarks/load_test.py) end to end, briefly: a real server, locust,
all three endpoints, no errors, and every figure of the report present.

The real run (10 minutes at 200 requests/s) is for a quiet machine, by hand; this keeps the
harness working.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

ENDPOINTS = {"/v1/audit", "/v1/plan", "/v1/whatif"}


def test_the_load_harness_reports_every_figure_with_no_errors(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "load_test.py"),
        "--seconds",
        "5",
        "--rate",
        "20",
        "--users",
        "10",
        "--mix",
        "audit=60,plan=20,whatif=20",
        # a 5-second run judges the harness, not the server's memory or pace
        "--max-growth",
        "100",
        "--min-rate-ratio",
        "0.5",
        "--json",
        str(out),
    ]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert set(report["endpoints"]) == ENDPOINTS
    for row in [*report["endpoints"].values(), report["overall"]]:
        assert row["errors"] == 0
        assert row["requests"] > 0
        assert 0 < row["p50"] <= row["p95"] <= row["p99"]  # locust rounds them
        assert row["max"] > 0
    assert report["overall"]["requests"] == sum(r["requests"] for r in report["endpoints"].values())
    assert report["failures"] == []
    assert report["achieved_rate"] > 0
    assert 0 < report["rss_warm_mb"] <= report["rss_peak_mb"]
    assert 0 < report["rss_end_mb"] <= report["rss_peak_mb"]
    assert "audit 60%, plan 20%, whatif 20%" in report["mix"]
    for text in ("p99 ms", "achieved rate", "growth", "PASS"):
        assert text in run.stdout
