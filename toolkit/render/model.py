"""The form data model: everything an application form may show, built from one checked dossier.

Why a model of its own rather than handing templates the manifest, the extractions and the
report: a template should read `form.applicant.address`, not know that the address is the
`registered_address` field of the first readable business licence (or institution
certificate). The model is also the contract `dossier lint` checks templates against: every
dotted path a template uses must exist here (toolkit/render/paths.py), and a required field
no template shows is reported.

Values are typed: money stays `Decimal` (templates format it with the `money` and
`capitals` filters), dates stay `datetime.date`. Texts that come from documents are already
in the form's language where the toolkit writes them (kind names, field labels, verdict,
finding messages). A value the dossier does not give is `None`; the template context turns
it into a visible "missing" marker and a warning (toolkit/render/engine.py).

`facts` and `parties` are open mappings keyed by document kind and field (or party role) as
toolkit/data/kinds.yaml names them, so an item's template can show the facts of its own
documents (`form.facts.payment_receipt.credited_amount.value`,
`form.parties.license_agreement.licensee.value`) and lint can still check the names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from toolkit.model.common import StrictModel


class FormFact(StrictModel):
    """One fact read from a document, as the form shows it, with where it was read."""

    label: str = Field(description="the field's name in the form language (kinds.yaml labels)")
    value: str = Field(description="the value written for the form language (money, dates, parties)")
    page: int
    where: str = Field(description="file and page, e.g. `documents/bank-receipt.pdf, p. 1`")
    amount: Decimal | None = Field(None, description="for money facts: the exact amount")
    currency: str | None = None
    date: dt.date | None = Field(None, description="for date facts: the date")


class FormDocFact(StrictModel):
    """A fact in a document's list (the annex): the document is known, so only the page."""

    label: str
    value: str
    page: int


class FormApplicant(StrictModel):
    """The applicant: name and USCC as filed, the rest as its licence says."""

    name: str
    uscc: str
    address: str | None = Field(description="registered address (住所) from the licence")
    legal_representative: str | None = Field(description="法定代表人, from the licence")
    registration_authority: str | None = Field(description="登记机关, from the licence")
    entity_type: str | None = Field(None, description="类型, from the licence")
    established: dt.date | None = Field(None, description="成立日期, from the licence")
    source: str | None = Field(description="where the licence facts were read (file and page)")


class FormItem(StrictModel):
    """The support item applied for, and the policy it rests on."""

    id: str
    measure: int
    title: str
    sub_item: str | None
    sub_item_title: str | None
    supports: str
    clause: str | None
    citation: str = Field(description="the policy text of the item's clause (English: the translation)")
    policy_number: str
    policy_title: str
    year: int


class FormSubject(StrictModel):
    """What the filing is about: the declared product, project, contract or event."""

    product: str | None
    project: str | None
    contract_no: str | None
    event: str | None


class FormCap(StrictModel):
    label: str
    scope: str = Field("", description="per_project, per_product, per_event, per_item, per_unit_year")
    amount: Decimal
    remaining: Decimal | None = None
    binding: bool = False


class FormSupport(StrictModel):
    """The amounts: applied for and computed, with the arithmetic and the toolkit's reading."""

    kind: Literal["grant", "guarantee_limit"]
    requested: Decimal | None
    eligible: Decimal | None
    basis: Decimal | None
    basis_label: str | None
    rate: Decimal | None
    caps: list[FormCap] = Field(description="every cap that applies; `binding` marks the one that bound")
    explanation: str
    interpretation: str | None = Field(None, description="the toolkit's reading (the explanation quotes it too)")
    provisional: bool = Field(description="the verdict needs review: the amount is provisional")


class FormFinding(StrictModel):
    code: str
    status_text: str
    message: str
    evidence: str = Field(description="file and page the finding rests on, comma-separated")


class FormCheck(StrictModel):
    """The pre-check's verdict and its findings, summarised for the form."""

    verdict: Literal["pass", "fail", "needs_review"]
    verdict_text: str
    passed: int
    failed: int
    needs_review: int
    waived: int
    not_applicable: int
    findings: list[FormFinding]
    problems: list[FormFinding] = Field(description="findings that fail, need review or are waived")
    disclaimer: str
    toolkit_version: str
    checklist_digest: str


class FormRequirement(StrictModel):
    """A document kind the item requires, and whether the dossier holds one (a checkbox)."""

    name: str
    present: bool
    files: list[str]


class FormDocument(StrictModel):
    """One submitted document: its kind, pages, and the pages its facts were read from."""

    number: int
    file: str
    kind_name: str
    pages: int | None
    fact_pages: list[int] = Field(description="the pages facts were read from")
    status: str = Field(description="read / read by OCR / why it could not be read / file missing")
    facts: list[FormDocFact]


class FormData(StrictModel):
    """Everything an application form may show about one dossier."""

    lang: Literal["en", "zh"]
    dossier: str
    applicant: FormApplicant
    item: FormItem
    subject: FormSubject
    support: FormSupport
    check: FormCheck
    required: list[FormRequirement]
    documents: list[FormDocument]
    facts: dict[str, dict[str, FormFact]] = Field(
        description="kind -> field -> the first value read (manifest order); kinds.yaml names")
    parties: dict[str, dict[str, FormFact]] = Field(
        description="kind -> party role -> the first party read in that role; kinds.yaml roles")


def fact_value_text(ftype: str, value: Any, lang: str) -> tuple[str, dict[str, Any]]:
    """A field value as the form writes it, and the typed extras (amount, currency, date)."""
    from toolkit.i18n.formats import format_date, format_money
    from toolkit.model.common import Money
    from toolkit.model.extraction import Approval, Party, Shareholder

    if isinstance(value, Money):
        return format_money(value.amount, lang, value.currency), {"amount": value.amount, "currency": value.currency}
    if isinstance(value, dt.date):
        return format_date(value, lang), {"date": value}
    if isinstance(value, Party):
        return value.name + (f" ({value.uscc})" if value.uscc else ""), {}
    if isinstance(value, Shareholder):
        share = f" {format(value.share_pct, 'f')}%" if value.share_pct is not None else ""
        return value.name + share, {}
    if isinstance(value, Approval):
        return value.number, {}
    if isinstance(value, Decimal):
        return format(value, "f") + ("%" if ftype == "percent" else ""), {}
    return str(value), {}
