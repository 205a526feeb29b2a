"""Normalise one line's characters while keeping a box per output character.

Why here and not later: extraction matches labels and values on the text, and a value's
provenance box is taken from the same indices (`Line.span_bbox`). So every change to the
text is made character by character, each output character inheriting the box of the
raw character it came from:

- NFKC (full-width letters and digits, ligatures, Kangxi radicals U+2F00-2FDF) except for
  full-width punctuation and Roman numerals, which stay as printed; plus the CJK Radicals
  Supplement (U+2E80-2EFF) that NFKC leaves alone, mapped by `radicals.RADICALS`;
- every kind of white space becomes one space; zero-width characters and soft hyphens go;
- a space between two CJK characters, or between a digit and a CJK character, is dropped
  ("2025 年 4 月 18 日" -> "2025年4月18日"), unless the gap is wide (a column gap in a
  table row: "户名      上海澄源" keeps its separator);
- an ideographic space (U+3000) is a separator the author typed ("柜员A026　复核"): it is
  kept as one space, never dropped;
- runs of spaces collapse to one, and the line is trimmed.

Fake-bold overprinting (the same glyph drawn twice a hair apart) is removed by
`drop_overprints` before, on the raw characters, since it is decided by position.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from toolkit.read.model import BBoxT, split_box
from toolkit.read.radicals import RADICALS

RawChar = tuple[str, BBoxT]  # one character and its box (top-left coordinates)

_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
IDEOGRAPHIC_SPACE = "\u3000"
OVERPRINT_REACH = 2.0  # points: fake bold is drawn a fraction of a point off; nothing legitimate is that close
WIDE_GAP_EM = 1.2  # a space wider than this many line heights separates columns (a full-width space is ~0.9)


def is_cjk(ch: str) -> bool:
    """Han ideographs, kana and CJK punctuation: scripts written without spaces."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 < o <= 0x30FF  # CJK symbols and punctuation (not the ideographic space), kana
        or 0xF900 <= o <= 0xFAFF
        or 0x2E80 <= o <= 0x2FDF
        or 0x31F0 <= o <= 0x31FF
        or 0xFF61 <= o <= 0xFF9F  # half-width CJK punctuation and katakana
        or 0x20000 <= o <= 0x3FFFF
    )


def _digit(ch: str) -> bool:
    return "0" <= ch <= "9"


_EXPANDED: dict[str, str] = {}


def _expand(ch: str) -> str:
    """One raw character as normalised text (possibly empty or several characters); memoised."""
    out = _EXPANDED.get(ch)
    if out is None:
        out = _EXPANDED[ch] = _expand_new(ch)
    return out


# What NFKC would change but the document means as written: full-width punctuation
# (（）：；，。are Chinese typography, and values such as 有限责任公司（自然人投资或控股）
# must read back as printed) and Roman numerals (Ⅱ期临床试验). Full-width letters and
# digits still become ASCII.
_KEEP = frozenset(
    [chr(c) for c in range(0xFF01, 0xFF10)] + [chr(c) for c in range(0xFF1A, 0xFF21)]
    + [chr(c) for c in range(0xFF3B, 0xFF41)] + [chr(c) for c in range(0xFF5B, 0xFF66)]
    + [chr(c) for c in range(0x2160, 0x2189)]
)


def _expand_new(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch == IDEOGRAPHIC_SPACE:
        return ch  # kept apart until spacing is decided, then written as " "
    if ch.isspace() or (len(ch) == 1 and ord(ch) < 0x20):
        return " "
    if ch.isascii():
        return ch
    if ch in _KEEP:
        return ch
    ch = RADICALS.get(ch, ch)
    out = unicodedata.normalize("NFKC", ch)
    if any(c.isspace() for c in out):
        out = "".join(" " if c.isspace() else c for c in out)
    return out


def normalise_chars(chars: Sequence[RawChar]) -> tuple[str, tuple[BBoxT, ...], str]:
    """(text, one box per character of text, raw text) for one line's characters."""
    raw = "".join(c for c, _ in chars)
    expanded: list[tuple[str, BBoxT]] = []
    for ch, box in chars:
        out = _expand(ch)
        if not out:
            continue
        if len(out) == 1:
            expanded.append((out, box))
        else:
            expanded.extend(zip(out, split_box(box, len(out)), strict=True))

    text: list[str] = []
    boxes: list[BBoxT] = []
    pending: BBoxT | None = None  # the box of a run of spaces not yet written
    hard = False  # the run holds an ideographic space: a separator the author typed
    for ch, box in expanded:
        if ch == " " or ch == IDEOGRAPHIC_SPACE:
            if text:  # leading spaces are dropped
                pending = box if pending is None else (pending[0], pending[1], max(pending[2], box[2]), pending[3])
                hard = hard or ch == IDEOGRAPHIC_SPACE
            continue
        if pending is not None:
            prev, prev_box = text[-1], boxes[-1]
            joined = not hard and ((is_cjk(prev) and (is_cjk(ch) or _digit(ch))) or (_digit(prev) and is_cjk(ch)))
            if joined:
                height = max(prev_box[3] - prev_box[1], box[3] - box[1], 1e-6)
                joined = box[0] - prev_box[2] <= WIDE_GAP_EM * height
            if not joined:
                text.append(" ")
                x0 = prev_box[2]
                x1 = max(box[0], x0)
                boxes.append((x0, min(prev_box[1], box[1]), x1, max(prev_box[3], box[3])))
            pending = None
            hard = False
        text.append(ch)
        boxes.append(box)
    return "".join(text), tuple(boxes), raw


def normalise_text(text: str) -> str:
    """The same normalisation for a string without boxes (labels, OCR tests)."""
    return normalise_chars([(c, (float(i), 0.0, i + 1.0, 10.0)) for i, c in enumerate(text)])[0]  # narrow glyphs: no gap is wide


def drop_overprints(chars: Sequence[RawChar], tolerance: float = 0.3) -> list[RawChar]:
    """Remove fake-bold duplicates: the same character drawn again at nearly the same place.

    Producers make Chinese text look bold by drawing each glyph, or a whole string, two
    or more times offset by a fraction of a point; a text layer then reads "甲甲方方" or
    "2011年度报告2011年度报告". A duplicate is the same character whose box starts within
    `tolerance` of a character-size (and at most OVERPRINT_REACH points) of a kept one,
    wherever it comes in the line: kept glyphs are hashed by position, so this is linear.
    """
    kept: list[RawChar] = []
    grid: dict[tuple[str, int, int], list[BBoxT]] = {}
    after_duplicate = False  # the spaces of a run drawn twice go with its glyphs
    # Fast path: text drawn left to right never comes back within reach of a kept glyph,
    # so a glyph that starts right of every kept one (by more than any reach) is no
    # duplicate, and it joins the grid only once the line turns back (rare: fake bold, a
    # second column). On ordinary lines this skips the grid entirely.
    rightmost = float("-inf")
    pending: list[BBoxT] = []
    pending_chars: list[str] = []
    for item in chars:
        ch, box = item
        if ch.isspace():
            if not after_duplicate:
                kept.append(item)
            continue
        if box[0] > rightmost + OVERPRINT_REACH:
            rightmost = box[0]
            pending.append(box)
            pending_chars.append(ch)
            kept.append(item)
            after_duplicate = False
            continue
        for pch, pbox in zip(pending_chars, pending, strict=True):
            grid.setdefault((pch, int(pbox[0] // OVERPRINT_REACH), int(pbox[1] // OVERPRINT_REACH)), []).append(pbox)
        pending.clear()
        pending_chars.clear()
        rightmost = max(rightmost, box[0])
        gx, gy = int(box[0] // OVERPRINT_REACH), int(box[1] // OVERPRINT_REACH)
        reach_x = min(OVERPRINT_REACH, (box[2] - box[0]) * tolerance)
        reach_y = min(OVERPRINT_REACH, (box[3] - box[1]) * tolerance)
        # Only the grid cells within reach: usually one or two, at most nine.
        xs = range(int((box[0] - reach_x) // OVERPRINT_REACH), int((box[0] + reach_x) // OVERPRINT_REACH) + 1)
        ys = range(int((box[1] - reach_y) // OVERPRINT_REACH), int((box[1] + reach_y) // OVERPRINT_REACH) + 1)
        after_duplicate = _near(grid, ch, xs, ys, box, reach_x, reach_y)
        if after_duplicate:
            continue
        grid.setdefault((ch, gx, gy), []).append(box)
        kept.append(item)
    return kept


def _near(grid: dict[tuple[str, int, int], list[BBoxT]], ch: str, xs: range, ys: range,
          box: BBoxT, reach_x: float, reach_y: float) -> bool:
    for x in xs:
        for y in ys:
            for other in grid.get((ch, x, y), ()):
                if abs(other[0] - box[0]) <= reach_x and abs(other[1] - box[1]) <= reach_y:
                    return True
    return False


def _already_normal(raw: str) -> bool:
    """Whether the loop below would only trim `raw`: single spaces, no space that touches
    Chinese (those are decided by the gap), and every character its own normal form (most
    Latin lines, and Chinese lines set without spaces)."""
    if "  " in raw:
        return False
    if raw.isascii():
        return raw.isprintable()
    chars = set(raw)
    if " " in chars and any(is_cjk(c) for c in chars):
        return False
    return all(_expand(c) == c for c in chars) and IDEOGRAPHIC_SPACE not in chars


def normalise_indexed(raw: str, index: Sequence[int],
                      narrow: Callable[[int, int], bool]) -> tuple[str, tuple[int, ...]]:
    """`normalise_chars` for text whose boxes are not fetched yet: each character carries the
    pdfium index it came from instead of its box, and the output keeps one index per output
    character (-1 for a space written here). `narrow(i, j)` says whether the gap between the
    characters of indices i and j is narrow (a space there, between Chinese, is dropped); it
    is asked only at such spaces, so boxes are fetched for those few characters alone.

    A line that is already normal (`_already_normal`) is only trimmed; its spaces keep their
    raw index, which nothing reads (`boxes_from_index` gives a space the gap's box).
    """
    if _already_normal(raw):
        text = raw.strip(" ")
        lead = len(raw) - len(raw.lstrip(" "))
        return text, tuple(index[lead:lead + len(text)])
    return _normalise_each(raw, index, narrow)


def _normalise_each(raw: str, index: Sequence[int], narrow: Callable[[int, int], bool]) -> tuple[str, tuple[int, ...]]:
    """`normalise_indexed` character by character."""
    text: list[str] = []
    out: list[int] = []
    pending = hard = False
    for ch0, i in zip(raw, index, strict=True):
        for ch in _expand(ch0):
            if ch == " " or ch == IDEOGRAPHIC_SPACE:
                if text:
                    pending = True
                    hard = hard or ch == IDEOGRAPHIC_SPACE
                continue
            if pending:
                prev = text[-1]
                joined = not hard and ((is_cjk(prev) and (is_cjk(ch) or _digit(ch))) or (_digit(prev) and is_cjk(ch)))
                if joined:
                    joined = narrow(out[-1], i)
                if not joined:
                    text.append(" ")
                    out.append(-1)
                pending = hard = False
            text.append(ch)
            out.append(i)
    return "".join(text), tuple(out)

