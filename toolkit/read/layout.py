"""Group positioned characters into lines in reading order.

Why not the text layer's own order: producers write content in any order (a table by
columns, a header after the body), and a label must sit beside its value on one line
for extraction to pair them. Characters are clustered by their vertical centre (boxes of
one line overlap vertically), then each line is read left to right. Fake-bold duplicates
are dropped here, where neighbours are adjacent; gaps wider than a word space get a space.
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.read.model import BBoxT, Line
from toolkit.read.normalise import RawChar, drop_overprints, normalise_chars

GAP_SPACE_EM = 0.45  # an unspaced gap wider than this many line heights reads as a space
SAME_LINE = 0.45  # centres closer than this many heights belong to one line


def group_lines(chars: Sequence[RawChar]) -> list[list[RawChar]]:
    """Characters clustered into lines, top to bottom, each sorted left to right."""
    items = [(ch, box) for ch, box in chars if box[3] > box[1] or not ch.isspace()]
    items.sort(key=lambda c: (c[1][1] + c[1][3]) / 2)
    lines: list[list[RawChar]] = []
    anchor_c = anchor_h = 0.0
    for ch, box in items:
        h = box[3] - box[1]
        c = (box[1] + box[3]) / 2
        if lines and abs(c - anchor_c) <= SAME_LINE * max(anchor_h, h, 0.5):
            lines[-1].append((ch, box))
            if h > anchor_h and not ch.isspace():  # the tallest glyph sets the line's centre
                anchor_c, anchor_h = c, h
            continue
        lines.append([(ch, box)])
        anchor_c, anchor_h = c, h
    out = []
    for line in lines:
        line.sort(key=lambda c: c[1][0])
        out.append(_spaced(drop_overprints(line)))
    return out


def _spaced(line: list[RawChar]) -> list[RawChar]:
    """Insert a space where two glyphs are separated by a visible gap and no space."""
    if len(line) < 2:
        return line
    heights = sorted(b[3] - b[1] for _, b in line)
    em = max(heights[len(heights) // 2], 1e-6)
    out: list[RawChar] = [line[0]]
    for ch, box in line[1:]:
        prev_ch, prev_box = out[-1]
        gap = box[0] - prev_box[2]
        if gap > GAP_SPACE_EM * em and not ch.isspace() and not prev_ch.isspace():
            out.append((" ", (prev_box[2], min(prev_box[1], box[1]), box[0], max(prev_box[3], box[3]))))
        out.append((ch, box))
    return out


def make_line(chars: Sequence[RawChar], confidence: float = 1.0) -> Line | None:
    """A normalised Line from one line's characters (None when nothing is left)."""
    text, boxes, raw = normalise_chars(chars)
    if not text:
        return None
    bbox: BBoxT = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return Line(text=text, bbox=bbox, boxes=boxes, raw=raw, confidence=confidence)


def build_lines(chars: Sequence[RawChar], confidence: float = 1.0,
                runs: Sequence[Sequence[RawChar]] = ()) -> list[Line]:
    """Lines of upright characters top to bottom; each run of turned characters (a seal's
    ring, a sideways margin note) is one more line in its content order, placed by its top."""
    lines = []
    for group in group_lines(chars):
        line = make_line(group, confidence)
        if line is not None:
            lines.append(line)
    if runs:
        extra = [line for line in (make_line(drop_overprints(list(run)), confidence) for run in runs) if line is not None]
        lines = sorted(lines + extra, key=lambda ln: ln.bbox[1])
    return lines
