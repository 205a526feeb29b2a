"""The checker end to end on a dossier folder, with the extractor injected (no PDF reading here)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from toolkit.check.engine import CheckOptions, check_path
from toolkit.check.formats import to_json, to_junit, to_markdown, to_sarif
from toolkit.check.waivers import Waiver, load_waivers
from toolkit.errors import WaiverError
from toolkit.model.extraction import ExtractionResult, Withheld

MANIFEST = """\
measure: m37-intl-exhibition
year: 2025
applicant:
  name: 上海澄源生物医药有限公司
  uscc: 91310115MA1H8R2X46
documents:
  - file: documents/licence.pdf
    kind: business_license
  - file: documents/booth.pdf
    kind: exhibition_record
  - file: documents/invoice.pdf
    kind: invoice
facts:
  event: 2025 BIO International Convention
"""

FIELDS = {
    "documents/licence.pdf": ("business_license", [
        ("company_name", "text", "上海澄源生物医药有限公司"), ("uscc", "uscc", "91310115MA1H8R2X46"),
        ("registration_authority", "text", "上海市浦东新区市场监督管理局"),
        ("registered_address", "text", "中国（上海）自由贸易试验区张江路88号"),
        ("business_scope", "text", "生物医药技术开发；药品研发")]),
    "documents/booth.pdf": ("exhibition_record", [
        ("event", "text", "2025 BIO International Convention"), ("event_date", "date", "2025-06-16"),
        ("exhibitor", "text", "上海澄源生物医药有限公司")]),
    "documents/invoice.pdf": ("invoice", [
        ("invoice_total", "money", {"amount": "86000.00", "currency": "CNY"})]),
}


def fake_extractor(dossier, settings=None, cache=None):
    out = []
    for doc in dossier.documents:
        kind, fields = FIELDS[doc.file]
        out.append(ExtractionResult.model_validate({
            "file": doc.file, "kind": kind, "kind_confidence": 0.9, "pages": 1, "page_sources": ["text"],
            "fields": [{"name": n, "type": t, "value": v, "page": 1, "bbox": [72.04, 100 + 20 * i, 300.0, 112.0],
                        "text": f"{n}：{v}", "confidence": 0.98} for i, (n, t, v) in enumerate(fields)]}))
    return out


@pytest.fixture
def dossier(tmp_path):
    d = tmp_path / "m37-demo"
    (d / "documents").mkdir(parents=True)
    (d / "dossier.yaml").write_text(MANIFEST, encoding="utf-8")
    for f in FIELDS:
        (d / f).write_bytes(b"%PDF-1.4\n")
    return d


def options(**kw):
    return CheckOptions(extractor=fake_extractor, clock=lambda: dt.date(2026, 1, 15), **kw)


def test_passing_dossier(dossier):
    r = check_path(dossier, "m37-demo", options()).report
    assert r.verdict == "pass", [(f.code, f.status, f.message) for f in r.findings]
    assert r.support.eligible_cny == Decimal("43000.00")
    assert r.support.explanation == ("50% of spending on the event CNY 86,000.00 = CNY 43,000.00; under the cap CNY 50,000.00; "
                                     "the toolkit's reading: \"Per project\" is read as per event (one exhibition or activity); "
                                     "spending counts at the invoice total including VAT")
    assert r.summary.model_dump(by_alias=True) == {"pass": 12, "fail": 0, "needs_review": 0, "waived": 0, "not_applicable": 1}
    ev = next(f for f in r.findings if f.code == "COMMON-REGISTERED-SHANGHAI").evidence
    assert ev[0].file == "documents/licence.pdf" and ev[0].page == 1 and ev[0].bbox == (72.0, 140.0, 300.0, 112.0)


def test_same_inputs_same_bytes(dossier):
    a = to_json(check_path(dossier, "m37-demo", options()).report)
    b = to_json(check_path(dossier, "m37-demo", options()).report)
    assert a == b and "\n" not in a


def test_every_format(dossier):
    r = check_path(dossier, "m37-demo", options()).report
    sarif = json.loads(to_sarif([r]))
    assert sarif["version"] == "2.1.0"
    ids = [x["id"] for x in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert "M37-SUPPORT-BASIS" in ids
    junit = to_junit([r])
    assert junit.count("<testcase") == len(r.findings)
    md = to_markdown(r)
    assert "pre-check against 沪府办规〔2024〕9号" in md


def test_waiver_turns_a_failure_into_waived(dossier, tmp_path):
    (dossier / "dossier.yaml").write_text(MANIFEST.replace("91310115MA1H8R2X46", "91310115MA1H8R2X47"), encoding="utf-8")
    r = check_path(dossier, "m37-demo", options()).report
    assert r.verdict == "fail"
    w = Waiver(dossier="m37-demo", rule="COMMON-USCC", reason="typo confirmed by phone", by="reviewer Li",
               date=dt.date(2026, 1, 10))
    stale = Waiver(dossier="m37-demo", rule="M37-INTERNATIONAL-EVENT", reason="not failing", by="x", date=dt.date(2026, 1, 10))
    r = check_path(dossier, "m37-demo", options(waivers=[w, stale])).report
    codes = {f.code: f.status for f in r.findings}
    assert codes["COMMON-USCC"] == "waived"
    assert r.summary.waived == 1
    assert any("matches no failing rule" in x for x in r.warnings)


def test_waiver_file_needs_reason_by_and_date(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text("- dossier: a\n  rule: COMMON-USCC\n  by: me\n  date: 2026-01-01\n", encoding="utf-8")
    with pytest.raises(WaiverError, match=r"w.yaml:1: waivers.0.reason: Field required"):
        load_waivers(p)


def test_declared_fact_contradicted_fails(dossier):
    (dossier / "dossier.yaml").write_text(MANIFEST.replace("2025 BIO International Convention", "MEDICA 2025"), encoding="utf-8")
    r = check_path(dossier, "m37-demo", options()).report
    f = next(f for f in r.findings if f.code == "COMMON-DECLARED-FACTS")
    assert f.status == "fail" and r.verdict == "fail"


def test_the_same_invoice_twice_counts_once(dossier):
    """Listed twice, or copied under another name, one invoice's total was added twice to the
    basis (CNY 1.8 m became 2.86 m in a reviewer's probe): the same content counts once, and
    the report says so."""
    (dossier / "documents" / "invoice-copy.pdf").write_bytes(b"%PDF-1.4\n")
    text = MANIFEST.replace("facts:", "  - file: documents/invoice-copy.pdf\n    kind: invoice\nfacts:")
    (dossier / "dossier.yaml").write_text(text, encoding="utf-8")

    def extractor(d, settings=None, cache=None):
        FIELDS["documents/invoice-copy.pdf"] = FIELDS["documents/invoice.pdf"]
        try:
            results = fake_extractor(d)
        finally:
            del FIELDS["documents/invoice-copy.pdf"]
        return [r.model_copy(update={"sha256": "same" if "invoice" in r.file else r.file}) for r in results]

    r = check_path(dossier, "m37-demo", CheckOptions(extractor=extractor, clock=lambda: dt.date(2026, 1, 15))).report
    assert r.support.basis_cny == Decimal("86000.00")
    assert "documents/invoice.pdf, documents/invoice-copy.pdf are the same file" in r.warnings[0]


def test_a_listed_document_missing_from_the_folder_fails(dossier):
    """Listed, so part of the filing: its absence was only a warning, and the verdict passed."""
    (dossier / "dossier.yaml").write_text(
        MANIFEST.replace("facts:", "  - file: documents/invoice-2.pdf\n    kind: invoice\nfacts:"), encoding="utf-8")
    r = check_path(dossier, "m37-demo", options()).report
    docs = next(f for f in r.findings if f.code == "COMMON-DOCUMENTS")
    assert (r.verdict, docs.status) == ("fail", "fail")
    assert docs.message == "listed in the manifest but not in the folder: documents/invoice-2.pdf; add the file or remove its entry"


def test_a_withheld_value_sends_the_dossier_to_review(dossier):
    """A document that contradicts itself (words and figures disagree) is a reviewer's call,
    whatever else the check could compute from."""
    def extractor(d, settings=None, cache=None):
        out = fake_extractor(d)
        held = {"field": "invoice_total", "page": 1, "reason": "extract.warn.amounts_disagree",
                "message": "invoice_total: page 1 gives CNY 86,000.00 but page 1 gives CNY 68,000.00; a person must decide which applies"}
        return [r.model_copy(update={"withheld": [Withheld(**held)]}) if r.file == "documents/invoice.pdf" else r for r in out]

    r = check_path(dossier, "m37-demo", CheckOptions(extractor=extractor, clock=lambda: dt.date(2026, 1, 15))).report
    finding = next(f for f in r.findings if f.code == "COMMON-READ-CONSISTENT")
    assert (r.verdict, finding.status) == ("needs_review", "needs_review")
    assert finding.evidence[0].file == "documents/invoice.pdf" and finding.evidence[0].page == 1


def test_an_invoice_billed_to_another_company_is_not_counted(dossier):
    """m36b and m37 pay on the applicant's own spending: an invoice whose buyer is another
    company was summed into the basis (m37: 50,000 instead of 43,000)."""
    (dossier / "documents" / "invoice-2.pdf").write_bytes(b"%PDF-1.4\n")
    (dossier / "dossier.yaml").write_text(
        MANIFEST.replace("facts:", "  - file: documents/invoice-2.pdf\n    kind: invoice\nfacts:"), encoding="utf-8")
    buyer = {"role": "buyer", "name": "上海瀚博生物科技有限公司"}

    def extractor(d, settings=None, cache=None):
        FIELDS["documents/invoice-2.pdf"] = ("invoice", [("invoice_total", "money", {"amount": "14000.00", "currency": "CNY"}),
                                                        ("party", "party", buyer)])
        try:
            return fake_extractor(d)
        finally:
            del FIELDS["documents/invoice-2.pdf"]

    r = check_path(dossier, "m37-demo", CheckOptions(extractor=extractor, clock=lambda: dt.date(2026, 1, 15))).report
    assert r.support.basis_cny == Decimal("86000.00")
    assert r.support.eligible_cny == Decimal("43000.00")
    assert "documents/invoice-2.pdf is billed to 上海瀚博生物科技有限公司, not the applicant: not counted" in r.support.explanation
