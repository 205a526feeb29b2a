"""Find a kind's fields in its pages: labels, values typed by the field, and where they stand.

The knowledge is data (toolkit/data/kinds.yaml): for each kind, its fields, their types and
their Chinese and English labels. This module only knows how documents lay a label and its
value out:

- ``名称：上海澄源生物医药有限公司`` / ``Effective Date: March 3, 2025``: a label at the start
  of a line (after any clause number), then a colon, then the value;
- ``汇款金额 USD 25,000,000.00``: a table row, label and value separated by spaces (Chinese
  labels, or any label whose value has a pattern: money, dates, codes);
- ``甲方（委托方）：…`` then ``统一社会信用代码：…``: a party block, its role from the label;
- ``股东名称 统一社会信用代码 … 出资比例`` then rows: a shareholder table;
- ``价税合计（大写）捌拾肆万捌仟元整（小写）¥848,000.00``: an amount in words and figures,
  both read; when they disagree the field is not reported and a warning says so.

The first line that yields a value wins for a single field (documents state the defining
value first; signature blocks repeat it at the end); `many` fields collect every distinct one.
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
from toolkit.parse.money import MoneyMatch, find_money
from toolkit.read.model import Line, Page

_CLAUSE = r"(?:[（(]?\d{1,2}[)）.、]\s*|[一二三四五六七八九十]{1,3}[、.]\s*)?"
_PAREN = r"(?:\s*[（(][^）)]{0,16}[）)])"
# Any short label and a colon after a space starts the next field on the same line
# (保险人：… 经办：周洋), whether or not the kind knows that label.
_NEXT_LABEL = r"\s+(?:[\u4e00-\u9fff]{1,8}|[A-Z][A-Za-z]{1,15}(?:\s[A-Za-z]{1,15})?)(?:[（(][^）)]{0,12}[）)])?[:：]"
# A statement's currency and unit for figures that carry none: 货币单位：人民币元, 单位：万元.
_UNIT_NOTE = re.compile(r"(?:货币|金额)?单位\s*[:：]\s*(?P<cur>人民币|美元|欧元|日元)?\s*(?P<unit>万元|千元|元)"
                        r"|(?:Currency|Amounts? in)\s*[:：]?\s*(?P<en>[A-Z]{3})\b")
_UNIT_FACTOR = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}
OCR_FACTOR = 0.85  # an OCR'd field is less certain than one read from a text layer


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
    inner = re.compile(rf"\s(?:{alt}){_PAREN}?\s*[:：]|(?<=\S)(?:{alt}){_PAREN}?\s*[:：]|{_NEXT_LABEL}", re.IGNORECASE)
    return LabelIndex(start, inner, owner)


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


def _hits(pages: list[Page], kind: str) -> Iterator[tuple[str, Hit]]:
    index = _index(kind)
    for page in pages:
        for number, line in enumerate(page.lines):
            m = index.start.match(line.text)
            if not m:
                continue
            start = m.end()
            cut = index.inner.search(line.text, start)
            end = cut.start() if cut else len(line.text)
            hit = Hit(page, number, line, m.group("label"), (m.group("paren") or "").strip(),
                      ":" in m.group("sep") or "：" in m.group("sep") or (not m.group("sep").strip() and bool(m.group("paren"))),
                      start, end)
            for name in index.owner.get(m.group("label").casefold(), []):
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
        matches = find_money(value)
        if not matches or all(m.currency is None for m in matches):
            matches = _with_unit_note(matches, value, page)
        chosen, warning = _pick_money(matches, hit.paren + " " + line.text)
        if warning is not None:
            found.warnings.append(FieldWarning(warning.key, {**warning.params, "field": name, "page": page.number}))
        if chosen is None:
            return None
        money = Money(amount=chosen.amount, currency=chosen.currency or "CNY")
        return _field(name, "money", money, line, page, offset + chosen.start, offset + chosen.end)
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
        items = find_percents(value) if fs.type == "percent" else find_numbers(value)
        if not items:
            return None
        start, end, number = items[0]
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


def _with_unit_note(matches: list[MoneyMatch], value: str, page: Page) -> list[MoneyMatch]:
    """Figures on a statement whose heading gives the currency and unit (货币单位：人民币元)."""
    note = next((m for line in page.lines if (m := _UNIT_NOTE.search(line.text))), None)
    if note is None:
        return matches
    currency = "CNY" if note.group("unit") and note.group("cur") in (None, "人民币") else None
    currency = {"美元": "USD", "欧元": "EUR", "日元": "JPY"}.get(note.group("cur") or "", currency)
    currency = note.group("en") or currency
    factor = _UNIT_FACTOR.get(note.group("unit") or "元", Decimal(1))
    if not matches:
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


def _role(spec: KindSpec, hit: Hit) -> str | None:
    roles = {k.casefold(): v for k, v in spec.roles.items()}
    inside = hit.paren.strip("（）() ")
    return roles.get(hit.label.casefold()) or roles.get(inside.casefold())


def _party(name: str, spec: KindSpec, hit: Hit, hits_on_page: set[int], found: Found) -> ExtractedField | None:
    if _is_ascii(hit.label) and not hit.colon:
        return None
    role = _role(spec, hit)
    codes = find_usccs(hit.value)
    party_name = hit.value[: codes[0].start] if codes else hit.value
    party_name = _clean_text(re.split(r"\s{2,}|[（(]?(?:统一社会信用代码|USCC)", party_name)[0])
    party_name = _clean_text(_SIGNATURE_NOTE.sub("", party_name))
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


def _shareholders(name: str, fs: FieldSpec, pages: list[Page]) -> list[ExtractedField]:
    """Rows under a header that names shareholders and a share column, up to the total row."""
    header = _compiled(rf"^\s*(?:{_alternation(fs.labels)})")
    total = _compiled(rf"^\s*(?:{_alternation(kind_catalogue().blocks.total_labels)})\b")
    out: list[ExtractedField] = []
    for page in pages:
        in_table = False
        for line in page.lines:
            text = line.text
            if header.match(text) and re.search(r"比例|%|Share|Percent|Holding", text, re.IGNORECASE):
                in_table = True
                continue
            if not in_table:
                continue
            percents = find_percents(text)
            if total.match(text) or not percents:
                in_table = False
                continue
            start_pct, end_pct, share = percents[-1]
            tokens = list(re.finditer(r"\S+", text))
            name_end = len(text)
            for tok in tokens[1:]:
                word = tok.group(0)
                if word in _DASHES or find_usccs(word) or re.fullmatch(r"[\d,.%％]+", word):
                    name_end = tok.start()
                    break
            holder = _clean_text(text[:name_end])
            codes = find_usccs(text[name_end:])
            if not holder:
                continue
            value = Shareholder(name=holder, uscc=codes[0].value if codes else None, share_pct=share.quantize(Decimal("0.01")))
            out.append(_field(name, "shareholder", value, line, page, 0, name_end))
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
    for hit in [h for name, hs in by_field.items() if spec.fields[name].type == "party" for h in hs]:
        party_lines.setdefault(hit.page.number, set()).add(hit.line_no)
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
        seen: set[str] = set()
        for hit in hits:
            if fs.type == "party":
                got = _party(name, spec, hit, party_lines.get(hit.page.number, set()), found)
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


def _dedupe_key(f: ExtractedField) -> str:
    value = f.value
    if isinstance(value, Party):
        plain = re.sub(r"[\s（）()]", "", value.name).casefold()
        return f"{value.role}|{plain}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
