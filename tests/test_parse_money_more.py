"""Figures as filings really print them: full-width, signed, shared symbols, European and
spaced grouping, attached units and codes; and what must give no value rather than a guess.

Each case is a defect a reviewer reproduced (toolkit/parse/money.py, toolkit/data/money.yaml).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.extract.fields import find_fields
from toolkit.model.common import Money
from toolkit.parse.money import (
    MoneyParseError,
    currency_named_in,
    find_money,
    parse_figure,
    refused_figures,
)
from toolkit.read.model import Line, Page

fen_amounts = st.integers(min_value=0, max_value=10**16 - 1).map(lambda n: Decimal(n).scaleb(-2))
positive_fen_amounts = st.integers(min_value=1, max_value=10**16 - 1).map(lambda n: Decimal(n).scaleb(-2))

FULL_WIDTH = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ",": "，", ".": "．"})


def money(line: str) -> list[tuple[str, str | None]]:
    return [(str(m.amount), m.currency) for m in find_money(line) if m.notation == "figures"]


@pytest.mark.parametrize(("line", "expected"), [
    # 1. full-width separators (raw text, and text as the reader normalises it)
    ("人民币１７８，２５０，０００．００元", [("178250000.00", "CNY")]),
    ("￥１７８，２５０，０００．００", [("178250000.00", "CNY")]),
    ("人民币178，250，000．00元", [("178250000.00", "CNY")]),
    ("¥178，250，000．00", [("178250000.00", "CNY")]),
    # 2. signs: a reversal is negative
    ("-CNY 178,250,000.00", [("-178250000.00", "CNY")]),
    ("CNY -178,250,000.00", [("-178250000.00", "CNY")]),
    ("-¥200,000.00", [("-200000.00", "CNY")]),
    ("CNY (178,250,000.00)", [("-178250000.00", "CNY")]),
    ("利润总额 (1,234.56)", [("-1234.56", None)]),
    ("One Million US Dollars (1,000,000.00)", [("1000000.00", None)]),  # restates the words: no sign
    ("－200.00元", [("-200.00", "CNY")]),
    ("余额：−1,000.00元", [("-1000.00", "CNY")]),
    # 3. ¥ is yuan and yen: a code after the figure decides
    ("¥2,000,000,000 JPY", [("2000000000.00", "JPY")]),
    ("¥2,000,000,000 日元", [("2000000000.00", "JPY")]),
    ("$100 HKD", [("100.00", "HKD")]),
    ("¥100万元", [("1000000.00", "CNY")]),
    # 4. dollar prefixes that are not the US dollar
    ("S$ 25,000,000.00", [("25000000.00", "SGD")]),
    ("HK$ 1,000.00", [("1000.00", "HKD")]),
    ("A$ 5,000.00", [("5000.00", "AUD")]),
    ("C$5,000.00", [("5000.00", "CAD")]),
    ("NT$ 300,000.00", [("300000.00", "TWD")]),
    ("US$ 25,000,000.00", [("25000000.00", "USD")]),
    ("$ 25,000,000.00", [("25000000.00", "USD")]),
    # 5. a unit attached to the figure
    ("US$25m", [("25000000.00", "USD")]),
    ("US$25mn upfront", [("25000000.00", "USD")]),
    ("USD 1.2bn", [("1200000000.00", "USD")]),
    ("€3million", [("3000000.00", "EUR")]),
    ("25m USD", [("25000000.00", "USD")]),
    ("3,500万美元", [("35000000.00", "USD")]),
    # 6. digits grouped by spaces, with a currency: read whole
    ("CNY 178 250 000.00", [("178250000.00", "CNY")]),
    ("1 000 000 EUR", [("1000000.00", "EUR")]),
    ("EUR 1\u00a0000\u00a0000,00", [("1000000.00", "EUR")]),
    # 7. European notation when it reads one way only
    ("EUR 1.000.000,00", [("1000000.00", "EUR")]),
    ("1.000.000,00 EUR", [("1000000.00", "EUR")]),
    ("EUR 1,2 billion", [("1200000000.00", "EUR")]),
    ("EUR 1.000,50", [("1000.50", "EUR")]),
    ("EUR 1.000.000", [("1000000.00", "EUR")]),
    ("融资额 1.250亿元", [("125000000.00", "CNY")]),  # 万/亿 take the Chinese decimal point
    # 8. a code touching its figure
    ("USD25,000,000.00", [("25000000.00", "USD")]),
    ("RMB178,250,000.00", [("178250000.00", "CNY")]),
    ("CNY1,000.00", [("1000.00", "CNY")]),
])
def test_reviewer_probes_read_exactly(line, expected):
    assert money(line) == expected
    assert refused_figures(line) == []


@pytest.mark.parametrize(("line", "reason"), [
    ("CNY 100 USD", "currencies_disagree"),
    ("¥100 USD", "currencies_disagree"),
    ("USD 100万元", "currencies_disagree"),
    ("EUR 1.000", "two_readings"),
    ("1.000 EUR", "two_readings"),
    ("USD 12.500 million", "two_readings"),
    ("CNY 1 000 0000", "two_readings"),
    ("5 1000.00", "two_readings"),
    ("12 345.00", "spaced_no_currency"),
    ("Z$ 25,000,000.00", "unknown_currency"),
    ("R$ 100.00", "unknown_currency"),
    ("CNY 1.2.3", "not_a_number"),
    ("CNY 1,2345", "not_a_number"),
    ("-(100.00)", "two_signs"),
])
def test_what_reads_two_ways_gives_no_value_and_says_why(line, reason):
    assert find_money(line) == []
    assert [r.reason for r in refused_figures(line)] == [reason]


@pytest.mark.parametrize(("line", "expected"), [
    ("1,000.00 2,000.00", [("1000.00", None), ("2000.00", None)]),  # two columns, each with cents
    ("100.00，200.00", [("100.00", None), ("200.00", None)]),  # the full-width comma ending a clause
    ("100.00-200.00", [("100.00", None), ("200.00", None)]),  # a range, not a negative
    ("编号A-1,234.56", [("1234.56", None)]),  # a hyphen after a letter is no sign
    ("- ¥200,000.00 on signing", [("200000.00", "CNY")]),  # a list dash is no sign
    ("2024 500.00", [("500.00", None)]),  # a year cannot head a spaced figure
    ("5 1,200.00", [("1200.00", None)]),
    ("USD 1,000.00 EUR 900.00", [("1000.00", "USD"), ("900.00", "EUR")]),  # EUR is the next figure's
    ("1,000.00 EUR 2,000.00 EUR", [("1000.00", "EUR"), ("2000.00", "EUR")]),
    ("人民币178,250,000.00元（17,825万元）", [("178250000.00", "CNY"), ("178250000.00", "CNY")]),
    ("人民币壹佰万元整（1,000,000.00）", [("1000000.00", None)]),  # full-width（）restate
    ("人民币壹佰万元整(1,000,000.00)", [("1000000.00", None)]),  # so do () right after the words
    ("In 12 345 cases", []),
    ("日期 2025.04.18", []),
    ("5 m", []),
    ("25m", []),
    ("100 europe", []),
])
def test_what_is_not_an_amount_or_reads_one_way_is_unchanged(line, expected):
    assert money(line) == expected


@pytest.mark.parametrize("line", ["CNY 178 250 000 0.00", "CNY 1 000 0000 USD", "金额 12 345.00", "EUR 1.000 paid",
                                  "合计 1 000 000 0000.00 元"])
def test_refused_digits_are_never_read_in_part(line):
    """Not 178, 1, 345.00 or 0.00: the whole run of digits is refused, and nothing of it read."""
    assert find_money(line) == []
    assert len(refused_figures(line)) == 1


def test_labels_name_the_new_currencies():
    assert currency_named_in("Amount (S$)") == "SGD"
    assert currency_named_in("金额（¥）") == "CNY"
    assert currency_named_in("Amount (US$)") == "USD"


def test_parse_figure_reads_the_same_notations_and_refuses_what_reads_two_ways():
    assert parse_figure("178，250，000．00") == Decimal("178250000.00")
    assert parse_figure("1.000.000,00") == Decimal("1000000.00")
    assert parse_figure("178 250 000.00") == Decimal("178250000.00")
    for bad in ("1.000", "1,2345", "1.2.3"):
        with pytest.raises(MoneyParseError):
            parse_figure(bad)


# -- round trips -------------------------------------------------------------------------------

@given(fen_amounts, st.sampled_from([("人民币", "元", "CNY"), ("￥", "", "CNY"), ("RMB", "", "CNY"),
                                     ("", "元", "CNY"), ("ＵＳＤ ", "", "USD"), ("", "美元", "USD")]),
       st.booleans())
def test_full_width_figures_round_trip(amount, currency, raw_digits):
    """Chinese typography (，．) with full-width digits as printed, or ASCII ones as normalised."""
    pre, suf, code = currency
    figure = f"{amount:,.2f}".translate(FULL_WIDTH)
    if not raw_digits:
        figure = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in figure)
    line = f"金额：{pre}{figure}{suf}。"
    found = find_money(line)
    assert [(m.amount, m.currency) for m in found] == [(amount, code)]
    assert line[found[0].start:found[0].end] == f"{pre}{figure}{suf}"


@given(positive_fen_amounts, st.sampled_from([
    "-CNY {f}", "CNY -{f}", "CNY ({f})", "-¥{f}", "¥-{f}", "－{f}元", "({f})", "USD −{f}", "-US${f}", "EUR ({f})",
]))
def test_signed_figures_round_trip_negative(amount, form):
    line = "冲回 " + form.format(f=f"{amount:,.2f}") + " 。"
    found = find_money(line)
    assert len(found) == 1
    assert found[0].amount == -amount


@given(fen_amounts)
def test_european_figures_round_trip(amount):
    """1.234.567,89: dots group, the comma is the decimal point."""
    figure = f"{amount:,.2f}".translate(str.maketrans({",": ".", ".": ","}))
    assert money(f"Betrag EUR {figure}") == [(f"{amount:.2f}", "EUR")]
    assert money(f"{figure} EUR") == [(f"{amount:.2f}", "EUR")]


@given(fen_amounts, st.sampled_from(["CNY ", "USD ", "€"]))
def test_spaced_figures_with_a_currency_round_trip(amount, pre):
    figure = f"{amount:,.2f}".replace(",", " ")
    found = find_money(f"Total {pre}{figure} paid")
    assert [m.amount for m in found] == [amount]


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=0, max_value=2),
       st.sampled_from([("m", 10**6), ("mn", 10**6), ("million", 10**6), ("bn", 10**9), ("billion", 10**9)]),
       st.sampled_from(["", " "]))
def test_attached_units_scale(n, places, unit, gap):
    value = Decimal(n).scaleb(-places)
    word, factor = unit
    found = find_money(f"upfront US${value}{gap}{word} on signing")
    assert [(m.amount, m.currency) for m in found] == [(value * factor, "USD")]


# -- through the extractor ----------------------------------------------------------------------

def page(*texts: str) -> Page:
    lines = []
    for i, text in enumerate(texts):
        top = 60.0 + 16 * i
        boxes = tuple((72.0 + 6 * j, top, 78.0 + 6 * j, top + 10) for j in range(len(text)))
        lines.append(Line(text=text, bbox=(72.0, top, 72.0 + 6 * max(1, len(text)), top + 10), boxes=boxes, raw=text,
                          confidence=1.0))
    return Page(number=1, width=595.0, height=842.0, source="text", lines=lines)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [
    ("-CNY 178,250,000.00", Money(amount=Decimal("-178250000.00"), currency="CNY")),
    ("¥2,000,000,000 JPY", Money(amount=Decimal("2000000000.00"), currency="JPY")),
    ("S$ 25,000,000.00", Money(amount=Decimal("25000000.00"), currency="SGD")),
    ("人民币178，250，000．00元", Money(amount=Decimal("178250000.00"), currency="CNY")),
    ("EUR 1.000.000,00", Money(amount=Decimal("1000000.00"), currency="EUR")),
    ("CNY 100 USD", None),
    ("EUR 1.000", None),
])
def test_a_receipts_amount_reads_through_the_extractor(value, expected):
    fields = find_fields("payment_receipt", [page(f"汇款金额 {value}", "起息日 2025-04-18")]).fields
    amounts = [f.value for f in fields if f.name == "amount"]
    assert amounts == ([expected] if expected else [])
