"""Find a kind's fields in its pages: labels, values typed by the field, and where they stand.

The knowledge is data (toolkit/data/kinds.yaml): for each kind, its fields, their types and
their Chinese and English labels. This module only knows how documents lay a label and its
value out:

- ``名称：上海澄源生物医药有限公司`` / ``Effective Date: March 3, 2025``: a label at the start
  of a line (after any clause number), then a colon, then the value; a second label of the kind
  on the same line (``付款人：… 收款人：…``, a two-column receipt) ends the value and starts its own;
- ``汇款金额 USD 25,000,000.00``: a table row, label and value separated by spaces (Chinese
  labels, or any label whose value has a pattern: money, dates, codes);
- ``甲方（委托方）：…`` then ``统一社会信用代码：…``: a party block; its role is the one the
  parenthesis names when the label is only a party letter (甲方, Party A), else the label's;
- ``股东名称 统一社会信用代码 … 出资比例（%）`` then rows: a shareholder table, which may run on
  over a page break;
- ``价税合计（大写）捌拾肆万捌仟元整（小写）¥848,000.00``: an amount in words and figures, on
  one line or on two adjacent rows (大写/小写), both read; when they disagree the field is not
  reported and a warning says so;
- ``入账金额（万元）：17,825.00``: a unit in the label scales the figures it introduces.

A single field takes the value of its most specific label: the field's labels are listed in
kinds.yaml from the most to the least specific (起息日 before 交易日期, Value Date before Date),
and among lines with the same label the first wins (documents state the defining value first;
signature blocks repeat it at the end). An amount is the exception that is never guessed: when
the document states it again with a different value (an amended figure), the field is not
reported and a warning asks a person to decide. `many` fields collect every distinct value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from toolkit.kinds import FieldSpec, KindSpec, kind_catalogue
from toolkit.model.common import Money, round_bbox
from toolkit.model.extraction import Approval, ExtractedField, Party, Shareholder, extracted_field
from toolkit.parse.dates import find_dates
from toolkit.parse.identifiers import (
    find_approvals,
    find_numbers,
    find_percents,
    find_usccs,
    repair_ocr_uscc,
)
from toolkit.parse.money import MoneyMatch, find_money, scales
from toolkit.read.model import Line, Page

_CLAUSE = r"(?:[（(]?\d{1,2}[)）.、]\s*|[一二三四五六七八九十]{1,3}[、.]\s*)?"
_PAREN = r"(?:\s*[（(][^）)]{0,16}[）)])"
# Any short label and a colon after a space starts the next field on the same line
# (保险人：… 经办：周洋), whether or not the kind knows that label.
_NEXT_LABEL = r"\s+(?:[\u4e00-\u9fff]{1,8}|[A-Z][A-Za-z]{1,15}(?:\s[A-Za-z]{1,15})?)(?:[（(][^）)]{0,12}[）)])?[:：]"
# A statement's currency and unit for figures that carry none: 货币单位：人民币元, 单位：万元.
_UNIT_NOTE = re.compile(r"(?:货币|金额)?单位\s*[:：]\s*(?P<cur>人民币|美元|欧元|日元)?\s*(?P<unit>万元|千元|元)"
                        r"|(?:Currency|Amounts? in)\s*[:：]?\s*(?P<en>[A-Z]{3})\b")
# A unit in a money label's parenthesis (入账金额（万元）, 金额（人民币万元）, 金额（万美元）, 金额（元）):
# the scale multiplies the figures the label introduces, the currency word names their currency.
# (The currency words are money.yaml's: a parenthesis that names no currency, 大写 or 万片, is no unit.)
_WORD = r"(?:(?![千万亿百])[\u4e00-\u9fff])"
_SCALE = {"": Decimal(1), **scales()}  # money.yaml's
_LABEL_UNIT = re.compile(rf"[（(]\s*(?:单位\s*[:：]?\s*)?(?:{_WORD}{{1,4}}?|[A-Z]{{3}}\s*)??"
                         rf"(?P<scale>{'|'.join(k for k in _SCALE if k)})?\s*(?:{_WORD}{{1,4}}|[A-Z]{{3}})\s*[）)]")
# A figure that carries its own magnitude (3,500万元, USD 25 million) is not scaled again by its label.
_OWN_SCALE = re.compile(r"[千万亿]|million|billion|\d\s*(?:mn|bn|m|k)\b", re.IGNORECASE)
# "…总价款人民币500,000,000.00元的30%，即人民币150,000,000.00元": the amount meant follows 即 / i.e.
_NAMELY = re.compile(r"(?:(?<=[，,；;：:\s（(])|^)(?:即|亦即)|\b(?:i\.e\.|namely|that is)", re.IGNORECASE)
# A row that gives an amount in one notation for the row next to it: 大写金额 人民币…, （小写）¥…
_NOTATION_ROW = re.compile(r"^\s*(?:[\u4e00-\u9fff]{1,6}\s*)?[（(]?\s*(?:大写|小写)(?:金额)?\s*[）)]?\s*[:：]?\s*")
# A quoted rate: "1 USD = 7.1300 CNY", "100美元=713.00人民币" (the rate per unit is the quote / quantity)
_RATE_EQUATION = re.compile(r"(?<![\d.,])(?P<qty>\d+(?:\.\d+)?)\s*(?P<cur>[A-Za-z]{3}|[\u4e00-\u9fff]{1,4})\s*[=＝]\s*"
                            r"(?P<rate>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
# … or a quote per 100 units of the foreign currency: 713.00（人民币/100美元）, 每100美元, per 100 USD
_RATE_BASIS = re.compile(r"(?:/|每|per\s+)\s*(?P<qty>\d+)\s*(?P<cur>[A-Za-z]{3}\b|[\u4e00-\u9fff]{1,4})", re.IGNORECASE)
# A party letter, which only says where the party signs; the role it stands for is the one a
# parenthesis names (甲方（被许可方）), else the kind's default for the letter.
_DESIGNATOR = re.compile(r"^(?:[甲乙丙丁戊]方|Party\s*[A-E])$", re.IGNORECASE)
# An English party clause goes on after the name: "Foo Co., Ltd., a company organized under PRC
# law", "Acme Bio, a Delaware corporation". The name ends at its legal form or at the description.
_LEGAL_FORM = re.compile(
    r"\b(?:Co\.,?\s*Ltd\.?|Co\.\s*Limited|Company\s+Limited|Pte\.?\s*Ltd\.?|Pty\.?\s*Ltd\.?|Inc\.?|Incorporated"
    r"|Corporation|Corp\.?|GmbH|AG|Ltd\.?|Limited|L\.?L\.?C\.?|LLP|L\.P\.|plc|S\.A\.|S\.p\.A\.|B\.V\.|N\.V\.|K\.K\.)"
    r"(?=\s*[,;，；])")
_DESCRIPTION = re.compile(r"\s*,\s*(?:(?:a|an)\s+(?:[\w.-]+\s+){0,5}?(?:company|corporation|entity|partnership|"
                          r"limited|firm)\b|(?:organized|organised|incorporated|established|existing|registered|"
                          r"having|whose|located|with\s+its)\b)", re.IGNORECASE)
# Lines of page furniture (a running header, a footer) a table may run through at a page break.
_PAGE_FURNITURE = 3
OCR_FACTOR = 0.85  # an OCR'd field is less certain than one read from a text layer


# Warnings that mean a value was on the page but not taken (the check then asks a reviewer).
WITHHOLDING = frozenset({"extract.warn.words_figures_disagree", "extract.warn.amounts_disagree",
                         "extract.warn.no_currency"})


@dataclass(frozen=True)
class FieldWarning:
    """A catalogue key and its parameters: the pipeline renders it (English in JSON)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Found:
    """What one document yielded: its fields and what could not be squared."""

    fields: list[ExtractedField] = field(default_factory=list)
    warnings: list[FieldWarning] = field(default_factory=list)


def _is_ascii(label: str) -> bool:
    return label.isascii()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Label patterns are built per kind and field; compile each once per process."""
    return re.compile(pattern, re.IGNORECASE)


def _alternation(labels: list[str]) -> str:
    return "|".join(re.escape(x) for x in sorted(set(labels), key=len, reverse=True))


@dataclass(frozen=True)
class LabelIndex:
    """The kind's labels as one pattern, and which field each label introduces."""

    start: re.Pattern[str]  # a label at the start of a line
    inner: re.Pattern[str]  # a label followed by a colon inside a value (the next field on the line)
    spaced: re.Pattern[str]  # a Chinese label between spaces inside a table row's value (汇款金额 … 起息日 …)
    owner: dict[str, list[str]]  # label (casefolded) -> field names


@cache
def _index(kind: str) -> LabelIndex:
    spec = kind_catalogue().kinds[kind]
    owner: dict[str, list[str]] = {}
    for name, fs in spec.fields.items():
        if fs.find == "phrase":
            continue
        for label in fs.labels:
            owner.setdefault(label.casefold(), []).append(name)
    labels = [lab for fs in spec.fields.values() if fs.find != "phrase" for lab in fs.labels]
    alt = _alternation(labels) or r"(?!)"
    start = re.compile(rf"^\s*{_CLAUSE}(?P<label>{alt})(?P<paren>{_PAREN})?(?P<sep>\s*[:：]\s*|\s+|(?<=[）)])|$)",
                       re.IGNORECASE)
    inner = re.compile(rf"(?:\s+|(?<=\S))(?P<label>{alt})(?P<paren>{_PAREN})?\s*[:：]\s*|{_NEXT_LABEL}", re.IGNORECASE)
    # English words between spaces are too often part of a name (Foo Manufacturer Inc.) to end a
    # value without a colon; a Chinese label between spaces is a table row's next cell.
    cjk = _alternation([lab for lab in labels if not lab.isascii()]) or r"(?!)"
    spaced = re.compile(rf"\s(?P<label>{cjk})(?P<paren>{_PAREN})?\s+(?=\S)")
    return LabelIndex(start, inner, spaced, owner)


@dataclass(frozen=True)
class Hit:
    """A labelled value on a line: which label, with what separator, where the value starts."""

    page: Page
    line_no: int
    line: Line
    label: str
    paren: str
    colon: bool
    value_start: int
    value_end: int

    @property
    def value(self) -> str:
        return self.line.text[self.value_start:self.value_end]


def _pairs(text: str, index: LabelIndex) -> Iterator[tuple[str, str, bool, int, int]]:
    """Each label of the kind on a line and the span of its value: (label, paren, colon, start, end).

    A value ends where the next label starts: any short label and a colon (经办：), a label of
    the kind and a colon, or, in a table row whose label took no colon, a Chinese label of the
    kind between spaces. A label of the kind starts the next pair (a two-column receipt puts
    付款人 and 收款人 on one line); an unknown one ends the line's pairs.
    """
    m = index.start.match(text)
    if not m:
        return
    label, paren, sep = m.group("label"), (m.group("paren") or "").strip(), m.group("sep")
    colon = ":" in sep or "：" in sep or (not sep.strip() and bool(paren))
    start = m.end()
    while True:
        cut = index.inner.search(text, start)
        if not colon:
            spaced = index.spaced.search(text, start)
            if spaced and (cut is None or spaced.start() < cut.start()):
                cut = spaced
        yield label, paren, colon, start, cut.start() if cut else len(text)
        if cut is None or not cut.group("label"):
            return
        label, paren, colon, start = cut.group("label"), (cut.group("paren") or "").strip(), cut.re is index.inner, cut.end()


def _hits(pages: list[Page], kind: str) -> Iterator[tuple[str, Hit]]:
    index = _index(kind)
    for page in pages:
        for number, line in enumerate(page.lines):
            for label, paren, colon, start, end in _pairs(line.text, index):
                hit = Hit(page, number, line, label, paren, colon, start, end)
                for name in index.owner.get(label.casefold(), []):
                    yield name, hit


def _field(name: str, ftype: str, value: Any, line: Line, page: Page, start: int, end: int) -> ExtractedField:
    confidence = line.confidence * (OCR_FACTOR if page.source == "ocr" else 1.0)
    return extracted_field(name=name, type=ftype, value=value, page=page.number,
                           bbox=round_bbox(page.span_bbox(line, start, end)), text=line.text,
                           confidence=round(max(0.0, min(1.0, confidence)), 2))


_TRAIL = "。；;，,、 "


def _clean_text(text: str) -> str:
    return re.sub(r"\s{2,}", " ", text).strip().rstrip(_TRAIL).strip()


def _pick_money(matches: list[MoneyMatch], context: str) -> tuple[MoneyMatch | None, FieldWarning | None]:
    """Figures win over words; both are read and must agree. A figure with no currency of
    its own takes the currency the label or line names (金额（美元）, Amount (USD))."""
    if not matches:
        return None, None
    figures = [m for m in matches if m.notation == "figures"]
    words = [m for m in matches if m.notation == "capitals"]
    chosen = figures[0] if figures else words[0]
    if figures and words:
        if words[0].amount != figures[0].amount:
            return None, FieldWarning("extract.warn.words_figures_disagree",
                                  {"words": words[0].text, "figures": figures[0].text})
        if chosen.currency is None:
            chosen = MoneyMatch(chosen.start, chosen.end, chosen.amount, words[0].currency, chosen.notation, chosen.text)
    if chosen.currency is None:
        from toolkit.parse.money import currency_named_in

        named = currency_named_in(context)
        if named is None:
            return None, FieldWarning("extract.warn.no_currency", {"text": chosen.text})
        chosen = MoneyMatch(chosen.start, chosen.end, chosen.amount, named, chosen.notation, chosen.text)
    return chosen, None


def _typed(name: str, fs: FieldSpec, hit: Hit, found: Found) -> ExtractedField | None:
    """The hit's value read as the field's type, or None when the value is not of that type."""
    line, page, value, offset = hit.line, hit.page, hit.value, hit.value_start
    if fs.type == "text":
        if _is_ascii(hit.label) and not hit.colon:
            return None  # "Product shall …" is prose, not a labelled value
        text = _clean_text(value)
        if not text:
            return None
        start = offset + value.find(text[:1])
        return _field(name, "text", text, line, page, start, start + len(text))
    if fs.type == "date":
        dates = find_dates(value)
        if not dates:
            return None
        d = dates[0]
        return _field(name, "date", d.date, line, page, offset + d.start, offset + d.end)
    if fs.type == "money":
        return _money(name, hit, found)
    if fs.type == "uscc":
        codes = find_usccs(value)
        if (not codes or not codes[0].valid) and page.source == "ocr":
            repaired = repair_ocr_uscc(value)
            if repaired:
                found.warnings.append(FieldWarning("extract.warn.ocr_uscc", {"code": repaired, "text": value.strip(),
                                                                         "page": page.number}))
                return _field(name, "uscc", repaired, line, page, offset, offset + len(value))
        if not codes:
            return None
        c = codes[0]
        if not c.valid:
            found.warnings.append(FieldWarning("extract.warn.uscc_check", {"code": c.value, "page": page.number}))
        return _field(name, "uscc", c.value, line, page, offset + c.start, offset + c.end)
    if fs.type in ("number", "percent"):
        items = find_percents(value) if fs.type == "percent" else _quoted(value) or find_numbers(value)
        if not items:
            return None
        start, end, number = items[0]
        if number is None:
            return None
        return _field(name, fs.type, number, line, page, offset + start, offset + end)
    if fs.type == "approval":
        approvals = [a for a in find_approvals(value) if a.scheme in _schemes_for(name)]
        if not approvals:
            text = _clean_text(value)
            if hit.label and hit.colon and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ./-]{3,40}", text):
                # a labelled number of no known shape (a CE certificate's): as printed, scheme other
                start = offset + value.find(text[:1])
                return _field(name, "approval", Approval(number=text, scheme="other"), line, page, start, start + len(text))
            return None
        a = approvals[0]
        return _field(name, "approval", Approval(number=a.value, scheme=a.scheme), line, page,
                      offset + a.start, offset + a.end)
    if fs.type == "regulator":
        reg = _regulator_in(value)
        if reg is None:
            return None
        rid, start, end = reg
        return _field(name, "regulator", rid, line, page, offset + start, offset + end)
    return None


def _money(name: str, hit: Hit, found: Found) -> ExtractedField | None:
    """The hit's amount: figures scaled by the label's unit or the page's unit note, checked
    against the same amount in words on this line or on the adjacent 大写/小写 row."""
    line, page, value, offset = hit.line, hit.page, hit.value, hit.value_start
    matches = _namely(find_money(value), value)
    scaled = _in_label_unit(matches, value, hit.paren)
    if scaled is not None:
        matches = scaled
    elif not matches or all(m.currency is None for m in matches):
        matches = _with_unit_note(matches, value, page)
    partner = _notation_partner(page, hit.line_no, matches)
    chosen, warning = _pick_money(matches + (partner[2] if partner else []), hit.paren + " " + line.text)
    if warning is not None:
        found.warnings.append(FieldWarning(warning.key, {**warning.params, "field": name, "page": page.number}))
    if chosen is None:
        return None
    if partner is not None and not any(m.notation == "figures" for m in matches):
        line, offset = partner[0], partner[1]  # the figures are on the 小写 row: the field is where they are
    money = Money(amount=chosen.amount, currency=chosen.currency or "CNY")
    return _field(name, "money", money, line, page, offset + chosen.start, offset + chosen.end)


def _namely(matches: list[MoneyMatch], value: str) -> list[MoneyMatch]:
    """A base and its share (总价款500,000,000.00元的30%，即150,000,000.00元): the amount meant is the
    one after 即 / i.e.; the figures before it only show how it was reached."""
    marks = list(_NAMELY.finditer(value))
    if not marks:
        return matches
    after = [m for m in matches if m.start >= marks[-1].end()]
    return after or matches


def _cents(amount: Decimal) -> Decimal:
    """To the cent when that is exact (as the money parser reports amounts), else as it is."""
    cents = amount.quantize(Decimal("0.01"))
    return cents if cents == amount else amount


def _in_label_unit(matches: list[MoneyMatch], value: str, paren: str) -> list[MoneyMatch] | None:
    """Figures under a label that names their unit (入账金额（万元）, 金额（元）), or None when the
    label names none. The label is the document's own statement of the unit, so its figures need
    no decimals to count as money (入账金额（元）：178,250,000), and a bare figure is scaled by it."""
    from toolkit.parse.money import currency_named_in

    unit = _LABEL_UNIT.fullmatch(paren.strip())
    currency = currency_named_in(paren) if unit else None
    if unit is None or currency is None:
        return None
    factor = _SCALE[unit.group("scale") or ""]
    if not matches:
        numbers = [(a, b, n) for a, b, n in find_numbers(value)
                   if "." in value[a:b] or "," in value[a:b] or value[a:b] == _clean_text(value)]
        matches = [MoneyMatch(a, b, n, None, "figures", value[a:b]) for a, b, n in numbers[:1]]
    out = []
    for m in matches:
        if m.notation == "figures" and not _OWN_SCALE.search(m.text):
            m = MoneyMatch(m.start, m.end, _cents(m.amount * factor), m.currency or currency, m.notation, m.text)
        out.append(m)
    return out


def _notation_partner(page: Page, line_no: int, matches: list[MoneyMatch]) -> tuple[Line, int, list[MoneyMatch]] | None:
    """The adjacent row that gives this amount in the other notation: (line, where its amount
    text starts, its amounts). 大写金额 under 入账金额 CNY …, or （小写）¥… under 价税合计（大写）….

    A 大写/小写 row belongs to the row above it when that row has an amount in the other notation,
    else to the row below; and to neither when their currencies differ (the words of the CNY
    credit are not those of the USD remittance above it).
    """
    notations = {m.notation for m in matches}
    if len(notations) != 1:
        return None  # no amount, or both notations on the line already
    want = "capitals" if "figures" in notations else "figures"
    lines = page.lines
    for number in (line_no + 1, line_no - 1):
        if not 0 <= number < len(lines):
            continue
        mark = _NOTATION_ROW.match(lines[number].text)
        if mark is None:
            continue
        rest = lines[number].text[mark.end():]
        amounts = find_money(rest)
        theirs = [m for m in amounts if m.notation == want]
        if not theirs or len(theirs) != len(amounts):
            continue
        if number == line_no - 1 and number > 0 and any(m.notation != want for m in find_money(lines[number - 1].text)):
            continue  # it gives the amount of the row above it
        mine = matches[0].currency
        if mine is not None and theirs[0].currency is not None and mine != theirs[0].currency:
            continue
        return lines[number], mark.end(), theirs
    return None


def _quoted(value: str) -> list[tuple[int, int, Decimal | None]]:
    """A rate quoted for a quantity of the other currency, as the rate per unit: 1 USD = 7.1300 CNY
    and 713.00（人民币/100美元） are both 7.1300, exactly. A quantity that is not a power of ten
    (2 USD = …) gives None: no value rather than a rounded one."""
    from toolkit.parse.money import currency_named_in

    eq = _RATE_EQUATION.search(value)
    if eq and currency_named_in(eq.group("cur")):
        rate = Decimal(eq.group("rate").replace(",", ""))
        return [(eq.start("rate"), eq.end("rate"), _per_unit(rate, Decimal(eq.group("qty"))))]
    basis = _RATE_BASIS.search(value)
    if basis and currency_named_in(basis.group("cur")) and Decimal(basis.group("qty")) != 1:
        numbers = [(a, b, n) for a, b, n in find_numbers(value) if not basis.start() <= a < basis.end()]
        if numbers:
            a, b, n = numbers[0]
            return [(a, b, _per_unit(n, Decimal(basis.group("qty"))))]
    return []


def _per_unit(rate: Decimal, quantity: Decimal) -> Decimal | None:
    """rate / quantity for a quantity of 1, 10, 100…, keeping every digit (713.00 / 100 = 7.1300)."""
    sign, digits, exponent = quantity.normalize().as_tuple()
    if sign or digits != (1,) or not isinstance(exponent, int) or exponent < 0:
        return None
    return rate.scaleb(-exponent)


def _with_unit_note(matches: list[MoneyMatch], value: str, page: Page) -> list[MoneyMatch]:
    """Figures on a statement whose heading gives the currency and unit (货币单位：人民币元)."""
    note = next((m for line in page.lines if (m := _UNIT_NOTE.search(line.text))), None)
    if note is None:
        return matches
    currency = "CNY" if note.group("unit") and note.group("cur") in (None, "人民币") else None
    currency = {"美元": "USD", "欧元": "EUR", "日元": "JPY"}.get(note.group("cur") or "", currency)
    currency = note.group("en") or currency
    factor = _SCALE.get((note.group("unit") or "元").removesuffix("元"), Decimal(1))
    if not matches:
        from toolkit.parse.money import refused_figures

        if refused_figures(value):  # the money parser saw a figure and would not read it (12 345.00 with no
            return []               # currency): reading its plain numbers would give a part of it (345.00)
        numbers = [(a, b, n) for a, b, n in find_numbers(value) if "." in value[a:b] or "," in value[a:b]]
        matches = [MoneyMatch(a, b, n, None, "figures", value[a:b]) for a, b, n in numbers[:1]]
    return [MoneyMatch(m.start, m.end, (m.amount * factor).quantize(Decimal("0.01")), currency, m.notation, m.text)
            for m in matches]


# What a signature block adds after a name: （盖章）, (签字), (seal), (signature and stamp).
_SIGNATURE_NOTE = re.compile(r"\s*[（(](?:[^）)]*?(?:盖章|签字|签章|公章|seal|stamp|signature))[^）)]*[）)]\s*$", re.IGNORECASE)


def _schemes_for(field: str) -> set[str]:
    """A notified body's number is its own field; every other scheme is an approval number."""
    from toolkit.parse.identifiers import scheme_names

    names = set(scheme_names())
    return {"ce_notified_body"} if field == "notified_body" else names - {"ce_notified_body"}


# -- parties --------------------------------------------------------------------------------

@cache
def _uscc_label() -> re.Pattern[str]:
    labels = kind_catalogue().blocks.uscc_labels
    return re.compile(rf"^\s*(?:{_alternation(labels)}){_PAREN}?\s*[:：]?\s*", re.IGNORECASE)


def _role(spec: KindSpec, hit: Hit, letters: dict[str, str]) -> str | None:
    """The party's role. A party letter (甲方, Party A) only says who signs where: the role a
    parenthesis names wins over it (甲方（被许可方）is the licensee, whatever the kind's default for
    甲方), and so does the role the document gave that letter elsewhere (`letters`: its 甲方（盖章）
    signature is the same licensee). A role word in the label (委托方（甲方）) wins over the letter in
    its parenthesis. A parenthesis the kind's roles do not know ((盖章), (seal)) changes nothing."""
    roles = {k.casefold(): v for k, v in spec.roles.items()}
    label = hit.label.casefold()
    inside = roles.get(hit.paren.strip("（）() ").casefold())
    if _DESIGNATOR.match(hit.label):
        return inside or letters.get(label) or roles.get(label)
    return roles.get(label) or inside


def _letters(spec: KindSpec, hits: list[Hit]) -> dict[str, str]:
    """What each party letter stands for in this document, where a parenthesis says so
    (甲方（被许可方）): letter (casefolded) -> role. A letter given two roles stands for neither."""
    roles = {k.casefold(): v for k, v in spec.roles.items()}
    seen: dict[str, set[str]] = {}
    for hit in hits:
        inside = roles.get(hit.paren.strip("（）() ").casefold())
        if inside and _DESIGNATOR.match(hit.label):
            seen.setdefault(hit.label.casefold(), set()).add(inside)
    return {letter: next(iter(named)) for letter, named in seen.items() if len(named) == 1}


def _party_name(text: str) -> str:
    """The name alone: before its code, a seal note, or an English clause that describes the
    party (", a company organized under PRC law"), and ending at its legal form (Co., Ltd.)."""
    codes = find_usccs(text)
    name = text[: codes[0].start] if codes else text
    name = _clean_text(re.split(r"\s{2,}|[（(]?(?:统一社会信用代码|USCC)", name)[0])
    name = _clean_text(_SIGNATURE_NOTE.sub("", name))
    described = _DESCRIPTION.search(name)
    if described:
        name = name[: described.start()]
    form = _LEGAL_FORM.search(name)
    if form:
        name = name[: form.end()]
    return _clean_text(name)


def _party(name: str, spec: KindSpec, hit: Hit, hits_on_page: set[int], letters: dict[str, str]) -> ExtractedField | None:
    if _is_ascii(hit.label) and not hit.colon:
        return None
    role = _role(spec, hit, letters)
    codes = find_usccs(hit.value)
    party_name = _party_name(hit.value)
    if role is None or not party_name or len(party_name) < 2:
        return None
    uscc = codes[0].value if codes else None
    if uscc is None:
        lines = hit.page.lines
        for number in range(hit.line_no + 1, min(hit.line_no + 5, len(lines))):
            if number in hits_on_page:
                break  # the next party's block starts: this party has no code
            m = _uscc_label().match(lines[number].text)
            if m:
                below = find_usccs(lines[number].text[m.end():])
                if below:
                    uscc = below[0].value
                break
    start = hit.value_start + hit.value.find(party_name[:1])
    return _field(name, "party", Party(role=role, name=party_name, uscc=uscc), hit.line, hit.page,
                  start, start + len(party_name))


# -- shareholder tables ---------------------------------------------------------------------

_DASHES = {"—", "-", "–", "——", "/", "无", "N/A", "n/a"}
# The share column's heading when it gives the unit, so that its cells carry no % sign:
# 出资比例（%）, Shareholding (%), 持股比例%.
_PERCENT_HEADING = re.compile(r"(?:[^\s（(]+\s?)?[（(]\s*[%％]\s*[）)]|\S*[%％]\S*")
_SHARE_CELL = re.compile(r"(?<!\S)(\d{1,3}(?:\.\d+)?)(?!\S)")


@dataclass(frozen=True)
class _ShareColumn:
    """Where the share column of a table whose heading says % stands: the x range its cells
    fall in (from midway to the heading on its left to midway to the one on its right), and
    its place counted in cells: how many follow the holder's and how many follow the share's."""

    left: float
    right: float
    measured: bool  # the header line has character boxes to measure the range with
    cells: int
    after: int


def _share_column(page: Page, line: Line) -> _ShareColumn | None:
    """The share column of a header row that gives the unit in its heading (出资比例（%）)."""
    text = line.text
    heading = _PERCENT_HEADING.search(text)
    if heading is None:
        return None
    cells = [m.span() for m in re.finditer(r"\S+", text)]
    before = [c for c in cells if c[1] <= heading.start()]
    after = [c for c in cells if c[0] >= heading.end()]
    measured = bool(line.boxes or line.index) and page.span_bbox(line, *heading.span()) != line.bbox

    def centre(span: tuple[int, int]) -> float:
        x0, _, x1, _ = page.span_bbox(line, *span)
        return (x0 + x1) / 2

    middle = centre(heading.span())  # x positions in points: geometry, not money, so floats
    left = (centre(before[-1]) + middle) / 2 if before else float("-inf")
    right = (centre(after[0]) + middle) / 2 if after else float("inf")
    return _ShareColumn(left, right, measured, cells=max(0, len(before) - 1) + 1 + len(after), after=len(after))


def _share_in_column(page: Page, line: Line, start: int, column: _ShareColumn) -> Decimal | None:
    """The share in a row whose cells carry no % sign: the number standing under the share
    heading (not a capital or a date in another column, nor a footer's page number). Without
    boxes to measure, or when nothing stands there, a full row (one cell under each heading)
    gives the cell in the share's place; a row with an empty cell gives none."""
    if column.measured:
        for m in _SHARE_CELL.finditer(line.text, start):
            x0, _, x1, _ = page.span_bbox(line, *m.span(1))
            if column.left <= (x0 + x1) / 2 <= column.right and Decimal(m.group(1)) <= 100:
                return Decimal(m.group(1))
    cells = re.findall(r"\S+", line.text[start:])
    if len(cells) != column.cells:
        return None
    cell = _SHARE_CELL.fullmatch(cells[len(cells) - 1 - column.after])
    return Decimal(cell.group(1)) if cell and Decimal(cell.group(1)) <= 100 else None


def _shareholder_row(name: str, line: Line, page: Page, column: _ShareColumn | None) -> ExtractedField | bool:
    """One row of a shareholder table: the holder's name, its code if any, and its share
    (the last percentage on the row, or the number in the share column when the heading says %).
    False when the line is not a row (the table ends), True for a row that names no holder."""
    text = line.text
    tokens = list(re.finditer(r"\S+", text))
    name_end = len(text)
    for tok in tokens[1:]:
        word = tok.group(0)
        if word in _DASHES or find_usccs(word) or re.fullmatch(r"[\d,.%％]+", word):
            name_end = tok.start()
            break
    percents = find_percents(text)
    share = percents[-1][2] if percents else _share_in_column(page, line, name_end, column) if column else None
    if share is None:
        return False
    holder = _clean_text(text[:name_end])
    if not holder:
        return True
    codes = find_usccs(text[name_end:])
    value = Shareholder(name=holder, uscc=codes[0].value if codes else None, share_pct=share.quantize(Decimal("0.01")))
    return _field(name, "shareholder", value, line, page, 0, name_end)


def _shareholders(name: str, fs: FieldSpec, pages: list[Page]) -> list[ExtractedField]:
    """Rows under a header that names shareholders and a share column, up to the total row.

    A table may run on over a page break: when it is still open at the foot of a page (only a
    footer or two after its last row), it goes on at the top of the next page, after that page's
    running header and any repeated header row.
    """
    header = _compiled(rf"^\s*(?:{_alternation(fs.labels)})")
    total = _compiled(rf"^\s*(?:{_alternation(kind_catalogue().blocks.total_labels)})\b")
    out: list[ExtractedField] = []
    carried: tuple[_ShareColumn | None] | None = None  # the table open at the foot of the last page
    for page in pages:
        table = carried  # (its share column,) while a table is open
        carried = None
        skip = _PAGE_FURNITURE if table is not None else 0  # running-header lines before its next row
        closed: tuple[int, tuple[_ShareColumn | None]] | None = None  # the line that closed a table, and it
        for number, line in enumerate(page.lines):
            text = line.text
            if header.match(text) and re.search(r"比例|%|Share|Percent|Holding", text, re.IGNORECASE):
                table, skip, closed = (_share_column(page, line),), 0, None
                continue
            if table is None:
                continue
            ends = bool(total.match(text))
            row = False if ends else _shareholder_row(name, line, page, table[0])
            if row is False:
                if skip and not ends:
                    skip -= 1
                    continue
                closed = None if ends else (number, table)
                table = None
                continue
            skip = 0
            if not isinstance(row, bool):
                out.append(row)
        if table is not None:
            carried = table
        elif closed is not None and len(page.lines) - closed[0] <= _PAGE_FURNITURE:
            carried = closed[1]  # only the page's footer followed its last row
    return out


# -- regulators -----------------------------------------------------------------------------

@cache
def _regulator_cues() -> list[tuple[str, re.Pattern[str]]]:
    from toolkit.regulators import regulator_table

    out = []
    for rid, spec in regulator_table().items():
        for cue in spec["cues"]:
            boundary = r"\b" if cue[:1].isascii() and cue[:1].isalnum() else ""
            end = r"\b" if cue[-1:].isascii() and cue[-1:].isalnum() else ""
            out.append((rid, re.compile(rf"{boundary}{re.escape(cue)}{end}", re.IGNORECASE if len(cue) > 4 else 0)))
    return out


def _regulator_in(text: str) -> tuple[str, int, int] | None:
    """The regulator named earliest in the text (the longest cue at the same place)."""
    best: tuple[int, int, str] | None = None
    for rid, pattern in _regulator_cues():
        m = pattern.search(text)
        if m and (best is None or (m.start(), -(m.end() - m.start())) < (best[0], -(best[1] - best[0]))):
            best = (m.start(), m.end(), rid)
    return (best[2], best[0], best[1]) if best else None


# -- the whole document ---------------------------------------------------------------------

def _anywhere(name: str, fs: FieldSpec, hits: list[Hit], pages: list[Page], found: Found) -> ExtractedField | None:
    for hit in hits:  # lines with a label first
        got = _typed(name, fs, hit, found)
        if got is not None:
            return got
    for page in pages:
        for number, line in enumerate(page.lines):
            whole = Hit(page, number, line, "", "", True, 0, len(line.text))
            got = _typed(name, fs, whole, found)
            if got is not None:
                return got
    return None


def _phrase(name: str, fs: FieldSpec, pages: list[Page]) -> ExtractedField | None:
    pattern = _compiled(_alternation(fs.labels))
    for page in pages:
        for line in page.lines:
            m = pattern.search(line.text)
            if m:
                return _field(name, "text", m.group(0), line, page, m.start(), m.end())
    return None


def find_fields(kind: str, pages: list[Page]) -> Found:
    """Every field of `kind` found in the pages, in the order the kind lists them."""
    spec = kind_catalogue().kinds[kind]
    found = Found()
    by_field: dict[str, list[Hit]] = {}
    for name, hit in _hits(pages, kind):
        by_field.setdefault(name, []).append(hit)
    party_lines: dict[int, set[int]] = {}
    party_hits = [h for name, hs in by_field.items() if spec.fields[name].type == "party" for h in hs]
    for hit in party_hits:
        party_lines.setdefault(hit.page.number, set()).add(hit.line_no)
    letters = _letters(spec, party_hits)
    for name, fs in spec.fields.items():
        hits = by_field.get(name, [])
        if fs.type == "shareholder":
            found.fields += _shareholders(name, fs, pages)
            continue
        if fs.find == "phrase":
            got = _phrase(name, fs, pages)
            found.fields += [got] if got else []
            continue
        if fs.find == "anywhere":
            got = _anywhere(name, fs, hits, pages, found)
            found.fields += [got] if got else []
            continue
        if not fs.many and fs.type != "party":
            got = _single(name, fs, hits, found)
            found.fields += [got] if got else []
            continue
        seen: set[str] = set()
        for hit in hits:
            if fs.type == "party":
                got = _party(name, spec, hit, party_lines.get(hit.page.number, set()), letters)
            else:
                got = _typed(name, fs, hit, found)
            if got is None:
                continue
            key = _dedupe_key(got)
            if key in seen:
                continue
            seen.add(key)
            found.fields.append(got)
            if not fs.many:
                break
    return found


def _single(name: str, fs: FieldSpec, hits: list[Hit], found: Found) -> ExtractedField | None:
    """The value of a single field: from its most specific label (kinds.yaml lists a field's
    labels from the most to the least specific), the first line in the document among equals.

    An amount is stated once or agrees with itself: a different amount under any label of the
    field (an amended upfront payment, 首付款 and Upfront Payment that differ) means the document
    itself is ambiguous, so there is no value and a warning, not the first one. Only a label that
    is part of the winning one (金额 under 入账金额, Amount under Remittance Amount) may state
    another amount: it is the generic word, and may be some other amount on the page. Nor does
    a row of several amounts (营业收入 this year, last year) contradict a row elsewhere: such a
    table is repeated for other periods and entities (the parent company's own statements), so
    its first row is the one the document leads with.
    """
    rank = {label.casefold(): number for number, label in reversed(list(enumerate(fs.labels)))}
    ordered = sorted(hits, key=lambda h: rank.get(h.label.casefold(), len(rank)))
    for number, hit in enumerate(ordered):
        got = _typed(name, fs, hit, found)
        if got is None:
            continue
        if fs.type == "money":
            for other in ordered[number + 1:]:
                generic = other.label.casefold()
                if generic != hit.label.casefold() and generic in hit.label.casefold():
                    continue
                if _columns(hit) > 1 or _columns(other) > 1:
                    continue
                again = _typed(name, fs, other, found)
                if again is not None and again.value != got.value:
                    found.warnings.append(FieldWarning("extract.warn.amounts_disagree", {
                        "field": name, "page": got.page, "first": _shown(got), "other_page": again.page,
                        "other": _shown(again)}))
                    return None
        return got
    return None


def _columns(hit: Hit) -> int:
    """How many amounts in figures the hit's value gives (after 即 / i.e. picked the one meant)."""
    value = hit.value
    return sum(m.notation == "figures" for m in _namely(find_money(value), value))


def _shown(f: ExtractedField) -> str:
    """An amount as the document printed it, for a warning (USD 25,000,000)."""
    value = f.value
    return f"{value.currency} {value.amount:,}" if isinstance(value, Money) else str(value)


def _dedupe_key(f: ExtractedField) -> str:
    value = f.value
    if isinstance(value, Party):
        plain = re.sub(r"[\s（）()]", "", value.name).casefold()
        return f"{value.role}|{plain}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
