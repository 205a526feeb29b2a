"""Facts read from real-world PDFs nobody in this project wrote (../shared/corpus/).

The reader's own corpus test holds every file to a result or a clear error; this one holds
a few files that carry dates, amounts or company names to the exact facts they state.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import CORPUS, need

from toolkit.extract import extract_file
from toolkit.model.common import Money
from toolkit.model.extraction import Party

CASES = [
    # file, declared kind (None: classified), expected kind, {field: value}
    ("invoice2data__AmazonWebServices.pdf", None, "invoice", {
        "invoice_no": "42183017",
        "issue_date": dt.date(2014, 8, 3),  # "August 3 , 2014": a space before the comma
        "invoice_total": Money(amount=Decimal("4.11"), currency="USD"),
    }),
    ("pdfminer__issue_566_test_2.pdf", "cmo_contract", "cmo_contract", {
        # 甲方：中国饮料有限公司（盖章）: the seal note is not part of the name
        "party": Party(role="commissioning_party", name="中国饮料有限公司", uscc=None),
    }),
    ("pdfplumber__issue-67-example.pdf", None, "financial_statement", {
        "company_name": "东北电气发展股份有限公司",
        "revenue": Money(amount=Decimal("4755785.11"), currency="CNY"),  # 营业收入（元）: the unit in the label
    }),
]


@pytest.mark.parametrize(("name", "declared", "kind", "facts"), CASES, ids=[c[0] for c in CASES])
def test_real_documents_give_their_facts(name, declared, kind, facts):
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    result = extract_file(CORPUS / name, kind=declared)
    assert result.error is None and result.kind == kind
    for field, value in facts.items():
        found = result.first(field)
        assert found is not None, (field, [f.name for f in result.fields])
        assert found.value == value, (field, found.value, found.text)


@pytest.mark.parametrize("name", ["invoice2data__QualityHosting.pdf", "invoice2data__free_fiber.pdf"])
def test_documents_of_no_known_kind_are_other_not_a_guess(name):
    """A German Rechnung and a French facture match no kind's cues well enough: `other`."""
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    result = extract_file(CORPUS / name)
    assert (result.kind, result.kind_confidence, result.fields) == ("other", 0.0, [])
