"""Blocks -> DOCX with python-docx, done so that Chinese forms come out right and reproducibly.

What goes wrong with naive python-docx output, and what this writer does about it:

- Text is always added as run text (python-docx escapes it as XML), never as XML strings,
  so "R&D <Lab>" and quotes come out intact.
- `run.font.name` sets only the ascii/hAnsi font slots; Chinese characters use the
  eastAsia slot, which then falls back to the theme's East Asian font (a Japanese one in
  python-docx's default template). Every run here names all four slots (Latin font for
  ascii/hAnsi/cs, 宋体 SimSun for eastAsia), a run with Chinese text gets w:hint="eastAsia",
  and every run carries w:lang with w:eastAsia="zh-CN". The document defaults and every
  style lose their theme-font attributes (asciiTheme, eastAsiaTheme...) and name the same
  fonts explicitly, and their language is zh-CN for East Asian text.
- Tables grow a row per data row; a data table's header row repeats on each page.
- The same blocks give the same bytes: the core properties (created, modified,
  last_modified_by, revision...) are fixed, and the package is rewritten after saving with
  fixed zip timestamps, attributes and member order ([Content_Types].xml first).

A4 paper, black text: it is an official form, not a Word sample.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from typing import Any

from toolkit.i18n import t
from toolkit.render.markup import CHECKED, UNCHECKED, Block, Span

LATIN_FONT = "Times New Roman"
EAST_ASIA_FONT = "SimSun"  # 宋体
SYMBOL_FONT = "Segoe UI Symbol"  # ☑ ☐ on Windows; other systems substitute a font that has them
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
FIXED_TIME = dt.datetime(2024, 7, 15, 0, 0, 0)  # the policy's date: a form's bytes never depend on the clock
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less 2.5 cm margins


def fixed_time() -> dt.datetime:
    """The documents' timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else fixed."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return FIXED_TIME


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _fonts(rpr: Any, text: str, lang: str) -> None:
    """Name every font slot and the languages on a run's (or style's) rPr."""
    from docx.oxml import OxmlElement

    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(_w(attr), None)
    for slot in ("ascii", "hAnsi", "cs"):
        fonts.set(_w(slot), LATIN_FONT)
    fonts.set(_w("eastAsia"), EAST_ASIA_FONT)
    if CJK.search(text):
        fonts.set(_w("hint"), "eastAsia")
    language = rpr.find(_w("lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(_w("val"), "zh-CN" if lang == "zh" else "en-US")
    language.set(_w("eastAsia"), "zh-CN")
    language.attrib.pop(_w("bidi"), None)


def _fix_styles(doc: Any, lang: str) -> None:
    """Document defaults and every style: explicit fonts, no theme fonts or theme colours."""
    from docx.oxml import OxmlElement
    from docx.shared import Pt, RGBColor

    styles = doc.styles.element
    defaults = styles.find(_w("docDefaults"))
    rpr_default = defaults.find(_w("rPrDefault")) if defaults is not None else None
    if rpr_default is None:  # pragma: no cover - python-docx's template has one
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.append(rpr_default)
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:  # pragma: no cover
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _fonts(rpr, "", lang)
    for element in styles.iter(_w("rFonts")):
        for attr in THEME_ATTRS:
            element.attrib.pop(_w(attr), None)
        for slot in ("ascii", "hAnsi", "cs"):
            element.set(_w(slot), LATIN_FONT)
        element.set(_w("eastAsia"), EAST_ASIA_FONT)
    for element in styles.iter(_w("color")):
        for attr in ("themeColor", "themeShade", "themeTint"):
            element.attrib.pop(_w(attr), None)
        element.set(_w("val"), "000000")
    for element in styles.iter(_w("lang")):
        element.set(_w("eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(style.element.get_or_add_rPr(), "", lang)


def _run(paragraph: Any, text: str, lang: str) -> Any:
    """A run with its fonts and languages named (every run of the document gets them)."""
    run = paragraph.add_run(text)
    _fonts(run._r.get_or_add_rPr(), text, lang)
    return run


def _add_spans(paragraph: Any, spans: list[Span], lang: str, *, bold: bool = False, size: float | None = None,
               grey: bool = False, breaks_as: str | None = None) -> None:
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    for span in spans:
        if span.kind == "break":
            if breaks_as is not None:
                _run(paragraph, breaks_as, lang)
            else:
                _run(paragraph, "", lang).add_break()
            continue
        if span.kind == "check":
            text = CHECKED if span.checked else UNCHECKED
        elif span.kind == "missing":
            text = t("render.missing_marker", lang, path=span.text)
        else:
            text = span.text
        run = _run(paragraph, text, lang)
        if span.kind == "check":
            fonts = run._r.rPr.find(_w("rFonts"))
            for slot in ("ascii", "hAnsi"):
                fonts.set(_w(slot), SYMBOL_FONT)
        if bold:
            run.bold = True
        if size:
            run.font.size = Pt(size)
        if grey:
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        if span.kind == "missing":
            run.bold = True
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _widths(block: Block, columns: int) -> list[float]:
    weights = block.widths or ([3, 5] if block.type == "kv" else [1] * columns)
    total = sum(weights)
    return [TEXT_WIDTH_CM * w / total for w in weights]


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(_w("val"), "true")
    trpr.append(header)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement

    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(_w("val"), "clear")
    shading.set(_w("color"), "auto")
    shading.set(_w("fill"), fill)
    tcpr.append(shading)


def _table(doc: Any, block: Block, lang: str) -> None:
    from docx.shared import Cm

    rows = ([block.head] if block.head else []) + block.rows
    columns = len(rows[0])
    table = doc.add_table(rows=0, cols=columns)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    widths = _widths(block, columns)
    for i, cells in enumerate(rows):
        row = table.add_row()
        is_head = block.head is not None and i == 0
        if is_head:
            _repeat_header(row)
        for j, spans in enumerate(cells):
            cell = row.cells[j]
            cell.width = Cm(widths[j])
            label = block.type == "kv" and j == 0
            _add_spans(cell.paragraphs[0], spans, lang, bold=is_head or label,
                       size=9 if label and any(s.kind == "break" for s in spans) else None)
            if is_head or label:
                _shade(cell, "F2F2F2")
    for j, column in enumerate(table.columns):
        column.width = Cm(widths[j])
    doc.add_paragraph()


def _core_properties(doc: Any, title: str) -> None:
    props = doc.core_properties
    when = fixed_time()
    props.author = "dossier"
    props.last_modified_by = "dossier"
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.title = title
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""


def canonical_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed timestamps, attributes and member order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def write_docx(blocks: list[Block], lang: str, title: str = "") -> bytes:
    """The form's blocks as DOCX bytes (deterministic)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    _fix_styles(doc, lang)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.2)

    for block in blocks:
        if block.type == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_spans(p, block.spans, lang, bold=True, size=16)
        elif block.type == "subtitle":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_spans(p, block.spans, lang, size=12)
        elif block.type == "heading":
            p = doc.add_paragraph(style=f"Heading {block.level}")
            _add_spans(p, block.spans, lang)
        elif block.type == "paragraph":
            _add_spans(doc.add_paragraph(), block.spans, lang)
        elif block.type == "note":
            _add_spans(doc.add_paragraph(), block.spans, lang, size=9, grey=True)
        elif block.type == "bullet":
            _add_spans(doc.add_paragraph(style="List Bullet"), block.spans, lang)
        elif block.type == "pagebreak":
            _run(doc.add_paragraph(), "", lang).add_break(WD_BREAK.PAGE)
        elif block.type == "sign":
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(18)
            for i, label in enumerate(block.labels):
                if i:
                    _run(p, "\u3000\u3000" if lang == "zh" else "    ", lang)
                _add_spans(p, label, lang, breaks_as=" / ")
                colon = "：" if lang == "zh" else ": "
                _run(p, colon + "_" * (18 if i == 0 else 14), lang)
        elif block.type in ("kv", "table"):
            _table(doc, block, lang)
    _core_properties(doc, title)
    buffer = io.BytesIO()
    doc.save(buffer)
    return canonical_zip(buffer.getvalue())
