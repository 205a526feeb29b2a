"""`--executor dask`: the same batch on a two-worker Dask LocalCluster gives the same
summary as the local process pool, the tasks ran on the cluster's workers, a broken dossier
is still one error row, and an unreachable scheduler is one line of misuse.

The workers are separate (spawned) processes: they import golden.py by name, so tests/ is
put on their PYTHONPATH before the cluster starts.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import need
from golden import (
    EXAMPLE_DIRS,
    TESTS,
    add_broken,
    copy_examples,
    expected,
    golden_args,
    patch_build_options,
)

from toolkit.cli.main import cli
from toolkit.review.batch import DaskExecutor, LocalExecutor, discover, run_batch
from toolkit.review.summaries import rows_of, to_csv, to_jsonl

NO_PRIOR = [p.name for p in EXAMPLE_DIRS if not expected(p).get("check_args")]


@pytest.fixture(scope="module")
def cluster():
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        need(False, "dask.distributed is not installed (pip install 'dossier-toolkit[dask]')")
    mp = pytest.MonkeyPatch()
    mp.setenv("PYTHONPATH", str(TESTS))
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    yield cluster, client
    client.close()
    cluster.close()
    mp.undo()


@pytest.fixture(scope="module")
def round_root(tmp_path_factory):
    root = copy_examples(tmp_path_factory.mktemp("dask"), NO_PRIOR)
    add_broken(root)
    return root


def test_dask_gives_the_same_summary_as_the_local_pool_and_ran_on_the_cluster(cluster, round_root):
    cluster_, client = cluster
    tasks = discover(round_root, "round")
    local = run_batch(tasks, golden_args(), LocalExecutor(2))
    seen = []
    remote = run_batch(tasks, golden_args(), DaskExecutor(client=client), on_result=seen.append)
    assert to_jsonl(rows_of(remote.outcomes)) == to_jsonl(rows_of(local.outcomes))
    assert to_csv(rows_of(remote.outcomes)) == to_csv(rows_of(local.outcomes))
    assert [o.result for o in remote.outcomes] == [o.result for o in local.outcomes]
    assert len(seen) == len(tasks), "progress saw every dossier"
    workers = set(client.scheduler_info()["workers"])
    ran_on = {o.worker for o in remote.outcomes if o.worker}
    assert ran_on <= workers and len(ran_on) == 2, (ran_on, workers)
    assert all(o.worker.startswith("local:") for o in local.outcomes)
    assert remote.outcomes[-1].is_error and remote.exit_code() == local.exit_code() == 2


def test_review_cli_on_the_cluster_via_its_scheduler_address(cluster, round_root, tmp_path, monkeypatch):
    cluster_, client = cluster
    import toolkit.check.runner as runner

    monkeypatch.setattr(runner, "build_options", runner.build_options)
    patch_build_options()
    out_local, out_dask = tmp_path / "local", tmp_path / "dask"
    env = {"LANG": "C.UTF-8", "LC_ALL": ""}
    a = CliRunner().invoke(cli,
                           ["review", str(round_root), "--jsonl", str(out_local / "s.jsonl"), "--jobs", "2"], env=env)
    b = CliRunner().invoke(cli,
                           ["review", str(round_root), "--jsonl", str(out_dask / "s.jsonl"), "--executor", "dask",
                            "--scheduler", cluster_.scheduler_address], env=env)
    assert a.exit_code == b.exit_code == 2, b.output
    assert (out_local / "s.jsonl").read_bytes() == (out_dask / "s.jsonl").read_bytes()
    rows = [json.loads(x) for x in (out_dask / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[-1]["verdict"] == "error"


def test_an_unreachable_scheduler_is_one_line_exit_2(tmp_path):
    from importlib.util import find_spec

    need(find_spec("distributed") is not None, "dask.distributed is not installed (pip install '.[dask]')")
    result = CliRunner().invoke(cli, ["review", str(EXAMPLE_DIRS[0]), "--jsonl", str(tmp_path / "s.jsonl"),
                                      "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "--no-cache"],
                                env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.output


def test_a_dossier_that_kills_its_dask_worker_is_one_error_row(cluster, tmp_path):
    """The nanny restarts the worker and the scheduler gives up on that task (KilledWorker):
    the other dossiers are checked and the batch finishes."""
    import dataclasses
    import shutil

    from golden import EXAMPLES, dying_extractor

    cluster_, client = cluster
    root = copy_examples(tmp_path, ["m04-preclinical-cro", "m37-intl-exhibition"])
    shutil.copytree(EXAMPLES / "m13-trial-insurance", root / "die")
    opts = dataclasses.replace(golden_args(), extractor=dying_extractor)
    batch = run_batch(discover(root, "r"), opts, DaskExecutor(client=client))
    rows = {o.display: o for o in batch.outcomes}
    assert rows["r/die"].is_error and "KilledWorker" in rows["r/die"].result.error
    assert rows["r/m04-preclinical-cro"].verdict == rows["r/m37-intl-exhibition"].verdict == "pass"
    client.wait_for_workers(2, timeout=60)
