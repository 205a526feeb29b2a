"""`dossier ledger record|list|export` and `dossier check --ledger`, through the CLI.

Extraction is the golden one (monkeypatched into the checker) except in the last test,
which runs the real pipeline once toolkit.extract has it.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT, need
from ledger_helpers import golden_extractor, ledger_url

from toolkit.cli.main import cli

YEARLY = EXAMPLES / "m37-intl-exhibition--yearly-cap"
PRIOR = YEARLY / "prior-awards.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    with ledger_url(request.param, tmp_path) as u:
        yield u


@pytest.fixture
def golden(monkeypatch):
    """The checker reads each example's golden fields instead of its PDFs."""
    from toolkit.check import engine

    monkeypatch.setattr(engine, "extract_all", lambda dossier, options: golden_extractor(dossier.root)(dossier))


def run(*args: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--lang", lang, *args], catch_exceptions=False)
    return result


def _main(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "LANG": "en_US.UTF-8", **(env or {})}, timeout=120)


def test_import_list_and_export(url, tmp_path):
    res = run("ledger", "record", "--from-file", str(PRIOR), "--ledger", url)
    assert res.exit_code == 0, res.output
    assert "10 award(s) recorded, 0 already in the ledger" in res.output
    res = run("ledger", "record", "--from-file", str(PRIOR), "--ledger", url)
    assert "0 award(s) recorded, 10 already in the ledger" in res.output

    res = run("ledger", "list", "--ledger", url, "--year", "2025", "--format", "json")
    assert res.exit_code == 0
    awards = json.loads(res.output)["awards"]
    assert len(awards) == 10 and awards[-1]["amount_cny"] == "30000.00"
    assert json.loads(run("ledger", "list", "--ledger", url, "--year", "2024", "--format", "json").output) == {"awards": []}

    table = run("ledger", "list", "--ledger", url, "--measure", "m37-intl-exhibition").output
    assert "10 award(s), total CNY 480,000.00" in table and "World Vaccine Congress Europe 2025" in table
    assert "共 10 笔资助，合计" in run("ledger", "list", "--ledger", url, lang="zh").output

    out = tmp_path / "ledger.csv"
    res = run("ledger", "export", "--ledger", url, "--format", "csv", "-o", str(out))
    assert res.exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 10 and {r["source"] for r in rows} == {"import"}
    assert sum(int(r["amount_cny"].replace(".", "")) for r in rows) == 48_000_000  # in fen, exact

    out = tmp_path / "ledger.yaml"
    run("ledger", "export", "--ledger", url, "--format", "yaml", "-o", str(out))
    from toolkit.check.awards import load_prior_awards

    assert load_prior_awards(out) == load_prior_awards(PRIOR)


def test_record_a_checked_dossier_then_check_with_the_ledger(url, golden):
    assert run("ledger", "record", "--from-file", str(PRIOR), "--ledger", url).exit_code == 0
    res = run("check", str(YEARLY), "--ledger", url, "--format", "json", "--no-cache")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output.splitlines()[0])
    assert report["support"]["eligible_cny"] == "20000.00"

    res = run("ledger", "record", str(YEARLY), "--ledger", url, "--no-cache")
    assert res.exit_code == 0, res.output
    assert f"recorded: {YEARLY}: m37-intl-exhibition 2025 CNY 20,000.00" in res.output
    res = run("ledger", "record", str(YEARLY), "--ledger", url, "--no-cache")
    assert f"already recorded: {YEARLY}" in res.output and res.exit_code == 0

    # checked again, the dossier's own award is not held against it
    report = json.loads(run("check", str(YEARLY), "--ledger", url, "--format", "json", "--no-cache").output.splitlines()[0])
    assert report["support"]["eligible_cny"] == "20000.00" and report["verdict"] == "pass"
    awards = json.loads(run("ledger", "list", "--ledger", url, "--format", "json").output)["awards"]
    assert len(awards) == 11 and awards[-1]["dossier_key"].startswith("sha256:")


def test_record_refuses_a_dossier_that_does_not_pass(tmp_path, golden):
    db = str(tmp_path / "l.db")
    review = EXAMPLES / "m36-overseas-license--usd-only"
    res = run("ledger", "record", str(review), str(YEARLY), "--ledger", db, "--no-cache")
    assert res.exit_code == 2
    assert "the verdict is needs_review, not pass: not recorded (--force records it anyway)" in res.output
    assert f"recorded: {YEARLY}" in res.output  # the other dossier is still recorded
    res = run("ledger", "record", str(review), "--force", "--ledger", db, "--no-cache")
    assert res.exit_code == 0 and "CNY 1,800,000.00" in res.output


def test_misuse_is_one_line_and_exit_2(tmp_path):
    proc = _main("ledger", "record", "--ledger", str(tmp_path / "l.db"))
    assert proc.returncode == 2 and proc.stderr.strip() == "dossier: give dossier folders or --from-file FILE"
    proc = _main("ledger", "list")
    assert proc.returncode == 2 and "missing ledger (see `dossier ledger list --help`)" in proc.stderr
    proc = _main("ledger", "list", "--ledger", "postgresql://nobody:pw@127.0.0.1:1/none")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("dossier: cannot connect to the award ledger postgresql+psycopg://nobody:***@127.0.0.1:1/none")
    proc = _main("ledger", "list", "--ledger", str(tmp_path / "missing" / "l.db"), env={"LANG": "zh_CN.UTF-8"})
    assert proc.returncode == 2 and "文件夹" in proc.stderr and "不存在" in proc.stderr
    proc = _main("check", str(YEARLY), "--ledger", str(tmp_path / "missing" / "l.db"), "--no-cache")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "does not exist" in proc.stderr
    proc = _main("ledger", "list", env={"DOSSIER_LEDGER": str(tmp_path / "env.db")})
    assert proc.returncode == 0 and "no awards in the ledger match" in proc.stdout


def test_help_in_both_languages():
    for args in (("ledger", "--help"), ("ledger", "record", "--help"), ("ledger", "export", "--help")):
        assert "award" in _main(*args).stdout.lower()
        assert "台账" in _main(*args, env={"LANG": "zh_CN.UTF-8"}).stdout


def test_the_real_pipeline_records_an_example(tmp_path):
    need(find_spec("toolkit.extract.pipeline") is not None, "extraction (toolkit.extract.pipeline) is not built yet")
    db = str(tmp_path / "ledger.db")
    proc = _main("ledger", "record", "--from-file", str(PRIOR), "--ledger", db)
    assert proc.returncode == 0, proc.stderr
    proc = _main("ledger", "record", str(YEARLY), "--ledger", db, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert "CNY 20,000.00" in proc.stdout
    proc = _main("check", str(YEARLY), "--ledger", db, "--format", "json", "--no-cache")
    assert json.loads(proc.stdout.splitlines()[0])["support"]["eligible_cny"] == "20000.00"
    assert Path(db).is_file()
