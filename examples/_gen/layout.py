"""A small page-layout engine over reportlab's canvas, for documents that look filed.

Why not platypus: the generator must know, for every value it prints, the page it lands
on (the golden `page` of each field) and the exact line of text a PDF reader will give
back (the key lines the tests compare). Here a document is a list of rows of known height;
pagination is explicit, so both are recorded as the page is drawn. Rows that a red seal
crosses are not key lines (the seal's characters interleave with them in any text
extraction, as on a real stamped page), and a row carrying a field may never lie under a
seal: the generator refuses to build such a page.

Fonts: the built-in CID font STSong-Light for any line with Chinese (no font file is
embedded, so the bytes do not depend on the machine's fonts), Helvetica or Times for
Latin-only lines. reportlab runs with `invariant=1`: fixed dates and document ids.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CJK_FONT = "STSong-Light"
PAGE_W = 595.2756
PAGE_H = 841.8898
MARGIN_X = 56.0
MARGIN_TOP = 64.0
MARGIN_BOTTOM = 64.0
BODY_W = PAGE_W - 2 * MARGIN_X
SEAL_RED = (0.86, 0.09, 0.12)

_fonts_ready = False


def _setup_fonts() -> None:
    """Register the CID font once, and make reportlab's output reproducible."""
    global _fonts_ready
    if _fonts_ready:
        return
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    _fonts_ready = True


def has_cjk(text: str) -> bool:
    """True when a Latin font cannot draw the text (anything beyond Latin-1)."""
    return any(ord(ch) > 0xFF for ch in text)


def text_width(text: str, font: str, size: float) -> float:
    """The advance width of `text` in points."""
    _setup_fonts()
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, font, size)


class LayoutError(Exception):
    """A document the generator was asked to draw does not fit the page as designed."""


@dataclass
class Seal:
    """A round red company seal: circle, star, the name on the upper arc, a subtitle."""

    name: str
    subtitle: str = ""
    cx: float = 0.0  # centre, from the page's left edge
    dy: float = 0.0  # centre below the top of the row it is attached to
    radius: float = 42.0


@dataclass
class Row:
    """One unit of layout: a fixed height, how to draw it, and what it says."""

    height: float
    draw: Callable[[Any, float], None]  # (canvas, top y in PDF coordinates)
    lines: list[str] = field(default_factory=list)
    fields: list[tuple[str, Any]] = field(default_factory=list)
    keep_with_next: bool = False
    page_break_before: bool = False
    seals: list[Seal] = field(default_factory=list)
    ink: float | None = None  # the drawn part of the row (without the space after it)


@dataclass
class Built:
    """A drawn document: its bytes, page count, fields with pages, and key lines per page."""

    data: bytes
    pages: int
    fields: list[dict[str, Any]]
    lines: list[list[str]]


@dataclass
class Style:
    """The document's look: body fonts and sizes, header text, footer wording."""

    lang: str = "zh"
    latin: str = "Helvetica"
    latin_bold: str = "Helvetica-Bold"
    size: float = 10.5
    header: str = ""
    header_right: str = ""
    footer: bool = True
    frame: bool = False


class Doc:
    """A document under construction: add rows, then `build()` into PDF bytes."""

    def __init__(self, style: Style | None = None) -> None:
        _setup_fonts()
        self.style = style or Style()
        self.rows: list[Row] = []

    # ---- fonts -------------------------------------------------------------------------
    def font_for(self, text: str, bold: bool = False, latin: str | None = None) -> str:
        if has_cjk(text):
            return CJK_FONT
        if latin:
            return latin
        if self.style.lang == "zh":
            return CJK_FONT
        return self.style.latin_bold if bold else self.style.latin

    # ---- rows --------------------------------------------------------------------------
    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def space(self, height: float) -> None:
        self.add(Row(height, lambda c, top: None))

    def page_break(self) -> None:
        self.add(Row(0.0, lambda c, top: None, page_break_before=True))

    def line(
        self,
        text: str,
        *,
        size: float | None = None,
        align: str = "left",
        indent: float = 0.0,
        bold: bool = False,
        latin: str | None = None,
        color: tuple[float, float, float] = (0, 0, 0),
        fields: tuple[tuple[str, Any], ...] | list[tuple[str, Any]] = (),
        after: float = 5.0,
        key: bool = True,
        keep_with_next: bool = False,
    ) -> Row:
        """One line of text that must fit the body width (it is never wrapped)."""
        size = size or self.style.size
        font = self.font_for(text, bold, latin)
        width = text_width(text, font, size)
        if indent + width > BODY_W + 0.5:
            raise LayoutError(f"line too long ({width:.0f} pt > {BODY_W - indent:.0f} pt): {text}")
        fake_bold = bold and font == CJK_FONT

        def draw(c: Any, top: float) -> None:
            if align == "center":
                x = MARGIN_X + (BODY_W - width) / 2
            elif align == "right":
                x = MARGIN_X + BODY_W - width
            else:
                x = MARGIN_X + indent
            draw_text(c, x, top - size * 0.88, text, font, size, color, fake_bold)

        return self.add(
            Row(size * 1.25 + after, draw, [text] if key else [], list(fields), keep_with_next,
                ink=size * 1.25)
        )

    def title(self, text: str, size: float = 18.0, after: float = 10.0, **kw: Any) -> Row:
        return self.line(text, size=size, align="center", bold=True, after=after, **kw)

    def para(
        self,
        text: str,
        *,
        size: float | None = None,
        first_indent: float | None = None,
        indent: float = 0.0,
        latin: str | None = None,
        leading: float = 1.55,
        after: float = 4.0,
    ) -> None:
        """A wrapped paragraph: one row per line, so it may break across pages."""
        size = size or self.style.size
        font = self.font_for(text, latin=latin)
        if first_indent is None:
            first_indent = 2 * size if font == CJK_FONT else 0.0
        lines = wrap(text, font, size, BODY_W - indent, first_indent)
        for number, chunk in enumerate(lines):
            x_off = indent + (first_indent if number == 0 else 0.0)
            last = number == len(lines) - 1

            def draw(c: Any, top: float, chunk: str = chunk, x_off: float = x_off) -> None:
                draw_text(c, MARGIN_X + x_off, top - size * 0.88, chunk, font, size)

            self.add(Row(size * leading + (after if last else 0.0), draw, [chunk], ink=size * 1.25))

    def table(
        self,
        rows: list[list[str]],
        widths: list[float],
        *,
        size: float = 9.5,
        header: int = 1,
        align: list[str] | None = None,
        row_fields: dict[int, list[tuple[str, Any]]] | None = None,
        after: float = 8.0,
        shade: bool = True,
    ) -> None:
        """A ruled table of one-line cells; it may break between rows, never inside one."""
        scale = BODY_W / sum(widths)
        cols = [w * scale for w in widths]
        align = align or ["left"] * len(cols)
        height = size * 2.0
        row_fields = row_fields or {}
        for index, cells in enumerate(rows):
            if len(cells) != len(cols):
                raise LayoutError(f"table row has {len(cells)} cells, expected {len(cols)}")
            fonts = [self.font_for(cell, bold=index < header) for cell in cells]
            for cell, font, col in zip(cells, fonts, cols, strict=True):
                if text_width(cell, font, size) > col - 8:
                    raise LayoutError(f"table cell too wide for its column: {cell}")
            is_head = index < header
            is_last = index == len(rows) - 1

            def draw(
                c: Any, top: float, cells: list[str] = cells, fonts: list[str] = fonts,
                is_head: bool = is_head,
            ) -> None:
                x = MARGIN_X
                if is_head and shade:
                    c.setFillColorRGB(0.92, 0.92, 0.92)
                    c.rect(MARGIN_X, top - height, BODY_W, height, stroke=0, fill=1)
                c.setStrokeColorRGB(0, 0, 0)
                c.setLineWidth(0.6)
                c.rect(MARGIN_X, top - height, BODY_W, height, stroke=1, fill=0)
                for cell, font, col, how in zip(cells, fonts, cols, align, strict=True):
                    if x > MARGIN_X:
                        c.line(x, top, x, top - height)
                    width = text_width(cell, font, size)
                    if how == "right":
                        tx = x + col - 4 - width
                    elif how == "center":
                        tx = x + (col - width) / 2
                    else:
                        tx = x + 4
                    draw_text(c, tx, top - height / 2 - size * 0.33, cell, font, size,
                              fake_bold=is_head and font == CJK_FONT)
                    x += col

            key = " ".join(cell for cell in cells if cell)
            self.add(
                Row(
                    height + (after if is_last else 0.0), draw, [key] if key else [],
                    row_fields.get(index, []), keep_with_next=is_head, ink=height,
                )
            )

    def letterhead(self, name: str, sub: str, contact: str, color: tuple[float, float, float]) -> None:
        """A company letterhead: name, English name, a double rule and the contact line."""
        self.line(name, size=17, align="center", bold=True, color=color, after=2)
        self.line(sub, size=9, align="center", latin="Helvetica", color=color, after=3)

        def rule(c: Any, top: float) -> None:
            c.setStrokeColorRGB(*color)
            c.setLineWidth(1.6)
            c.line(MARGIN_X, top - 2, MARGIN_X + BODY_W, top - 2)
            c.setLineWidth(0.5)
            c.line(MARGIN_X, top - 5, MARGIN_X + BODY_W, top - 5)

        self.add(Row(10, rule))
        self.line(contact, size=8, align="center", color=(0.3, 0.3, 0.3), after=10)

    def signatures(
        self,
        left: list[str],
        right: list[str],
        *,
        seal_left: Seal | None = None,
        seal_right: Seal | None = None,
        size: float | None = None,
    ) -> None:
        """Two signature columns drawn side by side, seals across them; kept on one page."""
        size = size or self.style.size
        count = max(len(left), len(right))
        half = BODY_W / 2
        first = True
        for number in range(count):
            pair = (left[number] if number < len(left) else "", right[number] if number < len(right) else "")
            fonts = [self.font_for(text) for text in pair]
            for text, font in zip(pair, fonts, strict=True):
                if text_width(text, font, size) > half - 6:
                    raise LayoutError(f"signature line too long: {text}")

            def draw(c: Any, top: float, pair: tuple[str, str] = pair, fonts: list[str] = fonts) -> None:
                for col, (text, font) in enumerate(zip(pair, fonts, strict=True)):
                    if text:
                        draw_text(c, MARGIN_X + col * half, top - size * 0.88, text, font, size)

            key = " ".join(text for text in pair if text)
            row = Row(size * 2.1, draw, [key] if key else [], keep_with_next=number < count - 1,
                      ink=size * 1.25)
            if first:
                for seal, col in ((seal_left, 0), (seal_right, 1)):
                    if seal is not None:
                        seal.cx = seal.cx or MARGIN_X + col * half + 95
                        seal.dy = seal.dy or size * 2.1 * 1.6
                        row.seals.append(seal)
                first = False
            self.add(row)

    def stamp(self, seal: Seal) -> None:
        """Attach a seal to the last row added (its centre `dy` below that row's top)."""
        self.rows[-1].seals.append(seal)

    def stamp_below(self, seal: Seal) -> None:
        """Attach a seal to the last row added, placed so that it just clears the row before:
        it covers what follows (the chop lands on the foot of the document, not its values)."""
        last = self.rows[-1]
        before = self.rows[-2] if len(self.rows) > 1 else None
        gap = 0.0 if before is None or before.ink is None else before.height - before.ink
        seal.dy = seal.radius + 7 - gap
        last.seals.append(seal)

    # ---- build -------------------------------------------------------------------------
    def _paginate(self) -> list[list[tuple[Row, float]]]:
        top0 = PAGE_H - MARGIN_TOP
        bottom = MARGIN_BOTTOM
        pages: list[list[tuple[Row, float]]] = [[]]
        y = top0
        index = 0
        rows = self.rows
        while index < len(rows):
            row = rows[index]
            if row.page_break_before and pages[-1]:
                pages.append([])
                y = top0
            # keep chains (a table header with its first row, signature blocks) together
            chain = row.height
            probe = index
            while rows[probe].keep_with_next and probe + 1 < len(rows):
                probe += 1
                chain += rows[probe].height
            if y - chain < bottom and pages[-1] and chain <= top0 - bottom:
                pages.append([])
                y = top0
            elif y - row.height < bottom and pages[-1]:
                pages.append([])
                y = top0
            pages[-1].append((row, y))
            y -= row.height
            index += 1
        return pages

    def build(self) -> Built:
        """Paginate, draw every page with header and footer, and record what it says."""
        from reportlab.pdfgen import canvas

        pages = self._paginate()
        total = len(pages)
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
        c.setCreator("dossier examples/generate.py")
        c.setProducer("ReportLab PDF Library")
        fields: list[dict[str, Any]] = []
        page_lines: list[list[str]] = []
        for number, placed in enumerate(pages, start=1):
            keys: list[str] = []
            if self.style.frame:
                draw_frame(c)
            keys.extend(self._header_footer(c, number, total))
            seal_bands: list[tuple[float, float]] = []
            for row, top in placed:
                for seal in row.seals:
                    cy = top - seal.dy
                    seal_bands.append((cy - seal.radius - 6, cy + seal.radius + 6))
            for row, top in placed:
                row.draw(c, top)
                ink = row.height if row.ink is None else row.ink
                under_seal = ink > 0 and any(lo < top and top - ink < hi for lo, hi in seal_bands)
                if under_seal and row.fields:
                    raise LayoutError(f"a seal covers a row with fields: {row.lines}")
                if not under_seal:
                    keys.extend(row.lines)
                for name, value in row.fields:
                    fields.append({"name": name, "value": value, "page": number})
            for row, top in placed:
                for seal in row.seals:
                    draw_seal(c, seal, top - seal.dy)
            page_lines.append(keys)
            c.showPage()
        c.save()
        return Built(buffer.getvalue(), total, fields, page_lines)

    def _header_footer(self, c: Any, number: int, total: int) -> list[str]:
        keys: list[str] = []
        size = 8.0
        if self.style.header or self.style.header_right:
            y = PAGE_H - 40
            for text, right in ((self.style.header, False), (self.style.header_right, True)):
                if not text:
                    continue
                font = self.font_for(text)
                x = MARGIN_X + BODY_W - text_width(text, font, size) if right else MARGIN_X
                draw_text(c, x, y, text, font, size, (0.35, 0.35, 0.35))
            c.setStrokeColorRGB(0.5, 0.5, 0.5)
            c.setLineWidth(0.4)
            c.line(MARGIN_X, y - 5, MARGIN_X + BODY_W, y - 5)
            keys.append(" ".join(t for t in (self.style.header, self.style.header_right) if t))
        if self.style.footer:
            if self.style.lang == "zh":
                text = f"第 {number} 页 共 {total} 页"
            else:
                text = f"Page {number} of {total}"
            font = self.font_for(text)
            width = text_width(text, font, size)
            draw_text(c, (PAGE_W - width) / 2, 36, text, font, size, (0.35, 0.35, 0.35))
            keys.append(text)
        return keys


def wrap(text: str, font: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    """Break text into lines that fit: CJK anywhere, Latin at spaces, no line opening
    with closing punctuation (the rule Chinese typesetting follows)."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if has_cjk(ch):
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    closing = set("，。；：、）》」”’！？,.;:)")
    lines: list[str] = []
    current = ""
    limit = width - first_indent
    for token in tokens:
        trial = current + token
        if current and text_width(trial.rstrip(), font, size) > limit and token[0] not in closing:
            lines.append(current.rstrip())
            current = token.lstrip() if token.strip() else ""
            limit = width
        else:
            current = trial
    if current.strip():
        lines.append(current.rstrip())
    return lines


def draw_text(
    c: Any,
    x: float,
    baseline: float,
    text: str,
    font: str,
    size: float,
    color: tuple[float, float, float] = (0, 0, 0),
    fake_bold: bool = False,
) -> None:
    """One run of text; CJK 'bold' is fill-and-stroke (STSong has no bold face)."""
    obj = c.beginText(x, baseline)
    obj.setFont(font, size)
    c.setFillColorRGB(*color)
    if fake_bold:
        c.setStrokeColorRGB(*color)
        c.setLineWidth(size / 30)
        obj.setTextRenderMode(2)
    obj.textOut(text)
    if fake_bold:
        obj.setTextRenderMode(0)  # the render mode is graphics state: it outlives the text object
    c.drawText(obj)
    c.setFillColorRGB(0, 0, 0)


def draw_frame(c: Any) -> None:
    """The double border of a certificate (licences, registration certificates)."""
    c.setStrokeColorRGB(0.55, 0.35, 0.15)
    c.setLineWidth(2.2)
    c.rect(28, 28, PAGE_W - 56, PAGE_H - 56)
    c.setLineWidth(0.7)
    c.rect(34, 34, PAGE_W - 68, PAGE_H - 68)


def draw_seal(c: Any, seal: Seal, cy: float) -> None:
    """A red seal: ring, five-pointed star, the name along the upper arc, a subtitle."""
    c.saveState()
    c.setFillAlpha(0.82)
    c.setStrokeAlpha(0.82)
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    r = seal.radius
    c.setLineWidth(2.4)
    c.circle(seal.cx, cy, r, stroke=1, fill=0)
    star = r * 0.28
    path = c.beginPath()
    for k in range(10):
        angle = math.pi / 2 + k * math.pi / 5
        rad = star if k % 2 == 0 else star * 0.4
        px, py = seal.cx + rad * math.cos(angle), cy + rad * math.sin(angle)
        if k == 0:
            path.moveTo(px, py)
        else:
            path.lineTo(px, py)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    name = seal.name
    size = min(r * 0.36, 2 * math.pi * r * 0.62 / max(len(name), 1) * 0.95)
    span = math.radians(min(250.0, 22.0 * len(name) * size / 14))
    ring = r - size * 0.95
    for k, ch in enumerate(name):
        frac = 0.5 if len(name) == 1 else k / (len(name) - 1)
        angle = math.pi / 2 + span / 2 - frac * span
        c.saveState()
        c.translate(seal.cx + ring * math.cos(angle), cy + ring * math.sin(angle))
        c.rotate(math.degrees(angle) - 90)
        font = CJK_FONT if has_cjk(ch) else "Helvetica-Bold"
        c.setFont(font, size)
        c.drawCentredString(0, -size * 0.35, ch)
        c.restoreState()
    if seal.subtitle:
        sub = min(r * 0.22, 1.5 * r / max(len(seal.subtitle), 1))
        c.setFont(CJK_FONT, sub)
        c.drawCentredString(seal.cx, cy - r * 0.55, seal.subtitle)
    c.restoreState()
