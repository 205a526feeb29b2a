"""Money as documents write it, read into exact `Decimal` (and written back in capitals).

Three notations occur in filings, often side by side on one line:

- figures: ``178,250,000.00``, ``¥1,234.56``, ``USD 25,000,000``, with the units 万/亿
  (``3,500万元``, ``1.2亿元``) or million/billion;
- Chinese capitals (大写): ``人民币壹亿柒仟捌佰贰拾伍万元整``, exact to the fen;
- a currency before or after the figure (人民币/RMB/CNY/¥, 美元/US$/USD, 欧元/€/EUR, 日元/JPY...),
  the spellings in toolkit/data/money.yaml.

No float is ever made: figures go from their digits to `Decimal` directly. `to_capitals` and
`parse_capitals` are inverse to each other on every amount exact to the fen (a property test
holds them to it), which is what lets a rendered form's capitals be read back by the
extractor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_SECTION_UNITS = ("", "万", "亿", "万")
_LIMIT = Decimal(10) ** 16  # 万亿 sections cover amounts below 10^16 yuan

# Reading also accepts the everyday numerals and variants seen on receipts.
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)} | {
    "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "贰": 2, "貳": 2, "三": 3, "叁": 3, "參": 3,
    "四": 4, "五": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "八": 8, "九": 9, "壹": 1,
}
_UNIT_VALUE = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG_VALUE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CAPITAL_CHARS = "".join(sorted(set(_DIGIT_VALUE) | set(_UNIT_VALUE) | set(_BIG_VALUE))) + "元圆角分整正"


class MoneyParseError(ValueError):
    """Text that looks like an amount but does not read as one: args are (reason code, text...).

    Extraction turns it into a localised warning; the parser itself has no prose to show.
    """


def to_capitals(amount: Decimal, prefix: str = "人民币") -> str:
    """The amount in Chinese financial capitals, as official forms and cheques write it.

    Rules of the People's Bank of China's 支付结算办法: 拾 always has its 壹 (壹拾万), one
    零 stands for any run of zeros inside the number, 整 follows 元 when there are no jiao
    and fen, and a run of zeros before the fen reads 零 (壹元零伍分).

    >>> to_capitals(Decimal("178250000.00"))
    '人民币壹亿柒仟捌佰贰拾伍万元整'
    >>> to_capitals(Decimal("1234567.89"))
    '人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'
    """
    if not isinstance(amount, Decimal):
        raise TypeError("not_decimal", type(amount).__name__)
    if not amount.is_finite() or amount < 0:
        raise ValueError("negative", amount)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("not_exact_to_fen", amount)
    if amount >= _LIMIT:
        raise ValueError("too_large", amount)
    fen_total = int(amount * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    out = _integer_capitals(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return prefix + (out or "零元") + "整"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return prefix + out


def _integer_capitals(number: int) -> str:
    """壹亿零壹万 for 100010000: sections of four digits, 零 for each gap of zeros."""
    sections: list[int] = []
    while number:
        number, section = divmod(number, 10000)
        sections.append(section)
    out = ""
    pending_zero = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            if index == 2 and out:
                out += "亿"  # 壹仟万亿: the 亿 of a 万亿 amount is written even when its section is empty
            pending_zero = bool(out)
            continue
        if out and (pending_zero or section < 1000):
            out += "零"
        out += _section_capitals(section) + _SECTION_UNITS[index]
        pending_zero = False
    return out


def _section_capitals(section: int) -> str:
    digits = f"{section:04d}"
    out = ""
    zero = False
    started = False
    for position, char in enumerate(digits):
        value = int(char)
        if value == 0:
            zero = started
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[value] + _SMALL_UNITS[3 - position]
        started = True
    return out


def parse_capitals(text: str) -> Decimal:
    """Read an amount in Chinese capitals (人民币壹亿零伍万元整 -> Decimal('100050000.00')).

    Accepts a 人民币/RMB prefix, 圆 for 元, 整/正 at the end, everyday numerals (一二三, 十百千)
    and 拾 without its 壹 (拾万元). Raises MoneyParseError for text that is not one amount.
    """
    body = re.sub(r"\s+", "", text)
    body = re.sub(r"^(人民币|RMB|CNY)[:：]?", "", body)
    body = re.sub(r"[整正]$", "", body)
    if not body or any(c not in CAPITAL_CHARS for c in body):
        raise MoneyParseError("not_capitals", text)
    body = body.replace("圆", "元")
    if not any(c in _DIGIT_VALUE or c in _UNIT_VALUE for c in body):
        raise MoneyParseError("no_digit", text)
    yuan_part, _, small = body.partition("元") if "元" in body else ("", "", body)
    if "元" not in body and not re.search(r"[角分]", body):
        raise MoneyParseError("no_yuan_jiao_fen", text)
    yuan = _read_integer(yuan_part, text) if yuan_part else 0
    jiao = fen = 0
    match = re.fullmatch(r"零?(?:(.)角)?零?(?:(.)分)?", small)
    if match is None:
        raise MoneyParseError("bad_jiao_fen", text)
    if match.group(1):
        jiao = _digit(match.group(1), text)
    if match.group(2):
        fen = _digit(match.group(2), text)
    return (Decimal(yuan) + Decimal(jiao) / 10 + Decimal(fen) / 100).quantize(Decimal("0.01"))


def _digit(char: str, text: str) -> int:
    if char not in _DIGIT_VALUE:
        raise MoneyParseError("not_a_digit", char, text)
    return _DIGIT_VALUE[char]


def _read_integer(part: str, text: str) -> int:
    """壹亿柒仟捌佰贰拾伍万 -> 178250000: big units (万, 亿) close a section."""
    total = 0
    section = 0
    digit: int | None = None
    last_unit = 10**17
    for char in part:
        if char in _DIGIT_VALUE:
            if digit is not None and _DIGIT_VALUE[char] != 0:
                raise MoneyParseError("two_digits", text)
            digit = _DIGIT_VALUE[char] or None
        elif char in _UNIT_VALUE:
            unit = _UNIT_VALUE[char]
            if unit >= last_unit:
                raise MoneyParseError("unit_out_of_order", char, text)
            section += (digit if digit is not None else 1) * unit
            last_unit = unit
            digit = None
        elif char in _BIG_VALUE:
            section += digit or 0
            if _BIG_VALUE[char] == 10**8:
                if total >= 10**8 or total + section == 0:
                    raise MoneyParseError("yi_out_of_place", text)
                total = (total + section) * 10**8
            else:
                if section == 0 or total % 10**8 >= 10**4:
                    raise MoneyParseError("wan_out_of_place", text)
                total += section * 10**4
            section = 0
            digit = None
            last_unit = 10**17
        else:
            raise MoneyParseError("not_part_of_amount", char, text)
    return total + section + (digit or 0)


# -- figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MoneyMatch:
    """One amount found in a line: where (start, end in the line), what, and how it was written."""

    start: int
    end: int
    amount: Decimal
    currency: str | None  # None when the text names no currency
    notation: str  # "figures" or "capitals"
    text: str


@cache
def _money_data() -> dict[str, Any]:
    from toolkit.resources import DATA_DIR
    from toolkit.yamlio import load_yaml

    return load_yaml(DATA_DIR / "money.yaml", display="toolkit/data/money.yaml").data  # type: ignore[no-any-return]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str], dict[str, str], dict[str, Decimal]]:
    data = _money_data()
    prefixes = {w.lower(): code for code, spec in data["currencies"].items() for w in spec["prefix"]}
    suffixes = {w.lower(): code for code, spec in data["currencies"].items() for w in spec["suffix"]}
    units = {str(k).lower(): Decimal(str(v)) for k, v in data["units"].items()}
    number = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    word_units = [u for u in units if u.isascii()]
    cjk_units = [u for u in units if not u.isascii()]
    unit = rf"(?:\s*(?P<cunit>{_alternation(cjk_units)})|\s+(?P<wunit>{_alternation(word_units)})\b)?"
    figure = re.compile(
        rf"(?:(?P<pre>{_alternation(list(prefixes))})\s*[:：]?\s*)?(?<![A-Za-z0-9.,]){number}(?![\d,]*\d)(?!\s*[%％]){unit}"
        rf"(?:\s*(?P<suf>{_alternation(list(suffixes))}))?",
        re.IGNORECASE,
    )
    numeral = re.escape("".join(sorted(set(_DIGIT_VALUE) | set(_UNIT_VALUE) | set(_BIG_VALUE))))
    digit = re.escape("".join(sorted(_DIGIT_VALUE)))
    yuan = _alternation([*_CAPITAL_CURRENCY, "元", "圆"])
    small = rf"(?:零?[{digit}]角)?(?:零?[{digit}]分)?"
    capitals = re.compile(
        rf"(?:(?P<pre>人民币|RMB|CNY)\s*[:：]?\s*)?"
        rf"(?:(?P<int>[{numeral}]+)(?P<yuan>{yuan})(?P<small>{small})|(?P<only>[{digit}]角(?:零?[{digit}]分)?|[{digit}]分))"
        rf"(?P<zheng>[整正])?"
    )
    return figure, capitals, prefixes, suffixes, units


_CAPITAL_CURRENCY = {"美元": "USD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "港币": "HKD", "港元": "HKD"}


def currency_named_in(text: str) -> str | None:
    """The currency a label or heading names for figures that carry none (金额（美元）, Amount (USD))."""
    _, _, prefixes, suffixes, _ = _patterns()
    words = {**suffixes, **prefixes}
    pattern = re.compile(rf"(?<![A-Za-z])(?:{_alternation(list(words))})(?![A-Za-z])", re.IGNORECASE)
    m = pattern.search(text)
    return words[m.group(0).lower()] if m else None


def parse_figure(text: str) -> Decimal:
    """'178,250,000.00' -> Decimal('178250000.00'); thousands separators must be regular."""
    cleaned = text.strip()
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", cleaned):
        raise MoneyParseError("not_a_figure", text)
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise MoneyParseError("not_a_figure", text) from None


def find_money(line: str) -> list[MoneyMatch]:
    """Every amount in a line, figures and capitals, left to right.

    Figures count as money when a currency or a unit goes with them (USD 25,000,000,
    3,500万元, 1.2亿, 100,000.00元) or when they are written with two decimals (1,234.56):
    a bare integer like a year or a quantity is not an amount.
    """
    figure, capitals, prefixes, suffixes, units = _patterns()
    found: list[MoneyMatch] = []
    for m in figure.finditer(line):
        num = m.group("num")
        unit = m.group("cunit") or m.group("wunit")
        pre, suf = m.group("pre"), m.group("suf")
        if not (pre or suf or unit) and not re.search(r"\.\d\d$", num):
            continue
        if unit and unit.lower() == "m" and not pre:
            continue  # "5 m" is a length, not five million, unless a currency says otherwise
        amount = parse_figure(num)
        if unit:
            amount = amount * units[unit.lower()]
        currency = prefixes.get(pre.lower()) if pre else None
        if suf and currency is None:
            currency = suffixes.get(suf.lower())
        if currency is None and unit in ("万元", "亿元"):
            currency = "CNY"
        found.append(MoneyMatch(m.start(), m.end(), _cents(amount), currency, "figures", m.group(0)))
    for m in capitals.finditer(line):
        body = m.group("only") or f"{m.group('int')}元{m.group('small')}"
        try:
            amount = parse_capitals(body)
        except MoneyParseError:
            continue
        currency = _CAPITAL_CURRENCY.get(m.group("yuan") or "", "CNY")
        found.append(MoneyMatch(m.start(), m.end(), amount, currency, "capitals", m.group(0)))
    return sorted(found, key=lambda x: x.start)


def _cents(amount: Decimal) -> Decimal:
    """Amounts are reported to the cent (3000.0000万 is 30000000.00); a figure that goes
    below the cent keeps its digits rather than being rounded."""
    cents = amount.quantize(Decimal("0.01"))
    return cents if cents == amount else amount
