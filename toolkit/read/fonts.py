"""Keep the system fonts pdfium substitutes in memory, for the life of a reader process.

Why: a PDF that names a font without embedding it (STSong-Light, the Adobe CJK font that
iText, ReportLab and many Chinese form generators use) makes pdfium substitute a system
font. For Chinese text that is a CJK collection of 20-30 MB (Noto Serif CJK here), and
pdfium reads the whole file again for every document that needs it: about 40% of the time
pdfium spends on a short Chinese filing goes to that read. pdfium asks its "system font
info" for the bytes; this module wraps the default one (`FPDF_GetDefaultSystemFontInfo`)
so that the bytes of a large font file are read from disk once per process and copied from
memory after that. Everything else (which font is chosen, its data) is the default's, so
what is read does not change, only how often the disk is asked: a test holds the text and
every character box equal with and without it.

Installed in reader workers only (`install`, from `parse.open_pdf`), which are reused for
many files; the bytes kept are bounded (`KEEP_BYTES`, least recently used out).
"""

from __future__ import annotations

import ctypes
import os
from collections import OrderedDict
from typing import Any

import pypdfium2.raw as pdfium_c

KEEP_BYTES = 160 * 1024 * 1024  # two or three CJK collections, a few Latin families
WORTH_KEEPING = 1024 * 1024  # smaller fonts are read quickly enough from disk

_installed_in: int | None = None  # the pid that installed it (a forked child installs its own)
_keep_alive: list[Any] = []  # the struct and its callbacks must outlive every pdfium call


class _FontBytes:
    """Font file bytes by (font handle, table), least recently used dropped past the bound."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[tuple[int, int], bytes] = OrderedDict()

    def get(self, key: tuple[int, int]) -> bytes | None:
        data = self.entries.get(key)
        if data is not None:
            self.entries.move_to_end(key)
        return data

    def put(self, key: tuple[int, int], data: bytes) -> None:
        if len(data) > self.limit:
            return
        self.entries[key] = data
        self.size += len(data)
        while self.size > self.limit:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped)


def install(limit: int = KEEP_BYTES) -> bool:
    """Route pdfium's font loading through the in-memory wrapper (once per process).

    Returns whether it is in place. A pdfium without the default font info (a build for
    another platform) is left as it is."""
    global _installed_in
    if _installed_in == os.getpid():
        return True
    default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
    if not default:
        return False
    base = default.contents
    kept = _FontBytes(limit)
    info_type = pdfium_c.FPDF_SYSFONTINFO
    slot = dict(info_type._fields_)

    def release(_this: Any) -> None:  # the default stays alive with this process
        return None

    def enum_fonts(_this: Any, mapper: Any) -> None:
        base.EnumFonts(default, mapper)

    def map_font(_this: Any, weight: int, italic: int, charset: int, pitch: int, face: Any, exact: Any) -> Any:
        return base.MapFont(default, weight, italic, charset, pitch, face, exact)

    def get_font(_this: Any, face: Any) -> Any:
        return base.GetFont(default, face)

    def get_font_data(_this: Any, handle: Any, table: int, buffer: Any, length: int) -> int:
        try:
            size = int(base.GetFontData(default, handle, table, None, 0))
            if not buffer or length < size or size < WORTH_KEEPING:
                return int(base.GetFontData(default, handle, table, buffer, length))
            key = (int(handle or 0), int(table))
            data = kept.get(key)
            if data is None or len(data) != size:
                fresh = (ctypes.c_ubyte * size)()
                if base.GetFontData(default, handle, table, fresh, size) != size:
                    return 0
                data = bytes(fresh)
                kept.put(key, data)
            ctypes.memmove(buffer, data, size)
            return size
        except Exception:  # a callback must never raise into C: "no data" lets pdfium fall back
            return 0

    def get_face_name(_this: Any, handle: Any, buffer: Any, length: int) -> int:
        return int(base.GetFaceName(default, handle, buffer, length))

    def get_font_charset(_this: Any, handle: Any) -> int:
        return int(base.GetFontCharset(default, handle))

    def delete_font(_this: Any, handle: Any) -> None:
        base.DeleteFont(default, handle)

    info = info_type(
        version=1,
        Release=slot["Release"](release),
        EnumFonts=slot["EnumFonts"](enum_fonts),
        MapFont=slot["MapFont"](map_font),
        GetFont=slot["GetFont"](get_font),
        GetFontData=slot["GetFontData"](get_font_data),
        GetFaceName=slot["GetFaceName"](get_face_name),
        GetFontCharset=slot["GetFontCharset"](get_font_charset),
        DeleteFont=slot["DeleteFont"](delete_font),
    )
    _keep_alive.append((info, default, kept))  # kept for good: an earlier one may still be released
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))
    _installed_in = os.getpid()
    return True
