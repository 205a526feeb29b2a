"""What the read stage hands to extraction: pages of normalised lines with boxes.

Every line keeps one box per character of its *normalised* text (`boxes`), so a value
found at text[i:j] gets its exact bbox with `span_bbox(i, j)` even after normalisation
(NFKC, Kangxi radicals mapped, spaces inside CJK runs removed, fake-bold duplicates gone).
Coordinates are PDF points from the page's top-left: [x0, top, x1, bottom].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBoxT = tuple[float, float, float, float]
Source = Literal["text", "ocr", "unreadable"]


def union(boxes: list[BBoxT]) -> BBoxT:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass(frozen=True)
class Line:
    """One line of text in reading order, with a box per character of `text`."""

    text: str
    bbox: BBoxT
    boxes: tuple[BBoxT, ...] = ()
    raw: str = ""  # the characters as the PDF gave them, before normalisation
    confidence: float = 1.0  # OCR confidence (0..1); 1.0 for a text layer

    def span_bbox(self, start: int, end: int) -> BBoxT:
        """The box of text[start:end] (the line's box when character boxes are absent)."""
        if not self.boxes or end <= start:
            return self.bbox
        part = list(self.boxes[max(0, start): min(len(self.boxes), end)])
        return union(part) if part else self.bbox


@dataclass(frozen=True)
class Cell:
    text: str
    bbox: BBoxT


@dataclass(frozen=True)
class Table:
    """A ruled table: rows of cells (None where a cell is merged or empty)."""

    rows: tuple[tuple[Cell | None, ...], ...]
    bbox: BBoxT


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    source: Source
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str | None = None  # why a page is unreadable: "no text layer", "(cid:N) glyphs", "mojibake"...

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class ReadSettings:
    """What changes a read's result (part of the cache key) and the safety limits."""

    password: str | None = None
    ocr: bool = True  # use Tesseract when installed
    ocr_languages: str = "chi_sim+eng"
    ocr_page_budget: int = 20  # pages OCR'd per file; the rest are marked for review
    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2000
    timeout_s: float = 120.0
    memory_mb: int = 2048
    tables: bool = True  # extract ruled tables with pdfplumber on pages that have ruling lines


@dataclass
class ReadDocument:
    """A whole file as read: its pages, or the error that stopped the read."""

    path: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    error_reason: str | None = None  # not_pdf, empty, damaged, encrypted, too_large, too_many_pages, timed_out, out_of_memory
    error_key: str | None = None  # the message catalogue's key for `error`, so reports can say it in Chinese too
    error_params: dict[str, str] = field(default_factory=dict)
    ocr_available: bool = False
