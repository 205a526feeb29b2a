"""Field finding on synthetic pages: the layouts filings use, one rule at a time.

Pages are built from plain lines (no PDF), so each test shows exactly the text a rule reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from toolkit.extract.classify import classify
from toolkit.extract.fields import find_fields
from toolkit.model.common import Money
from toolkit.model.extraction import Party, Shareholder
from toolkit.read.model import Line, Page


def page(*texts: str, number: int = 1, source: str = "text") -> Page:
    lines = []
    for i, text in enumerate(texts):
        top = 60.0 + 16 * i
        boxes = tuple((72.0 + 6 * j, top, 78.0 + 6 * j, top + 10) for j in range(len(text)))
        lines.append(Line(text=text, bbox=(72.0, top, 72.0 + 6 * max(1, len(text)), top + 10), boxes=boxes, raw=text,
                          confidence=0.9 if source == "ocr" else 1.0))
    return Page(number=number, width=595.0, height=842.0, source=source, lines=lines)  # type: ignore[arg-type]


def values(kind: str, *pages: Page) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in find_fields(kind, list(pages)).fields:
        out.setdefault(f.name, []).append(f.value)
    return out


def test_party_blocks_take_role_name_and_the_code_below():
    found = values("cmo_contract", page(
        "委托生产合同",
        "甲方（委托方）：杭州远川药业有限公司",
        "统一社会信用代码：91330108MA2B1C3D42",
        "乙方（受托方）：上海瀚博生物制药有限公司",
        "住所：上海市嘉定区叶城路1288号",
        "统一社会信用代码：91310114MA1GT5KQ0Y",
        "甲方（盖章）：杭州远川药业有限公司 乙方（盖章）：上海瀚博生物制药有限公司",
    ))
    assert found["party"] == [
        Party(role="commissioning_party", name="杭州远川药业有限公司", uscc="91330108MA2B1C3D42"),
        Party(role="cmo", name="上海瀚博生物制药有限公司", uscc="91310114MA1GT5KQ0Y"),
    ]


def test_a_party_with_no_code_does_not_take_the_next_partys():
    found = values("license_agreement", page(
        "Licensor: 上海澄源生物医药有限公司",
        "Licensee: Northbridge Therapeutics Inc.",
        "Unified Social Credit Code: 91310115MA1H8R2X46",
    ))
    assert found["party"][0].uscc is None
    assert found["party"][1] == Party(role="licensee", name="Northbridge Therapeutics Inc.", uscc="91310115MA1H8R2X46")


def test_prose_that_starts_with_a_label_word_is_not_a_value():
    found = values("license_agreement", page("Licensee shall use commercially reasonable efforts.", "Territory shall mean"))
    assert found == {}


def test_words_and_figures_that_disagree_give_no_value_and_a_warning():
    result = find_fields("service_contract", [page("服务费：人民币柒佰捌拾万元整（小写：¥7,900,000.00）")])
    assert result.fields == []
    assert [w.key for w in result.warnings] == ["extract.warn.words_figures_disagree"]
    assert result.warnings[0].params["words"] == "人民币柒佰捌拾万元整"


def test_words_and_figures_that_agree_give_the_figures():
    found = values("service_contract", page("服务费：人民币柒佰捌拾万元整（小写：¥7,800,000.00）"))
    assert found["service_fee"] == [Money(amount=Decimal("7800000.00"), currency="CNY")]


def test_a_figure_with_no_currency_takes_the_statements_unit_note():
    found = values("financial_statement", page("财务报表", "货币单位：万元", "营业收入：3,860.00"))
    assert found["revenue"] == [Money(amount=Decimal("38600000.00"), currency="CNY")]


def test_a_figure_with_no_currency_anywhere_is_not_given_one():
    result = find_fields("financial_statement", [page("营业收入：3,860.00")])
    assert result.fields == []
    assert [w.key for w in result.warnings] == ["extract.warn.no_currency"]


def test_a_table_row_reads_label_then_value():
    found = values("payment_receipt", page("汇款金额 USD 25,000,000.00", "结汇汇率 7.1300", "起息日 2025-04-18"))
    assert found["amount"] == [Money(amount=Decimal("25000000.00"), currency="USD")]
    assert found["exchange_rate"] == [Decimal("7.1300")]
    assert found["value_date"] == [dt.date(2025, 4, 18)]


def test_shareholder_tables_end_at_the_total_row():
    found = values("credit_report", page(
        "股东名称 统一社会信用代码 认缴出资额（万元） 出资比例",
        "周立群 — 8,250.00 55.00%",
        "上海浦江创投有限公司 91310115MA1H2CW15K 6,750.00 45.00%",
        "合计 15,000.00 100.00%",
        "王雪 监事",
    ))
    assert found["shareholder"] == [
        Shareholder(name="周立群", uscc=None, share_pct=Decimal("55.00")),
        Shareholder(name="上海浦江创投有限公司", uscc="91310115MA1H2CW15K", share_pct=Decimal("45.00")),
    ]


def test_english_shareholder_names_keep_their_spaces():
    found = values("credit_report", page("Shareholder Shareholding", "Northbridge Holdings LLC 100.00%"))
    assert found["shareholder"] == [Shareholder(name="Northbridge Holdings LLC", uscc=None, share_pct=Decimal("100.00"))]


def test_the_first_labelled_value_wins_and_later_repeats_are_ignored():
    found = values("service_contract", page("签订日期：2025年2月18日", "日期：2025年3月1日", "签订日期：2025年4月1日"))
    assert found["signing_date"] == [dt.date(2025, 2, 18)]


def test_approvals_and_regulators_are_found_anywhere():
    found = values("regulatory_approval", page("Food and Drug Administration", "BLA 761412", "BLA APPROVAL"))
    assert found["regulator"] == ["FDA"]
    assert found["approval_number"][0].number == "BLA 761412"


def test_a_wrong_uscc_check_character_is_reported_not_dropped():
    result = find_fields("business_license", [page("统一社会信用代码：91310115MA1H8R2X47")])
    assert [f.value for f in result.fields] == ["91310115MA1H8R2X47"]
    assert [w.key for w in result.warnings] == ["extract.warn.uscc_check"]


def test_ocr_letters_outside_the_uscc_alphabet_are_read_as_digits():
    result = find_fields("business_license", [page("统一社会信用代码：91310114MAIGT5KQOY", source="ocr")])
    assert [f.value for f in result.fields] == ["91310114MA1GT5KQ0Y"]
    assert result.fields[0].confidence < 0.9
    assert [w.key for w in result.warnings] == ["extract.warn.ocr_uscc"]


def test_values_carry_the_box_of_their_own_characters():
    result = find_fields("payment_receipt", [page("入账金额 CNY 178,250,000.00")])
    f = result.fields[0]
    assert f.bbox == (102.0, 60.0, 210.0, 70.0)  # "CNY 178,250,000.00" is characters 5..22


def test_classification_prefers_a_title_to_keywords():
    c = classify([page("营业执照", "统一社会信用代码：91310115MA1H8R2X46", "经营范围：药品研发")])
    assert c.kind == "business_license" and c.confidence >= 0.9
    assert classify([page("Nothing here but prose about find and kind")]).kind == "other"


def test_a_ce_certificate_gives_its_number_as_printed_and_the_notified_body():
    found = values("regulatory_approval", page(
        "EU QUALITY MANAGEMENT SYSTEM CERTIFICATE",
        "Certificate No.: G10 012345 0012 Rev. 01",
        "Issued by: TÜV SÜD Product Service GmbH, Notified Body No. 0123",
        "Regulation (EU) 2017/745",
    ))
    assert found["regulator"] == ["CE"]
    assert [(a.number, a.scheme) for a in found["approval_number"]] == [("G10 012345 0012 Rev. 01", "other")]
    assert [(a.number, a.scheme) for a in found["notified_body"]] == [("Notified Body No. 0123", "ce_notified_body")]
