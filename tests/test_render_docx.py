"""The DOCX writer: escaping, East Asian fonts and language, styles, tables, checkboxes, determinism."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from conftest import EXAMPLES
from lxml import etree
from test_render_support import docx_part, docx_text, render_example

from toolkit.render.docx_writer import (
    EAST_ASIA_FONT,
    LATIN_FONT,
    SYMBOL_FONT,
    canonical_zip,
    write_docx,
)
from toolkit.render.form import render_form
from toolkit.render.markup import parse
from toolkit.render.sample import HOSTILE, sample_form

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
CJK = re.compile(r"[\u4e00-\u9fff]")


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def hostile_zh() -> bytes:
    return render_form(sample_form("m36-overseas-license", None, "zh"), "docx").data


@pytest.fixture(scope="module")
def example_zh() -> bytes:
    return render_example(EXAMPLES / "m36-overseas-license", "zh").data


def test_xml_special_characters_and_quotes_come_out_intact(hostile_zh):
    text = docx_text(hostile_zh)
    assert HOSTILE in text  # R&D <Lab> | "Q" 's' [x] #1 \ 上海
    assert "R " not in text.replace("R&D", "")  # the classic truncation of "R&D <Lab>"
    assert b"R&amp;D &lt;Lab&gt;" in docx_part(hostile_zh)


def test_every_run_names_its_fonts_and_languages(example_zh):
    root = etree.fromstring(docx_part(example_zh))
    runs = root.findall(".//w:r", NS)
    assert len(runs) > 200
    cjk_runs = 0
    for run in runs:
        text = "".join(t.text or "" for t in run.findall("w:t", NS))
        fonts = run.find("w:rPr/w:rFonts", NS)
        lang = run.find("w:rPr/w:lang", NS)
        assert fonts is not None and lang is not None, etree.tostring(run, encoding="unicode")
        assert fonts.get(q("eastAsia")) == EAST_ASIA_FONT
        assert lang.get(q("eastAsia")) == "zh-CN"
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib)
        if text in ("☑", "☐"):
            assert fonts.get(q("ascii")) == SYMBOL_FONT
        else:
            assert fonts.get(q("ascii")) == LATIN_FONT and fonts.get(q("hAnsi")) == LATIN_FONT
        if CJK.search(text):
            cjk_runs += 1
            assert fonts.get(q("hint")) == "eastAsia", text
    assert cjk_runs > 50


def test_styles_name_fonts_explicitly_and_never_a_japanese_default(example_zh):
    styles = docx_part(example_zh, "word/styles.xml")
    root = etree.fromstring(styles)
    default = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = default.find("w:rFonts", NS)
    assert {k.split("}")[1]: v for k, v in fonts.attrib.items()} == {
        "ascii": LATIN_FONT, "hAnsi": LATIN_FONT, "cs": LATIN_FONT, "eastAsia": EAST_ASIA_FONT}
    assert default.find("w:lang", NS).get(q("eastAsia")) == "zh-CN"
    assert b"Theme=" not in styles and b"theme=" not in styles
    assert b"ja-JP" not in styles
    assert all(f.get(q("eastAsia")) == EAST_ASIA_FONT for f in root.iter(q("rFonts")))


def test_tables_grow_with_the_data_and_repeat_their_header(example_zh):
    root = etree.fromstring(docx_part(example_zh))
    tables = root.findall(".//w:body/w:tbl", NS)
    rows = [len(t.findall("w:tr", NS)) for t in tables]
    # applicant 5 rows, item 7, transaction 7, amounts 7, documents 1 + 11, required 1 + 7, verdict 2, then the annex
    assert rows[:8] == [5, 7, 7, 7, 12, 8, 2, 11]
    head = tables[4].find("w:tr/w:trPr/w:tblHeader", NS)
    assert head is not None and head.get(q("val")) == "true"


def test_checkboxes_render_checked_and_unchecked():
    text = docx_text(render_example(EXAMPLES / "m05-innovative-drug--missing-audit-report", "en").data)
    assert "☐ | Special audit report of R&D spending | —" in text
    assert "☑ | Business licence | documents/business-license.pdf" in text
    assert "☐ pass  ☑ fail  ☐ needs review" in text


def test_a4_paper():
    data = write_docx(parse("x\n"), "en")
    size = etree.fromstring(docx_part(data)).find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(q("w")), size.get(q("h"))) == ("11906", "16838")


def test_same_blocks_same_bytes_with_fixed_package_metadata(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    blocks = parse("@title 申请表\n@kv\n名称 | R&D <Lab>\n@end\n")
    first, second = write_docx(blocks, "zh", "t"), write_docx(blocks, "zh", "t")
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml" and infos[1].filename == "_rels/.rels"
    assert [i.filename for i in infos[2:]] == sorted(i.filename for i in infos[2:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-07-15T00:00:00Z</dcterms:created>" in core
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-07-15T00:00:00Z</dcterms:modified>" in core
    assert "<cp:lastModifiedBy>dossier</cp:lastModifiedBy>" in core and "<cp:revision>1</cp:revision>" in core


def test_source_date_epoch_sets_the_timestamp(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    core = zipfile.ZipFile(io.BytesIO(write_docx(parse("x\n"), "en"))).read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z</dcterms:created>" in core


def test_canonical_zip_is_idempotent_and_keeps_every_member():
    data = write_docx(parse("x\n"), "en")
    again = canonical_zip(data)
    assert again == data
    assert sorted(zipfile.ZipFile(io.BytesIO(again)).namelist()) == sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_missing_values_are_visible_and_highlighted():
    data = render_form(sample_form("m37-intl-exhibition", None, "zh", filled=False), "docx").data
    text = docx_text(data)
    assert "【待补充 / missing: applicant.address】" in text
    root = etree.fromstring(docx_part(data))
    marked = [r for r in root.iter(q("r")) if "missing: applicant.address" in "".join(r.itertext())]
    assert marked and marked[0].find("w:rPr/w:highlight", NS).get(q("val")) == "yellow"
