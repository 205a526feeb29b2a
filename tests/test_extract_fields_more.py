"""Field finding on layouts a reviewer found misread: one test per defect, on synthetic lines.

As in test_extract_fields.py, pages are built from plain lines (no PDF), so each test shows the
exact text a rule reads; one test draws a real two-page PDF, where the share column is found
by where its cells stand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import EXAMPLES

from toolkit.extract.fields import find_fields
from toolkit.model.common import Money
from toolkit.model.extraction import Party, Shareholder
from toolkit.read.model import Line, Page


def page(*texts: str, number: int = 1) -> Page:
    """A text-layer page, one line per text, each character 6 pt wide (columns align by character)."""
    lines = []
    for i, text in enumerate(texts):
        top = 60.0 + 16 * i
        boxes = tuple((72.0 + 6 * j, top, 78.0 + 6 * j, top + 10) for j in range(len(text)))
        lines.append(Line(text=text, bbox=(72.0, top, 72.0 + 6 * max(1, len(text)), top + 10), boxes=boxes, raw=text))
    return Page(number=number, width=595.0, height=842.0, source="text", lines=lines)


def values(kind: str, *pages: Page) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in find_fields(kind, list(pages)).fields:
        out.setdefault(f.name, []).append(f.value)
    return out


def cny(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="CNY")


# -- 1. a unit in the label ---------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("入账金额（万元）：17,825.00", cny("178250000.00")),
    ("入账金额（元）：178,250,000", cny("178250000.00")),  # the label says yuan: no decimals needed
    ("入账金额（人民币万元）：17,825.00", cny("178250000.00")),
    ("入账金额（亿元）：1.7825", cny("178250000.00")),
    ("入账金额（万美元）：2,500", Money(amount=Decimal("25000000.00"), currency="USD")),
    ("入账金额（万元）：3,500万元", cny("35000000.00")),  # a figure with its own 万 is not scaled twice
    ("入账金额（大写）：人民币壹亿柒仟捌佰贰拾伍万元整", cny("178250000.00")),  # 大写 is no unit
])
def test_a_unit_in_the_label_scales_the_figures_it_introduces(line, expected):
    result = find_fields("payment_receipt", [page(line)])
    assert [f.value for f in result.fields] == [expected]
    assert result.warnings == []


def test_a_scaled_amount_keeps_the_box_and_text_of_the_printed_figure():
    f = find_fields("payment_receipt", [page("入账金额（万元）：17,825.00")]).fields[0]
    assert f.text == "入账金额（万元）：17,825.00" and f.page == 1
    assert f.bbox == (126.0, 60.0, 180.0, 70.0)  # "17,825.00" is characters 9..17


# -- 2. a role in the parenthesis -----------------------------------------------------------------

def test_the_role_in_the_parenthesis_wins_over_the_party_letter():
    found = values("license_agreement", page(
        "甲方（被许可方）：上海澄源生物医药有限公司",
        "乙方（许可方）：Northbridge Therapeutics Inc.",
        "甲方（盖章）：上海澄源生物医药有限公司 乙方（盖章）：Northbridge Therapeutics Inc.",
    ))
    # the signature block's 甲方 is the same licensee, not a second party in the default role
    assert found["party"] == [
        Party(role="licensee", name="上海澄源生物医药有限公司"),
        Party(role="licensor", name="Northbridge Therapeutics Inc."),
    ]


def test_a_role_word_in_the_label_wins_over_a_letter_in_the_parenthesis():
    assert values("cmo_contract", page("乙方（委托方）：上海瀚博生物制药有限公司"))["party"] == [
        Party(role="commissioning_party", name="上海瀚博生物制药有限公司")]
    assert values("cmo_contract", page("委托方（乙方）：杭州远川药业有限公司"))["party"] == [
        Party(role="commissioning_party", name="杭州远川药业有限公司")]


def test_a_parenthesis_that_names_no_role_of_the_kind_keeps_the_labels():
    assert values("license_agreement", page("甲方（委托方）：上海澄源生物医药有限公司"))["party"] == [
        Party(role="licensor", name="上海澄源生物医药有限公司")]


# -- 3. the most specific label wins --------------------------------------------------------------

@pytest.mark.parametrize("lines", [
    ("Date: 2025-06-20", "Value Date: 2024-05-20"),
    ("Value Date: 2024-05-20", "Date: 2025-06-20"),
    ("交易日期：2025-06-20", "起息日：2024-05-20"),
    ("交易日期 2025-06-20", "入账日期 2025-06-21", "起息日 2024-05-20"),
])
def test_a_specific_label_beats_a_generic_one_wherever_it_stands(lines):
    assert values("payment_receipt", page(*lines))["value_date"] == [dt.date(2024, 5, 20)]


def test_a_generic_label_still_gives_the_field_when_it_is_all_there_is():
    assert values("payment_receipt", page("Date: 2025-06-20"))["value_date"] == [dt.date(2025, 6, 20)]


# -- 4. shareholder tables ------------------------------------------------------------------------

HEADER = "股东名称 统一社会信用代码 认缴出资额（万元） 出资比例（%）"


def test_a_share_column_whose_heading_says_percent_is_read_without_signs():
    found = values("credit_report", page(
        HEADER,
        "周立群 — 8,250.00 55.00",
        "上海浦江创投有限公司 91310115MA1H2CW15K 6,750.00 45.00",
        "合计 — 15,000.00 100.00",
        "王雪 监事",
    ))
    assert found["shareholder"] == [
        Shareholder(name="周立群", uscc=None, share_pct=Decimal("55.00")),
        Shareholder(name="上海浦江创投有限公司", uscc="91310115MA1H2CW15K", share_pct=Decimal("45.00")),
    ]


def test_a_row_with_an_empty_share_cell_is_not_given_another_columns_number():
    assert values("credit_report", page(HEADER, "周立群 — 100")) == {}


def test_a_share_is_read_from_under_its_heading_not_from_a_column_after_it():
    found = values("credit_report", page(
        "股东名称       出资比例（%）  出资日期",
        "周立群         55.00    2020 01 01",  # 55.00 stands under 出资比例（%）
    ))
    assert found["shareholder"] == [Shareholder(name="周立群", uscc=None, share_pct=Decimal("55.00"))]


def test_a_table_runs_on_over_the_page_break():
    found = find_fields("credit_report", [
        page("股东名称 出资比例", "周立群 40.00%", "王伟 15.00%", "第 1 页 共 2 页"),
        page("企业信用报告", "上海浦江创投有限公司 45.00%", "合计 100.00%", "孙丽 2.00%", number=2),
    ]).fields
    assert [(f.value.name, f.value.share_pct, f.page) for f in found] == [
        ("周立群", Decimal("40.00"), 1), ("王伟", Decimal("15.00"), 1), ("上海浦江创投有限公司", Decimal("45.00"), 2)]


def test_a_table_the_text_closed_does_not_run_on_over_the_page_break():
    found = values("credit_report",
                   page("股东名称 出资比例", "周立群 100.00%", "三、主要人员", "王雪 监事", "李明 董事", "第 1 页 共 2 页"),
                   page("五、对外投资", "上海浦江创投有限公司 45.00%", number=2))
    assert found["shareholder"] == [Shareholder(name="周立群", uscc=None, share_pct=Decimal("100.00"))]


def test_a_generated_two_page_table_gives_every_row(tmp_path, monkeypatch):
    """A real PDF: the heading says %, a date column follows the share, a footer and a running
    header stand between the rows of page 1 and those of page 2."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    from _gen.layout import Doc, Style

    from toolkit.extract import extract_file

    doc = Doc(Style(lang="zh", header="企业信用信息报告"))
    doc.title("企业信用信息报告", size=20)
    doc.line("企业名称：上海澄源生物医药有限公司")
    for i in range(24):
        doc.line(f"登记事项{i}：略")
    rows = [["股东名称", "统一社会信用代码", "认缴出资额（万元）", "出资比例（%）", "出资日期"]]
    rows += [[f"上海股东{k:02d}投资有限公司", "—", "750.00", "5.00", "2020-01-01"] for k in range(20)]
    rows.append(["合计", "", "15,000.00", "100.00", ""])
    doc.table(rows, [130, 110, 115, 85, 75], align=["left", "left", "right", "right", "left"])
    path = tmp_path / "credit-report.pdf"
    path.write_bytes(doc.build().data)
    result = extract_file(path, kind="credit_report")
    holders = [f for f in result.fields if f.name == "shareholder"]
    assert result.pages == 2
    assert [f.value.name for f in holders] == [f"上海股东{k:02d}投资有限公司" for k in range(20)]
    assert {f.value.share_pct for f in holders} == {Decimal("5.00")}
    assert {f.page for f in holders} == {1, 2}


# -- 5. two labelled values on one line -----------------------------------------------------------

@pytest.mark.parametrize("line", [
    "付款人：Northbridge Therapeutics Inc. 收款人：上海澄源生物医药有限公司",
    "付款人：Northbridge Therapeutics Inc.    收款人：上海澄源生物医药有限公司",
    "付款人 Northbridge Therapeutics Inc. 收款人 上海澄源生物医药有限公司",
    "付款人名称：Northbridge Therapeutics Inc. 收款人名称：上海澄源生物医药有限公司",
])
def test_a_value_stops_at_the_next_label_and_that_label_gives_its_own(line):
    assert values("payment_receipt", page(line))["party"] == [
        Party(role="payer", name="Northbridge Therapeutics Inc."),
        Party(role="payee", name="上海澄源生物医药有限公司"),
    ]


def test_a_table_row_with_two_cells_gives_both_fields():
    found = values("payment_receipt", page("汇款金额 USD 25,000,000.00 起息日 2025-04-18"))
    assert found["amount"] == [Money(amount=Decimal("25000000.00"), currency="USD")]
    assert found["value_date"] == [dt.date(2025, 4, 18)]


def test_an_english_word_that_is_a_label_does_not_cut_a_name():
    assert values("cmo_contract", page("Client: Acme Manufacturer Holdings Inc."))["party"] == [
        Party(role="commissioning_party", name="Acme Manufacturer Holdings Inc.")]


# -- 6. English party clauses ---------------------------------------------------------------------

@pytest.mark.parametrize(("line", "name"), [
    ("Licensor: Shanghai Chengyuan Biomedicine Co., Ltd., a company organized under PRC law",
     "Shanghai Chengyuan Biomedicine Co., Ltd."),
    ("Licensor: Northbridge Therapeutics Inc., a corporation organized under the laws of Delaware",
     "Northbridge Therapeutics Inc."),
    ("Licensor: Acme Bio, a Delaware corporation", "Acme Bio"),
    ("Licensor: Rhein Pharma GmbH, with its registered office in Mannheim", "Rhein Pharma GmbH"),
    ("Licensor: Northbridge Therapeutics, Inc.", "Northbridge Therapeutics, Inc."),
    ("Licensor: Shanghai Chengyuan Biomedicine Co., Ltd.", "Shanghai Chengyuan Biomedicine Co., Ltd."),
])
def test_an_english_party_name_ends_at_its_legal_form_or_its_description(line, name):
    assert values("license_agreement", page(line))["party"] == [Party(role="licensor", name=name)]


# -- 7. exchange rates ----------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "汇率：1 USD = 7.1300 CNY",
    "汇率：100美元=713.00人民币",
    "汇率：713.00（人民币/100美元）",
    "Exchange Rate: 713.00 per 100 USD",
    "结汇汇率 7.1300",
])
def test_a_quoted_rate_is_the_rate_per_unit_exactly(line):
    rates = values("payment_receipt", page(line))["exchange_rate"]
    assert rates == [Decimal("7.1300")] and str(rates[0]) == "7.1300"


def test_a_rate_quoted_for_an_odd_quantity_is_not_guessed():
    assert values("payment_receipt", page("汇率：2 USD = 14.26 CNY")) == {}


def test_a_slash_that_is_no_rate_basis_changes_nothing():
    assert values("production_value_statement", page("年度：2024/2025年"))["production_year"] == [Decimal("2024")]


# -- 8. words and figures on adjacent rows ------------------------------------------------------

def test_words_on_one_row_and_figures_on_the_next_are_compared():
    result = find_fields("invoice", [page("价税合计（大写）伍拾贰万元整", "（小写）¥52,000.00")])
    assert result.fields == []
    assert [w.key for w in result.warnings] == ["extract.warn.words_figures_disagree"]
    assert result.warnings[0].params["words"] == "伍拾贰万元整"


def test_agreeing_rows_give_the_figures_where_they_stand():
    result = find_fields("invoice", [page("价税合计（大写）伍万贰仟元整", "（小写）¥52,000.00")])
    [f] = result.fields
    assert f.value == cny("52000.00") and result.warnings == []
    assert f.text == "（小写）¥52,000.00" and f.bbox[1] == 76.0  # the second row


def test_a_receipts_words_row_is_compared_with_the_figures_above_it():
    result = find_fields("payment_receipt", [page("入账金额 CNY 178,250,000.00", "大写金额：人民币玖仟伍佰捌拾伍万元整")])
    assert result.fields == []
    assert [w.key for w in result.warnings] == ["extract.warn.words_figures_disagree"]


def test_a_words_row_belongs_to_the_row_of_its_currency_above_it():
    result = find_fields("payment_receipt", [page(
        "汇款金额 USD 25,000,000.00",
        "结汇汇率 7.1300",
        "入账金额 CNY 178,250,000.00",
        "大写金额 人民币壹亿柒仟捌佰贰拾伍万元整",
        "起息日 2025-04-18",
    )])
    got = {f.name: f.value for f in result.fields}
    assert got["amount"] == Money(amount=Decimal("25000000.00"), currency="USD")
    assert got["credited_amount"] == cny("178250000.00")
    assert result.warnings == []


def test_a_words_row_is_not_compared_with_a_row_two_lines_away():
    result = find_fields("payment_receipt", [page(
        "汇款金额 CNY 100,000,000.00",
        "入账金额 CNY 90,000,000.00",
        "大写金额 人民币玖仟万元整",
    )])
    assert {f.name: f.value for f in result.fields} == {"amount": cny("100000000.00"), "credited_amount": cny("90000000.00")}
    assert result.warnings == []


# -- 9. an amount stated twice --------------------------------------------------------------------

def test_an_amount_stated_twice_with_different_values_is_not_guessed():
    result = find_fields("license_agreement", [
        page("Upfront Payment: USD 25,000,000"),
        page("Amendment No. 1", "Upfront Payment: USD 12,500,000", number=2),
    ])
    assert [f.name for f in result.fields] == []
    assert [w.key for w in result.warnings] == ["extract.warn.amounts_disagree"]
    assert result.warnings[0].params == {"field": "down_payment", "page": 1, "first": "USD 25,000,000.00",
                                         "other_page": 2, "other": "USD 12,500,000.00"}


def test_synonyms_that_state_different_amounts_are_not_guessed_either():
    result = find_fields("license_agreement", [page("首付款：USD 25,000,000", "Upfront Payment: USD 12,500,000")])
    assert result.fields == [] and [w.key for w in result.warnings] == ["extract.warn.amounts_disagree"]


def test_an_amount_repeated_with_the_same_value_is_read():
    found = values("license_agreement", page("首付款：USD 25,000,000", "Upfront Payment: USD 25,000,000.00"))
    assert found["down_payment"] == [Money(amount=Decimal("25000000.00"), currency="USD")]


@pytest.mark.parametrize("line", [
    "首付款：合同总价款人民币500,000,000.00元的30%，即人民币150,000,000.00元",
    "Upfront Payment: 30% of the Total Consideration of CNY 500,000,000.00, i.e. CNY 150,000,000.00",
])
def test_the_amount_after_namely_is_the_one_meant(line):
    assert values("license_agreement", page(line))["down_payment"] == [cny("150000000.00")]


def test_a_generic_label_under_a_specific_one_is_no_contradiction():
    result = find_fields("payment_receipt", [page("汇款金额 USD 25,000,000.00", "金额 USD 120.00")])
    assert [f.value for f in result.fields] == [Money(amount=Decimal("25000000.00"), currency="USD")]
    assert result.warnings == []


def test_a_statements_row_repeated_in_another_table_is_no_contradiction():
    """The consolidated statement leads; the parent company's own statement repeats the row."""
    found = values("financial_statement",
                   page("营业收入（元） 4,755,785.11 5,699,227.63 -16.55%"),
                   page("单位：元", "一、营业收入 0.00 0.00", number=17))
    assert found["revenue"] == [cny("4755785.11")]


def test_a_figure_the_money_parser_refuses_is_not_read_in_part_under_a_unit_note():
    """Under 货币单位：人民币元, a figure grouped by spaces (12 345.00) used to be read as its last
    part (345.00): no value is right, and the check then asks a reviewer."""
    from test_extract_fields import page

    from toolkit.extract.fields import find_fields

    found = find_fields("financial_statement", [page("货币单位：人民币元", "营业收入：12 345.00")])
    assert not [f for f in found.fields if f.name == "revenue"]
    found = find_fields("financial_statement", [page("货币单位：人民币元", "营业收入：12,345.00")])
    assert [str(f.value) for f in found.fields if f.name == "revenue"] == ["CNY 12,345.00"]
