"""Ruled tables: pdfplumber's table finder, fed with ruling lines read by pdfium.

Why not `pdfplumber.Page.find_tables()` itself: it first parses the whole page in Python
(pdfminer), at 0.1-0.3 s a page, which alone would make reading 10-30x slower. What
pdfplumber does better is the *algorithm* (snap and join ruling edges, intersect them,
build cells, group cells into tables); that part is pure Python over edge dicts and is
reused here as is. The edges come from pdfium's path objects: every straight segment of a
stroked or filled path (a rule drawn as a line, a rectangle, a thin filled bar) becomes a
horizontal or vertical edge in displayed top-left coordinates, like pdfplumber's. Cell
text comes from the page's characters already read, normalised like lines.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from toolkit.read.layout import group_lines, make_line
from toolkit.read.model import BBoxT, Cell, Table
from toolkit.read.normalise import RawChar
from toolkit.read.textlayer import Transform

SNAP = 3.0  # pdfplumber's defaults: snap, join and intersection tolerances, in points
MIN_EDGE = 3.0
AXIS_TOLERANCE = 1.0
THIN = 2.5  # a line's bounds include its stroke width; thinner than this, it is a rule  # a segment within this of horizontal/vertical counts as a rule
MAX_PATHS = 3000  # a drawing (a map, a chart) is not a table; stop looking after this many
MAX_SEGMENTS = 20000


def ruling_edges(page: pdfium.PdfPage) -> list[dict[str, Any]]:
    """The page's straight horizontal and vertical path segments as pdfplumber edges."""
    tf = Transform(page)
    edges: list[dict[str, Any]] = []
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    bounds = [ctypes.c_float() for _ in range(4)]
    bounds_p = [ctypes.byref(v) for v in bounds]
    paths = segments = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=0):
        paths += 1
        if paths > MAX_PATHS:
            return []
        raw = obj.raw
        n = pdfium_c.FPDFPath_CountSegments(raw)
        if 2 <= n <= 5 and pdfium_c.FPDFPageObj_GetBounds(raw, *bounds_p):
            # A line (move + line) or a rectangle (move + 3-4 lines + close), the usual
            # rules: their bounds say it all, for one call instead of one per point.
            x0, y0, x1, y1 = (v.value for v in bounds)
            if y1 - y0 <= THIN < x1 - x0:
                _edge(edges, tf, (x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2))
                continue
            if x1 - x0 <= THIN < y1 - y0:
                _edge(edges, tf, ((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1))
                continue
            if n == 2:
                continue  # a slanted line: not a rule
            if n >= 4:
                for p, q in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))):
                    _edge(edges, tf, p, q)
                continue
        if not pdfium_c.FPDFPageObj_GetMatrix(raw, ctypes.byref(matrix)):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        segments += max(n, 0)
        if segments > MAX_SEGMENTS:
            return []
        start: tuple[float, float] | None = None
        prev: tuple[float, float] | None = None
        for i in range(max(n, 0)):
            seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
            if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            if prev is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _edge(edges, tf, prev, point)
            prev = point
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                _edge(edges, tf, point, start)
                prev = start
    return edges


def _edge(edges: list[dict[str, Any]], tf: Transform, p: tuple[float, float], q: tuple[float, float]) -> None:
    x0, top, x1, bottom = tf.box(p[0], p[1], q[0], q[1])
    width, height = x1 - x0, bottom - top
    if height <= AXIS_TOLERANCE and width >= MIN_EDGE:
        mid = (top + bottom) / 2
        edges.append({"x0": x0, "x1": x1, "top": mid, "bottom": mid, "width": width, "height": 0.0,
                      "orientation": "h", "object_type": "line"})
    elif width <= AXIS_TOLERANCE and height >= MIN_EDGE:
        mid = (x0 + x1) / 2
        edges.append({"x0": mid, "x1": mid, "top": top, "bottom": bottom, "width": 0.0, "height": height,
                      "orientation": "v", "object_type": "line"})


def find_tables(page: pdfium.PdfPage, chars: Sequence[RawChar] | Callable[[], Sequence[RawChar]]) -> list[Table]:
    """The ruled tables of a page, rows of cells (None where a cell spans or is missing).
    `chars` may be a function that fetches the page's characters: it is called only when
    the page has cells."""
    edges = ruling_edges(page)
    if len(edges) < 4 or not any(e["orientation"] == "v" for e in edges):
        return []
    # Imported here: pdfplumber (with pdfminer) takes a tenth of a second to import, and
    # extraction, which reads no tables, should not pay it at every start.
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    edges = merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= MIN_EDGE]
    cells = intersections_to_cells(edges_to_intersections(edges, SNAP, SNAP))
    if not cells:
        return []
    if callable(chars):
        chars = chars()
    tables = []
    for group in cells_to_tables(cells):
        table = _table(group, chars)
        if table is not None:
            tables.append(table)
    return tables


def _table(cells: list[tuple[float, float, float, float]], chars: Sequence[RawChar]) -> Table | None:
    if len(cells) < 2:
        return None  # a single framed box is a frame, not a table
    xs = sorted({c[0] for c in cells})
    by_top: dict[float, dict[float, tuple[float, float, float, float]]] = {}
    for cell in cells:
        by_top.setdefault(cell[1], {})[cell[0]] = cell
    x0, top = min(c[0] for c in cells), min(c[1] for c in cells)
    x1, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
    # Characters by their centre's height, so that each cell looks only at its own band.
    inside = sorted(
        ((ch[1][1] + ch[1][3]) / 2, (ch[1][0] + ch[1][2]) / 2, i, ch) for i, ch in enumerate(chars)
        if x0 <= (ch[1][0] + ch[1][2]) / 2 <= x1 and top <= (ch[1][1] + ch[1][3]) / 2 <= bottom
    )
    heights = [item[0] for item in inside]
    rows = []
    for row_top in sorted(by_top):
        row = by_top[row_top]
        rows.append(tuple(_cell(row[x], inside, heights) if x in row else None for x in xs))
    return Table(rows=tuple(rows), bbox=_box((x0, top, x1, bottom)))


def _box(b: Sequence[float]) -> BBoxT:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


def _cell(box: tuple[float, float, float, float], inside: list[tuple[float, float, int, RawChar]],
          heights: list[float]) -> Cell:
    """A cell's text: its characters grouped into lines and normalised, lines joined by newlines."""
    x0, top, x1, bottom = box
    band = inside[bisect_left(heights, top):bisect_right(heights, bottom)]
    mine = [(i, ch) for _, cx, i, ch in band if x0 <= cx <= x1]
    mine.sort(key=lambda item: item[0])  # back to content order, which line grouping reads
    texts = []
    for group in group_lines([ch for _, ch in mine]):
        line = make_line(group)
        if line is not None:
            texts.append(line.text)
    return Cell(text="\n".join(texts), bbox=_box(box))
