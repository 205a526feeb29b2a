"""The fast path through a page: lines from pdfium's own text runs, character boxes on demand.

Why: building every character's box in Python (`textlayer.page_text`) costs about 10 µs a
character, ten times what pdfium itself takes to read the page, and most pages need none
of it. pdfium already gives a page's text in content order, broken at line ends and with
word gaps as spaces (`FPDFText_GetText`, one call), and the extent of any run of it
(`FPDFText_CountRects`). So a plain page (unrotated, nothing turned) is read run by run:
runs are clustered into lines and ordered exactly as the character path does it
(`layout.cluster`), and each line keeps, for every character of its normalised text, the
pdfium index it came from (`Line.index`). Boxes are fetched only where something depends
on them:

- a space between Chinese characters (is it a column gap, to be kept?);
- twin glyphs ("甲甲": fake bold drawn inside one string?);
- runs that turn back over themselves or over a neighbour (overprints, text drawn out of
  order) and lines made of one-glyph runs: these take the character path, line by line;
- table cells, when tables are wanted, and the spans a field is read from
  (`Page.span_bbox`), or every line when the caller wants all boxes.

A page that is rotated, holds turned text, or whose string does not line up with its
characters takes the character path as a whole (`read_page` decides on `None`).
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from toolkit.read.layout import GAP_SPACE_EM, cluster, finish_line, make_line, segments
from toolkit.read.model import BBoxT, Line
from toolkit.read.normalise import (
    OVERPRINT_REACH,
    WIDE_GAP_EM,
    RawChar,
    drop_overprints,
    normalise_indexed,
)
from toolkit.read.textlayer import MAX_TILT, WHITESPACE, PageBoxes, turn_between

RUN = re.compile("[^\r\n\x02\ufffe]+")  # pdfium ends a line with CR LF; 0x02 or U+FFFE marks a hyphen it joined
TWIN = re.compile(r"(\S)\1")
UPRIGHT = 0.01  # radians: a glyph turned less than this stands upright
TURNED_UP_TO = 2 * math.pi - UPRIGHT  # ...or turned more than this (nearly a whole turn)
OVERLAP_EM = 0.2  # a run starting further back than this into the one before overlaps it
JUNCTION = 0.4  # rects (text objects) further apart than this many heights may lack a space between them


@dataclass
class Run:
    """A stretch of one line in content order: its raw characters and where they are."""

    text: str
    index: Sequence[int]  # the pdfium index of each character of `text`
    box: BBoxT
    first: BBoxT  # the first glyph's box
    last: BBoxT  # the last glyph's box
    chars: list[RawChar] | None = None  # the characters with their boxes, when the run needed them
    gaps: tuple[tuple[int, float], ...] = ()  # (position in text, width) of wide unspaced gaps between glyphs


def page_runs(raw: ctypes.c_void_p, text: str, boxes: PageBoxes) -> tuple[list[Run], list[list[RawChar]]] | None:
    """The page's upright runs in content order, and its turned glyphs (a seal's ring, a
    sideways margin note) in runs of their own, as `page_text` sorts them; None when most of
    the page is turned (a landscape table), which only the character path reads right."""
    left, top = boxes.left, boxes.top
    turned: list[list[RawChar]] = []
    values = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in values]
    get_angle, count_rects, get_rect = (pdfium_c.FPDFText_GetCharAngle, pdfium_c.FPDFText_CountRects,
                                        pdfium_c.FPDFText_GetRect)
    out: list[Run] = []
    for m in RUN.finditer(text):
        a, e = m.span()
        while a < e and text[a] == " ":
            a += 1
        while e > a and text[e - 1] == " ":
            e -= 1
        if a == e:
            continue
        angle_a, angle_e = get_angle(raw, a), get_angle(raw, e - 1)
        if UPRIGHT <= angle_a <= TURNED_UP_TO or UPRIGHT <= angle_e <= TURNED_UP_TO:  # -1: no angle
            upright = _split_turned(raw, text, a, e, boxes, turned)
            out.extend(_char_runs(upright))
            continue
        first, last = boxes.box(a), boxes.box(e - 1)
        run_top, run_bottom = min(first[1], last[1]), max(first[3], last[3])
        run = Run(text[a:e], range(a, e), (first[0], run_top, last[2], run_bottom), first, last)
        rects = []
        for j in range(count_rects(raw, a, e - a)):
            if get_rect(raw, j, *refs):
                rects.append((values[0].value - left, top - values[1].value,
                              values[2].value - left, top - values[3].value))
        gaps = _gaps(raw, run, rects, boxes) if _plain(run, rects, boxes) else None
        if gaps is not None:
            run.gaps = gaps
            out.append(run)
        else:
            out.extend(_char_runs(_chars(text, a, e, boxes)))
    if turned and 2 * sum(len(r) for r in turned) >= len(WHITESPACE.sub("", text)):
        return None
    return out, turned


def _split_turned(raw: ctypes.c_void_p, text: str, a: int, e: int, boxes: PageBoxes,
                  turned: list[list[RawChar]]) -> list[RawChar]:
    """A run's upright characters (returned) and its turned ones (added to `turned` in runs),
    as `page_text` tells them apart: a run of turned glyphs goes on through the glyphs that
    happen to stand upright at the top of a seal's ring, while the angle turns smoothly."""
    upright: list[RawChar] = []
    run: list[RawChar] | None = None
    run_angle = 0.0
    prev: BBoxT | None = None
    pending = False
    for i in range(a, e):
        ch = text[i]
        if ch == " ":
            run = None
            pending = True
            continue
        box = boxes.box(i)
        angle = pdfium_c.FPDFText_GetCharAngle(raw, i)
        tilted = angle >= 0 and turn_between(angle, 0.0) > MAX_TILT
        if tilted or (run is not None and angle >= 0 and turn_between(angle, run_angle) <= 2 * MAX_TILT):
            if run is None:
                run = []
                turned.append(run)
            run.append((ch, box))
            run_angle = angle
            pending = False
            continue
        run = None
        _place(upright, ch, box, prev, pending)
        pending = False
        prev = box
    return upright


def _plain(run: Run, rects: list[BBoxT], boxes: PageBoxes) -> bool:
    """Whether a run reads left to right along one line with nothing drawn over itself."""
    height = max(run.box[3] - run.box[1], 1e-6)
    first, last = run.first, run.last
    if not rects or run.box[2] < run.box[0] or not _same_baseline(first, last, 0.6):
        return False  # written top to bottom, or back to front
    for p, q in zip(rects, rects[1:], strict=False):
        if q[0] < p[2] - OVERLAP_EM * height:
            return False  # drawn back over itself: fake bold, or text set out of order
        if abs((q[1] + q[3]) - (p[1] + p[3])) / 2 > 0.5 * height:
            return False  # another baseline
    start = run.index[0]
    for m in TWIN.finditer(run.text):
        b1, b2 = boxes.box(start + m.start()), boxes.box(start + m.start() + 1)
        reach_x = min(OVERPRINT_REACH, (b1[2] - b1[0]) * 0.3)
        reach_y = min(OVERPRINT_REACH, (b1[3] - b1[1]) * 0.3)
        if abs(b2[0] - b1[0]) <= reach_x and abs(b2[1] - b1[1]) <= reach_y:
            return False  # one glyph drawn twice in place
    return True


def _same_baseline(p: BBoxT, q: BBoxT, top_share: float = 0.6) -> bool:
    """The test `layout.segments` makes between neighbouring glyphs."""
    h = max(p[3] - p[1], q[3] - q[1], 1e-6)
    return abs(q[3] - p[3]) <= 0.3 * h and abs(q[1] - p[1]) <= top_share * h


def _gaps(raw: ctypes.c_void_p, run: Run, rects: list[BBoxT], boxes: PageBoxes) -> tuple[tuple[int, float], ...] | None:
    """Where pdfium wrote no space between two glyphs that stand apart (table figures set as
    separate strings, or spread by character spacing), measured on loose boxes as the
    character path measures them; the line decides which gaps are wide enough. None when
    the run's rects cannot be matched to its characters (the run then takes the character path).

    Boxes are fetched only inside a rect (a text object) wider than its characters could
    be without a gap, and at the junctions between rects that stand apart.
    """
    height = max(run.box[3] - run.box[1], 1e-6)
    apart = [q[0] - p[2] > JUNCTION * height for p, q in zip(rects, rects[1:], strict=False)]
    if not any(apart) and sum(r[2] - r[0] for r in rects) <= _room(run.text, height):
        return ()  # no rect stands apart, and the glyphs fill the run: nothing to measure
    start, end = run.index[0], run.index[-1] + 1
    advance = max((run.box[2] - run.box[0]) / len(run.text), 1e-6)
    cuts = [start]
    words = [start + k + 1 for k, ch in enumerate(run.text) if ch == " "]  # where a word starts
    w = 0
    for n, (p, q) in enumerate(zip(rects, rects[1:], strict=False)):
        x = q[0] + boxes.left
        j = None
        if apart[n]:  # text objects that stand apart mostly have a space between them: try there first
            while w < len(words) and words[w] <= cuts[-1]:
                w += 1
            while w < len(words) and (left := boxes.tight_left(words[w])) < x - 0.005:
                w += 1
            if w < len(words) and abs(left - x) <= 0.005:
                j = words[w]
        if j is None:
            j = _rect_start(boxes, cuts[-1] + 1, end, x, cuts[-1] + round((q[0] - p[0]) / advance))
        if j is None:
            j = pdfium_c.FPDFText_GetCharIndexAtPos(raw, q[0] + 0.01 + boxes.left, boxes.top - (q[1] + q[3]) / 2,
                                                    0.5, height / 2)
        if not cuts[-1] < j < end:
            return None
        cuts.append(j)
    cuts.append(end)
    text, out = run.text, []
    for n, rect in enumerate(rects):
        a, e = cuts[n], cuts[n + 1]
        if n and apart[n - 1] and text[a - start] != " " and text[a - start - 1] != " ":
            out.append((a - start, boxes.box(a)[0] - boxes.box(a - 1)[2]))
        if rect[2] - rect[0] <= _room(text[a - start:e - start], height):
            continue
        prev: BBoxT | None = None
        for i in range(a, e):
            if text[i - start] == " ":
                prev = None
                continue
            box = boxes.box(i)
            if prev is not None and box[0] - prev[2] > 0.2 * height:
                out.append((i - start, box[0] - prev[2]))
            prev = box
    return tuple(sorted(out))


def _rect_start(boxes: PageBoxes, lo: int, hi: int, x: float, guess: int) -> int | None:
    """The character in lo..hi-1 that starts a rect whose left edge is x (page coordinates).

    pdfium draws a rect around the tight boxes of one text object's glyphs, so its left edge
    is the left of its first glyph's tight box; along a run that reads left to right those
    edges only grow. A search that gallops out from `guess` (where the run's mean advance
    puts x) and then bisects finds it in a few calls, where `FPDFText_GetCharIndexAtPos`
    scans the whole page. None when no glyph starts exactly there (glyphs set back over each
    other): the caller asks pdfium.
    """
    edge = x - 0.005
    g = min(max(guess, lo), hi - 1)
    step = 1
    if boxes.tight_left(g) < edge:  # the start is right of g: bracket it in (g, b]
        a, b = g + 1, hi
        while a + step - 1 < hi and boxes.tight_left(a + step - 1) < edge:
            a, step = a + step, step * 2
        b = min(a + step - 1, hi)
    else:  # at g or left of it: bracket it in [a, g]
        a, b = lo, g
        while b - step >= lo and boxes.tight_left(b - step) >= edge:
            b, step = b - step, step * 2
        a = max(b - step + 1, lo)
    while a < b:
        mid = (a + b) // 2
        if boxes.tight_left(mid) < edge:
            a = mid + 1
        else:
            b = mid
    return a if a < hi and abs(boxes.tight_left(a) - x) <= 0.005 else None


def _room(chars: str, height: float) -> float:
    """The most width these characters take without a gap between them (generously: Latin
    glyphs are about half a line height wide, Chinese ones about a whole)."""
    return (0.62 if chars.isascii() else 1.05) * height * len(chars)


def _place(chars: list[RawChar], ch: str, box: BBoxT, prev: BBoxT | None, gap: bool) -> None:
    """Append a glyph, after one space for the word gap before it when it stays on the line
    of the glyph before (as `page_text` places pdfium's gaps)."""
    if gap and prev is not None and abs(box[1] - prev[1]) < 0.5 * max(box[3] - box[1], 1e-6):
        chars.append((" ", (prev[2], prev[1], max(box[0], prev[2]), prev[3])))
    chars.append((ch, box))


def _chars(text: str, a: int, e: int, boxes: PageBoxes) -> list[RawChar]:
    """Characters a..e with their boxes, a word gap made one space (as `page_text` does)."""
    chars: list[RawChar] = []
    prev: BBoxT | None = None
    pending = False
    for i in range(a, e):
        ch = text[i]
        if ch == " ":
            pending = True
            continue
        box = boxes.box(i)
        _place(chars, ch, box, prev, pending)
        pending = False
        prev = box
    return chars


def _char_runs(chars: list[RawChar]) -> list[Run]:
    out = []
    for seg in segments(chars):
        top = min(b[1] for _, b in seg)
        bottom = max(b[3] for _, b in seg)
        out.append(Run("".join(c for c, _ in seg), (), (seg[0][1][0], top, seg[-1][1][2], bottom),
                       seg[0][1], seg[-1][1], chars=seg))
    return out


def build_run_lines(runs: list[Run], text: str, boxes: PageBoxes, confidence: float = 1.0,
                    turned: Sequence[Sequence[RawChar]] = ()) -> list[Line]:
    """Runs joined into the segments the character path would make (`layout.segments`:
    content order, one baseline, going right), clustered into lines top to bottom (each
    left to right), normalised.

    A line of plain runs keeps indices (`Line.index`), its boxes left to be fetched; a line
    with a run that needed its characters, or whose segments overlap, is finished by the
    character path (`finish_line`) and has its boxes.
    """
    segs: list[list[Run]] = []
    for run in runs:
        if segs:
            prev = segs[-1][-1]
            h = max(prev.last[3] - prev.last[1], run.first[3] - run.first[1], 1e-6)
            if _same_baseline(prev.last, run.first, 0.6) and run.first[0] >= prev.last[0] - 0.2 * h \
                    and prev.chars is None and run.chars is None:
                segs[-1].append(run)
                continue
        segs.append([run])
    keyed = []
    for seg in segs:
        top, bottom = min(r.box[1] for r in seg), max(r.box[3] for r in seg)
        keyed.append(((top + bottom) / 2, bottom - top, seg[0].first[0], seg))
    lines = []
    for group in cluster(keyed):
        line = _fast_line(group, boxes, confidence)
        if line is None:
            chars = [[c for r in seg for c in _with_chars(r, text, boxes)] for seg in group]
            line = make_line(finish_line(chars), confidence)
        if line is not None and line.text:
            lines.append(line)
    if turned:  # as `layout.build_lines` places them: each one more line, by its top
        extra = [line for line in (make_line(drop_overprints(list(run)), confidence) for run in turned) if line is not None]
        lines = sorted(lines + extra, key=lambda ln: ln.bbox[1])
    return lines


def _with_chars(run: Run, text: str, boxes: PageBoxes) -> list[RawChar]:
    if run.chars is None:
        run.chars = _chars(text, run.index[0], run.index[-1] + 1, boxes)
    return run.chars


def _fast_line(group: list[list[Run]], boxes: PageBoxes, confidence: float) -> Line | None:
    """The line from segments of plain runs that follow each other left to right; None
    when the character path must decide (a run with its characters, segments that overlap,
    one-glyph segments interleaved)."""
    runs = [r for seg in group for r in seg]
    if any(r.chars is not None for r in runs):
        return None
    if len(group) > 1 and sum(len(r.text) for r in runs) <= 2 * len(group):
        return None  # interleaved one-glyph runs: only a sort by position reads them
    for p, q in zip(group, group[1:], strict=False):
        h = max(p[-1].last[3] - p[-1].last[1], 1e-6)
        if q[0].first[0] < max(r.box[2] for r in p) - OVERLAP_EM * h:
            return None  # drawn over the segment before: the character path drops duplicates
    heights = sorted((r.box[3] - r.box[1], len(r.text)) for r in runs)
    total, seen, em = sum(n for _, n in heights), 0, heights[-1][0]
    for h, n in heights:  # the median character's height, as the character path measures a line
        seen += n
        if 2 * seen > total:
            em = h
            break
    em = max(em, 1e-6)
    wide = GAP_SPACE_EM * em
    raw: list[str] = []
    index: list[int] = []
    prev: Run | None = None
    for run in runs:
        if prev is not None and not run.text[0].isspace() and not prev.text[-1].isspace():
            gap = run.first[0] - prev.last[2]
            if gap > wide or run.first[0] < prev.last[0] - 0.1 * em:
                raw.append(" ")
                index.append(-1)
        if any(width > wide for _, width in run.gaps):
            cut = 0
            for k, width in run.gaps:
                if width > wide:
                    raw.append(run.text[cut:k] + " ")
                    index.extend(run.index[cut:k])
                    index.append(-1)
                    cut = k
            raw.append(run.text[cut:])
            index.extend(run.index[cut:])
        else:
            raw.append(run.text)
            index.extend(run.index)
        prev = run
    joined = "".join(raw)

    def narrow(i: int, j: int) -> bool:
        p, q = boxes.box(i), boxes.box(j)
        return q[0] - p[2] <= WIDE_GAP_EM * max(p[3] - p[1], q[3] - q[1], 1e-6)

    text, kept = normalise_indexed(joined, index, narrow)
    if not text:
        return None
    bbox = (min(r.box[0] for r in runs), min(r.box[1] for r in runs),
            max(r.box[2] for r in runs), max(r.box[3] for r in runs))
    return Line(text=text, bbox=bbox, raw=joined, confidence=confidence, index=kept)


def run_chars(runs: list[Run], text: str, boxes: PageBoxes) -> list[RawChar]:
    """Every character of the page's runs with its box, in content order (what the table
    finder fills cells from): fetched only for a page that has a ruled table."""
    return [ch for run in runs for ch in _with_chars(run, text, boxes)]
