"""The batch runner: finds every dossier, checks them in parallel, isolates errors, resumes.

Golden extraction (tests/golden.py) pins the review stage: these tests pass whatever the
state of the real extractor, and their verdicts are the examples' expected.json.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from golden import (
    EXAMPLE_DIRS,
    EXAMPLES,
    add_broken,
    copy_examples,
    crashing_extractor,
    expected,
    golden_args,
)

from toolkit.errors import UsageError
from toolkit.model.report import ErrorLine, Report
from toolkit.review.batch import (
    STATE_NAME,
    LocalExecutor,
    ReviewState,
    discover,
    run_batch,
    run_task,
    tasks_for,
)

NO_PRIOR = [p for p in EXAMPLE_DIRS if not expected(p).get("check_args")]


@pytest.fixture(scope="module")
def round_dir(tmp_path_factory) -> Path:
    root = copy_examples(tmp_path_factory.mktemp("batch"))
    add_broken(root)
    return root


def test_discover_finds_every_example_sorted_and_shown_under_the_root():
    tasks = discover(EXAMPLES, "examples")
    assert [t.display for t in tasks] == [f"examples/{p.name}" for p in EXAMPLE_DIRS]
    assert len(tasks) == 30
    assert all(Path(t.folder).is_absolute() for t in tasks)


def test_discover_skips_hidden_and_symlinked_folders_and_does_not_enter_a_dossier(tmp_path):
    root = copy_examples(tmp_path, ["m04-preclinical-cro"])
    nested = root / "m04-preclinical-cro" / "documents" / "inner"
    nested.mkdir()
    (nested / "dossier.yaml").write_text("measure: x\n", encoding="utf-8")
    hidden = root / ".trash" / "old"
    hidden.mkdir(parents=True)
    (hidden / "dossier.yaml").write_text("measure: x\n", encoding="utf-8")
    (root / "group").mkdir()
    shutil.copytree(EXAMPLES / "m13-trial-insurance", root / "group" / "m13")
    (root / "link").symlink_to(EXAMPLES / "m05-innovative-drug")
    assert [t.display for t in discover(root, "r")] == ["r/group/m13", "r/m04-preclinical-cro"]


def test_discover_a_root_that_is_itself_a_dossier_and_a_missing_root(tmp_path):
    assert [t.display for t in discover(EXAMPLES / "m04-preclinical-cro", "d")] == ["d"]
    with pytest.raises(UsageError):
        discover(tmp_path / "nope")


def test_parallel_batch_gives_every_golden_verdict_in_sorted_order_with_error_rows(round_dir):
    batch = run_batch(discover(round_dir, "round"), golden_args(), LocalExecutor(jobs=2))
    assert not batch.interrupted and batch.total == 31
    displays = [o.display for o in batch.outcomes]
    assert displays == sorted(displays)
    by_name = {Path(o.display).name: o for o in batch.outcomes}
    for folder in NO_PRIOR:
        report = by_name[folder.name].result
        assert isinstance(report, Report), folder.name
        failing = sorted(f.code for f in report.findings if f.status == "fail" and f.severity == "error")
        eligible = None if report.support.eligible_cny is None else f"{report.support.eligible_cny:.2f}"
        assert (report.verdict, failing, eligible) == (
            expected(folder)["verdict"], expected(folder)["failing_rules"], expected(folder)["eligible_cny"]), folder.name
    broken = by_name["zz-broken-manifest"]
    assert isinstance(broken.result, ErrorLine) and "dossier.yaml" in broken.result.error
    assert by_name["m13-trial-insurance--damaged-receipt"].doc_errors == ["documents/premium-receipt.pdf: damaged"]
    assert len({o.worker for o in batch.outcomes}) == 2, "two worker processes did the work"
    assert batch.exit_code() == 2  # an error row outranks fail and needs review


def test_an_unexpected_exception_is_that_dossiers_error_row_only(tmp_path):
    root = copy_examples(tmp_path, ["m04-preclinical-cro", "m13-trial-insurance"])
    shutil.copytree(EXAMPLES / "m04-preclinical-cro", root / "boom")
    args = golden_args()
    import dataclasses

    batch = run_batch(discover(root, "r"), dataclasses.replace(args, extractor=crashing_extractor), LocalExecutor(2))
    rows = {o.display: o.result for o in batch.outcomes}
    assert isinstance(rows["r/boom"], ErrorLine) and "RuntimeError: extractor exploded" in rows["r/boom"].error
    assert "Traceback" not in rows["r/boom"].error
    assert rows["r/m04-preclinical-cro"].verdict == "pass" and rows["r/m13-trial-insurance"].verdict == "pass"


def test_a_worker_process_that_dies_takes_only_its_dossier_down(tmp_path):
    """A crash inside a PDF library kills the worker; the pool breaks, the batch does not."""
    root = copy_examples(tmp_path, ["m04-preclinical-cro", "m13-trial-insurance", "m37-intl-exhibition"])
    shutil.copytree(EXAMPLES / "m04-preclinical-cro", root / "die")
    import dataclasses

    from golden import dying_extractor

    batch = run_batch(discover(root, "r"), dataclasses.replace(golden_args(), extractor=dying_extractor),
                      LocalExecutor(2))
    rows = {o.display: o.result for o in batch.outcomes}
    assert len(rows) == 4
    assert isinstance(rows["r/die"], ErrorLine) and "worker process died" in rows["r/die"].error
    assert [rows[k].verdict for k in sorted(rows) if k != "r/die"] == ["pass", "pass", "pass"]


def test_check_with_several_folders_keeps_argument_order():
    folders = [str(EXAMPLES / "m37-intl-exhibition"), str(EXAMPLES / "m04-preclinical-cro")]
    batch = run_batch(tasks_for(folders), golden_args(), LocalExecutor(2))
    assert [o.display for o in batch.outcomes] == folders


def test_jobs_one_runs_in_this_process():
    outcome = run_task(tasks_for([str(EXAMPLES / "m04-preclinical-cro")])[0], golden_args())
    assert outcome.worker == f"local:{os.getpid()}" and outcome.verdict == "pass"


# ---- resume -----------------------------------------------------------------------------

def _run(root: Path, out: Path, resume: bool, lang: str = "en"):
    return run_batch(discover(root, "r"), golden_args(lang), LocalExecutor(2), state=ReviewState.open(out),
                     resume=resume)


def test_resume_skips_unchanged_dossiers_and_rechecks_changed_ones(tmp_path):
    root = copy_examples(tmp_path, [p.name for p in NO_PRIOR[:6]])
    add_broken(root)
    out = tmp_path / "out"
    first = _run(root, out, resume=False)
    state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    assert sorted(state["dossiers"]) == sorted(o.display for o in first.outcomes if not o.is_error)

    again = _run(root, out, resume=True)
    assert again.skipped == 6, "every dossier but the error row was taken from the state"
    assert [o.result for o in again.outcomes] == [o.result for o in first.outcomes]
    assert not [o for o in again.outcomes if o.is_error and o.reused], "error rows are never reused"

    changed = root / NO_PRIOR[0].name / "documents"
    pdf = sorted(changed.glob("*.pdf"))[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n%changed\n")
    third = _run(root, out, resume=True)
    rechecked = [o.display for o in third.outcomes if not o.reused]
    assert rechecked == [f"r/{NO_PRIOR[0].name}", "r/zz-broken-manifest"]

    (root / NO_PRIOR[1].name / "dossier.yaml").write_text(
        (root / NO_PRIOR[1].name / "dossier.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert f"r/{NO_PRIOR[1].name}" in [o.display for o in _run(root, out, resume=True).outcomes if not o.reused]


def test_other_options_mean_a_full_recheck_and_no_resume_means_no_skip(tmp_path):
    root = copy_examples(tmp_path, [p.name for p in NO_PRIOR[:3]])
    out = tmp_path / "out"
    _run(root, out, resume=False)
    assert _run(root, out, resume=False).skipped == 0
    assert _run(root, out, resume=True, lang="zh").skipped == 0
    assert _run(root, out, resume=True, lang="zh").skipped == 3


def test_a_damaged_state_file_means_a_full_run(tmp_path):
    root = copy_examples(tmp_path, [NO_PRIOR[0].name])
    out = tmp_path / "out"
    out.mkdir()
    (out / STATE_NAME).write_text("{not json", encoding="utf-8")
    assert _run(root, out, resume=True).skipped == 0
    assert _run(root, out, resume=True).skipped == 1


def test_no_helper_process_outlives_a_finished_batch(tmp_path, monkeypatch):
    """The PDF reader keeps warm helper processes in each worker: they end with the batch."""
    import dataclasses

    from golden import alive, spawning_extractor

    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("DOSSIER_TEST_PIDS", str(pids))
    monkeypatch.setenv("DOSSIER_TEST_DELAY", "0")
    root = copy_examples(tmp_path, [p.name for p in NO_PRIOR[:4]])
    batch = run_batch(discover(root, "r"), dataclasses.replace(golden_args(), extractor=spawning_extractor),
                      LocalExecutor(2))
    assert len(batch.outcomes) == 4
    started = [int(p.name) for p in pids.iterdir()]
    assert started
    import time

    time.sleep(0.5)
    assert [pid for pid in started if alive(pid)] == []


def test_resume_with_a_ledger_rechecks_an_applicant_whose_awards_changed(tmp_path):
    """An award recorded since the last run changes the applicant's remaining yearly cap."""
    import dataclasses
    from decimal import Decimal

    from toolkit.model.award import Award
    from toolkit.review.ledger import open_ledger

    names = ["m04-preclinical-cro", "m37-intl-exhibition"]
    root = copy_examples(tmp_path, names)
    url = str(tmp_path / "ledger.sqlite")
    opts = dataclasses.replace(golden_args(), ledger=url, ledger_opener=open_ledger)
    out = tmp_path / "out"

    def run():
        return run_batch(discover(root, "r"), opts, LocalExecutor(1), state=ReviewState.open(out), resume=True)

    run()
    assert run().skipped == 2
    uscc = expected(EXAMPLE_DIRS[0].parent / "m37-intl-exhibition")["documents"][0]["fields"][0]["value"]
    open_ledger(url).record(Award(applicant_uscc=uscc, measure="m23-industrial-project", year=2025,
                                  amount_cny=Decimal("1.00"), project="another project"))
    third = run()
    assert [o.display for o in third.outcomes if not o.reused] == ["r/m37-intl-exhibition"]
