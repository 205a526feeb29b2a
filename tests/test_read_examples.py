"""The example dossiers' PDFs read back with exact text and boxes that point at the right place."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import EXAMPLES, need, need_tool

from toolkit.read import ReadSettings, read_document, tesseract_available

ALL_PDFS = sorted(EXAMPLES.glob("*/documents/*.pdf"))
DAMAGED = EXAMPLES / "m13-trial-insurance--damaged-receipt" / "documents" / "premium-receipt.pdf"
SCAN = EXAMPLES / "m23-industrial-project--scanned-license" / "documents" / "business-license-scan.pdf"
RECEIPT = EXAMPLES / "m36-overseas-license" / "documents" / "bank-receipt.pdf"
LICENCE = EXAMPLES / "m36-overseas-license" / "documents" / "business-license.pdf"
AGREEMENT = EXAMPLES / "m36-overseas-license" / "documents" / "license-agreement.pdf"


def line_with(doc, needle: str):
    for page in doc.pages:
        for line in page.lines:
            if needle in line.text:
                return page, line
    raise AssertionError(f"no line contains {needle!r}")


def test_there_are_examples():
    assert len(ALL_PDFS) > 100
    assert DAMAGED in ALL_PDFS and SCAN in ALL_PDFS


@pytest.mark.parametrize("path", [p for p in ALL_PDFS if p not in (DAMAGED, SCAN)], ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_born_digital_example_reads_as_text(path: Path):
    doc = read_document(path, ReadSettings(ocr=False))
    assert doc.error is None, doc.error
    assert doc.pages and all(p.source == "text" for p in doc.pages), [(p.number, p.note) for p in doc.pages]
    assert doc.warnings == []
    for page in doc.pages:
        assert page.lines
        for line in page.lines:
            assert len(line.boxes) == len(line.text)
            x0, top, x1, bottom = line.bbox
            assert 0 <= x0 <= x1 <= page.width + 1 and 0 <= top <= bottom <= page.height + 1


def test_the_truncated_receipt_is_damaged_not_a_crash():
    doc = read_document(DAMAGED)
    assert doc.error_reason == "damaged" and doc.error
    assert doc.pages == []
    assert len(doc.sha256) == 64


def test_bank_receipt_lines_exactly():
    doc = read_document(RECEIPT)
    texts = [line.text for line in doc.pages[0].lines]
    for expected in ("收款人 上海澄源生物医药有限公司", "汇款金额 USD 25,000,000.00", "结汇汇率 7.1300",
                     "入账金额 CNY 178,250,000.00", "大写金额 人民币壹亿柒仟捌佰贰拾伍万元整", "起息日 2025-04-18",
                     "打印日期：2025年4月21日", "经办：柜员A026 复核：B113", "第1页共1页"):
        assert expected in texts, expected
    # the seal's ring is one line in its own order, not scattered over the page
    assert "浦江商业银行上海张江支行" in texts


def test_business_licence_lines_exactly():
    doc = read_document(LICENCE)
    texts = [line.text for line in doc.pages[0].lines]
    assert texts[0] == "营业执照"
    for expected in ("统一社会信用代码：91310115MA1H8R2X46", "名称：上海澄源生物医药有限公司", "法定代表人：张明",
                     "注册资本：人民币8000.0000万元整", "成立日期：2016年03月22日", "住所：中国（上海）自由贸易试验区张江路88号"):
        assert expected in texts, expected


def _plumber_word(path: Path, page_number: int, word: str, near: tuple[float, ...]) -> tuple[float, float, float, float]:
    """pdfplumber's box of `word` (the occurrence nearest to `near`), cut from its word box by characters."""
    found = []
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        try:
            for w in page.extract_words():
                if word in w["text"]:
                    start = w["text"].index(word)
                    chars = [c for c in page.chars if w["x0"] - 0.01 <= c["x0"] and c["x1"] <= w["x1"] + 0.01
                             and abs(c["top"] - w["top"]) < 1][start:start + len(word)]
                    found.append((chars[0]["x0"], w["top"], chars[-1]["x1"], w["bottom"]))
        finally:
            page.close()
    assert found, word
    return min(found, key=lambda b: abs(b[0] - near[0]) + abs(b[1] - near[1]))


@pytest.mark.parametrize(("path", "line_cue", "value"), [
    (RECEIPT, "入账金额", "178,250,000.00"),
    (RECEIPT, "起息日", "2025-04-18"),
    (RECEIPT, "收款人", "上海澄源生物医药有限公司"),
    (LICENCE, "统一社会信用代码", "91310115MA1H8R2X46"),
    (AGREEMENT, "Agreement No.", "CY-NB-2025-001"),
])
def test_a_value_box_is_inside_its_line_and_where_pdfplumber_sees_it(path, line_cue, value):
    doc = read_document(path)
    page, line = line_with(doc, line_cue)
    start = line.text.index(value)
    box = line.span_bbox(start, start + len(value))
    lx0, ltop, lx1, lbottom = line.bbox
    assert lx0 <= box[0] < box[2] <= lx1 and ltop <= box[1] < box[3] <= lbottom
    truth = _plumber_word(path, page.number, value, box)
    assert abs(box[0] - truth[0]) < 1.0 and abs(box[2] - truth[2]) < 1.0, (box, truth)
    assert abs(box[1] - truth[1]) < 3.0 and abs(box[3] - truth[3]) < 3.0, (box, truth)


def test_ruled_table_cells():
    doc = read_document(RECEIPT)
    (table,) = doc.pages[0].tables
    rows = [[cell.text if cell else None for cell in row] for row in table.rows]
    assert rows[0] == ["项目", "内容"]
    assert ["入账金额", "CNY 178,250,000.00"] in rows
    assert ["入账账号", "3101 0468 2200 5187 36"] in rows
    amount = next(row for row in table.rows if row[0] and row[0].text == "入账金额")[1]
    _, line = line_with(doc, "入账金额")
    assert amount.bbox[0] <= line.span_bbox(5, 23)[0] and line.span_bbox(5, 23)[2] <= amount.bbox[2]


def test_tables_can_be_turned_off():
    doc = read_document(RECEIPT, ReadSettings(tables=False))
    assert doc.pages[0].tables == [] and doc.pages[0].lines


def test_the_scanned_licence_is_read_by_ocr():
    need_tool("tesseract", "tesseract-ocr")
    need(tesseract_available(), "Tesseract lacks chi_sim or eng (Debian package tesseract-ocr-chi-sim)")
    doc = read_document(SCAN)
    assert doc.error is None and doc.ocr_available
    (page,) = doc.pages
    assert page.source == "ocr" and "OCR" in (page.note or "")
    texts = [line.text.replace("：", ":") for line in page.lines]
    assert texts[0].startswith("营业执照")
    assert any(t.startswith("法定代表人:周立群") for t in texts)
    assert any("成立日期:2013年09月10日" in t for t in texts)
    _, line = line_with(doc, "法定代表人")
    assert 0 < line.confidence <= 0.9
    assert len(line.boxes) == len(line.text)
    # the box is in PDF points on the page, near the left margin of an A4 page
    assert 40 < line.bbox[0] < 80 and line.bbox[2] < page.width


def test_scan_without_ocr_is_unreadable_and_says_so():
    doc = read_document(SCAN, ReadSettings(ocr=False))
    assert doc.error is None
    (page,) = doc.pages
    assert page.source == "unreadable" and page.lines == []
    assert "no text layer" in (page.note or "")
    assert any("page" in w for w in doc.warnings)


def test_ocr_unavailable_is_a_warning(monkeypatch):
    """Without Tesseract a scan is unreadable with a warning saying how to install it."""
    import toolkit.read.parse as parse
    from toolkit.read.worker import shutdown_workers

    monkeypatch.setattr(parse, "tesseract_available", lambda languages: False)
    monkeypatch.setattr(parse, "tesseract_path", lambda: None)
    shutdown_workers()  # warm workers were forked before the patch
    try:
        doc = read_document(SCAN)
    finally:
        shutdown_workers()
    assert doc.pages[0].source == "unreadable"
    assert any("Tesseract is not installed" in w and "apt install tesseract-ocr" in w for w in doc.warnings)
