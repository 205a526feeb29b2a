"""The parsers of money, dates and identifiers: exact values, and round trips (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.parse.dates import find_dates, parse_date
from toolkit.parse.identifiers import find_approvals, find_percents, find_usccs
from toolkit.parse.money import MoneyParseError, find_money, parse_capitals, to_capitals

fen_amounts = st.integers(min_value=0, max_value=10**18 - 1).map(lambda n: Decimal(n).scaleb(-2))


@pytest.mark.parametrize(("amount", "capitals"), [
    ("178250000.00", "人民币壹亿柒仟捌佰贰拾伍万元整"),
    ("1234567.89", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
    ("1800000.00", "人民币壹佰捌拾万元整"),
    ("100000001.00", "人民币壹亿零壹元整"),
    ("100010000.00", "人民币壹亿零壹万元整"),
    ("100000.00", "人民币壹拾万元整"),
    ("20304.00", "人民币贰万零叁佰零肆元整"),
    ("1.05", "人民币壹元零伍分"),
    ("0.50", "人民币伍角"),
    ("0.00", "人民币零元整"),
    ("1000000000000000.00", "人民币壹仟万亿元整"),
])
def test_capitals_are_written_as_official_forms_write_them(amount, capitals):
    assert to_capitals(Decimal(amount)) == capitals
    assert parse_capitals(capitals) == Decimal(amount)


@given(fen_amounts)
def test_capitals_round_trip_exact_to_the_fen(amount):
    assert parse_capitals(to_capitals(amount)) == amount


@pytest.mark.parametrize("bad", [Decimal("1.005"), Decimal("-1"), Decimal("1e16"), Decimal("NaN")])
def test_capitals_refuse_what_they_cannot_write(bad):
    with pytest.raises(ValueError):
        to_capitals(bad)


def test_capitals_refuse_a_float():
    with pytest.raises(TypeError):
        to_capitals(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["壹亿亿元", "人民币元整", "壹贰元", "万元", "壹元伍", "hello"])
def test_text_that_is_not_an_amount_in_capitals_is_refused(text):
    with pytest.raises(MoneyParseError):
        parse_capitals(text)


def test_everyday_numerals_read_too():
    assert parse_capitals("拾万元整") == Decimal("100000.00")
    assert parse_capitals("人民币：叁仟伍佰万圆正") == Decimal("35000000.00")


def money(line):
    return [(str(m.amount), m.currency, m.notation) for m in find_money(line)]


def test_words_and_figures_on_one_line_are_both_read():
    assert money("人民币壹亿柒仟捌佰贰拾伍万元整（小写：¥178,250,000.00）") == [
        ("178250000.00", "CNY", "capitals"), ("178250000.00", "CNY", "figures")]
    assert money("首付款 USD 25,000,000.00（贰仟伍佰万美元整）") == [
        ("25000000.00", "USD", "figures"), ("25000000.00", "USD", "capitals")]


@pytest.mark.parametrize(("line", "expected"), [
    ("合同总价：3,500万元", [("35000000.00", "CNY", "figures")]),
    ("融资额 1.2亿元", [("120000000.00", "CNY", "figures")]),
    ("US$ 25 million upfront", [("25000000.00", "USD", "figures")]),
    ("€1,250,000.00 paid", [("1250000.00", "EUR", "figures")]),
    ("JPY 300,000,000", [("300000000.00", "JPY", "figures")]),
    ("金额 1,000.00元", [("1000.00", "CNY", "figures")]),
    ("5,000,000.00 美元", [("5000000.00", "USD", "figures")]),
    ("Total 1,234.56", [("1234.56", None, "figures")]),
    ("In 2025 we shipped 12 units", []),
    ("日期 2025-04-18", []),
])
def test_figures_with_currencies_and_units(line, expected):
    assert money(line) == expected


@given(fen_amounts, st.sampled_from([("¥", "", "CNY"), ("USD ", "", "USD"), ("", "元", "CNY"), ("€", "", "EUR"),
                                     ("", " 美元", "USD"), ("RMB ", "", "CNY")]))
def test_figures_round_trip(amount, currency):
    pre, suf, code = currency
    line = f"金额：{pre}{amount:,.2f}{suf}。"
    assert money(line) == [(f"{amount:.2f}", code, "figures")]


@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["万元", "万", "亿元"]))
def test_unit_amounts_round_trip(n, unit):
    value = Decimal(n).scaleb(-2)
    factor = Decimal(10000) if unit.startswith("万") else Decimal(100000000)
    found = find_money(f"投资 {value:,}{unit}")
    assert len(found) == 1 and found[0].amount == value * factor


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
CN = "〇一二三四五六七八九"


def cn_small(n: int) -> str:
    return CN[n] if n < 10 else ("" if n < 20 else CN[n // 10]) + "十" + (CN[n % 10] if n % 10 else "")


FORMS = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTH_NAMES[d.month - 1][:3]}. {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
    lambda d: f"{d.day:02d}-{MONTH_NAMES[d.month - 1][:3]}-{d.year}",
    lambda d: "".join(CN[int(c)] for c in str(d.year)) + f"年{cn_small(d.month)}月{cn_small(d.day)}日",
    lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]}, {d.year}",  # 1 May, 2025
    lambda d: "".join(CN[int(c)] for c in str(d.year)).replace("〇", "O") + f"年{cn_small(d.month)}月{cn_small(d.day)}日",  # 二O二五: a letter O for zero
]


@given(dates, st.sampled_from(range(len(FORMS))))
def test_dates_round_trip_in_every_form(date, form):
    text = FORMS[form](date)
    assert parse_date(f"签署日期：{text}。") == date, text


@pytest.mark.parametrize("text", ["2025-02-30", "04/05/2025", "2025-13-01", "Version 1.2.3", "20250418"])
def test_impossible_or_ambiguous_dates_are_not_read(text):
    assert find_dates(text) == []


def test_usccs_carry_whether_their_check_character_holds():
    found = find_usccs("统一社会信用代码：91310115MA1H8R2X46；对方 91310115MA1H8R2X47")
    assert [(c.value, c.valid) for c in found] == [("91310115MA1H8R2X46", True), ("91310115MA1H8R2X47", False)]


@pytest.mark.parametrize(("line", "number", "scheme"), [
    ("BLA 761412 approved", "BLA 761412", "fda_bla"),
    ("NDA 215678", "NDA 215678", "fda_nda"),
    ("ANDA 212345", "ANDA 212345", "fda_anda"),
    ("Reference: IND 171234", "IND 171234", "fda_ind"),
    ("EU/1/24/1789/001 Marketing Authorisation", "EU/1/24/1789/001", "eu_centralised"),
    ("受理号：CXSL2400987", "CXSL2400987", "nmpa_acceptance"),
    ("注册证编号：国械注准20253010456", "国械注准20253010456", "nmpa_device_domestic"),
    ("国械注进20233160123", "国械注进20233160123", "nmpa_device_import"),
    ("承認番号 30600AMX00123000", "30600AMX00123000", "pmda"),
    ("Certificate No.: ARTG 412387", "ARTG 412387", "tga_artg"),
    ("TÜV SÜD Product Service GmbH, Notified Body No. 0123", "Notified Body No. 0123", "ce_notified_body"),
    ("CE 2797", "CE 2797", "ce_notified_body"),
])
def test_approval_numbers_are_recognised_by_scheme(line, number, scheme):
    found = find_approvals(line)
    assert [(c.value, c.scheme) for c in found] == [(number, scheme)]


def test_percents():
    assert [p[2] for p in find_percents("持股比例 35.5% 及 12％")] == [Decimal("35.5"), Decimal("12")]
