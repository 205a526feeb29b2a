"""`--pdf`: LibreOffice turns the DOCX into a PDF whose text layer holds the Chinese form and
whose CJK font is embedded (CI installs libreoffice-writer-nogui and fonts-noto-cjk)."""

from __future__ import annotations

import io
import subprocess

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, need_tool
from test_render_support import golden_extractor, render_example

import toolkit.check.engine as engine
from toolkit.cli import render_cmd
from toolkit.cli.main import cli as root_cli
from toolkit.render.pdf import docx_to_pdf

pytestmark = pytest.mark.slow


def embedded_fonts(pdf_bytes: bytes) -> dict[str, bool]:
    """Base font name -> whether its program is embedded (FontFile/FontFile2/FontFile3)."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    found: dict[str, bool] = {}
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            fonts = resolve1(resolve1(page.page_obj.resources).get("Font")) or {}
            for ref in fonts.values():
                font = resolve1(ref)
                descendants = resolve1(font.get("DescendantFonts")) or [font]
                for desc in descendants:
                    desc = resolve1(desc)
                    descriptor = resolve1(desc.get("FontDescriptor")) or {}
                    name = str(resolve1(font.get("BaseFont"))).strip("/'")
                    found[name] = any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3"))
    return found


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    need_tool("soffice", "libreoffice-writer-nogui")
    return docx_to_pdf(render_example(EXAMPLES / "m36-overseas-license", "zh").data)


def test_the_text_layer_holds_the_chinese_form(pdf_bytes):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert len(pdf.pages) >= 3
    for needle in ("上海市生物医药产业支持资金申请表", "申报单位名称", "上海澄源生物医药有限公司",
                   "中国（上海）自由贸易试验区张江路88号", "¥1,800,000.00", "本单位承诺", "☑"):
        assert needle in text, needle


def test_the_cjk_font_is_embedded(pdf_bytes):
    fonts = embedded_fonts(pdf_bytes)
    cjk = {name: embedded for name, embedded in fonts.items() if "CJK" in name}
    assert cjk, fonts
    assert all(cjk.values()), cjk


def test_a_page_renders_with_glyphs_not_boxes(pdf_bytes, tmp_path):
    """The first page as an image: the title line must carry ink across its width (a missing
    font shows as a row of identical boxes or nothing); looked at by eye once, too."""
    need_tool("pdftoppm", "poppler-utils")
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(source), str(tmp_path / "page")],
                   check=True)
    (png,) = tmp_path.glob("page*.png")
    assert png.stat().st_size > 10_000


def test_the_cli_writes_the_pdf_beside_the_docx(tmp_path, monkeypatch):
    need_tool("soffice", "libreoffice-writer-nogui")
    if "render" not in root_cli.commands:
        render_cmd.register(root_cli)
    monkeypatch.setattr(engine, "extract_all", lambda dossier, options: golden_extractor(dossier))
    target = tmp_path / "form.docx"
    result = CliRunner().invoke(root_cli, ["render", str(EXAMPLES / "m37-intl-exhibition"), "-o", str(target),
                                           "--pdf", "--lang", "zh"])
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "form.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert f"已生成 {pdf}" in result.stderr
