"""Policy data: the measure catalogue and the checklist of each fundable support item.

A checklist (checklists/<item-id>.yaml) holds what the policy says about one support item:
its sub-items, the base quantity the support is computed on, the rate and the caps as
*dated parameters* (a value holds from a date, as OpenFisca does it, each with its
citation), the validity window, the documents a filing needs, and the rules a filing is
checked against. Rules name a rule type (toolkit/check/rules.py) and its parameters; the
rule type's own parameter model validates them when the checklist loads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from toolkit.model.common import Citation, DecimalStr, StrictModel
from toolkit.model.manifest import DocKind

Bilingual = dict[Literal["en", "zh"], str]


class DatedValue(StrictModel):
    """A parameter whose value holds from a date until the next dated value."""

    values: dict[dt.date, DecimalStr] = Field(min_length=1)
    citation: Citation

    @field_validator("values", mode="before")
    @classmethod
    def _no_floats(cls, values: Any) -> Any:
        if isinstance(values, dict):
            for v in values.values():
                if isinstance(v, float):
                    raise PydanticCustomError("schema.no_float", "write parameter values as decimal strings")
        return values

    def at(self, when: dt.date) -> tuple[dt.date, Decimal] | None:
        """The value in force on `when`, and the date it holds from (None before the first)."""
        current = None
        for since in sorted(self.values):
            if since <= when:
                current = (since, self.values[since])
        return current


CapScope = Literal["per_project", "per_product", "per_event", "per_item", "per_unit_year"]


class Cap(StrictModel):
    scope: CapScope
    amount: DatedValue
    label: Bilingual
    sub_item_only: bool = Field(
        False, description="per_unit_year: count only earlier awards of the same sub-item (m13: each cap per enterprise per year)"
    )


class Basis(StrictModel):
    """Where the support basis is read: a field of one or more document kinds."""

    label: Bilingual = Field(description="the base quantity in the policy's words")
    kinds: list[DocKind] = Field(min_length=1)
    field: str
    aggregate: Literal["single", "sum"] = Field(
        "single", description="single: one amount (several that disagree need review); sum: add every document's amount (invoices)"
    )
    match: Literal["product", "project", "event", "policy_no", None] = Field(
        None, description="only count documents naming the filing's product/project/event"
    )
    party: str | None = Field(
        None, description="only count documents whose party in this role is the applicant (an invoice's buyer): "
                          "one billed to another company is its spending, not the applicant's"
    )


class SupportSpec(StrictModel):
    """How the support is computed for an item or sub-item."""

    kind: Literal["grant", "guarantee_limit"] = "grant"
    basis: Basis | None = Field(None, description="absent: the item gives only a cap (eligible = min(cap, requested))")
    rate: DatedValue | None = None
    caps: list[Cap] = Field(default_factory=list)
    interpretation: Bilingual | None = Field(None, description="the toolkit's reading where the text is open (MEASURES.md)")

    @model_validator(mode="after")
    def _shape(self) -> SupportSpec:
        if (self.basis is None) != (self.rate is None):
            raise PydanticCustomError("schema.basis_rate", "give both basis and rate, or neither (a cap-only item)")
        if not self.caps:
            raise PydanticCustomError("schema.no_cap", "every support item has at least one cap")
        return self


class FieldRef(StrictModel):
    """A field of a document kind, e.g. {kind: payment_receipt, field: value_date}."""

    kind: DocKind
    field: str


class SupportPatch(StrictModel):
    """What a sub-item changes in its checklist's `support` (the rest is inherited)."""

    kind: Literal["grant", "guarantee_limit"] | None = None
    basis: Basis | None = None
    rate: DatedValue | None = None
    caps: list[Cap] | None = None
    interpretation: Bilingual | None = None


class SubItem(StrictModel):
    """A sub-item of a measure (m05 phase-1, m13 overseas, ...): its own caps and documents."""

    title: Bilingual
    support: SupportPatch = Field(default_factory=SupportPatch)
    required_documents: list[DocKind] = Field(default_factory=list)
    event_dates: list[FieldRef] | None = Field(None, description="replaces the checklist's event_dates")


class RuleTest(StrictModel):
    """An inline test case: a tiny synthetic dossier and the status the rule must give."""

    name: str
    expect: Literal["pass", "fail", "needs_review", "not_applicable"]
    item: str | None = None
    applicant: dict[str, str] | None = None
    facts: dict[str, str] = Field(default_factory=dict)
    requested_cny: DecimalStr | None = None
    params: dict[str, Any] | None = Field(None, description="overrides the rule's params for this case")
    documents: list[dict[str, Any]] = Field(default_factory=list)
    awards: list[dict[str, Any]] | None = Field(None, description="earlier awards (an award register) for this case")


class Rule(StrictModel):
    """One check: a stable code, a rule type and its parameters, and why (the citation)."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    type: str
    severity: Literal["error", "warning", "info"] = "error"
    description: Bilingual = Field(description="first line: what it checks, as users see it")
    evidence: Bilingual | None = Field(None, description="what evidence satisfies it")
    citation: Citation
    applies_to: list[str] | None = Field(None, description="sub-items it applies to; absent: all")
    params: dict[str, Any] = Field(default_factory=dict)
    tests: list[RuleTest] = Field(default_factory=list)


class Checklist(StrictModel):
    """Everything the toolkit knows about one fundable support item."""

    schema_version: Literal[1] = Field(1, alias="schema")
    id: str = Field(pattern=r"^m\d\d-[a-z0-9-]+$")
    measure: int = Field(ge=1, le=37)
    title: Bilingual
    supports: Bilingual = Field(description="what it supports, one sentence")
    citation: Citation
    window: Literal["funding", "validity"] = Field(
        "funding", description="funding: 2024-06-01..2029-07-31; validity: 2024-08-01..2029-07-31"
    )
    required_documents: list[DocKind] = Field(min_length=1)
    event_dates: list[FieldRef] = Field(
        default_factory=list, description="where the date of the supported event is read (COMMON-EVENT-WINDOW)"
    )
    support: dict[str, Any] = Field(description="how the support is computed; sub-items may patch it")
    items: dict[str, SubItem] | None = None
    claim_distinct_by: list[Literal["item", "year"]] = Field(
        default_factory=list,
        description="what tells two awards of this item for the same product, project, contract or event apart "
                    "(m05: the stage, `item`; m04 and m24: the `year`): the same values are a duplicate claim, "
                    "different ones are not",
    )
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        for item in self.items or [None]:
            try:
                self.support_for(item)
            except ValidationError as exc:
                where = f"items.{item}.support" if item else "support"
                first = exc.errors()[0]
                loc = ".".join(str(p) for p in first["loc"])
                raise PydanticCustomError("schema.support", "{where}: {loc}: {problem}",
                                          {"where": where, "loc": loc, "problem": first["msg"]}) from None
        for rule in self.rules:
            for name in rule.applies_to or []:
                if not self.items or name not in self.items:
                    raise PydanticCustomError("schema.applies_to", "rule {code} applies_to unknown sub-item {item}",
                                          {"code": rule.code, "item": name})
        codes = [r.code for r in self.rules]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise PydanticCustomError("schema.duplicate_codes", "rule codes must be unique: {codes}", {"codes": ", ".join(dupes)})
        return self

    def support_for(self, item: str | None) -> SupportSpec:
        """The support spec of a sub-item: the checklist's, patched by the sub-item's."""
        data = dict(self.support)
        if self.items is not None and item is not None:
            data.update(self.items[item].support.model_dump(exclude_unset=True, by_alias=True))
        return SupportSpec.model_validate(data)

    def event_dates_for(self, item: str | None) -> list[FieldRef]:
        if self.items and item in self.items and self.items[item].event_dates is not None:
            return list(self.items[item].event_dates or [])
        return list(self.event_dates)

    def documents_for(self, item: str | None) -> list[str]:
        """Required document kinds for the item: the checklist's plus the sub-item's."""
        kinds = [str(k) for k in self.required_documents]
        if self.items and item in self.items:
            kinds += [str(k) for k in self.items[item].required_documents if str(k) not in kinds]
        return kinds


class Measure(StrictModel):
    number: int = Field(ge=1, le=37)
    part: int = Field(ge=1, le=8)
    title: Bilingual
    summary: Bilingual
    units: dict[Literal["en", "zh"], list[str]]
    items: list[str] = Field(default_factory=list)

    @property
    def fundable(self) -> bool:
        return bool(self.items)


class Window(StrictModel):
    from_: dt.date = Field(alias="from")
    to: dt.date


class Policy(StrictModel):
    number: str
    title: Bilingual
    dated: dt.date
    validity: Window
    funding_backdate: Window
    zh_source: Literal["project_rendering", "official"]
    disclaimer: Bilingual


class MeasureCatalogue(StrictModel):
    schema_version: Literal[1] = Field(1, alias="schema")
    policy: Policy
    parts: dict[int, Bilingual]
    measures: list[Measure] = Field(min_length=37, max_length=37)

    @model_validator(mode="after")
    def _numbered(self) -> MeasureCatalogue:
        numbers = [m.number for m in self.measures]
        if numbers != list(range(1, 38)):
            raise PydanticCustomError("schema.measure_numbers", "measures must be numbered 1 to 37 in order")
        return self
