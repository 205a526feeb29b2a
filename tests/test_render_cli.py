"""`dossier render`: formats, warnings and --strict, exit codes, and input files left alone."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from importlib.util import find_spec

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT
from test_render_support import docx_text, golden_extractor

import toolkit.check.engine as engine
from toolkit.cli import render_cmd
from toolkit.cli.main import cli as root_cli

M36 = EXAMPLES / "m36-overseas-license"
DAMAGED = EXAMPLES / "m13-trial-insurance--damaged-receipt"


@pytest.fixture
def cli(monkeypatch):
    """The root group with `render` on it, checking with the examples' golden fields."""
    if "render" not in root_cli.commands:
        render_cmd.register(root_cli)
    monkeypatch.setattr(engine, "extract_all", lambda dossier, options: golden_extractor(dossier))
    return root_cli


def run(cli, *args):
    return CliRunner().invoke(cli, list(args))


def folder_digest(folder):
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_markdown_to_stdout(cli):
    result = run(cli, "render", str(M36), "--format", "md", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "| Applicant | 上海澄源生物医药有限公司 |" in result.stdout
    assert result.stderr == ""


def test_docx_to_a_file_keeps_the_dossier_untouched(cli, tmp_path):
    before = folder_digest(M36)
    target = tmp_path / "form.docx"
    result = run(cli, "render", str(M36), "-o", str(target), "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    capitals = [] if find_spec("toolkit.parse.money") else ["警告：申请表缺少 capitals（已在表中标注【待补充】）"]
    assert result.stderr.splitlines() == [*capitals, f"已生成 {target}"]
    assert "申报单位名称 / Applicant | 上海澄源生物医药有限公司" in docx_text(target.read_bytes())
    assert folder_digest(M36) == before
    assert not list(tmp_path.glob("*.part"))


def test_format_follows_the_suffix(cli, tmp_path):
    target = tmp_path / "form.html"
    assert run(cli, "render", str(M36), "-o", str(target), "--lang", "en").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_missing_values_warn_and_strict_fails(cli, tmp_path):
    target = tmp_path / "form.docx"
    lenient = run(cli, "render", str(DAMAGED), "-o", str(target), "--lang", "en")
    assert lenient.exit_code == 0
    warnings = [line for line in lenient.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: the form lacks facts.premium_receipt.premium_paid (marked 【missing】 in it)",
        "warning: the form lacks facts.premium_receipt.payment_date (marked 【missing】 in it)",
        "warning: the form lacks support.basis (marked 【missing】 in it)",
        "warning: the form lacks support.eligible (marked 【missing】 in it)"]
    strict = run(cli, "render", str(DAMAGED), "-o", str(target), "--lang", "en", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "--strict: 4 value(s) missing, exit 1"
    assert target.is_file()  # the form is written, with its markers, so the applicant sees what to add


def test_strict_passes_a_complete_form(cli):
    result = run(cli, "render", str(M36), "--format", "md", "--lang", "en", "--strict")
    assert result.exit_code == 0, result.stderr


def test_an_unreadable_dossier_is_exit_2_in_one_line(cli, tmp_path):
    result = run(cli, "render", str(tmp_path), "-o", str(tmp_path / "f.docx"), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == f"dossier: {tmp_path}: no dossier.yaml in this folder\n"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "dossier.yaml").write_text("measure: [unclosed\n", encoding="utf-8")
    result = run(cli, "render", str(bad), "--format", "md", "--lang", "en")
    assert result.exit_code == 2 and result.stderr.startswith("dossier: ") and len(result.stderr.splitlines()) == 1


def test_docx_needs_an_output_file(cli):
    result = run(cli, "render", str(M36), "--lang", "en")
    assert result.exit_code == 2
    assert "a DOCX form needs -o FILE" in result.stderr


def test_pdf_needs_docx(cli):
    result = run(cli, "render", str(M36), "--format", "md", "--pdf", "--lang", "en")
    assert result.exit_code == 2 and "--pdf converts the DOCX form" in result.stderr


def test_never_overwrites_the_dossier_files(cli):
    manifest = M36 / "dossier.yaml"
    before = manifest.read_bytes()
    result = run(cli, "render", str(M36), "-o", str(manifest), "--format", "md", "--lang", "en")
    assert result.exit_code == 2 and "one of the dossier's own files" in result.stderr
    assert manifest.read_bytes() == before
    receipt = M36 / "documents" / "bank-receipt.docx"
    result = run(cli, "render", str(M36), "-o", str(receipt), "--pdf", "--lang", "en")
    assert result.exit_code == 2 and "bank-receipt.pdf" in result.stderr
    assert not receipt.exists()


def test_pdf_without_libreoffice_says_so(cli, tmp_path, monkeypatch):
    import toolkit.render.pdf as pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    target = tmp_path / "form.docx"
    result = run(cli, "render", str(M36), "-o", str(target), "--pdf", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == ("dossier: --pdf needs LibreOffice (soffice), which is not installed "
                                              "(Debian: apt install libreoffice-writer-nogui); the DOCX was written")
    assert target.is_file() and not (tmp_path / "form.pdf").exists()


def test_help_is_localised(cli):
    result = run(cli, "--lang", "zh", "render", "--help")
    assert result.exit_code == 0 and "生成申报材料的申请表" in result.stdout and "--strict" in result.stdout


def test_importing_the_commands_loads_no_heavy_library():
    code = ("import sys, toolkit.cli.render_cmd, toolkit.cli.lint_cmd; "
            "heavy = {'docx', 'jinja2', 'pdfplumber', 'pypdfium2', 'reportlab', 'openpyxl', 'sqlalchemy', 'lxml'}; "
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_pipe_given_as_the_output_is_written_to_not_replaced(cli, tmp_path):
    """The form was written beside the target and renamed over it: a named pipe (or a
    device such as /dev/full) given as -o was replaced by a regular file."""
    import os
    import stat
    import threading

    pipe = tmp_path / "form.md"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    result = run(cli, "render", str(M36), "--format", "md", "--lang", "en", "-o", str(pipe))
    reader.join(30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert b"| Applicant | " in got[0]
