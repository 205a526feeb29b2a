"""Read one file into a ReadDocument. Runs inside the worker process (see worker.py).

Why it may raise: anything unexpected here is contained by the worker, which turns it into
a `damaged` result; the expected failures (encrypted, too many pages) are `ReadError`s
with their reason. Per page, a failure marks that page unreadable and reading goes on, so
a file damaged in one place still gives what it has.
"""

from __future__ import annotations

import mmap
import os
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from toolkit.errors import ReadError
from toolkit.i18n import t
from toolkit.read import fonts
from toolkit.read.layout import build_lines
from toolkit.read.model import Line, Page, ReadDocument, ReadSettings, boxes_from_index, union
from toolkit.read.normalise import RawChar
from toolkit.read.ocr import (
    DPI,
    OcrError,
    missing_languages,
    ocr_image,
    tesseract_available,
    tesseract_path,
)
from toolkit.read.runs import build_run_lines, page_runs, run_chars
from toolkit.read.tables import find_tables
from toolkit.read.textlayer import (
    DocumentBoxes,
    PageBoxes,
    fast_page_text,
    page_text,
    scan_objects,
    unturn_box,
)
from toolkit.read.triage import assess, looks_junk

OCR_LAYER_CONFIDENCE = 0.7  # an OCR text layer someone else made: usable, not sure
MAX_RENDER_PIXELS = 4200  # the longer side of a page rendered for OCR
OCR_PAGE_TIMEOUT_S = 120.0  # one pathological page must not use up a whole batch's patience
FORMTYPE_XFA_FULL = 2
IMAGE_KINDS = ("png", "jpeg", "tiff", "bmp", "gif", "webp")


def _passwords(password: str | None) -> list[str | None]:
    """The password as given, then its SASLprep-like form (AES-256 R6 wants NFKC without soft hyphens)."""
    if password is None:
        return [None]
    out: list[str | None] = [password]
    prepped = unicodedata.normalize("NFKC", "".join(c for c in password if c not in "\u00ad\u200b\u2060\ufeff"))
    if prepped != password:
        out.append(prepped)
    return out


def open_pdf(path: Path, password: str | None) -> tuple[pdfium.PdfDocument, str | None]:
    """The pdfium document and the password that opened it; ReadError when it does not open."""
    if os.environ.get("DOSSIER_FONT_MEMORY", "1") != "0":
        fonts.install()
    last: pdfium.PdfiumError | None = None
    for candidate in _passwords(password):
        try:
            return pdfium.PdfDocument(str(path), password=candidate), candidate
        except pdfium.PdfiumError as exc:
            last = exc
            if getattr(exc, "err_code", None) != pdfium_c.FPDF_ERR_PASSWORD:
                break
    code = getattr(last, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD and _has_encrypt(path):
        key = "read.error.encrypted_wrong" if password else "read.error.encrypted"
        raise ReadError(key, reason="encrypted")
    if code == pdfium_c.FPDF_ERR_FILE:
        raise ReadError("read.error.unreadable_file", reason="damaged", detail=str(last))
    # Not pdfium's own words: its last error is process-global, and some failures do not set
    # it, so a reused worker would report the error of the file before ("Data format error")
    # and a fresh one "Success": the same file, two messages, one cached.
    raise ReadError("read.error.damaged", reason="damaged", detail=STRUCTURE_UNREADABLE)


STRUCTURE_UNREADABLE = "pdfium could not read its structure"


def _has_encrypt(path: Path) -> bool:
    """Whether the file has an /Encrypt entry at all. pdfium's last error is process-global,
    so in a reused worker a file that fails for another reason can report the password
    error of an earlier file; this keeps such a file from being called encrypted."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b"/Encrypt") >= 0


def _detail(exc: BaseException | None) -> str:
    text = str(exc) if exc is not None else ""
    return text.replace("Failed to load document ", "").strip(" .()") or type(exc).__name__


class _Ocr:
    """Who may be OCR'd in this file: availability, the per-file page budget, what was skipped."""

    def __init__(self, settings: ReadSettings) -> None:
        self.settings = settings
        self.available = tesseract_available(settings.ocr_languages) if settings.ocr else False
        self.used = 0
        self.over_budget = 0
        self.wanted = 0

    def allowed(self) -> str | None:
        """None when the next page may be OCR'd, else the note key saying why not."""
        self.wanted += 1
        if not self.settings.ocr:
            return "read.note.ocr_off"
        if not self.available:
            return "read.note.ocr_unavailable"
        if self.used >= self.settings.ocr_page_budget:
            self.over_budget += 1
            return "read.note.ocr_budget"
        self.used += 1
        return None

    def warnings(self) -> list[str]:
        out = []
        if self.wanted and self.settings.ocr and not self.available:
            missing = missing_languages(self.settings.ocr_languages) if tesseract_path() else []
            if tesseract_path() and missing:
                out.append(t("read.warning.ocr_languages", "en", missing="+".join(missing)))
            else:
                out.append(t("read.warning.ocr_unavailable", "en"))
        if self.over_budget:
            out.append(t("read.warning.ocr_budget", "en", count=self.over_budget, budget=self.settings.ocr_page_budget))
        return out


def _render_scale(width: float, height: float) -> float:
    scale = DPI / 72
    longest = max(width, height, 1.0)
    return min(scale, MAX_RENDER_PIXELS / longest)


def _ocr_page(page: pdfium.PdfPage, out: Page, reason: str, settings: ReadSettings, timeout_s: float) -> None:
    scale = _render_scale(out.width, out.height)
    bitmap = page.render(scale=scale)
    try:
        image = bitmap.to_pil()
        lines = ocr_image(image, scale, settings.ocr_languages, timeout_s=timeout_s)
    finally:
        bitmap.close()
    out.lines = lines
    out.source = "ocr"
    out.note = t("read.note.ocr", "en", reason=t(f"read.note.{reason}", "en"))


def _unturned(line: Line, turns: int, width: float, height: float) -> Line:
    """A line read in a turned frame, with its boxes back on the displayed page."""
    boxes = tuple(unturn_box(b, turns, width, height) for b in line.boxes)
    return replace(line, bbox=unturn_box(line.bbox, turns, width, height), boxes=boxes)


def read_page(doc: pdfium.PdfDocument, index: int, settings: ReadSettings, ocr: _Ocr, xfa: bool,
              lazy: DocumentBoxes | None = None) -> Page:
    """One page as lines. A plain page takes the fast path (runs.py); with `lazy`, its lines'
    boxes are left to be fetched on demand through the open document, else they are
    fetched now, while the page is loaded."""
    page = doc[index]
    textpage = page.get_textpage()
    adopted = False
    try:
        fast = fast_page_text(page, textpage)
        found = page_runs(textpage.raw, fast[1], fast[2]) if fast is not None else None
        text = fast[0] if fast is not None and found is not None else page_text(page, textpage)
        out = Page(number=index + 1, width=text.width, height=text.height, source="text")
        if len(text.glyphs()) < 200 or text.invisible_share >= 0.8 or looks_junk(text):
            scan_objects(page, text)
        verdict = assess(text, xfa_document=xfa)
        if verdict.usable:
            confidence = OCR_LAYER_CONFIDENCE if verdict.ocr_layer else 1.0
            if fast is not None and found is not None:
                (string, boxes), (runs, turned) = fast[1:], found
                out.lines = build_run_lines(runs, string, boxes, confidence, turned)
                if lazy is not None:
                    out.char_box = partial(lazy.box, index)
                    lazy.adopt(index, page, textpage, boxes)
                    adopted = True
                else:
                    out.lines = [with_boxes(line, boxes) for line in out.lines]
                chars: Callable[[], list[RawChar]] | list[RawChar] = partial(run_chars, runs, string, boxes)
            else:
                out.lines = build_lines(text.chars, confidence, text.runs)
                if text.turns:
                    out.lines = [_unturned(line, text.turns, out.width, out.height) for line in out.lines]
                chars = text.chars
            if verdict.ocr_layer:
                out.source = "ocr"
            if verdict.reason is not None:
                out.note = t(f"read.note.{verdict.reason}", "en")
            if settings.tables and out.lines and not verdict.ocr_layer and not text.turns:
                out.tables = find_tables(page, chars)
            return out
        reason = verdict.reason or "no_text_layer"
        out.source = "unreadable"
        out.note = t(f"read.note.{reason}", "en")
        if not verdict.ocr_worthy:
            return out
        refused = ocr.allowed()
        if refused is not None:
            params = {"budget": settings.ocr_page_budget} if refused == "read.note.ocr_budget" else {}
            out.note = f"{out.note}; {t(refused, 'en', **params)}"
            return out
        try:
            _ocr_page(page, out, reason, settings, timeout_s=min(OCR_PAGE_TIMEOUT_S, max(10.0, settings.timeout_s)))
        except OcrError as exc:
            out.note = f"{out.note}; {t('read.note.ocr_failed', 'en', detail=str(exc))}"
        return out
    finally:
        if not adopted:
            textpage.close()
            page.close()


def with_boxes(line: Line, boxes: PageBoxes) -> Line:
    """A fast-path line with its character boxes fetched (and its indices let go)."""
    if line.boxes or not line.index:
        return line
    found = boxes_from_index(line.text, line.index, boxes.box)
    return replace(line, bbox=union(list(found)), boxes=found, index=())


def parse_document(path: Path, sha256: str, settings: ReadSettings, then: Callable[[ReadDocument], Any] | None = None,
                   on_progress: Callable[[int], None] | None = None) -> Any:
    """Read a PDF (or an image, by OCR) that the caller has checked exists and looks right.

    Without `then`, every line has its character boxes. With it, `then(document)` is what is
    returned, called while the document is still open, so that lines left without boxes
    (the fast path) fetch the few that `then` asks for (`Page.span_bbox`) and no others.
    """
    result = ReadDocument(path=str(path), sha256=sha256)
    ocr = _Ocr(settings)
    result.ocr_available = ocr.available
    doc, _password = open_pdf(path, settings.password)
    lazy = DocumentBoxes(doc) if then is not None else None
    try:
        total = len(doc)
        if total > settings.max_pages:
            raise ReadError("read.error.too_many_pages", reason="too_many_pages", pages=total, limit=settings.max_pages)
        xfa = pdfium_c.FPDF_GetFormType(doc.raw) == FORMTYPE_XFA_FULL
        failed = 0
        for index in range(total):
            try:
                page = read_page(doc, index, settings, ocr, xfa, lazy)
            except MemoryError:
                raise
            except Exception as exc:  # a damaged page: say so on the page and read on
                failed += 1
                page = Page(number=index + 1, width=0.0, height=0.0, source="unreadable",
                            note=t("read.note.page_failed", "en", detail=_detail(exc)[:160]))
            result.pages.append(page)
            if on_progress is not None:
                on_progress(index + 1)
        if result.pages and all(p.source == "text" and not p.lines for p in result.pages):
            # Nothing drawn on any page (a fuzzed file pdfium repaired into empty pages):
            # an empty result must not pass for a document that says nothing.
            for page in result.pages:
                page.source = "unreadable"
                page.note = t("read.note.blank_document", "en")
            result.warnings.append(t("read.warning.no_content", "en"))
        if total and failed == total:
            raise ReadError("read.error.damaged", reason="damaged", detail=t("read.warning.partial", "en", read=0, total=total))
        if failed:
            result.warnings.append(t("read.warning.partial", "en", read=total - failed, total=total))
        result.warnings.extend(ocr.warnings())
        unreadable = [p.number for p in result.pages if p.source == "unreadable"]
        if unreadable:
            result.warnings.append(t("read.warning.unreadable_pages", "en", count=len(unreadable), pages=_ranges(unreadable)))
        return then(result) if then is not None else result
    finally:
        if lazy is not None:
            lazy.close()
        doc.close()


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}-{prev}" if prev > start else f"{start}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def parse_image(path: Path, sha256: str, settings: ReadSettings, then: Callable[[ReadDocument], Any] | None = None,
                on_progress: Callable[[int], None] | None = None) -> Any:
    """A scanned page given as an image file (PNG, JPEG, TIFF): one page per frame, by OCR."""
    from PIL import Image, ImageSequence

    result = ReadDocument(path=str(path), sha256=sha256)
    ocr = _Ocr(settings)
    result.ocr_available = ocr.available
    result.warnings.append(t("read.warning.image_input", "en"))
    try:
        image = Image.open(path)
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except Exception as exc:
        raise ReadError("read.error.damaged", reason="damaged", detail=_detail(exc)) from exc
    if len(frames) > settings.max_pages:
        raise ReadError("read.error.too_many_pages", reason="too_many_pages", pages=len(frames), limit=settings.max_pages)
    for number, frame in enumerate(frames, start=1):
        dpi = frame.info.get("dpi") or image.info.get("dpi") or (DPI, DPI)
        scale = float(dpi[0]) / 72 if dpi and float(dpi[0]) > 10 else DPI / 72
        page = Page(number=number, width=round(frame.width / scale, 2), height=round(frame.height / scale, 2),
                    source="unreadable", note=t("read.note.no_text_layer", "en"))
        refused = ocr.allowed()
        if refused is not None:
            params = {"budget": settings.ocr_page_budget} if refused == "read.note.ocr_budget" else {}
            page.note = f"{page.note}; {t(refused, 'en', **params)}"
        else:
            try:
                page.lines = ocr_image(frame, scale, settings.ocr_languages,
                                       timeout_s=min(OCR_PAGE_TIMEOUT_S, max(10.0, settings.timeout_s)))
                page.source = "ocr"
                page.note = t("read.note.ocr", "en", reason=t("read.note.no_text_layer", "en"))
            except OcrError as exc:
                page.note = f"{page.note}; {t('read.note.ocr_failed', 'en', detail=str(exc))}"
        result.pages.append(page)
    result.warnings.extend(ocr.warnings())
    return then(result) if then is not None else result
