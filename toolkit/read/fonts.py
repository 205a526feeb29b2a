"""Read text without loading system fonts; render for OCR with them.

Why: for a font that is not embedded (the usual STSong-Light of Chinese PDFs), pdfium
looks up and parses a system font (a CJK font file of tens of megabytes) for every
document, which makes opening a page ten times slower than reading its text. Text and
glyph boxes come from the PDF itself (its ToUnicode map, its /W widths, its font
descriptor), so while reading, pdfium is given an empty system font list. A page that is
rendered for OCR needs real glyphs, so rendering switches the system fonts back on.
The switch is process-wide: `reading_fonts()` restores the previous state on exit.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pypdfium2.raw as pdfium_c

_NO_FONTS: Any = None
_state = {"system": True}


def _no_fonts() -> Any:
    """An FPDF_SYSFONTINFO whose callbacks report no system fonts (kept alive here)."""
    global _NO_FONTS
    if _NO_FONTS is None:
        info = pdfium_c.FPDF_SYSFONTINFO()
        info.version = 1
        for name in ("EnumFonts", "MapFont", "GetFont", "GetFontData", "GetFaceName", "GetFontCharset",
                     "DeleteFont", "Release"):
            kind = type(getattr(info, name))
            returns_int = name in ("GetFontData", "GetFaceName", "GetFontCharset")
            setattr(info, name, kind((lambda *_: 0) if returns_int else (lambda *_: None)))
        _NO_FONTS = info
    return _NO_FONTS


def _set(system: bool) -> None:
    if _state["system"] == system:
        return
    # pdfium releases the info it held when another is set, and the default info's
    # release frees its insides: so a fresh default info every time, never one reused.
    pdfium_c.FPDF_SetSystemFontInfo(pdfium_c.FPDF_GetDefaultSystemFontInfo() if system else ctypes.byref(_no_fonts()))
    _state["system"] = system


@contextmanager
def reading_fonts() -> Iterator[None]:
    """No system fonts while documents are opened for their text."""
    before = _state["system"]
    _set(False)
    try:
        yield
    finally:
        _set(before)


@contextmanager
def rendering_fonts() -> Iterator[None]:
    """System fonts on, for a document opened to be rendered."""
    before = _state["system"]
    _set(True)
    try:
        yield
    finally:
        _set(before)
