"""Every example dossier checks to its golden verdict, amount and failing rule codes.

The golden files (examples/*/expected.json) come from the generator's inputs, never from the
toolkit's output: this is the end-to-end proof that extraction and checking agree with what
the documents were made to say.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, need

from toolkit.check.engine import CheckOptions, check_path
from toolkit.check.runner import OptionArgs, options_from
from toolkit.cli.main import cli

EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/expected.json"))


def expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def options_for(folder: Path, exp: dict) -> CheckOptions:
    args = exp.get("check_args", [])
    prior = str(folder / args[args.index("--prior-awards") + 1]) if "--prior-awards" in args else None
    return options_from(OptionArgs(lang="en", prior_awards=prior, no_cache=True))


@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=[p.name for p in EXAMPLE_DIRS])
def test_example_checks_to_its_golden_result(folder):
    exp = expected(folder)
    if "tesseract" in exp.get("assumes", []):
        need(shutil.which("tesseract") is not None, "Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")
    report = check_path(folder, f"examples/{folder.name}", options_for(folder, exp)).report
    failing = sorted(f.code for f in report.findings if f.status == "fail" and f.severity == "error")
    detail = [(f.code, f.status, f.message) for f in report.findings if f.status in ("fail", "needs_review")]
    assert report.verdict == exp["verdict"], detail
    assert failing == sorted(exp["failing_rules"]), detail
    want = exp["eligible_cny"]
    got = report.support.eligible_cny
    assert (None if got is None else f"{got:.2f}") == want, report.support.explanation
    if exp["verdict"] == "pass":
        assert got is not None and got > Decimal(0)


def test_check_json_validates_against_the_report_schema():
    import jsonschema

    result = CliRunner().invoke(cli, ["check", str(EXAMPLES / "m36-overseas-license"), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    schema = json.loads(CliRunner().invoke(cli, ["schema", "report"]).output)
    line = result.output.strip()
    assert "\n" not in line
    jsonschema.validate(json.loads(line), schema)
    data = json.loads(line)
    assert data["verdict"] == "pass" and data["support"]["eligible_cny"] == "1800000.00" and data["lang"] == "en"


def test_the_error_line_of_an_unreadable_dossier_validates_too(tmp_path):
    """A batch gives a dossier that cannot be read at all an error line (interfaces.md §2);
    the published schema rejected it."""
    import jsonschema

    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nowhere"), str(EXAMPLES / "m36-overseas-license"),
                                      "--format", "json", "--no-cache"])
    schema = json.loads(CliRunner().invoke(cli, ["schema", "report"]).output)
    lines = [json.loads(x) for x in result.output.strip().splitlines()]
    assert [x["verdict"] for x in lines] == ["error", "pass"]
    for line in lines:
        jsonschema.validate(line, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**lines[0], "verdict": "pass"}, schema)


def test_batch_exit_code_and_error_rows(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "dossier.yaml").write_text("measure: [\n", encoding="utf-8")
    args = [str(EXAMPLES / "m37-intl-exhibition"), str(EXAMPLES / "m36-overseas-license--down-payment-exact"), str(broken)]
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json", "--no-cache", "-j", "1"])
    rows = [json.loads(x) for x in result.output.splitlines()]
    assert [r["verdict"] for r in rows] == ["pass", "fail", "error"]
    assert "invalid YAML" in rows[2]["error"]
    assert result.exit_code == 2


def test_terminal_report_follows_lang():
    zh = subprocess.run([sys.executable, "-m", "toolkit", "check", str(EXAMPLES / "m24-cmo-production"), "--no-cache"],
                        capture_output=True, text=True, env={"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert zh.returncode == 0, zh.stderr
    assert "结论：通过" in zh.stdout
    assert "Verdict" not in zh.stdout and "Passed" not in zh.stdout
    en = subprocess.run([sys.executable, "-m", "toolkit", "check", str(EXAMPLES / "m24-cmo-production"), "--no-cache", "--lang", "en"],
                        capture_output=True, text=True, env={"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert "Verdict: pass" in en.stdout and "结论" not in en.stdout


BASE_DIRS = [p for p in EXAMPLE_DIRS if "--" not in p.name]


@pytest.mark.parametrize("folder", BASE_DIRS, ids=[p.name for p in BASE_DIRS])
def test_render_through_the_cli_with_real_extraction_is_byte_stable(folder, tmp_path):
    """`dossier render examples/<id> -o out.docx`, twice: the same bytes, and the form holds the
    applicant, the computed amount and every document of the example."""
    from test_render_support import docx_text

    exp = expected(folder)
    if "tesseract" in exp.get("assumes", []):
        need(shutil.which("tesseract") is not None, "Tesseract is not installed")
    outs = []
    for n in (1, 2):
        out = tmp_path / f"form{n}.docx"
        args = ["--lang", "en", "render", str(folder), "-o", str(out), "--no-cache"]
        if "--prior-awards" in exp.get("check_args", []):
            args += ["--prior-awards", str(folder / exp["check_args"][exp["check_args"].index("--prior-awards") + 1])]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    text = docx_text(outs[0])
    import yaml

    manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    assert manifest["applicant"]["name"] in text
    assert f"{Decimal(exp['eligible_cny']):,.2f}" in text
    for doc in manifest["documents"]:
        assert doc["file"] in text
