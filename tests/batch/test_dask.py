"""``--dask``: the same output on a Dask cluster (2 worker processes on loopback) as locally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from engine.batch import BackendError, BatchOptions, run_batch
from engine.batch.dask import DaskBackend, require_single_threaded
from tests.batch.batchkit import run_local, students, write_jsonl


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        # No dashboard, but the scheduler's HTTP routes still listen, on 8787 unless told
        # otherwise: a free loopback port keeps parallel runs from colliding (and warning).
        dashboard_address="127.0.0.1:0",
    ) as found:
        yield found


def test_a_dask_run_writes_what_a_local_run_writes(
    tmp_path: Path, files: dict[str, bytes], cluster: LocalCluster
) -> None:
    source = write_jsonl(tmp_path / "s.jsonl", [*students(12), '{"id": 1}'])
    options = BatchOptions(goals=("tx-fhsp", "ncaa-d1"))
    local = run_local(source, tmp_path / "local.jsonl", files=files, options=options, chunk_size=3)
    remote = run_batch(
        source=source,
        input_format="jsonl",
        out=tmp_path / "dask.jsonl",
        output_format="jsonl",
        options=options,
        backend=DaskBackend(files, address=cluster.scheduler_address),
        knowledge_files=files,
        chunk_size=3,
    )
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    for suffix in (".errors.jsonl", ".summary.json"):
        assert (tmp_path / f"dask.jsonl{suffix}").read_bytes() == (
            tmp_path / f"local.jsonl{suffix}"
        ).read_bytes()
    assert (remote.audited, remote.errors) == (local.audited, local.errors) == (12, 1)


def test_the_knowledge_is_built_once_per_worker(
    tmp_path: Path, files: dict[str, bytes], cluster: LocalCluster
) -> None:
    from distributed import Client

    backend = DaskBackend(files, address=cluster.scheduler_address)
    for run in range(2):  # two runs on the same cluster: each worker still loads it once
        run_batch(
            source=write_jsonl(tmp_path / f"s{run}.jsonl", students(6)),
            input_format="jsonl",
            out=tmp_path / f"out{run}.jsonl",
            output_format="jsonl",
            options=BatchOptions(goals=("tx-fhsp",)),
            backend=backend,
            knowledge_files=files,
            chunk_size=2,
        )
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
        assert all("gradpath-knowledge" in names for names in plugins.values())
        loaded = client.run(_loaded_keys)
    assert len(loaded) == 2
    assert all(keys == [backend.key] for keys in loaded.values())


def _loaded_keys() -> list[str]:
    from engine.batch import work

    return sorted(work._KNOWLEDGE)


def test_workers_with_several_threads_are_refused() -> None:
    info = {"tcp://a": {"nthreads": 1}, "tcp://b": {"nthreads": 2}}
    with pytest.raises(BackendError, match=r"1/2 threads each.*--nthreads 1"):
        require_single_threaded(info, "tcp://s:8786")
    with pytest.raises(BackendError, match="has no workers"):
        require_single_threaded({}, "tcp://s:8786")
    require_single_threaded({"tcp://a": {"nthreads": 1}}, "tcp://s:8786")


def test_the_command_runs_on_a_dask_cluster(tmp_path: Path, cluster: LocalCluster) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    source = write_jsonl(tmp_path / "s.jsonl", students(4))
    args = ["batch", "--students", str(source), "--no-progress", "-g", "tx-fhsp"]
    local = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "l.jsonl"), "-w", "1"])
    remote = CliRunner().invoke(
        app, [*args, "--out", str(tmp_path / "d.jsonl"), "--dask", cluster.scheduler_address]
    )
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert (tmp_path / "d.jsonl").read_bytes() == (tmp_path / "l.jsonl").read_bytes()
