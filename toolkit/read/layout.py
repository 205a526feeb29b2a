"""Group positioned characters into lines in reading order.

Why not the text layer's own order: producers write content in any order (a table by
columns, a header after the body), and a label must sit beside its value on one line
for extraction to pair them. Runs of characters that follow each other along a baseline
are kept whole, clustered into lines by their vertical centre (boxes of one line overlap
vertically), and each line is read left to right. Fake-bold duplicates are dropped here,
where neighbours are adjacent; gaps wider than a word space get a space.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from toolkit.read.model import BBoxT, Line
from toolkit.read.normalise import RawChar, drop_overprints, normalise_chars

GAP_SPACE_EM = 0.45  # an unspaced gap wider than this many line heights reads as a space
SAME_LINE = 0.45  # centres closer than this many heights belong to one line
T = TypeVar("T")


def segments(chars: Sequence[RawChar]) -> list[list[RawChar]]:
    """Runs of characters that follow each other in content order along one baseline.

    Keeping a producer's runs whole is what stops two overlapping strings on one height
    (a form's caption over a field label) from being interleaved letter by letter.
    """
    out: list[list[RawChar]] = []
    prev: BBoxT | None = None
    for ch, box in chars:
        if box[3] <= box[1] and ch.isspace():
            continue  # a space with no height carries nothing
        if prev is not None:
            h = max(prev[3] - prev[1], box[3] - box[1], 1e-6)
            same_baseline = abs(box[3] - prev[3]) <= 0.3 * h and abs(box[1] - prev[1]) <= 0.6 * h
            if same_baseline and box[0] >= prev[0] - 0.2 * h:
                out[-1].append((ch, box))
                prev = box
                continue
        out.append([(ch, box)])
        prev = box
    return out


def group_lines(chars: Sequence[RawChar]) -> list[list[RawChar]]:
    """Characters (in content order) clustered into lines, top to bottom, each left to right.

    Content-order runs are clustered by their vertical centre (boxes of one line overlap
    vertically) and a line's runs are read left to right. Glyphs drawn again over
    themselves (fake bold: a glyph or a whole string drawn twice) are dropped.
    """
    runs = segments(chars)
    keyed = []
    for seg in runs:
        top = min(b[1] for _, b in seg)
        bottom = max(b[3] for _, b in seg)
        keyed.append(((top + bottom) / 2, bottom - top, seg[0][1][0], seg))
    return [finish_line(line) for line in cluster(keyed)]


def cluster(keyed: list[tuple[float, float, float, T]]) -> list[list[T]]:
    """Runs keyed (vertical centre, height, left edge, run), in content order, clustered
    into lines top to bottom, each line's runs left to right. A run joins the line whose
    anchor (its tallest run so far) has a centre within SAME_LINE heights of its own."""
    keyed = sorted(keyed, key=lambda k: k[0])
    lines: list[list[tuple[float, T]]] = []
    anchor_c = anchor_h = 0.0
    for c, h, x0, seg in keyed:
        if lines and abs(c - anchor_c) <= SAME_LINE * max(anchor_h, h, 0.5):
            lines[-1].append((x0, seg))
            if h > anchor_h:  # the tallest run sets the line's centre
                anchor_c, anchor_h = c, h
            continue
        lines.append([(x0, seg)])
        anchor_c, anchor_h = c, h
    out = []
    for line in lines:
        line.sort(key=lambda k: k[0])
        out.append([seg for _, seg in line])
    return out


def finish_line(runs: list[list[RawChar]]) -> list[RawChar]:
    """One line's runs (left to right) as its characters: interleaved runs sorted by
    position, fake-bold duplicates dropped, visible gaps spaced."""
    merged = [item for seg in runs for item in seg]
    if len(runs) > 1 and _interleaved(runs):
        merged.sort(key=lambda c: c[1][0])
    return _spaced(drop_overprints(merged))


def _interleaved(runs: list[list[RawChar]]) -> bool:
    """Whether runs cut into each other with single glyphs (a run per glyph, as some
    producers write them), so that only a sort by position gives the reading order.
    Runs that each span a stretch of text keep their own order, even if they overlap."""
    return sum(len(seg) for seg in runs) <= 2 * len(runs)


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
        backwards = box[0] < prev_box[0] - 0.1 * em  # the next run starts left of this one: overlapping strings
        if (gap > GAP_SPACE_EM * em or backwards) and not ch.isspace() and not prev_ch.isspace():
            out.append((" ", (prev_box[2], min(prev_box[1], box[1]), max(box[0], prev_box[2]), max(prev_box[3], box[3]))))
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
