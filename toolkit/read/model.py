"""What the read stage hands to extraction: pages of normalised lines with boxes.

Every line keeps one box per character of its *normalised* text (`boxes`), so a value
found at text[i:j] gets its exact bbox with `span_bbox(i, j)` even after normalisation
(NFKC, Kangxi radicals mapped, spaces inside CJK runs removed, fake-bold duplicates gone).
Coordinates are PDF points from the page's top-left: [x0, top, x1, bottom].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

BBoxT = tuple[float, float, float, float]
Source = Literal["text", "ocr", "unreadable"]


def union(boxes: list[BBoxT]) -> BBoxT:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def split_box(box: BBoxT, n: int) -> list[BBoxT]:
    """A box cut into n equal vertical slices (for a ligature or "㈱" -> "(株)")."""
    x0, top, x1, bottom = box
    w = (x1 - x0) / n
    return [(x0 + i * w, top, x0 + (i + 1) * w, bottom) for i in range(n)]


def boxes_from_index(text: str, index: Sequence[int], box_of: Callable[[int], BBoxT]) -> tuple[BBoxT, ...]:
    """The boxes `normalise_chars` would have given, from the indices `normalise_indexed` kept:
    a character's own box (split in equal slices among the characters one glyph expanded
    to), and a space the box of the gap between its neighbours."""
    boxes: list[BBoxT | None] = []
    n = len(text)
    k = 0
    while k < n:
        i = index[k]
        if i < 0 or text[k] == " ":
            boxes.append(None)
            k += 1
            continue
        j = k + 1
        while j < n and index[j] == i and text[j] != " ":
            j += 1
        box = box_of(i)
        boxes.extend([box] if j - k == 1 else split_box(box, j - k))
        k = j
    for k, box in enumerate(boxes):
        if box is None:
            p = boxes[k - 1] if k else None
            m = k + 1
            while m < n and boxes[m] is None:
                m += 1
            q = boxes[m] if m < n else None
            if p is None or q is None:
                boxes[k] = p or q or (0.0, 0.0, 0.0, 0.0)
            else:
                boxes[k] = (p[2], min(p[1], q[1]), max(q[0], p[2]), max(p[3], q[3]))
    return tuple(b for b in boxes if b is not None)


@dataclass(frozen=True)
class Line:
    """One line of text in reading order, with a box per character of `text`."""

    text: str
    bbox: BBoxT
    boxes: tuple[BBoxT, ...] = ()
    raw: str = ""  # the characters as the PDF gave them, before normalisation
    confidence: float = 1.0  # OCR confidence (0..1); 1.0 for a text layer
    index: tuple[int, ...] = ()  # while `boxes` are not fetched: each character's pdfium index (-1: a space made here)

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
    # Where lines left their boxes to be fetched on demand (`Line.index`): a pdfium index ->
    # box lookup, alive only while the reader holds the document open. Never pickled.
    char_box: Callable[[int], BBoxT] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def span_bbox(self, line: Line, start: int, end: int) -> BBoxT:
        """The box of line.text[start:end], fetching the line's character boxes if need be."""
        if line.boxes or not line.index or self.char_box is None:
            return line.span_bbox(start, end)
        boxes = boxes_from_index(line.text, line.index, self.char_box)
        part = list(boxes[max(0, start): min(len(boxes), end)])
        return union(part) if part and end > start else line.bbox

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["char_box"] = None
        return state


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
