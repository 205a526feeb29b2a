"""What extraction produces for one file (../shared/spec/interfaces.md §3).

Every field carries its provenance: page (1-based), bbox in PDF points from the page's
top-left, the text it was read from, and a confidence (OCR'd fields score lower).
A file that cannot be read has `error` (a stable reason and a message), never an empty
result that looks like success.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from toolkit.model.common import BBox, DecimalStr, Money, StrictModel

FieldType = Literal[
    "text", "date", "money", "uscc", "percent", "number", "party", "shareholder",
    "approval", "regulator",
]
PageSource = Literal["text", "ocr", "unreadable"]


class Party(StrictModel):
    """A party to a document, in the role its label gives it (委托方 -> commissioning_party)."""

    role: str
    name: str
    uscc: str | None = None


class Shareholder(StrictModel):
    """One row of a shareholder table: who holds what share of the report's company."""

    name: str
    uscc: str | None = None
    share_pct: DecimalStr | None = None


class Approval(StrictModel):
    """An approval or registration number and the scheme its pattern matched."""

    number: str
    scheme: str = Field(description="fda_nda, fda_bla, fda_anda, fda_ind, fda_510k, eu_centralised, ce_certificate, pmda, nmpa_acceptance, nmpa_device_domestic, nmpa_device_import, who_pq, other")


FieldValue = Money | Party | Shareholder | Approval | dt.date | DecimalStr | str


class ExtractedField(StrictModel):
    """One fact read from a document, with where it was read.

    Each field `type` has its own class below, whose `value` is of that type alone; a
    field read back from JSON (the cache, golden files) is told apart by `type`
    (`AnyField`), so its value comes back typed without trying every kind in turn.
    """

    name: str
    type: FieldType
    value: FieldValue
    page: int = Field(ge=1)
    bbox: BBox
    text: str = Field(description="the line of text the value was read from")
    confidence: float = Field(ge=0, le=1)


class MoneyField(ExtractedField):
    """An amount and its currency (a down payment, a premium, an invoice total)."""

    type: Literal["money"]
    value: Money


class PartyField(ExtractedField):
    """A party in its role (commissioning_party, licensee...)."""

    type: Literal["party"]
    value: Party


class ShareholderField(ExtractedField):
    """One row of a shareholder table."""

    type: Literal["shareholder"]
    value: Shareholder


class ApprovalField(ExtractedField):
    """An approval or registration number and its scheme."""

    type: Literal["approval"]
    value: Approval


class DateField(ExtractedField):
    """A date (signing, value, approval...)."""

    type: Literal["date"]
    value: dt.date


class NumberField(ExtractedField):
    """A number or a percentage, exact."""

    type: Literal["number", "percent"]
    value: DecimalStr


class TextField(ExtractedField):
    """Text as read: a name, an address, a USCC, a regulator."""

    type: Literal["text", "uscc", "regulator"]
    value: str


AnyField = Annotated[
    MoneyField | PartyField | ShareholderField | ApprovalField | DateField | NumberField | TextField,
    Field(discriminator="type"),
]
_FIELD = TypeAdapter(AnyField)


def extracted_field(**data: Any) -> ExtractedField:
    """A field of the class its `type` names, validated."""
    return _FIELD.validate_python(data)  # type: ignore[no-any-return]


class Withheld(StrictModel):
    """A value a page gives that extraction did not take, because it reads two ways (the words
    and the figures disagree, the same amount is stated twice differently, no currency): the
    check sends the document to a reviewer instead of deciding on what else it can read."""

    field: str
    page: int = Field(ge=1)
    reason: str = Field(description="message-catalogue key of why")
    message: str = Field(description="why, in English")


class ExtractionResult(StrictModel):
    """One file's extraction (one JSON line of `dossier extract --format json`)."""

    schema_version: Literal[1] = Field(1, alias="schema")
    file: str
    sha256: str | None = None
    kind: str | None = None
    kind_confidence: float = Field(0.0, ge=0, le=1)
    kind_declared: str | None = Field(None, description="the manifest's kind, when given")
    pages: int = 0
    page_sources: list[PageSource] = Field(default_factory=list)
    fields: list[AnyField] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    withheld: list[Withheld] = Field(default_factory=list, description="values the pages give but that read two ways")
    error: str | None = None
    error_reason: str | None = Field(
        None, description="stable code: not_pdf, empty, damaged, encrypted, too_large, too_many_pages, timed_out, out_of_memory, ocr_budget"
    )
    error_key: str | None = Field(None, description="message-catalogue key of `error` (to say it in another language)")
    error_params: dict[str, str] = Field(default_factory=dict, description="the parameters of `error_key`")

    def error_text(self, lang: str) -> str | None:
        """The error in the given language (the English `error` when no key came with it)."""
        if self.error is None or self.error_key is None:
            return self.error
        from toolkit.i18n import t

        return t(self.error_key, lang, **self.error_params)

    def get(self, name: str) -> list[ExtractedField]:
        return [f for f in self.fields if f.name == name]

    def first(self, name: str) -> ExtractedField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def readable(self) -> bool:
        """Read without error and with at least one page of text (layer or OCR)."""
        return self.error is None and any(s != "unreadable" for s in self.page_sources)
