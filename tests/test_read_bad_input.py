"""Bad input never crashes, never hangs, and never modifies the file: each case gives a clear error.

The PDFs are made here with reportlab (a test extra), so the cases are exact and the
repository carries no binary fixtures.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from conftest import EXAMPLES, need, need_tool

from toolkit.read import ReadSettings, read_document, tesseract_available


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_pdf(path: Path, pages: int = 1, lines: int = 3, encrypt: str | None = None, text: str = "Invoice total CNY 1,000.00") -> Path:
    from reportlab import rl_config
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    enc = StandardEncryption(encrypt, ownerPassword="owner-" + encrypt, strength=128) if encrypt else None
    c = canvas.Canvas(str(path), encrypt=enc)
    for p in range(pages):
        for i in range(lines):
            c.drawString(72, 760 - 16 * i, f"{text} page {p + 1} line {i + 1}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    good = make_pdf(tmp_path / "good.pdf")
    data = good.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    head_only = tmp_path / "head-only.pdf"
    head_only.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "notes.pdf").write_text("just some text, renamed to .pdf\n", encoding="utf-8")
    (tmp_path / "photo.pdf").write_bytes(b"GIF89a" + bytes(64))
    return {
        "good": good,
        "truncated": truncated,
        "head_only": head_only,
        "empty": tmp_path / "empty.pdf",
        "text": tmp_path / "notes.pdf",
        "gif": tmp_path / "photo.pdf",
        "encrypted": make_pdf(tmp_path / "locked.pdf", encrypt="s3cret"),
        "long": make_pdf(tmp_path / "long.pdf", pages=5),
    }


def test_a_good_pdf_reads(inputs):
    doc = read_document(inputs["good"])
    assert doc.error is None and doc.error_reason is None
    assert [p.source for p in doc.pages] == ["text"]
    assert doc.pages[0].lines[0].text == "Invoice total CNY 1,000.00 page 1 line 1"
    assert doc.sha256 == sha(inputs["good"])


def test_not_a_pdf(inputs):
    for name in ("text", "gif"):
        doc = read_document(inputs[name])
        assert doc.error_reason == "not_pdf", name
        assert doc.error.startswith("not a PDF file") and "\n" not in doc.error
        assert doc.pages == []


def test_empty(inputs):
    doc = read_document(inputs["empty"])
    assert doc.error_reason == "empty" and doc.error == "the file is empty"
    assert doc.sha256 == hashlib.sha256(b"").hexdigest()


def test_missing_file_and_folder(tmp_path):
    assert read_document(tmp_path / "nope.pdf").error_reason == "not_found"
    assert read_document(tmp_path).error_reason == "not_pdf"


def test_truncated_gives_what_it_has_or_damaged(inputs):
    doc = read_document(inputs["truncated"])
    if doc.error_reason is None:  # pdfium may rebuild a cut file: then the text that survived is read
        assert doc.pages
    else:
        assert doc.error_reason == "damaged" and doc.error.startswith("the PDF is damaged")
    doc = read_document(inputs["head_only"])
    assert doc.error_reason == "damaged" and doc.error and "Traceback" not in doc.error


def test_encrypted_without_password_says_to_give_one(inputs):
    doc = read_document(inputs["encrypted"])
    assert doc.error_reason == "encrypted"
    assert "--password" in doc.error and doc.pages == []


def test_encrypted_with_a_wrong_password(inputs):
    doc = read_document(inputs["encrypted"], ReadSettings(password="guess"))
    assert doc.error_reason == "encrypted" and "does not open it" in doc.error


def test_encrypted_with_its_password_reads(inputs):
    doc = read_document(inputs["encrypted"], ReadSettings(password="s3cret"))
    assert doc.error is None
    assert doc.pages[0].lines[0].text.startswith("Invoice total CNY 1,000.00")


def test_over_the_size_limit(inputs):
    doc = read_document(inputs["good"], ReadSettings(max_bytes=100))
    assert doc.error_reason == "too_large"
    assert "over the limit" in doc.error


def test_over_the_page_limit(inputs):
    doc = read_document(inputs["long"], ReadSettings(max_pages=3))
    assert doc.error_reason == "too_many_pages"
    assert doc.error == "the PDF has 5 pages, over the limit of 3"
    assert len(read_document(inputs["long"], ReadSettings(max_pages=5)).pages) == 5


def test_a_read_over_its_time_is_stopped(tmp_path):
    import time

    big = make_pdf(tmp_path / "big.pdf", pages=200, lines=40)
    started = time.monotonic()
    doc = read_document(big, ReadSettings(timeout_s=0.2))
    assert time.monotonic() - started < 5
    assert doc.error_reason == "timed_out"
    assert doc.error == "reading took longer than 0.2 s and was stopped"
    assert read_document(make_pdf(tmp_path / "after.pdf")).error is None  # the next read gets a fresh worker


def test_a_read_over_its_memory_is_stopped(tmp_path):
    big = make_pdf(tmp_path / "big.pdf", pages=300, lines=40)  # ~1M characters with boxes: far over 2 MB
    doc = read_document(big, ReadSettings(memory_mb=2))
    assert doc.error_reason == "out_of_memory"
    assert doc.error == "reading needed more than 2 MB of memory and was stopped"
    assert read_document(make_pdf(tmp_path / "after.pdf"), ReadSettings(memory_mb=2)).error is None


def test_inputs_are_never_modified(inputs):
    before = {name: (sha(path), path.stat().st_mtime_ns) for name, path in inputs.items()}
    for path in inputs.values():
        read_document(path)
        read_document(path, ReadSettings(password="s3cret", max_pages=2))
    after = {name: (sha(path), path.stat().st_mtime_ns) for name, path in inputs.items()}
    assert after == before


def test_errors_are_one_line_without_traceback(inputs):
    for path in inputs.values():
        doc = read_document(path)
        if doc.error is not None:
            assert "\n" not in doc.error and "Traceback" not in doc.error
            assert doc.error_reason in {"not_pdf", "empty", "damaged", "encrypted", "too_large", "too_many_pages",
                                        "timed_out", "out_of_memory"}


def _cjk_canvas(path: Path):
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    return c


def test_fake_bold_overprint_reads_once(tmp_path):
    """The same string drawn twice 0.0001 pt apart (fake bold) reads as one string."""
    path = tmp_path / "bold.pdf"
    c = _cjk_canvas(path)
    for dx in (0.0, 0.0001, 0.35):
        c.drawString(72 + dx, 700, "甲方：上海澄源生物医药有限公司")
    c.drawString(72, 670, "签订日期 2025 年 4 月 18 日")
    c.showPage()
    c.save()
    doc = read_document(path)
    texts = [line.text for line in doc.pages[0].lines]
    assert texts == ["甲方：上海澄源生物医药有限公司", "签订日期2025年4月18日"]
    line = doc.pages[0].lines[0]
    assert len(line.boxes) == len(line.text) == len(line.text)
    assert len(line.raw) == len(line.text)  # the duplicates are gone from raw too


def test_kangxi_radicals_in_a_text_layer_read_as_ideographs(tmp_path):
    path = tmp_path / "radicals.pdf"
    c = _cjk_canvas(path)
    c.drawString(72, 700, "\u2f08\u6c11\u94f6\u884c \u2ed3\u6c5f")  # ⼈民银行 ⻓江 as a bad ToUnicode map gives them
    c.showPage()
    c.save()
    doc = read_document(path)
    assert doc.pages[0].lines[0].text.replace(" ", "") == "人民银行长江"


def test_an_image_file_is_read_by_ocr(tmp_path):
    need_tool("tesseract", "tesseract-ocr")
    need(tesseract_available(), "Tesseract lacks chi_sim or eng (Debian package tesseract-ocr-chi-sim)")
    import pypdfium2 as pdfium

    scan = EXAMPLES / "m23-industrial-project--scanned-license" / "documents" / "business-license-scan.pdf"
    pdf = pdfium.PdfDocument(str(scan))
    image = tmp_path / "licence.png"
    pdf[0].render(scale=300 / 72).to_pil().save(image, dpi=(300, 300))
    pdf.close()
    doc = read_document(image)
    assert doc.error is None
    (page,) = doc.pages
    assert page.source == "ocr"
    assert abs(page.width - 595.3) < 2 and abs(page.height - 841.9) < 2
    assert any(line.text.startswith("营业执照") for line in page.lines)


def test_ocr_page_budget(tmp_path):
    """Pages past the OCR budget stay unreadable with a note and a warning (no Tesseract needed: budget 0)."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(3):
        c.rect(50, 50, 400, 600, fill=1)  # something drawn, no text: a page for OCR
        c.showPage()
    c.save()
    doc = read_document(path, ReadSettings(ocr_page_budget=0))
    assert [p.source for p in doc.pages] == ["unreadable"] * 3
    if doc.ocr_available:
        assert all("OCR page budget of 0 pages" in (p.note or "") for p in doc.pages)
        assert any("3 page(s) not OCR'd" in w for w in doc.warnings)
    assert any("without usable text: 1-3" in w for w in doc.warnings)


def test_the_default_jobs_respect_a_cgroup_cpu_quota(tmp_path):
    """--jobs defaults to the CPUs this process may use: a container's CPU quota bounds
    them (a 2-CPU pod on a 64-core node must not start 64 readers)."""
    from toolkit.read.worker import usable_cpus

    affinity = len(os.sched_getaffinity(0))
    assert usable_cpus(tmp_path / "no-cgroup-here") == affinity
    (tmp_path / "cpu.max").write_text("150000 100000\n", encoding="ascii")  # 1.5 CPUs (v2)
    assert usable_cpus(tmp_path) == min(affinity, 2)
    (tmp_path / "cpu.max").write_text("50000 100000\n", encoding="ascii")
    assert usable_cpus(tmp_path) == 1
    (tmp_path / "cpu.max").write_text("max 100000\n", encoding="ascii")  # no quota
    assert usable_cpus(tmp_path) == affinity
    (tmp_path / "cpu.max").unlink()
    (tmp_path / "cpu").mkdir()
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n", encoding="ascii")
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("100000\n", encoding="ascii")  # 1 CPU (v1)
    assert usable_cpus(tmp_path) == 1
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n", encoding="ascii")  # no quota
    assert usable_cpus(tmp_path) == affinity
