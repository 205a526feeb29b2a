"""Dates as filings write them, read into `datetime.date`.

Forms: 2025年4月18日 (and 二〇二五年四月十八日 on seals), 2025-04-18, 2025/4/18, 2025.04.18,
April 18, 2025 / Apr. 18, 2025, 18 April 2025, 18-Apr-2025. Numeric day-first or month-first
forms such as 04/05/2025 are ambiguous between US and European usage and are never guessed:
they are not read as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cjk", re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    ("cjk_numerals", re.compile(r"(?P<y>[〇○零ＯO一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")),
    ("iso", re.compile(r"(?<![\d.\-/])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d\-/]|\.\d)")),
    ("month_first", re.compile(rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s?,?\s+(?P<y>\d{{4}})\b", re.I)),
    ("day_first", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+|-)(?P<mon>{_MONTH})\.?(?:\s*,\s*|\s+|-)(?P<y>\d{{4}})\b", re.I)),
]


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    date: dt.date
    text: str


def _cn_number(text: str) -> int:
    """十八 -> 18, 二十 -> 20, 十 -> 10 (month and day numerals)."""
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return _CN_DIGITS[text]


def find_dates(line: str) -> list[DateMatch]:
    """Every real calendar date in a line, left to right (2025-02-30 is not a date)."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for form, pattern in _PATTERNS:
        for m in pattern.finditer(line):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            try:
                if form == "cjk_numerals":
                    year = int("".join(str(_CN_DIGITS[c]) for c in m.group("y")))
                    month, day = _cn_number(m.group("m")), _cn_number(m.group("d"))
                elif form in ("month_first", "day_first"):
                    year, month, day = int(m.group("y")), MONTHS[m.group("mon").lower()], int(m.group("d"))
                else:
                    year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
                value = dt.date(year, month, day)
            except (KeyError, ValueError):
                continue
            if not 1900 <= value.year <= 2100:
                continue
            found.append(DateMatch(m.start(), m.end(), value, m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def parse_date(text: str) -> dt.date:
    """The one date a text holds (ValueError when it holds none or more than one)."""
    found = find_dates(text)
    if len(found) != 1:
        raise ValueError("not_one_date", text, len(found))
    return found[0].date
