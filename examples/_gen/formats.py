"""Amounts and dates written the ways real filings write them.

Why: the extractor must read `178,250,000.00`, `1.5亿元`, `15,000万元`, `USD 25,000,000.00`
and `人民币壹亿柒仟捌佰贰拾伍万元整`, and `2025年4月18日`, `2025-04-18` and
`April 18, 2025`. The examples carry all of them, produced here from exact Decimals and
dates so that the golden values and the printed text cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)


def D(text: str) -> Decimal:
    """An exact amount from its decimal string (never through a float)."""
    return Decimal(text)


def figures(amount: Decimal) -> str:
    """`178,250,000.00`: thousands separators, two decimals."""
    return f"{amount:,.2f}"


def plain(amount: Decimal) -> str:
    """`178250000.00`: the golden-data form of an amount."""
    return f"{amount:.2f}"


def wan(amount: Decimal) -> str:
    """An amount in 万元 without trailing zeros: 120,000,000 -> `12,000万元`."""
    value = amount / Decimal(10000)
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return f"{text}万元"


def yi(amount: Decimal) -> str:
    """An amount in 亿元: 150,000,000 -> `1.5亿元`."""
    value = amount / Decimal(100000000)
    text = f"{value:,.10f}".rstrip("0").rstrip(".")
    return f"{text}亿元"


def _group(value: int) -> str:
    """One four-digit group in capitals, with the zeros a cheque writer puts in."""
    out = ""
    pending_zero = False
    started = False
    for pos in (3, 2, 1, 0):
        digit = value // 10**pos % 10
        if digit == 0:
            pending_zero = started
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += _DIGITS[digit] + _UNITS[pos]
        started = True
    return out


def capitals(amount: Decimal) -> str:
    """`壹亿柒仟捌佰贰拾伍万元整`: the amount in Chinese financial capitals."""
    if amount < 0:
        raise ValueError("negative amounts are not written in capitals here")
    fen_total = int((amount * 100).to_integral_value())
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    text = ""
    gap = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            gap = bool(text)
            continue
        if text and (gap or value < 1000):
            text += "零"
        text += _group(value) + _GROUPS[index]
        gap = False
    if not text:
        text = "零"
    text += "元"
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    if fen:
        text += ("零" if not jiao else "") + _DIGITS[fen] + "分"
    return text


def rmb_capitals(amount: Decimal) -> str:
    """`人民币壹亿柒仟捌佰贰拾伍万元整（小写：¥178,250,000.00）`."""
    return f"人民币{capitals(amount)}（小写：¥{figures(amount)}）"


def zh_date(day: dt.date) -> str:
    """`2025年4月18日`."""
    return f"{day.year}年{day.month}月{day.day}日"


def iso(day: dt.date) -> str:
    """`2025-04-18`."""
    return day.isoformat()


def en_date(day: dt.date) -> str:
    """`April 18, 2025`."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def money(amount: Decimal, currency: str = "CNY") -> dict[str, str]:
    """The golden form of a money field: {amount, currency}."""
    return {"amount": plain(amount), "currency": currency}
