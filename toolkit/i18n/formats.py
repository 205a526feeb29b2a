"""Numbers and dates as each language writes them.

English: "CNY 1,234,567.89", "2025-04-18" (ISO: unambiguous for international readers).
Chinese: "¥1,234,567.89（123.46万元）" with 万元 where the amount is large enough for it to
help, and dates as "2025年4月18日". Official Chinese forms also need the amount in
capitals (大写), which `toolkit.parse.money.to_capitals` writes exactly to the fen.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
WAN = Decimal(10000)


def _grouped(amount: Decimal, places: int = 2) -> str:
    q = Decimal(1).scaleb(-places)
    return f"{amount.quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


def format_money(amount: Decimal | None, lang: str, currency: str = "CNY") -> str:
    """An amount for people: `CNY 5,000,000.00` or `¥5,000,000.00（500万元）`."""
    if amount is None:
        return "—"
    if lang == "zh":
        if currency != "CNY":
            return f"{currency} {_grouped(amount)}"
        text = f"¥{_grouped(amount)}"
        if abs(amount) >= WAN:
            wan = (amount / WAN).normalize()
            wan_text = f"{wan:,f}" if wan == wan.quantize(FEN) else f"{(amount / WAN).quantize(FEN, rounding=ROUND_HALF_UP):,f}"
            text += f"（{wan_text}万元）"
        return text
    return f"{currency} {_grouped(amount)}"


def format_date(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def format_rate(rate: Decimal) -> str:
    """0.40 -> 40%, 0.125 -> 12.5% (exact, no float)."""
    pct = (rate * 100).normalize()
    return f"{pct:f}%"


def colon(lang: str) -> str:
    """The label separator: a full-width colon in Chinese, ": " in English."""
    return "：" if lang == "zh" else ": "
