"""The fast first pass: a page's characters and boxes from pypdfium2, and what the page holds.

Why raw pdfium calls: the per-character loop is the hot path of reading (hundreds of
thousands of characters in a long file), and the pypdfium2 helpers allocate an object per
call. Boxes are the glyphs' loose boxes (font ascent to descent, so one line's boxes share
a height), turned from PDF user space (bottom-left origin, unrotated) into the displayed
page's top-left coordinates, the same space as pdfplumber and a rendered image.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from toolkit.read.model import BBoxT
from toolkit.read.normalise import RawChar

MAX_TILT = math.radians(20)  # glyphs turned further than this from the page's upright are read apart
INVISIBLE = 3  # text render mode 3: neither filled nor stroked (an OCR layer under a scan)
MAX_OBJECTS_SCANNED = 4000
_SPACE = (" ", (0.0, 0.0, 0.0, 0.0), -2.0)  # a word gap in the first pass
WHITESPACE = re.compile("[\\s\x02\ufffe]+")
_BREAKS = re.compile("[\r\n\x02\ufffe]+")


@dataclass
class PageText:
    """One page's characters (displayed coordinates) and the facts triage needs."""

    width: float
    height: float
    chars: list[RawChar] = field(default_factory=list)  # upright glyphs, in content order
    runs: list[list[RawChar]] = field(default_factory=list)  # turned glyphs (a seal's ring, a sideways label), in content order
    map_error_share: float = 0.0  # share of glyphs with no Unicode mapping (pdfminer shows "(cid:N)")
    invisible_share: float = 0.0  # share of sampled glyphs drawn invisibly
    image_cover: float = 0.0  # share of the page covered by images (computed on demand)
    has_graphics: bool = False  # any object at all besides text
    turns: int = 0  # clockwise quarter turns from the displayed page to the frame of `chars`
    text: str | None = None  # the page's string, when read in one piece (the fast path: `chars` stays empty)
    _glyphs: str | None = field(default=None, repr=False, compare=False)  # triage asks for them three times

    def glyphs(self) -> str:
        """Every drawn character but white space, upright or turned, in content order."""
        if self.text is not None:
            if self._glyphs is None:
                self._glyphs = WHITESPACE.sub("", self.text)
            return self._glyphs
        return "".join(c for c, _ in self.chars if not c.isspace()) + "".join(
            c for run in self.runs for c, _ in run if not c.isspace())

    def shown(self) -> str:
        """The upright text as one string, word gaps as spaces."""
        if self.text is not None:
            return _BREAKS.sub(" ", self.text)
        return "".join(c for c, _ in self.chars)


class Transform:
    """PDF user space -> displayed page, top-left origin, for /Rotate 0/90/180/270."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        left, bottom, right, top = page.get_bbox()  # the crop box
        self.left, self.bottom = min(left, right), min(bottom, top)
        self.w, self.h = abs(right - left), abs(top - bottom)
        self.rotation = page.get_rotation() % 360

    @property
    def size(self) -> tuple[float, float]:
        return (self.h, self.w) if self.rotation in (90, 270) else (self.w, self.h)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> BBoxT:
        """A rectangle given by two corners in user space, as [x0, top, x1, bottom] displayed."""
        ax, bx = x0 - self.left, x1 - self.left
        ay, by = y0 - self.bottom, y1 - self.bottom
        r = self.rotation
        if r == 0:
            xs, ys = (ax, bx), (self.h - ay, self.h - by)
        elif r == 90:
            xs, ys = (ay, by), (ax, bx)
        elif r == 180:
            xs, ys = (self.w - ax, self.w - bx), (ay, by)
        else:
            xs, ys = (self.h - ay, self.h - by), (self.w - ax, self.w - bx)
        return (min(xs), min(ys), max(xs), max(ys))


def page_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> PageText:
    """Every drawn character of the page with its box, in content order.

    Glyphs that stand upright on the displayed page go to `chars`; turned ones (a seal's
    ring) to `runs`. When most of the page's text is turned a quarter (a landscape table
    on a portrait page), that direction counts as upright instead: the boxes are then
    given in the turned frame (`turns` clockwise quarter turns from the displayed page),
    so lines group the way the text reads, and `unturn_box` maps them back.
    """
    tf = Transform(page)
    width, height = tf.size
    out = PageText(width=round(width, 2), height=round(height, 2))
    raw = textpage.raw
    n = max(pdfium_c.FPDFText_CountChars(raw), 0)
    rect = pdfium_c.FS_RECTF()
    rect_p = ctypes.byref(rect)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_angle = pdfium_c.FPDFText_GetCharAngle
    is_generated = pdfium_c.FPDFText_IsGenerated
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    sample_step = max(1, n // 256)  # Unicode-map errors are counted on a sample: a share is all triage needs
    sampled = mapped_wrong = 0
    plain = tf.rotation == 0
    left, top = tf.left, tf.bottom + tf.h
    upright = math.radians((360 - tf.rotation) % 360)
    # First pass: every glyph with its box and angle; None marks a generated word gap or line end.
    glyphs: list[tuple[str, BBoxT, float] | None] = []
    quarters = [0, 0, 0, 0]
    prev_box: BBoxT | None = None
    prev_angle = 0.0
    for i in range(n):
        code = get_unicode(raw, i)
        # Spaces, drawn or inferred by pdfium (a generated word gap), all become a gap
        # between their neighbours; line ends ("\r\n", generated) end a run. Deciding
        # this from the code alone saves a pdfium call per glyph.
        if code == 0x20:
            glyphs.append(_SPACE)
            continue
        if code in (0x0D, 0x0A) or (code == 0x02 and is_generated(raw, i)):
            glyphs.append(None)
            continue
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD
        if i % sample_step == 0:
            sampled += 1
            if map_error(raw, i):
                mapped_wrong += 1
        loose_box(raw, i, rect_p)
        if plain:
            box = (rect.left - left, top - rect.top, rect.right - left, top - rect.bottom)
        else:
            box = tf.box(rect.left, rect.bottom, rect.right, rect.top)
        # A glyph on the same baseline as the one before, further right, has its angle:
        # skipping the call for it saves a third of the time on dense pages.
        if prev_box is not None and prev_box[1] == box[1] and prev_box[3] == box[3] and box[0] >= prev_box[0]:
            angle = prev_angle
        else:
            angle = get_angle(raw, i)
        prev_box, prev_angle = box, angle
        if -0.01 < angle - upright < 0.01:
            quarters[0] += 1
        elif angle >= 0:
            quarters[round(((angle - upright) % (2 * math.pi)) / (math.pi / 2)) % 4] += 1
        glyphs.append((chr(code), box, angle))
    out.map_error_share = mapped_wrong / sampled if sampled else 0.0
    total = sum(quarters)
    dominant = max(range(4), key=lambda q: quarters[q]) if total else 0  # counter-clockwise quarters
    if dominant in (1, 3) and quarters[dominant] >= 0.6 * total:
        out.turns = 4 - dominant  # text turned a quarter counter-clockwise reads after a clockwise turn
        upright = (upright + dominant * math.pi / 2) % (2 * math.pi)
    flipped = tf.rotation == 180 and out.turns == 0
    frame_w, frame_h = tf.size

    # Second pass: split upright glyphs from turned runs, place inferred word gaps.
    chars = out.chars
    run: list[RawChar] | None = None
    run_angle = 0.0
    prev_real: BBoxT | None = None
    pending_space = False
    for glyph in glyphs:
        if glyph is None or glyph[2] == -2.0:
            run = None
            pending_space = glyph is not None
            continue
        ch, box, angle = glyph
        if out.turns:
            box = turn_box(box, out.turns, frame_w, frame_h)
        if -0.01 < angle - upright < 0.01:
            tilted = False
        else:
            tilted = angle >= 0 and turn_between(angle, upright) > MAX_TILT and not (flipped and turn_between(angle, 0.0) <= MAX_TILT)
        # A run of turned glyphs (text set along a seal's ring) goes on through the glyphs
        # that happen to stand upright at the top of the ring, while the angle turns smoothly.
        if tilted or (run is not None and angle >= 0 and turn_between(angle, run_angle) <= 2 * MAX_TILT):
            if run is None:
                run = []
                out.runs.append(run)
            run.append((ch, box))
            run_angle = angle
            pending_space = False
            continue
        run = None
        if pending_space and prev_real is not None and abs(box[1] - prev_real[1]) < 0.5 * max(box[3] - box[1], 1e-6):
            chars.append((" ", (prev_real[2], prev_real[1], max(box[0], prev_real[2]), prev_real[3])))
        pending_space = False
        chars.append((ch, box))
        prev_real = box
    if chars or out.runs:
        out.invisible_share = _invisible_share(raw, n)
    return out


def turn_box(box: BBoxT, turns: int, width: float, height: float) -> BBoxT:
    """A box on a width x height page, after turning the page `turns` quarters clockwise."""
    x0, t, x1, b = box
    for _ in range(turns % 4):
        x0, t, x1, b = height - b, x0, height - t, x1
        width, height = height, width
    return (x0, t, x1, b)


def unturn_box(box: BBoxT, turns: int, width: float, height: float) -> BBoxT:
    """The inverse of `turn_box`: a box in the turned frame back on the displayed page (width x height)."""
    if turns % 2:
        width, height = height, width  # the turned frame's size
    x0, t, x1, b = box
    for _ in range(turns % 4):
        x0, t, x1, b = t, width - x1, b, width - x0
        width, height = height, width
    return (x0, t, x1, b)


def turn_between(a: float, b: float) -> float:
    """The smaller angle between two directions (radians)."""
    d = abs(a - b) % (2 * math.pi)
    return min(d, 2 * math.pi - d)


def _invisible_share(raw: ctypes.c_void_p, n: int) -> float:
    """The share of glyphs drawn in render mode 3, from a sample of at most 24 characters."""
    step = max(1, n // 24)
    seen = invisible = 0
    for i in range(0, n, step):
        obj = pdfium_c.FPDFText_GetTextObject(raw, i)
        if not obj:
            continue
        seen += 1
        if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == INVISIBLE:
            invisible += 1
    return invisible / seen if seen else 0.0


def scan_objects(page: pdfium.PdfPage, text: PageText) -> None:
    """Fill `image_cover` and `has_graphics` (only for pages that triage doubts: it walks objects)."""
    tf = Transform(page)
    area = max(tf.w * tf.h, 1e-6)
    covered = 0.0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    corners = [ctypes.byref(v) for v in (left, bottom, right, top)]
    for seen, obj in enumerate(page.get_objects(max_depth=0)):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
            text.has_graphics = True
            break
        if seen > MAX_OBJECTS_SCANNED:
            break
    kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM]
    for seen, obj in enumerate(page.get_objects(filter=kinds, max_depth=4)):
        if seen > MAX_OBJECTS_SCANNED:
            break
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        text.has_graphics = True
        if pdfium_c.FPDFPageObj_GetBounds(obj.raw, *corners):
            w = max(0.0, min(right.value, tf.left + tf.w) - max(left.value, tf.left))
            h = max(0.0, min(top.value, tf.bottom + tf.h) - max(bottom.value, tf.bottom))
            covered += w * h
    text.image_cover = min(1.0, covered / area)



def page_string(raw: ctypes.c_void_p, n: int) -> str | None:
    """The text page's characters as one string, one character per pdfium index (pdfium's
    word gaps as spaces, line ends as CR LF), in one call; None when the string does not
    line up with the indices (characters outside the BMP, unmapped ones left out)."""
    if n <= 0:
        return None
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(raw, 0, n, buf)
    text = bytes(buf)[: max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
    return text.replace("\x00", "\ufffd") if len(text) == n else None


class PageBoxes:
    """Loose character boxes of an unrotated page, by pdfium index, in displayed coordinates."""

    def __init__(self, textpage_raw: ctypes.c_void_p, tf: Transform) -> None:
        self.raw = textpage_raw
        self.left, self.top = tf.left, tf.bottom + tf.h
        self.rect = pdfium_c.FS_RECTF()
        self.rect_p = ctypes.byref(self.rect)
        self.edges = [ctypes.c_double() for _ in range(4)]
        self.edge_refs = [ctypes.byref(v) for v in self.edges]

    def box(self, i: int) -> BBoxT:
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, i, self.rect_p)
        r = self.rect
        return (r.left - self.left, self.top - r.top, r.right - self.left, self.top - r.bottom)

    def tight_left(self, i: int) -> float:
        """The left edge of the glyph's tight box, in pdfium's page coordinates (-inf for a
        character pdfium has no box for)."""
        if not pdfium_c.FPDFText_GetCharBox(self.raw, i, *self.edge_refs):
            return -math.inf
        return self.edges[0].value


class DocumentBoxes:
    """Character boxes of any page of an open document, fetched when asked (a field's span).

    The reader hands over the pages it has just read (`adopt`), and the last `keep` of them
    stay loaded: a dossier's documents are short, and a field's boxes are then read from the
    page already in memory rather than by loading it (and its fonts) a second time. A page
    asked for after it was let go is loaded again and joins the kept ones.
    """

    def __init__(self, doc: pdfium.PdfDocument, keep: int = 8) -> None:
        self.doc = doc
        self.keep = keep
        self.pages: dict[int, tuple[pdfium.PdfPage, pdfium.PdfTextPage, PageBoxes]] = {}

    def adopt(self, index: int, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, boxes: PageBoxes) -> None:
        """Keep a page the reader has loaded (this object closes it from now on)."""
        self._forget(index)
        self.pages[index] = (page, textpage, boxes)
        while len(self.pages) > self.keep:
            self._forget(next(iter(self.pages)))

    def box(self, page_index: int, i: int) -> BBoxT:
        held = self.pages.get(page_index)
        if held is None:
            page = self.doc[page_index]
            textpage = page.get_textpage()
            self.adopt(page_index, page, textpage, PageBoxes(textpage.raw, Transform(page)))
            held = self.pages[page_index]
        return held[2].box(i)

    def _forget(self, index: int) -> None:
        held = self.pages.pop(index, None)
        if held is not None:
            held[1].close()
            held[0].close()

    def close(self) -> None:
        for index in list(self.pages):
            self._forget(index)


def fast_page_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> tuple[PageText, str, PageBoxes] | None:
    """What triage needs of a plain page, from its string in one call (the fast path,
    runs.py); None for a rotated page or one whose string does not line up with its glyphs."""
    tf = Transform(page)
    if tf.rotation != 0:
        return None
    raw = textpage.raw
    n = max(pdfium_c.FPDFText_CountChars(raw), 0)
    text = page_string(raw, n)
    if text is None:
        return None
    width, height = tf.size
    out = PageText(width=round(width, 2), height=round(height, 2), text=text)
    step = max(1, n // 256)
    sampled = wrong = 0
    for i in range(0, n, step):
        if text[i] in " \r\n\x02\ufffe":
            continue
        sampled += 1
        if pdfium_c.FPDFText_HasUnicodeMapError(raw, i):
            wrong += 1
    out.map_error_share = wrong / sampled if sampled else 0.0
    if sampled:
        out.invisible_share = _invisible_share(raw, n)
    return out, text, PageBoxes(raw, tf)
