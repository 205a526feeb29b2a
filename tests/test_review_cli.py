"""`dossier review` and `dossier check DIR...` from the command line: outputs, exit codes,
quiet when piped, Ctrl-C keeps the finished results, --resume, misuse is one line.

In-process runs use Click's runner with golden extraction patched into build_options; the
Ctrl-C test runs the real CLI in a real process (tests/golden.py as the entry point) and
sends it SIGINT mid-batch.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from importlib.util import find_spec

import pytest
from click.testing import CliRunner
from conftest import need
from golden import (
    EXAMPLE_DIRS,
    EXAMPLES,
    TESTS,
    add_broken,
    alive,
    copy_examples,
    expected,
    patch_build_options,
)

from toolkit.cli.main import cli
from toolkit.review.batch import STATE_NAME

ENV = {"LANG": "C.UTF-8", "LC_ALL": ""}
NO_PRIOR = [p.name for p in EXAMPLE_DIRS if not expected(p).get("check_args")]


@pytest.fixture
def golden_cli(monkeypatch):
    import toolkit.check.runner as runner

    monkeypatch.setattr(runner, "build_options", runner.build_options)  # restored after the test
    patch_build_options()

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)

    return invoke


def test_review_writes_all_four_outputs_and_exits_with_the_worst_verdict(golden_cli, tmp_path):
    root = copy_examples(tmp_path, NO_PRIOR)
    add_broken(root)
    out = tmp_path / "out"
    result = golden_cli("review", str(root), "--out-dir", str(out), "--jobs", "2")
    assert result.exit_code == 2, result.output
    assert {p.name for p in out.iterdir()} == {"report.html", "summary.jsonl", "summary.csv", "summary.xlsx",
                                               STATE_NAME}
    rows = [json.loads(line) for line in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(NO_PRIOR) + 1
    assert rows[-1]["verdict"] == "error" and "dossier.yaml" in rows[-1]["error"]
    assert f"{len(rows)} dossiers" in result.stdout and "1 errors" in result.stdout
    assert "checking" not in result.output, "no progress bar when not on a terminal"


@pytest.mark.parametrize(("names", "code"), [
    (["m04-preclinical-cro", "m13-trial-insurance"], 0),
    (["m04-preclinical-cro", "m13-trial-insurance--damaged-receipt"], 3),
    (["m13-trial-insurance--damaged-receipt", "m13-trial-insurance--bad-uscc-check"], 1),
])
def test_exit_code_is_the_worst_verdict(golden_cli, tmp_path, names, code):
    root = copy_examples(tmp_path, names)
    assert golden_cli("review", str(root), "--jsonl", str(tmp_path / "s.jsonl")).exit_code == code


def test_without_outputs_the_summary_goes_to_stdout_as_json_lines(golden_cli, tmp_path):
    root = copy_examples(tmp_path, ["m04-preclinical-cro", "m37-intl-exhibition"])
    result = golden_cli("review", str(root), "--jobs", "1")
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["path"] for x in lines] == [f"{root}/m04-preclinical-cro", f"{root}/m37-intl-exhibition"]


def test_check_several_folders_goes_through_the_same_batch(golden_cli):
    folders = [str(EXAMPLES / "m37-intl-exhibition"), str(EXAMPLES / "m04-preclinical-cro"), "/nonexistent/x"]
    result = golden_cli("check", *folders, "--format", "json", "--jobs", "2")
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["dossier"] for x in lines] == folders
    assert lines[2]["verdict"] == "error" and result.exit_code == 2


@pytest.mark.parametrize(("args", "text"), [
    (["--executor", "dask"], "--scheduler"),
    (["--scheduler", "tcp://127.0.0.1:1"], "--executor dask"),
    (["--resume"], "--resume needs an output"),
])
def test_misuse_is_one_line_and_exit_2(golden_cli, args, text):
    result = golden_cli("review", str(EXAMPLES), *args)
    assert result.exit_code == 2 and text in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_root_without_dossiers_is_misuse(golden_cli, tmp_path):
    result = golden_cli("review", str(tmp_path))
    assert result.exit_code == 2 and "no dossier" in result.stderr


def test_resume_from_the_command_line(golden_cli, tmp_path):
    root = copy_examples(tmp_path, NO_PRIOR[:4])
    out = tmp_path / "out"
    golden_cli("review", str(root), "--out-dir", str(out))
    first = (out / "summary.jsonl").read_bytes()
    result = golden_cli("review", str(root), "--out-dir", str(out), "--resume")
    assert "(4 unchanged, not checked again)" in result.stdout
    assert (out / "summary.jsonl").read_bytes() == first


def test_chinese_totals_line(golden_cli, tmp_path):
    root = copy_examples(tmp_path, ["m04-preclinical-cro"])
    result = golden_cli("review", str(root), "--csv", str(tmp_path / "s.csv"), "--lang", "zh")
    assert "共 1 份申报：通过 1" in result.stdout


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_mid_batch_writes_every_finished_result_and_exits_130(tmp_path):
    """A real process, a real SIGINT: the finished dossiers are in every output, then
    --resume checks only the rest."""
    root = copy_examples(tmp_path, NO_PRIOR)
    out = tmp_path / "out"
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**os.environ, "DOSSIER_TEST_SLOW": "1", "DOSSIER_TEST_DELAY": "0.6", "LANG": "C.UTF-8", "LC_ALL": "",
           "DOSSIER_TEST_PIDS": str(pids)}
    cmd = [sys.executable, str(TESTS / "golden.py"), "review", str(root), "--out-dir", str(out), "--jobs", "2"]
    # A shell starts its background jobs with SIGINT ignored, and Python then installs no
    # KeyboardInterrupt handler: give the batch the disposition a terminal user's has.
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_default_sigint)
    deadline = time.monotonic() + 60
    while not (out / STATE_NAME).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    time.sleep(0.5)
    helpers = [int(p.name) for p in pids.iterdir()]
    assert helpers and [pid for pid in helpers if alive(pid)] == [], "the workers' helper processes ended too"
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    assert 1 <= len(rows) < len(NO_PRIOR), "some, not all, dossiers finished"
    assert all(r["verdict"] != "error" for r in rows), "no half-finished dossier became an error row"
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="interrupted"' in html
    assert len((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()) == len(rows) + 1
    state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    assert len(state["dossiers"]) == len(rows)

    env["DOSSIER_TEST_DELAY"] = "0"
    cmd.append("--resume")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the examples include failing ones
    assert f"({len(rows)} unchanged, not checked again)" in done.stdout
    final = [json.loads(x) for x in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(final) == len(NO_PRIOR)


def test_a_folder_name_that_is_not_utf8_is_shown_escaped_and_stops_nothing(golden_cli, tmp_path):
    """A Chinese folder name from a zip made on Windows (GBK bytes, 申请 = C9 EA C7 EB) is
    not UTF-8 on Linux: it used to end the batch with an internal error. It is checked like
    any other, and shown with its bytes escaped in every output."""
    name = NO_PRIOR[0]
    root = copy_examples(tmp_path, [name])
    (root / name).rename(root / os.fsdecode(b"\xc9\xea\xc7\xeb-" + name.encode()))
    out = tmp_path / "out"
    result = golden_cli("review", str(root), "--out-dir", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in rows] == [f"{root}/\\xc9\\xea\\xc7\\xeb-{name}"]
    assert rows[0]["verdict"] == "pass"
    assert "\\xc9\\xea\\xc7\\xeb-" in (out / "report.html").read_text(encoding="utf-8")


def test_review_of_the_examples_with_real_extraction(tmp_path):
    """End to end: the real extractor, every example, all four outputs."""
    need(find_spec("toolkit.extract.pipeline") is not None, "real extraction (toolkit.extract.pipeline) is not there yet")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "toolkit", "review", str(EXAMPLES), "--out-dir", str(out),
                           "--no-cache", "--jobs", "2"], capture_output=True, text=True, env={**os.environ, **ENV},
                          timeout=1800)
    assert proc.returncode in (1, 2, 3), proc.stderr
    assert "Traceback" not in proc.stderr
    rows = [json.loads(x) for x in (out / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 30
    damaged = next(r for r in rows if r["path"].endswith("m13-trial-insurance--damaged-receipt"))
    assert damaged["verdict"] == "needs_review" and "premium-receipt.pdf" in (damaged["error"] or "")
    for name in ("report.html", "summary.csv", "summary.xlsx"):
        assert (out / name).stat().st_size > 0


def test_a_progress_bar_on_a_terminal(tmp_path):
    """On a terminal (a pseudo-terminal here) stderr shows rich's progress bar."""
    import pty

    root = copy_examples(tmp_path, NO_PRIOR[:3])
    primary, secondary = pty.openpty()
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, str(TESTS / "golden.py"), "review", str(root), "--jsonl",
                             str(tmp_path / "s.jsonl"), "--jobs", "2"], env=env, stdout=subprocess.PIPE,
                            stderr=secondary, text=True)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # the terminal closed: the process is done with it
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(primary)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 1  # the three include a failing one
    assert "checking" in shown and "/3" in shown  # its count of three; the bar then clears (transient)


def test_no_output_overwrites_a_dossiers_own_files(tmp_path):
    """`check -o D/dossier.yaml` and `review --csv D/documents/x.pdf` used to write over the
    manifest and a submitted PDF: input files are never modified. A new file beside them is
    fine."""
    root = copy_examples(tmp_path, ["m04-preclinical-cro"])
    dossier = root / "m04-preclinical-cro"
    manifest = dossier / "dossier.yaml"
    pdf = sorted((dossier / "documents").glob("*.pdf"))[0]
    before = {p: p.read_bytes() for p in (manifest, pdf)}
    runner = CliRunner()
    for args in (["check", str(dossier), "--format", "json", "-o", str(manifest)],
                 ["review", str(root), "--csv", str(pdf)],
                 ["review", str(root), "--jsonl", str(dossier / "." / "dossier.yaml")]):
        result = runner.invoke(cli, args, env=ENV)
        assert result.exit_code == 2, result.output
        assert result.output.strip().splitlines()[-1].startswith(f"dossier: the output {args[-1]} is one of a dossier's own files")
    assert {p: p.read_bytes() for p in before} == before
    assert runner.invoke(cli, ["check", str(dossier), "--format", "json", "-o", str(dossier / "report.json")],
                         env=ENV).exit_code in (0, 1, 3)
    assert (dossier / "report.json").is_file()


def test_output_to_a_pipe_leaves_no_resume_state_beside_it(golden_cli, tmp_path):
    """`--jsonl /dev/stdout` wrote /dev/.dossier-review.json: the resume state goes beside
    output files only, never beside a pipe or a device."""
    import threading

    root = copy_examples(tmp_path / "round", ["m04-preclinical-cro"])
    pipe = tmp_path / "out" / "summary.jsonl"
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    result = golden_cli("review", str(root), "--jsonl", str(pipe))
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert b'"verdict": "pass"' in got[0]
    assert not (pipe.parent / STATE_NAME).exists()
