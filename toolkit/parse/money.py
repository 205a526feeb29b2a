"""Money as documents write it, read into exact `Decimal` (and written back in capitals).

Three notations occur in filings, often side by side on one line:

- figures: ``178,250,000.00``, ``¥1,234.56``, ``USD 25,000,000``, with the units 万/亿
  (``3,500万元``, ``1.2亿元``) or million/billion (``US$25m``); also in Chinese typography
  (``178，250，000．00``), European (``1.000.000,00``) or grouped by spaces
  (``CNY 178 250 000.00``); a reversal is negative (``-CNY 100``, ``CNY (100)``);
- Chinese capitals (大写): ``人民币壹亿柒仟捌佰贰拾伍万元整``, exact to the fen;
- a currency before or after the figure (人民币/RMB/CNY/¥, 美元/US$/USD, 欧元/€/EUR, 日元/JPY,
  S$, HK$...), the spellings, units and punctuation in toolkit/data/money.yaml.

A figure is read whole or not at all: one that could be read two ways, or whose currencies
contradict each other, gives no amount (`refused_figures` says which and why) rather than a
guess, and never a truncated part of itself.

No float is ever made: figures go from their digits to `Decimal` directly. `to_capitals` and
`parse_capitals` are inverse to each other on every amount exact to the fen (a property test
holds them to it), which is what lets a rendered form's capitals be read back by the
extractor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
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
    """One amount found in a line: where (start, end in the line), what, and how it was written.

    A reversal is a negative amount (-CNY 1,000.00, CNY (1,000.00)), so that it never passes
    as a payment.
    """

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
    """Longest first, so that S$ is tried before $ and 万元 before 万."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _chars(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in dict.fromkeys(chars)) + "]"


@dataclass(frozen=True)
class _Grammar:
    """money.yaml compiled: the patterns, and the tables that read what they match."""

    figure: re.Pattern[str]
    capitals: re.Pattern[str]
    prefixes: dict[str, str]  # spelling (lower case) -> ISO code
    suffixes: dict[str, str]
    shared: dict[str, tuple[str, ...]]  # symbol -> the codes it may stand for, default first
    units: dict[str, Decimal]
    unit_currency: dict[str, str]
    needs_currency: frozenset[str]
    grouped: re.Pattern[str]  # 178,250,000.00 / 178，250，000．00
    european: re.Pattern[str]  # 1.000.000,00
    plain: re.Pattern[str]  # 1234.56
    comma_decimal: re.Pattern[str]  # 1,2 (billion)
    spaced: re.Pattern[str]  # 178 250 000.00
    space_head: re.Pattern[str]  # a figure that may be the first group of a spaced one, and what follows it
    span: re.Pattern[str]  # a run of digits, separators and spaces: what an unreadable figure spoils
    cent_end: re.Pattern[str]  # ends with a decimal separator and two digits
    european_group: str
    restated_after: re.Pattern[str]  # English amount words a parenthesised figure restates


@cache
def _grammar() -> _Grammar:
    data = _money_data()
    prefixes = {w.lower(): code for code, spec in data["currencies"].items() for w in spec["prefix"]}
    suffixes = {w.lower(): code for code, spec in data["currencies"].items() for w in spec["suffix"]}
    shared = {w.lower(): tuple(codes) for w, codes in data["shared_symbols"].items()}
    units = {str(k).lower(): Decimal(str(v)) for k, v in data["units"].items()}
    fig = data["figures"]
    group, decimal, space = fig["group"], fig["decimal"], fig["space_group"]
    eu_group, eu_decimal = fig["european_group"], fig["european_decimal"]
    all_seps = [*group, *decimal, *eu_group, *eu_decimal]
    # Where a figure may not begin or end: inside a word or another number. The full-width
    # comma is a group separator between digits but also ends a Chinese clause
    # (…100.00，200.00), so a figure may stop or start at it.
    edge_seps = "".join(re.escape(c) for c in dict.fromkeys(all_seps) if c.isascii() or c in decimal)
    edge = "A-Za-z0-9" + edge_seps
    sp, sep = _chars(space), _chars(all_seps)
    dec_any = _chars([*decimal, *eu_decimal])
    # A run of digits and separators, taken whole (atomic: never a shorter prefix of it, which
    # would be a truncated amount) and read afterwards by the readers below.
    tight = (rf"(?>[0-9]+(?:{_chars([*group, *eu_decimal])}[0-9]+)*(?:{_chars([*decimal, *eu_group])}[0-9]+)*"
             rf"(?:{_chars(eu_decimal)}[0-9]+)*)")
    spaced = rf"(?>[0-9]{{1,3}}(?:{sp}[0-9]{{3}}(?![0-9]))+(?:{dec_any}[0-9]+)?)(?!{sp}[0-9])"
    minus = _chars(fig["minus"])
    opening, closing = (re.escape(c) for c in fig["accounting"])
    currency_before = _alternation([*prefixes, *shared])
    word_units = [u for u in units if u.isascii()]
    cjk_units = [u for u in units if not u.isascii()]
    figure = re.compile(
        rf"(?:(?<![{edge}])(?P<lead>{minus})(?=(?:{currency_before})))?"  # -CNY 100
        rf"(?:(?<![A-Za-z])(?P<pre>{currency_before})\s*[:：]?\s*)?"
        rf"(?(pre)(?P<sign>{minus})?|(?:(?<![{edge}])(?P<bare_sign>{minus}))?)"  # CNY -100, -100
        rf"(?:(?P<open>{opening})\s*)?"  # CNY (100)
        rf"(?(pre)|(?<![{edge}]))"  # USD25: a currency code may touch its figure
        rf"(?P<num>(?P<spaced>{spaced})|{tight})(?![{edge_seps}]?[0-9])"
        rf"(?(open)\s*{closing})"
        rf"(?!\s*[%％])"
        rf"(?:\s*(?P<cunit>{_alternation(cjk_units)})|\s*(?P<wunit>{_alternation(word_units)})\b)?"
        rf"(?:\s*(?P<suf>{_alternation(list(suffixes))})(?![A-Za-z]))?",
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
    eg = _chars(eu_group)
    return _Grammar(
        figure=figure, capitals=capitals, prefixes=prefixes, suffixes=suffixes, shared=shared, units=units,
        unit_currency={str(k).lower(): v for k, v in data["unit_currency"].items()},
        needs_currency=frozenset(str(u).lower() for u in data["units_needing_currency"]),
        grouped=re.compile(rf"[0-9]{{1,3}}(?P<g>{_chars(group)})[0-9]{{3}}(?:(?P=g)[0-9]{{3}})*(?:{_chars(decimal)}(?P<frac>[0-9]+))?"),
        european=re.compile(rf"[1-9][0-9]{{0,2}}(?:{eg}[0-9]{{3}})+(?:{_chars(eu_decimal)}(?P<frac>[0-9]+))?"),
        plain=re.compile(rf"[0-9]+(?:{_chars(decimal)}(?P<frac>[0-9]+))?"),
        comma_decimal=re.compile(rf"[0-9]+{_chars(eu_decimal)}(?P<frac>[0-9]{{1,2}})"),
        spaced=re.compile(rf"[0-9]{{1,3}}(?:{sp}[0-9]{{3}})+(?:{dec_any}(?P<frac>[0-9]+))?"),
        space_head=re.compile(rf"(?:[0-9]{{1,3}}|[0-9]{{1,3}}(?:{_chars(group)}[0-9]{{3}})+){sp}[0-9]{{3}}"),
        span=re.compile(rf"(?:[0-9]|{sep}(?=[0-9])|{sp}(?=[0-9]))*"),
        cent_end=re.compile(rf"{dec_any}[0-9]{{2}}$"),
        european_group="".join(eu_group),
        restated_after=re.compile(rf"(?<![A-Za-z])(?:{_alternation(fig['restated_after'])})\s*$", re.IGNORECASE),
    )


_CAPITAL_CURRENCY = {"美元": "USD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "港币": "HKD", "港元": "HKD"}

# Full-width digits, letters and currency signs read as their ASCII (or half-width) selves:
# what NFKC does to them in extracted text, done here too for text that was not normalised.
# One character for one, so that positions in the folded line are positions in the line.
# Punctuation is left as printed: ，．（）are Chinese typography, read by the grammar as such.
_FOLD = str.maketrans({
    chr(c): folded for c in range(0xFF01, 0xFFEF)
    if len(folded := unicodedata.normalize("NFKC", chr(c))) == 1
    and (folded.isascii() and folded.isalnum() or unicodedata.category(folded) == "Sc")
})


def scales() -> dict[str, Decimal]:
    """The magnitudes a label or heading puts on its figures (万 -> 10000), longest word first."""
    found = {str(k): Decimal(str(v)) for k, v in _money_data()["scales"].items()}
    return dict(sorted(found.items(), key=lambda kv: -len(kv[0])))


def currency_named_in(text: str) -> str | None:
    """The currency a label or heading names for figures that carry none (金额（美元）, Amount (USD)).

    A shared symbol counts as its default currency here (金额（¥）is in yuan).
    """
    g = _grammar()
    words = {**g.suffixes, **g.prefixes, **{w: codes[0] for w, codes in g.shared.items()}}
    pattern = re.compile(rf"(?<![A-Za-z])(?:{_alternation(list(words))})(?![A-Za-z])", re.IGNORECASE)
    m = pattern.search(text.translate(_FOLD))
    return words[m.group(0).lower()] if m else None


def parse_figure(text: str) -> Decimal:
    """'178,250,000.00' -> Decimal('178250000.00'); also 178，250，000．00 and 1.000.000,00.

    Thousands separators must be regular; a figure that reads two ways (1.000) is refused
    like one that reads none: a wrong amount is worse than none.
    """
    cleaned = text.strip().translate(_FOLD)
    read = _read_number(cleaned, spaced=bool(_grammar().spaced.fullmatch(cleaned)), cjk_unit=False)
    if read is None:
        raise MoneyParseError("not_a_figure", text)
    return read[0]


def _read_number(run: str, spaced: bool, cjk_unit: bool) -> tuple[Decimal, bool] | None:
    """The value of a run of digits and separators, and whether it is written to the cent;
    None when the run is not one number or could be two different ones.

    Readers in order: grouped (178,250,000.00), European (1.000.000,00, 1.000,5), plain
    (1234.56), comma decimal (1,2: a group is three digits, so one or two after a comma are
    decimals). "1.000" alone is a thousand in Europe and one elsewhere: None, except before
    万/亿, a Chinese unit that only goes with the Chinese decimal point (1.250亿元).
    """
    g = _grammar()
    if spaced:
        m = g.spaced.fullmatch(run)
        kind = "spaced"
    else:
        m, kind = None, ""
        for kind, pattern in (("grouped", g.grouped), ("european", g.european), ("plain", g.plain),
                              ("comma", g.comma_decimal)):
            m = pattern.fullmatch(run)
            if m is None:
                continue
            if kind == "european" and m.group("frac") is None and sum(map(run.count, g.european_group)) < 2:
                if not cjk_unit:
                    return None  # 1.000: one, or a thousand
                continue  # 1.250亿元 reads as the plain decimal it is
            break
    if m is None:
        return None
    frac = m.group("frac")
    whole = run[: m.start("frac") - 1] if frac is not None else run
    digits = "".join(c for c in whole if "0" <= c <= "9")
    amount = Decimal(digits + ("." + frac if frac is not None else ""))
    return amount, kind != "comma" and frac is not None and len(frac) == 2


def _resolve_currency(pre: str | None, suf: str | None, unit: str | None) -> tuple[str | None, bool]:
    """(currency, consistent): the codes written before and after the figure and by its unit.

    Two different explicit codes contradict each other (CNY 100 USD): not consistent, no value.
    A shared symbol (¥, $) gives way to an explicit code it may stand for (¥2,000,000,000 JPY),
    and contradicts one it may not (¥100 USD).
    """
    g = _grammar()
    choices = g.shared.get(pre.lower()) if pre else None
    explicit = {code for code in (
        g.prefixes.get(pre.lower()) if pre and choices is None else None,
        g.suffixes.get(suf.lower()) if suf else None,
        g.unit_currency.get(unit.lower()) if unit else None,
    ) if code}
    if len(explicit) > 1:
        return None, False
    named = next(iter(explicit), None)
    if choices is None:
        return named, True
    if named is None:
        return choices[0], True
    return (named, True) if named in choices else (None, False)


def find_money(line: str) -> list[MoneyMatch]:
    """Every amount in a line, figures and capitals, left to right.

    Figures count as money when a currency or a unit goes with them (USD 25,000,000,
    3,500万元, 1.2亿, 100,000.00元) or when they are written with two decimals (1,234.56):
    a bare integer like a year or a quantity is not an amount.

    Never a guess: a figure that reads two ways (1.000, 12 345.00 with no currency, which may
    be two table columns), whose currencies contradict each other (CNY 100 USD), or that
    follows a currency sign not in money.yaml (R$ 100) yields nothing, and the caller asks a
    reviewer; nor is any part of it read as a smaller amount. `refused_figures` says where.
    """
    return _scan(line)[0]


@dataclass(frozen=True)
class RefusedFigure:
    """A figure `find_money` saw and would not read (start, end in the line, why, the text).

    A caller that would otherwise read the line's numbers some other way (a statement's
    货币单位 note) must not: those digits are the amount nobody can tell.
    """

    start: int
    end: int
    reason: str  # a Refusal value
    text: str


class Refusal(Enum):
    """Why a figure that looks like money gives no amount."""

    TWO_READINGS = "two_readings"  # 1.000 (one, or a thousand); 1 000 0000
    NOT_A_NUMBER = "not_a_number"  # 1.2.3, 1,2345: no reading at all
    SPACED_NO_CURRENCY = "spaced_no_currency"  # 12 345.00: one amount, or a count and an amount
    CURRENCIES_DISAGREE = "currencies_disagree"  # CNY 100 USD, ¥100 USD
    UNKNOWN_CURRENCY = "unknown_currency"  # R$ 100: a sign money.yaml does not know
    TWO_SIGNS = "two_signs"  # -(100)


def refused_figures(line: str) -> list[RefusedFigure]:
    """The figures in a line that `find_money` refused to read, and why (see Refusal)."""
    return _scan(line)[1]


class _Pass(Enum):
    """A figure match that is no amount, and is not refused either."""

    NOT_MONEY = "not_money"  # a year, a count, 5 m: skipped, and what follows it is read on
    NOT_MONEY_RUN = "not_money_run"  # 3 2025 1 000: digits and spaces with nothing of money, skipped whole


def _scan(line: str) -> tuple[list[MoneyMatch], list[RefusedFigure]]:
    g = _grammar()
    folded = line.translate(_FOLD)
    found: list[MoneyMatch] = []
    refused: list[RefusedFigure] = []
    for m in g.capitals.finditer(folded):
        body = m.group("only") or f"{m.group('int')}元{m.group('small')}"
        try:
            amount = parse_capitals(body)
        except MoneyParseError:
            continue
        currency = _CAPITAL_CURRENCY.get(m.group("yuan") or "", "CNY")
        found.append(MoneyMatch(m.start(), m.end(), amount, currency, "capitals", line[m.start():m.end()]))
    capitals_ends = {c.end for c in found}
    pos = 0
    while (m := g.figure.search(folded, pos)) is not None:
        pos = m.end()
        read = _read_figure(m, folded, capitals_ends)
        if isinstance(read, Refusal) or read is _Pass.NOT_MONEY_RUN:
            spoilt = g.span.match(folded, m.start("num"))
            end = max(pos, spoilt.end() if spoilt else pos)
            if isinstance(read, Refusal):
                refused.append(RefusedFigure(m.start(), end, read.value, line[m.start():end]))
            pos = end  # none of its digits is read as an amount of its own
            continue
        if isinstance(read, _Pass):
            continue
        amount, currency, end = read
        if end < m.end():
            pos = end  # the code after the figure is the next figure's (USD 1,000.00 EUR 900.00)
        found.append(MoneyMatch(m.start(), end, _cents(amount), currency, "figures", line[m.start():end]))
    return sorted(found, key=lambda x: x.start), refused


def _read_figure(m: re.Match[str], folded: str,
                 capitals_ends: set[int]) -> tuple[Decimal, str | None, int] | Refusal | _Pass:
    """(amount, currency, end) of one figure match; why it is refused; or that it is no amount."""
    g = _grammar()
    num, pre, suf = m.group("num"), m.group("pre"), m.group("suf")
    unit = m.group("cunit") or m.group("wunit")
    end = m.end()
    if pre and suf and (after := g.figure.match(folded, m.start("suf"))) and after.group("pre"):
        # "USD 1,000.00 EUR 900.00": EUR begins the next figure, it does not end this one
        end = m.start("suf")
        while folded[end - 1].isspace():
            end -= 1
        suf = None
    if pre is None and m.group("lead") is None:
        before = folded[: m.start()].rstrip()
        if before and unicodedata.category(before[-1]) == "Sc":
            return Refusal.UNKNOWN_CURRENCY  # R$ 100, ₩100: a currency the data does not know is no currency to guess
    if m.group("spaced") is None and g.space_head.match(folded, m.start("num")):
        # CNY 1 000 0000, 5 1000.00: the first group of a spaced figure that does not read
        # whole, or a count before an amount; refused when it looks like money at all
        spoilt = folded[m.start("num"):g.span.match(folded, m.start("num")).end()]
        if pre or suf or unit or g.cent_end.search(spoilt):
            return Refusal.TWO_READINGS
        return _Pass.NOT_MONEY_RUN
    currency, consistent = _resolve_currency(pre, suf, unit)
    if not consistent:
        return Refusal.CURRENCIES_DISAGREE
    read = _read_number(num, spaced=m.group("spaced") is not None, cjk_unit=m.group("cunit") is not None)
    if read is None:
        if g.european.fullmatch(num):
            return Refusal.TWO_READINGS
        if not (pre or suf or unit):
            return _Pass.NOT_MONEY  # 2025.04.18: a date, or some other dotted number
        return Refusal.NOT_A_NUMBER
    amount, to_the_cent = read
    if m.group("spaced") is not None and currency is None:
        # 12 345.00 with no currency: one amount, or a count and an amount (12 345 is neither)
        return Refusal.SPACED_NO_CURRENCY if to_the_cent or unit else _Pass.NOT_MONEY
    if not (pre or suf or unit) and not to_the_cent:
        return _Pass.NOT_MONEY
    if unit and unit.lower() in g.needs_currency and currency is None:
        return _Pass.NOT_MONEY  # "5 m" is a length, not five million, unless a currency says otherwise
    if unit:
        amount = amount * g.units[unit.lower()]
    negative = bool(m.group("lead") or m.group("sign") or m.group("bare_sign"))
    if m.group("open"):
        before = folded[: m.start("open")].rstrip()
        # After an amount in words the figure restates it: 壹佰元整(100.00), and in English
        # contracts "One Million US Dollars (1,000,000.00)"; elsewhere (100.00) is a reversal.
        restates = pre is None and (len(before) in capitals_ends or bool(g.restated_after.search(before)))
        if negative:
            return Refusal.TWO_SIGNS  # -(100): a sign twice
        negative = not restates
    return (-amount if negative else amount), currency, end


def _cents(amount: Decimal) -> Decimal:
    """Amounts are reported to the cent (3000.0000万 is 30000000.00); a figure that goes
    below the cent keeps its digits rather than being rounded."""
    cents = amount.quantize(Decimal("0.01"))
    return cents if cents == amount else amount
