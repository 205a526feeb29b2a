"""Ruled tables with pdfplumber, on the pages that have ruling lines only.

Why only there: pdfplumber parses the whole page in Python (pdfminer) and reads 5-20
pages per second against pypdfium2's hundreds. Tables are what it does better, so it
is opened once per file, lazily, and asked only about pages whose pdfium objects include
enough straight path segments to rule a table. Each page is closed after use, so a long
file's memory stays bounded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from toolkit.read.layout import make_line
from toolkit.read.model import BBoxT, Cell, Table

MIN_PATHS = 4  # fewer path objects than this cannot rule a table


def has_rulings(page: pdfium.PdfPage) -> bool:
    """Cheap pdfium check: enough path objects (lines or rectangles) to rule a table."""
    paths = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        del obj
        paths += 1
        if paths >= MIN_PATHS:
            return True
    return False


class TableReader:
    """One pdfplumber handle per file, opened on first use and closed with `close()`."""

    def __init__(self, path: Path, password: str | None) -> None:
        self.path = path
        self.password = password
        self._pdf: Any = None

    def _open(self) -> Any:
        if self._pdf is None:
            import pdfplumber  # imported late: only files with ruled pages pay for it

            self._pdf = pdfplumber.open(self.path, password=self.password or "")
        return self._pdf

    def tables(self, number: int) -> list[Table]:
        """The ruled tables of page `number` (1-based), cells normalised like lines."""
        pdf = self._open()
        page = pdf.pages[number - 1]
        try:
            found = page.find_tables()
            out = []
            for table in found:
                rows = []
                for row in table.rows:
                    cells: list[Cell | None] = []
                    for cell_box in row.cells:
                        cells.append(None if cell_box is None else _cell(page, cell_box))
                    rows.append(tuple(cells))
                if rows:
                    out.append(Table(rows=tuple(rows), bbox=_box(table.bbox)))
            return out
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def _box(b: Any) -> BBoxT:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


def _cell(page: Any, box: Any) -> Cell:
    """A cell's text: its characters grouped into lines and normalised, lines joined by newlines."""
    from toolkit.read.layout import group_lines

    x0, top, x1, bottom = (float(v) for v in box)
    chars = [
        (c["text"], (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])))
        for c in page.chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    texts = []
    for group in group_lines(chars):
        line = make_line(group)
        if line is not None:
            texts.append(line.text)
    return Cell(text="\n".join(texts), bbox=_box(box))
