"""Is a page's text layer usable, or is it garbage that would pass wrong facts on?

Why this matters more than speed: a Chinese font without a ToUnicode map gives Latin-1
mojibake (北斗星 as "±±¶·ÐÇ"), unmapped glyphs give "(cid:N)" or U+FFFD, a scan gives no
text at all, an XFA form gives only "Please wait...". Each of these reads without error
in a plain extractor. Triage names the problem (the page's `note`) so the page is OCR'd
or marked for review instead of being read as content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.read.textlayer import PageText

MIN_CHARS_ON_SCAN = 20  # fewer real characters than this on an image-covered page: a scan
GARBAGE_SHARE = 0.3

XFA_CUES = re.compile(
    r"please wait|if this message is not eventually replaced|requires adobe reader|"
    r"adobe reader .{0,40}(version|required)|your pdf viewer may not be able to display",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    """What triage decided: `usable` text, else a `reason` key (read.note.<reason>)."""

    usable: bool
    reason: str | None = None
    ocr_worthy: bool = True  # would rendering the page and OCR'ing it help?
    ocr_layer: bool = False  # the text is an invisible OCR layer under a scanned image


# Counted with regular expressions, not per character in Python: a dense page has thousands.
_BAD = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x1f]")  # unmapped, private use, controls
_NOT_LATIN = re.compile("[^A-Za-z]+")
_NOT_VOWELS = re.compile("[^aeiouyAEIOUY]+")
_NOT_SOLID = re.compile(r"[\W_]+")  # the complement of what str.isalnum() accepts


def _count(complement: re.Pattern[str], flat: str) -> int:
    """How many characters of `flat` a class holds: what is left when its complement is
    removed (one new string, where findall would make one per character)."""
    return len(complement.sub("", flat))

_HIGH = re.compile("[\xa0-\xff]")


def assess(text: PageText, xfa_document: bool = False) -> Verdict:
    """Decide from the characters alone (and the image cover, when it was scanned)."""
    flat = text.glyphs()
    n = len(flat)
    if n == 0:
        if text.has_graphics:
            return Verdict(False, "no_text_layer")
        return Verdict(True, "blank")  # nothing drawn at all: an empty page, not a problem
    if text.image_cover >= 0.5 and n < MIN_CHARS_ON_SCAN:
        return Verdict(False, "scanned")
    if xfa_document or (n < 600 and XFA_CUES.search(text.shown())):
        return Verdict(False, "xfa", ocr_worthy=False)
    bad = len(_BAD.findall(flat))
    if bad / n >= GARBAGE_SHARE:
        return Verdict(False, "unmapped_glyphs")
    if text.map_error_share >= GARBAGE_SHARE and _unlike_words(flat):
        # pdfium flags glyphs decoded without a ToUnicode map; often its guess is right
        # (standard encodings), so the flag condemns a page only when the guess reads as noise.
        return Verdict(False, "unmapped_glyphs")
    if text.image_cover >= 0.5 and _junk(flat):
        return Verdict(False, "junk_ocr_layer")
    if _mojibake(flat):
        return Verdict(False, "mojibake")
    if text.invisible_share >= 0.8 and text.image_cover >= 0.5:
        return Verdict(True, "ocr_layer", ocr_layer=True)
    return Verdict(True)


def _unlike_words(flat: str) -> bool:
    """Latin letters with almost no vowels ("3HQČåQtSURVWĜHGN"): glyph codes shifted, not words."""
    letters = _count(_NOT_LATIN, flat)
    if letters < 8:
        return False
    return _count(_NOT_VOWELS, flat) / letters < 0.15


def looks_junk(text: PageText) -> bool:
    """Cheap pre-check: is the page's text mostly noise (then its image cover is worth knowing)?"""
    return _junk(text.glyphs())


def _junk(flat: str) -> bool:
    """An old OCR layer under a scan that is mostly punctuation and stray letters."""
    if not flat:
        return False
    solid = _count(_NOT_SOLID, flat)
    return solid / len(flat) < 0.6 or _unlike_words(flat)


# Latin-1 letters that real European text uses; the rest of U+00A0-U+00FF (±¶·¡¿×÷...) and
# the capitals of the upper half are what GBK/Big5 bytes look like when read as Latin-1.
_EUROPEAN = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ«»°§€£")


def _mojibake(flat: str) -> bool:
    """Text mostly made of upper Latin-1 with symbols and odd letters: GBK read as Latin-1."""
    if not _HIGH.search(flat):
        return False
    letters = [c for c in flat if c.isalpha() or 0xA0 <= ord(c) <= 0xFF]
    if len(letters) < 4:
        return False
    high = [c for c in letters if 0xA0 <= ord(c) <= 0xFF]
    share = len(high) / len(letters)
    if share < GARBAGE_SHARE:
        return False
    odd = sum(1 for c in high if c not in _EUROPEAN)
    # Plain French or German rarely has a third of its letters accented, and nearly never
    # ± ¶ · ¡ ¿ ¼ Ð Þ; mojibake has both.
    return share >= 0.6 or odd / len(high) >= 0.3
