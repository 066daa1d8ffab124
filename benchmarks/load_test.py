"""Load test: the real server (2 workers) at 200 requests/s for 10 minutes, from locust.

Starts ``gradpath serve --workers 2`` on a free loopback port with an API key and a rate limit
that cannot interfere (both through ``GRADPATH_*`` variables, as a deployment sets them), sends
every request body once to warm the workers, then runs locust headless (a subprocess:
``benchmarks/locustfile.py``, ``FastHttpUser``), each user on a fixed schedule from a random
first instant (``load_mix.Pacing``), so the offered load is ``--rate`` requests/s, spread
evenly, however fast the server answers.

The mix (``benchmarks/load_mix.py``, ``--mix`` to change): 94% ``POST /v1/audit`` of all 13
sample students, 5% ``POST /v1/plan`` and 1% ``POST /v1/whatif`` (one scenario: drop the last
course in progress) of the 10 samples in ``PLAN_STUDENTS``: a portal's traffic, audits on every
page view, plans and what-ifs on demand. Measured first (server CPU per request, 2 workers,
on a busy machine): an audit ~6 ms, a plan of those students ~30 ms, a what-if ~75 ms.

Measured 2026-11-23 00:12 UTC, 600 s, on the 2-core VM: 119,765 requests, 0 errors, 200.0
req/s; p50/p95/p99 audit 5/25/48 ms, plan 43/120/190 ms, what-if 87/210/270 ms, overall
6/41/96 ms; server 0.92 cores, locust 0.10; RSS 662.0 MB after the 60 s warm-up, 668.8 MB at
the end (+1.0%). (Runs before that date used locust's ``constant_throughput``: the users fired
in bursts, and their latencies, p99 260-310 ms, measured the bursts, not a steady 200/s.)

It prints requests, errors and p50/p95/p99 per endpoint and overall, the achieved rate, the
server's CPU, and its memory (RSS of the supervisor and its children, from psutil) after the
warm-up and at the end, with the growth. Exit status 1 when any request failed, memory grew by
``--max-growth`` percent or more (default 10), or the achieved rate fell below
``--min-rate-ratio`` of the offered one (default 0.95).

Run: ``.venv/bin/python benchmarks/load_test.py [--seconds 600] [--rate 200] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import served  # noqa: E402
from load_mix import MIX, MIX_ENV, bodies, describe  # noqa: E402

KEY = "load-test-key-0123456789"
ENDPOINTS = ("/v1/audit", "/v1/plan", "/v1/whatif")


@dataclass
class Latency:
    """One row of the report: requests, errors and percentiles (ms, locust's rounding)."""

    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float


@dataclass
class Report:
    """Everything the run measured; ``--json`` writes it."""

    seconds: float
    offered_rate: float
    achieved_rate: float
    mix: str
    users: int
    endpoints: dict[str, Latency]
    overall: Latency
    failures: list[str]
    rss_warm_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    rss_growth_percent: float
    server_cpu_cores: float
    locust_cpu_cores: float
    locust_warnings: list[str]
    ok: bool = False
    problems: list[str] = field(default_factory=list)


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    """The server, ready once every worker listens (a replacement binds only when loaded)."""
    return served.start_server(
        port,
        workers,
        KEY,
        "load-test",
        ready=lambda proc: _listening(proc.pid) >= workers,
        timeout=180,
    )


def _listening(pid: int) -> int:
    """Processes under ``pid`` listening on a TCP socket: the workers serving (a worker
    listens once its app has started; the supervisor's socket never listens)."""
    count = 0
    for process in served.children(pid):
        try:
            listens = any(c.status == psutil.CONN_LISTEN for c in process.net_connections("tcp"))
        except psutil.Error:
            continue
        count += listens
    return count


def warm_up(port: int) -> None:
    """Every body once, each over a new connection (the kernel spreads them over the workers):
    the first plan of a catalog builds tables that later ones reuse. The memory baseline is
    taken later still, once the load has run for a while."""
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    for endpoint, payloads in bodies().items():
        for payload in payloads:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                response = client.post(f"/v1/{endpoint}", content=payload, headers=headers)
                if response.status_code != 200:
                    raise SystemExit(f"warm-up: {endpoint} answered {response.status_code}")


def _row(row: dict[str, str]) -> Latency:
    def ms(key: str) -> float:
        value = row.get(key, "")
        return float(value) if value not in ("", "N/A") else 0.0

    return Latency(
        requests=int(row["Request Count"]),
        errors=int(row["Failure Count"]),
        p50=ms("50%"),
        p95=ms("95%"),
        p99=ms("99%"),
        max=ms("Max Response Time"),
    )


def run_locust(
    port: int, seconds: int, rate: float, users: int, mix: dict[str, int], out: Path
) -> tuple[dict[str, Latency], Latency, float, list[str], float, list[str]]:
    """Locust headless for ``seconds``: per-endpoint and overall latency, rate, failures, the
    cores locust used and its warnings (it warns when its own CPU is saturated)."""
    env = {
        **os.environ,
        "GRADPATH_LOAD_KEY": KEY,
        "GRADPATH_LOAD_PER_USER": str(rate / users),
        MIX_ENV: json.dumps(mix),
    }
    prefix = out / "locust"
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    stats_path = Path(f"{prefix}_stats.csv")
    if not stats_path.exists():
        raise SystemExit(f"locust wrote no statistics (exit {result.returncode}):\n{result.stderr}")
    with stats_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    endpoints = {r["Name"]: _row(r) for r in rows if r["Name"] in ENDPOINTS}
    overall_row = next(r for r in rows if r["Name"] == "Aggregated")
    failures = []
    with Path(f"{prefix}_failures.csv").open(newline="") as handle:
        for r in csv.DictReader(handle):
            failures.append(f"{r['Method']} {r['Name']}: {r['Error']} x{r['Occurrences']}")
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    return (
        endpoints,
        _row(overall_row),
        float(overall_row["Requests/s"]),
        failures,
        cpu / seconds,
        warnings,
    )


def measure(args: argparse.Namespace) -> Report:
    """Start the server, warm it, load it, and read its memory along the way."""
    port = served.free_port()
    proc = start_server(port, args.workers)
    samples: list[int] = []
    warm: dict[str, float] = {}
    done = threading.Event()
    warm_after = max(1.0, min(60.0, args.seconds * 0.1))

    def watch() -> None:
        """RSS every second; the baseline once the load has run for ``warm_after`` seconds."""
        started = time.monotonic()
        while not done.wait(1.0):
            samples.append(served.server_rss(proc.pid))
            if "rss" not in warm and time.monotonic() - started >= warm_after:
                warm["rss"], warm["cpu"], warm["at"] = (
                    samples[-1],
                    served.server_cpu(proc.pid),
                    time.monotonic(),
                )

    try:
        warm_up(port)
        with tempfile.TemporaryDirectory(prefix="gradpath-load-") as out:
            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            endpoints, overall, achieved, failures, locust_cpu, warnings = run_locust(
                port, args.seconds, args.rate, args.users, args.mix, Path(out)
            )
            end_rss, end_cpu = served.server_rss(proc.pid), served.server_cpu(proc.pid)
            end_at = time.monotonic()
            done.set()
            watcher.join()
        if proc.poll() is not None:
            failures.append(f"the server exited with {proc.returncode}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    if "rss" not in warm:
        raise SystemExit("the run ended before the warm-up mark: use more --seconds")
    cpu = (end_cpu - warm["cpu"]) / max(end_at - warm["at"], 1e-9)
    return Report(
        seconds=args.seconds,
        offered_rate=args.rate,
        achieved_rate=achieved,
        mix=describe(args.mix),
        users=args.users,
        endpoints=endpoints,
        overall=overall,
        failures=failures,
        rss_warm_mb=warm["rss"] / 2**20,
        rss_end_mb=end_rss / 2**20,
        rss_peak_mb=max([*samples, end_rss]) / 2**20,
        rss_growth_percent=(end_rss - warm["rss"]) / warm["rss"] * 100,
        server_cpu_cores=cpu,
        locust_cpu_cores=locust_cpu,
        locust_warnings=warnings,
    )


def judge(report: Report, args: argparse.Namespace) -> Report:
    """Fill in ``ok`` and the reasons it is not."""
    if report.overall.errors or report.failures:
        report.problems.append(f"{report.overall.errors} requests failed")
    if report.rss_growth_percent >= args.max_growth:
        report.problems.append(
            f"memory grew {report.rss_growth_percent:.1f}% (limit {args.max_growth}%)"
        )
    if report.achieved_rate < args.min_rate_ratio * report.offered_rate:
        report.problems.append(
            f"achieved {report.achieved_rate:.1f} req/s of {report.offered_rate:.0f} offered"
        )
    report.ok = not report.problems
    return report


def show(report: Report) -> None:
    print(
        f"load: {report.seconds} s at {report.offered_rate:.0f} req/s offered "
        f"({report.users} users, each on a fixed schedule); server: gradpath serve --workers 2; "
        "locust on the same machine"
    )
    print(f"mix: {report.mix}")
    print(
        f"{'endpoint':<12} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    for name, row in [*report.endpoints.items(), ("overall", report.overall)]:
        print(
            f"{name:<12} {row.requests:>9} {row.errors:>7} {row.p50:>8.0f} {row.p95:>8.0f} "
            f"{row.p99:>8.0f} {row.max:>8.0f}"
        )
    print(f"achieved rate: {report.achieved_rate:.1f} req/s")
    print(
        f"CPU: server {report.server_cpu_cores:.2f} cores (after warm-up), "
        f"locust {report.locust_cpu_cores:.2f} cores"
    )
    for warning in report.locust_warnings[:5]:
        print(f"locust: {warning}")
    print(
        f"server RSS (supervisor + workers): {report.rss_warm_mb:.1f} MB after warm-up, "
        f"{report.rss_end_mb:.1f} MB at the end (peak {report.rss_peak_mb:.1f} MB), "
        f"growth {report.rss_growth_percent:+.1f}%"
    )
    for failure in report.failures[:20]:
        print(f"failure: {failure}")
    print("PASS" if report.ok else "FAIL: " + "; ".join(report.problems))


def _mix(text: str) -> dict[str, int]:
    mix = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        if name not in ("audit", "plan", "whatif") or not weight.isdigit():
            raise argparse.ArgumentTypeError(f"not an endpoint=percent: {part!r}")
        mix[name] = int(weight)
    return mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="length of the load (s)")
    parser.add_argument("--rate", type=float, default=200.0, help="offered requests/s")
    parser.add_argument("--users", type=int, default=100, help="simulated users")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--max-growth", type=float, default=10.0, help="memory growth limit (%%)")
    parser.add_argument("--min-rate-ratio", type=float, default=0.95)
    parser.add_argument(
        "--mix",
        type=_mix,
        default=MIX,
        help="percent per endpoint, e.g. audit=90,plan=7,whatif=3 (default: load_mix.MIX)",
    )
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args()
    report = judge(measure(args), args)
    show(report)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
