"""The rule types that checklists compose.

A checklist rule names a type and gives its parameters; the type's `Params` model validates
them when the checklist loads, and `evaluate` turns a dossier's facts into an Outcome: a
status, a message (catalogue key + parameters, rendered in the report's language), the
evidence it rests on and a trace of what it read. Adding a rule of an existing type needs
no Python; a new type is a class here and one line in RULE_TYPES.

Statuses follow the contract: `fail` when the evidence shows the condition does not hold
or the evidence a rule needs is absent, `needs_review` when evidence is present but
unreadable or ambiguous (never a guess), `not_applicable` when the rule does not apply to
the chosen sub-item.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from toolkit.check.facts import (
    Doc,
    FactBase,
    evidence,
    field_text,
    is_applicant,
    mentions,
    normalise_name,
    party_of,
    same_name,
    scope_data,
    unique,
)
from toolkit.model.catalogue import Checklist, DatedValue, FieldRef, Rule
from toolkit.model.common import FEN, Money
from toolkit.model.extraction import ExtractedField
from toolkit.model.report import Evidence, Status


class Kind(str):
    """A document-kind id in message parameters (rendered as its name in the report language)."""


class KindList(tuple):
    """Several document kinds in message parameters."""


class FieldName(str):
    """A field of a document kind in message parameters (rendered as its label in the language)."""

    kind: str = ""

    @classmethod
    def of(cls, kind: str, name: str) -> FieldName:
        value = cls(name)
        value.kind = kind
        return value


@dataclass
class Outcome:
    status: Status
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    trace: dict[str, Any] = field(default_factory=dict)


@dataclass
class RuleContext:
    """What a rule may read: the facts, its checklist, its own parameters, earlier awards, the clock."""

    facts: FactBase
    checklist: Checklist
    rule: Rule
    params: Any
    today: dt.date
    awards: Any = None  # toolkit.check.awards.AwardRegistry, when a register was given


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleType(ABC):
    """Base of the rule types: a name, a parameter model and `evaluate`."""

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = NoParams

    @abstractmethod
    def evaluate(self, ctx: RuleContext) -> Outcome:
        """The rule's outcome for one dossier."""


def _absent(kind: str, **extra: Any) -> Outcome:
    return Outcome("fail", "check.absent", {"kind": Kind(kind), **extra})


def _unreadable(docs: list[Doc]) -> Outcome:
    return Outcome(
        "needs_review", "check.unreadable",
        {"files": ", ".join(d.file for d in docs), "reason": docs[0].unreadable_reason},
        [evidence(d) for d in docs],
    )


def _docs_or_outcome(facts: FactBase, kind: str) -> list[Doc] | Outcome:
    """The readable documents of a kind, or the outcome that their absence/unreadability gives."""
    docs = facts.of_kind(kind)
    if not docs:
        return _absent(kind)
    readable = [d for d in docs if d.readable]
    if not readable:
        return _unreadable(docs)
    return readable


def _not_found(kind: str, name: str, docs: list[Doc]) -> Outcome:
    return Outcome("needs_review", "check.field_not_found", {"kind": Kind(kind), "field": FieldName.of(kind, name)},
                   [evidence(d) for d in docs], {"looked_for": {"kind": kind, "field": name}})


# --- documents ---------------------------------------------------------------------------

class DocumentsPresent(RuleType):
    """Every required document kind is present and readable."""

    name = "documents_present"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kinds: list[str] | None = Field(None, description="default: the item's required documents")

    def evaluate(self, ctx: RuleContext) -> Outcome:
        kinds = ctx.params.kinds or ctx.checklist.documents_for(ctx.facts.item)
        missing = [k for k in kinds if not ctx.facts.of_kind(k)]
        # Any submitted document that could not be read, not only a kind's last one: a second
        # invoice that is damaged is spending the basis silently leaves out.
        unreadable_docs = [d for d in ctx.facts.docs if not d.readable]
        unreadable = unique(d.kind for d in unreadable_docs)
        trace = {"required": kinds, "missing": missing, "unreadable": unreadable,
                 "listed_but_absent": ctx.facts.absent_files}
        if missing:
            return Outcome("fail", "check.docs.missing", {"kinds": KindList(missing)}, [], trace)
        if ctx.facts.absent_files:  # listed, so part of the filing, but not in the folder
            return Outcome("fail", "check.docs.listed_absent", {"files": ", ".join(ctx.facts.absent_files)}, [], trace)
        if unreadable_docs:
            return Outcome("needs_review", "check.docs.unreadable",
                           {"files": ", ".join(d.file for d in unreadable_docs), "reason": unreadable_docs[0].unreadable_reason},
                           [evidence(d) for d in unreadable_docs], trace)
        return Outcome("pass", "check.docs.ok", {"count": len(kinds)},
                       [evidence(d) for k in kinds for d in ctx.facts.of_kind(k)[:1]], trace)


class NothingWithheld(RuleType):
    """No document gives a value that reads two ways (words and figures that disagree, an
    amount stated twice differently, a figure with no currency).

    Extraction withholds such a value rather than pick one; without this rule a check would
    decide on whatever else it could read (a foreign amount times a rate) and never say that
    the document contradicts itself.
    """

    name = "nothing_withheld"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        held = [(d, w) for d in ctx.facts.docs if d.readable for w in d.result.withheld]
        if not held:
            return Outcome("pass", "check.withheld.none", {"count": len(ctx.facts.docs)})
        d, w = held[0]
        trace = {"withheld": [{"file": d.file, **w.model_dump()} for d, w in held]}
        return Outcome("needs_review", "check.withheld.found",
                       {"file": d.file, "page": w.page, "field": FieldName.of(d.kind, w.field), "why": w.message},
                       [Evidence(file=d.file, page=w.page, text=w.message, bbox=None) for d, w in held], trace)


class RequestedPresent(RuleType):
    """The amount applied for is stated (items whose text gives only a cap)."""

    name = "requested_present"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        if ctx.facts.requested_cny is None:
            return Outcome("fail", "check.requested.missing")
        return Outcome("pass", "check.requested.ok", {"amount": ctx.facts.requested_cny})


# --- the applicant -----------------------------------------------------------------------

def _licence(facts: FactBase) -> list[Doc] | Outcome:
    return _docs_or_outcome(facts, "business_license")


class UsccValid(RuleType):
    """The USCC's check character is valid and the code is the same everywhere."""

    name = "uscc_valid"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        from stdnum.cn import uscc

        code = ctx.facts.applicant_uscc
        if not uscc.is_valid(code):
            expected = uscc.calc_check_digit(code[:-1]) if len(code) == 18 else "?"
            return Outcome("fail", "check.uscc.invalid", {"uscc": code, "expected": expected},
                           trace={"manifest_uscc": code, "check_character_expected": expected})
        docs = _licence(ctx.facts)
        if isinstance(docs, Outcome):
            return docs
        seen: list[tuple[Doc, ExtractedField]] = [(d, f) for d in docs for f in d.fields("uscc")]
        if not seen:
            return _not_found("business_license", "uscc", docs)
        # contracts and other documents that name the applicant as a party with a code
        for d in ctx.facts.docs:
            if d.readable and d.kind != "business_license":
                for f in d.fields("party"):
                    if same_name(getattr(f.value, "name", None), ctx.facts.applicant_name) and f.value.uscc:  # type: ignore[union-attr]
                        seen.append((d, f))
        ev = [evidence(d, f) for d, f in seen]
        for d, f in seen:
            other = f.value.uscc if hasattr(f.value, "uscc") else str(f.value)  # type: ignore[union-attr]
            if other and other.upper() != code.upper():
                return Outcome("fail", "check.uscc.mismatch", {"uscc": code, "other": other, "file": d.file, "page": f.page},
                               [evidence(d, f)], {"manifest_uscc": code, "document_uscc": other})
        return Outcome("pass", "check.uscc.ok", {"uscc": code, "count": len(seen)}, ev, {"manifest_uscc": code})


def _is_shanghai(text: str) -> bool:
    return any(m.lower() in text.lower() for m in scope_data()["shanghai_markers"])


class RegisteredInShanghai(RuleType):
    """Registered in Shanghai, as the licence's registering authority and address say."""

    name = "registered_in_shanghai"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        docs = _licence(ctx.facts)
        if isinstance(docs, Outcome):
            return docs
        authority = [(d, f) for d in docs for f in d.fields("registration_authority")]
        address = [(d, f) for d in docs for f in d.fields("registered_address")]
        ev = [evidence(d, f) for d, f in authority + address]
        trace = {"registration_authority": [field_text(f) for _, f in authority],
                 "registered_address": [field_text(f) for _, f in address],
                 "markers": scope_data()["shanghai_markers"]}
        outside = [(d, f) for d, f in authority + address if not _is_shanghai(field_text(f))]
        if outside:
            d, f = outside[0]
            return Outcome("fail", "check.shanghai.outside", {"value": field_text(f), "file": d.file, "page": f.page}, ev, trace)
        if not authority or not address:
            missing = "registration_authority" if not authority else "registered_address"
            out = _not_found(docs[0].kind, missing, docs)
            out.evidence, out.trace = ev or out.evidence, trace
            return out
        return Outcome("pass", "check.shanghai.ok", {"authority": field_text(authority[0][1]),
                                                     "address": field_text(address[0][1])}, ev, trace)


class UsccRegion(RuleType):
    """The USCC's region code corroborates a Shanghai registration (info only)."""

    name = "uscc_region"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        code = ctx.facts.applicant_uscc
        region = code[2:8] if len(code) >= 8 else ""
        if region.startswith("31"):
            return Outcome("pass", "check.region.ok", {"region": region})
        return Outcome("fail", "check.region.other", {"region": region}, trace={"region_code": region})


class BusinessScope(RuleType):
    """The business scope lies within the policy's fields."""

    name = "business_scope"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        docs = _licence(ctx.facts)
        if isinstance(docs, Outcome):
            return docs
        scopes = [(d, f) for d in docs for f in d.fields("business_scope")]
        if not scopes:
            return _not_found(docs[0].kind, "business_scope", docs)
        words = scope_data()["field_keywords"]
        for d, f in scopes:
            hits = [w for w in words if w.lower() in field_text(f).lower()]
            if hits:
                return Outcome("pass", "check.scope.ok", {"words": ", ".join(hits[:4])}, [evidence(d, f)], {"matched": hits})
        d, f = scopes[0]
        return Outcome("needs_review", "check.scope.unclear", {"scope": field_text(f)[:80]}, [evidence(d, f)],
                       {"looked_for": words})


class ApplicantNameConsistent(RuleType):
    """The applicant's name is the same in the manifest and the documents."""

    name = "applicant_name_consistent"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        docs = _licence(ctx.facts)
        if isinstance(docs, Outcome):
            return docs
        names = [(d, f) for d in docs for f in d.fields("company_name")]
        if not names:
            return _not_found(docs[0].kind, "company_name", docs)
        for d in ctx.facts.docs:  # parties with the applicant's code must carry its name too
            if d.readable and d.kind != "business_license":
                for f in d.fields("party"):
                    uscc = getattr(f.value, "uscc", None)
                    if uscc and uscc.upper() == ctx.facts.applicant_uscc.upper():
                        names.append((d, f))
        trace = {"manifest": ctx.facts.applicant_name, "normalised": normalise_name(ctx.facts.applicant_name)}
        for d, f in names:
            if not same_name(field_text(f), ctx.facts.applicant_name):
                return Outcome("fail", "check.name.mismatch", {"name": ctx.facts.applicant_name, "other": field_text(f),
                                                               "file": d.file, "page": f.page}, [evidence(d, f)], trace)
        return Outcome("pass", "check.name.ok", {"name": ctx.facts.applicant_name, "count": len(names)},
                       [evidence(d, f) for d, f in names], trace)


# --- dates, facts and values -------------------------------------------------------------

def policy_window(kind: str) -> tuple[dt.date, dt.date]:
    w = scope_data()["windows"][kind]
    return w["from"], w["to"]


class DateWindow(RuleType):
    """The supported event's date lies inside the policy's window.

    An event read as a year (m24: the production year whose value is supported) falls in the
    window when the year overlaps it; a year wholly before or after it does not.
    """

    name = "date_window"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        dates: list[FieldRef] | None = Field(None, description="default: the checklist's event_dates")

    def evaluate(self, ctx: RuleContext) -> Outcome:
        refs = ctx.params.dates or ctx.checklist.event_dates_for(ctx.facts.item)
        if not refs:
            return Outcome("not_applicable", "check.window.no_event")
        start, end = policy_window(ctx.checklist.window)
        found: list[tuple[Doc, ExtractedField, dt.date, dt.date]] = []  # (doc, field, first day, last day)
        for ref in refs:
            docs = _docs_or_outcome(ctx.facts, str(ref.kind))
            if isinstance(docs, Outcome):
                return docs
            hits = [(d, f, *span) for d in docs for f in d.fields(ref.field) if (span := _event_span(f.value))]
            if not hits:
                return _not_found(str(ref.kind), ref.field, docs)
            found += hits
        trace = {"window": [start.isoformat(), end.isoformat()],
                 "dates": [f.value.isoformat() if isinstance(f.value, dt.date) else str(f.value) for _, f, _, _ in found]}
        for d, f, first, last in found:
            if isinstance(f.value, dt.date) and not start <= f.value <= end:
                return Outcome("fail", "check.window.outside", {"date": f.value, "start": start, "end": end,
                                                                "file": d.file, "page": f.page}, [evidence(d, f)], trace)
            if last < start or first > end:
                return Outcome("fail", "check.window.year_outside", {"year": first.year, "start": start, "end": end,
                                                                     "file": d.file, "page": f.page}, [evidence(d, f)], trace)
        d, f, first, _ = found[0]
        if isinstance(f.value, dt.date):
            return Outcome("pass", "check.window.ok", {"date": f.value, "start": start, "end": end},
                           [evidence(d, f) for d, f, _, _ in found], trace)
        return Outcome("pass", "check.window.year_ok", {"year": first.year, "start": start, "end": end},
                       [evidence(d, f) for d, f, _, _ in found], trace)


def _event_span(value: Any) -> tuple[dt.date, dt.date] | None:
    """The days an event value covers: a date, itself; a whole year (a number such as 2024), its
    first and last day; anything else, None (not an event date)."""
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, Decimal) and value == value.to_integral_value() and 1900 <= value <= 2200:
        year = int(value)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


class FactsAgree(RuleType):
    """What the applicant declares agrees with the documents."""

    name = "facts_agree"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        declared = {k: v for k, v in ctx.facts.declared.items() if v}
        if not declared:
            return Outcome("not_applicable", "check.facts.none")
        compared, ev = [], []
        sources = scope_data()["declared_facts"]
        for key, value in declared.items():
            source = sources.get(key, {"fields": [key], "kinds": None})
            for d in ctx.facts.docs:
                if not d.readable or (source["kinds"] is not None and d.kind not in source["kinds"]):
                    continue
                for name in source["fields"]:
                    for f in d.fields(name):
                        compared.append({"fact": key, "declared": value, "file": d.file, "page": f.page, "found": field_text(f)})
                        ev.append(evidence(d, f))
                        if not mentions(field_text(f), value):
                            return Outcome("fail", "check.facts.contradicted",
                                           {"fact": key, "value": value, "found": field_text(f), "file": d.file, "page": f.page},
                                           [evidence(d, f)], {"compared": compared})
        if not compared:
            return Outcome("needs_review", "check.facts.nothing_to_compare", {"facts": ", ".join(declared)},
                           trace={"declared": declared})
        return Outcome("pass", "check.facts.ok", {"count": len(compared)}, ev, {"compared": compared})


class ValuesAgree(RuleType):
    """A value agrees across documents (or with the applicant's name)."""

    name = "values_agree"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        field: str
        kinds: list[str] = Field(min_length=1)
        also: str | None = Field(None, description="another field name that carries the same value")
        against: Literal["applicant_name"] | None = None

    def evaluate(self, ctx: RuleContext) -> Outcome:
        p = ctx.params
        found: list[tuple[Doc, ExtractedField]] = []
        for kind in p.kinds:
            docs = _docs_or_outcome(ctx.facts, kind)
            if isinstance(docs, Outcome):
                return docs
            hits = [(d, f) for d in docs for name in unique([p.field, p.also]) if name for f in d.fields(name)]
            if not hits:
                return _not_found(kind, p.field, docs)
            found += hits
        ev = [evidence(d, f) for d, f in found]
        trace = {"values": [{"file": d.file, "page": f.page, "value": field_text(f)} for d, f in found]}
        if p.against == "applicant_name":
            for d, f in found:
                if not same_name(field_text(f), ctx.facts.applicant_name):
                    return Outcome("fail", "check.values.not_applicant", {"value": field_text(f), "name": ctx.facts.applicant_name,
                                                                         "file": d.file, "page": f.page}, [evidence(d, f)], trace)
            return Outcome("pass", "check.values.applicant", {"name": ctx.facts.applicant_name}, ev, trace)
        reference_doc, reference = found[0]
        for d, f in found[1:]:
            if not mentions(field_text(f), field_text(reference)):
                return Outcome("fail", "check.values.disagree",
                               {"a": field_text(reference), "b": field_text(f), "file_a": reference_doc.file,
                                "page_a": reference.page, "file_b": d.file, "page_b": f.page},
                               [evidence(reference_doc, reference), evidence(d, f)], trace)
        return Outcome("pass", "check.values.agree", {"value": field_text(reference), "count": len(found)}, ev, trace)


class FieldPresent(RuleType):
    """A document states a field (e.g. the licence agreement's upfront-payment clause)."""

    name = "field_present"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kind: str
        field: str

    def evaluate(self, ctx: RuleContext) -> Outcome:
        docs = _docs_or_outcome(ctx.facts, ctx.params.kind)
        if isinstance(docs, Outcome):
            return docs
        hits = [(d, f) for d in docs for f in d.fields(ctx.params.field)]
        if not hits:
            return _not_found(ctx.params.kind, ctx.params.field, docs)
        d, f = hits[0]
        return Outcome("pass", "check.present.ok", {"field": FieldName.of(ctx.params.kind, ctx.params.field),
                                                    "value": field_text(f)}, [evidence(d, f)])


class FieldMatches(RuleType):
    """A document's field matches a pattern or one of several words."""

    name = "field_matches"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kind: str
        field: str
        pattern: str | None = None
        any_of: list[str] | None = None
        by_item: dict[str, str] | None = Field(None, description="a pattern per sub-item")
        role: str | None = Field(None, description="for party fields: the role whose name must match")
        review_if: str | None = Field(None, description="a pattern that makes a matching value a reviewer's call "
                                                        "(m04: a 研究院 that is a limited company)")

    def evaluate(self, ctx: RuleContext) -> Outcome:
        p = ctx.params
        pattern = p.pattern
        if p.by_item is not None:
            if ctx.facts.item not in p.by_item:
                return Outcome("not_applicable", "check.not_applicable_item", {"item": ctx.facts.item})
            pattern = p.by_item[ctx.facts.item]  # type: ignore[index]
        docs = _docs_or_outcome(ctx.facts, p.kind)
        if isinstance(docs, Outcome):
            return docs
        hits = [(d, f) for d in docs for f in d.fields(p.field)
                if p.role is None or getattr(f.value, "role", None) == p.role]
        if not hits:
            return _not_found(p.kind, p.field, docs)

        def ok(text: str) -> bool:
            if pattern is not None and re.search(pattern, text):
                return True
            return bool(p.any_of) and any(w.lower() in text.lower() for w in p.any_of or [])

        expected = pattern if pattern is not None else " | ".join(p.any_of or [])
        trace = {"expected": expected, "values": [field_text(f) for _, f in hits]}
        for d, f in hits:
            if ok(field_text(f)):
                if p.review_if is not None and re.search(p.review_if, field_text(f)):
                    return Outcome("needs_review", "check.match.review", {"value": field_text(f), "file": d.file,
                                                                          "page": f.page}, [evidence(d, f)], trace)
                return Outcome("pass", "check.match.ok", {"value": field_text(f)}, [evidence(d, f)], trace)
        d, f = hits[0]
        return Outcome("fail", "check.match.no", {"value": field_text(f), "file": d.file, "page": f.page},
                       [evidence(d, f) for d, f in hits], trace)


class ApplicantRole(RuleType):
    """The applicant is the party in the given role of a document, or the one a name field gives."""

    name = "applicant_role"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kind: str
        role: str | None = Field(None, description="a party role of the kind (licensor, insured...)")
        field: str | None = Field(None, description="or a text field that names a company (registrant, applicant_name)")

        @model_validator(mode="after")
        def _one(self) -> ApplicantRole.Params:
            if (self.role is None) == (self.field is None):
                raise PydanticCustomError("schema.role_or_field", "give either role or field")
            return self

    def evaluate(self, ctx: RuleContext) -> Outcome:
        p = ctx.params
        docs = _docs_or_outcome(ctx.facts, p.kind)
        if isinstance(docs, Outcome):
            return docs
        if p.field is not None:
            named = [(d, f, field_text(f), None) for d in docs for f in d.fields(p.field)]
        else:
            named = [(d, f, f.value.name, f.value.uscc) for d in docs for f in party_of(d, p.role)]  # type: ignore[union-attr]
        role = p.role or FieldName.of(p.kind, p.field)
        if not named:
            out = _not_found(p.kind, p.field or "party", docs)
            out.trace["role"] = p.role or p.field
            return out
        trace = {"role": p.role or p.field, "parties": [name for _, _, name, _ in named]}
        for d, f, name, uscc in named:
            if is_applicant(ctx.facts, name, uscc):
                return Outcome("pass", "check.role.ok", {"role": role, "name": name}, [evidence(d, f)], trace)
        d, f, name, _ = named[0]
        return Outcome("fail", "check.role.other", {"role": role, "name": name, "applicant": ctx.facts.applicant_name,
                                                    "file": d.file, "page": f.page}, [evidence(d, f)], trace)


class FirstRegistration(RuleType):
    """A registration certificate is the first one for its device, not a renewal or a change.

    A device registration number (国械注准2025…, 国械注进…, 沪械注准…) carries the year it was
    first granted and keeps it through renewals (延续注册) and changes (变更注册). A certificate
    issued in a later year than its number's is therefore not a first registration: the first
    was granted in the number's year.
    """

    name = "first_registration"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kind: str
        number: str = Field(description="the field holding the registration number")
        issued: str = Field(description="the field holding the certificate's date")

    def evaluate(self, ctx: RuleContext) -> Outcome:
        p = ctx.params
        docs = _docs_or_outcome(ctx.facts, p.kind)
        if isinstance(docs, Outcome):
            return docs
        numbers = [(d, f) for d in docs for f in d.fields(p.number)]
        if not numbers:
            return _not_found(p.kind, p.number, docs)
        dates = [(d, f) for d in docs for f in d.fields(p.issued) if isinstance(f.value, dt.date)]
        if not dates:
            return _not_found(p.kind, p.issued, docs)
        (dn, fn), (dd, fd) = numbers[0], dates[0]
        number = field_text(fn)
        found = _REGISTRATION_YEAR.search(number)
        trace = {"number": number, "issued": fd.value.isoformat()}  # type: ignore[union-attr]
        if found is None:
            return Outcome("needs_review", "check.first_registration.no_year", {"number": number},
                           [evidence(dn, fn)], trace)
        year = int(found.group(1))
        if year != fd.value.year:  # type: ignore[union-attr]
            return Outcome("fail", "check.first_registration.later", {"number": number, "year": year, "date": fd.value,
                                                                      "file": dd.file, "page": fd.page},
                           [evidence(dn, fn), evidence(dd, fd)], trace)
        return Outcome("pass", "check.first_registration.ok", {"number": number, "year": year},
                       [evidence(dn, fn), evidence(dd, fd)], trace)


_REGISTRATION_YEAR = re.compile(r"械(?:注[准进许]|备)\s*(\d{4})")  # 国械注准2025…, 沪械注准…, 沪械备2025…


# --- money ---------------------------------------------------------------------------------

@dataclass
class CnyAmount:
    """An amount in CNY read from a document, or why it could not be."""

    amount: Decimal | None
    evidence: list[Evidence]
    trace: dict[str, Any]
    problem: str | None = None  # a catalogue key when the amount needs review
    problem_params: dict[str, Any] = field(default_factory=dict)


def cny_of(doc: Doc, fields: list[str], rate_field: str | None = "exchange_rate") -> CnyAmount:
    """The CNY amount a document states in one of `fields`.

    A foreign amount counts only with a CNY figure or a rate stated in the same document;
    otherwise it is `needs_review` (check.money.no_rate), never converted with a guess.
    """
    found = [f for name in fields for f in doc.fields(name) if isinstance(f.value, Money)]
    cny = [f for f in found if f.value.currency == "CNY"]  # type: ignore[union-attr]
    if cny:
        values = unique(f.value.amount for f in cny)  # type: ignore[union-attr]
        ev = [evidence(doc, f) for f in cny]
        if len(values) > 1:
            return CnyAmount(None, ev, {"values": [str(v) for v in values]}, "check.money.ambiguous",
                             {"file": doc.file, "values": ", ".join(f"{v:,.2f}" for v in values)})
        return CnyAmount(values[0], ev, {"read": str(values[0]), "currency": "CNY"})
    if found:
        f = found[0]
        money: Money = f.value  # type: ignore[assignment]
        rates = [r for r in (doc.fields(rate_field) if rate_field else []) if isinstance(r.value, Decimal)]
        if rates:
            rate = rates[0].value
            amount = (money.amount * rate).quantize(FEN, rounding=ROUND_HALF_UP)  # type: ignore[operator]
            return CnyAmount(amount, [evidence(doc, f), evidence(doc, rates[0])],
                             {"foreign": str(money), "rate": str(rate), "cny": str(amount)})
        return CnyAmount(None, [evidence(doc, f)], {"foreign": str(money)}, "check.money.no_rate",
                         {"money": money, "file": doc.file, "page": f.page})
    return CnyAmount(None, [evidence(doc)], {"looked_for": fields}, "check.field_not_found",
                     {"kind": Kind(doc.kind), "field": FieldName.of(doc.kind, fields[0])})


def dated(value: DatedValue, when: dt.date) -> tuple[dt.date, Decimal]:
    found = value.at(when)
    if found is None:  # before the first dated value: the earliest applies (the window rule fails the date)
        since = min(value.values)
        return since, value.values[since]
    return found


OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
}


class Threshold(RuleType):
    """A CNY amount read from a document clears a threshold."""

    name = "threshold"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kind: str
        field: str
        foreign_field: str | None = None
        rate_field: str | None = "exchange_rate"
        op: Literal["gt", "ge", "lt", "le"]
        threshold: DatedValue
        date_field: str | None = "value_date"
        cross_check: FieldRef | None = None

    def evaluate(self, ctx: RuleContext) -> Outcome:
        p = ctx.params
        docs = _docs_or_outcome(ctx.facts, p.kind)
        if isinstance(docs, Outcome):
            return docs
        amounts = [cny_of(d, unique([p.field, p.foreign_field or p.field]), p.rate_field) for d in docs]
        good = [a for a in amounts if a.amount is not None]
        if not good:
            a = amounts[0]
            return Outcome("needs_review", a.problem or "check.field_not_found", a.problem_params, a.evidence, a.trace)
        values = unique(a.amount for a in good)
        if len(values) > 1:
            return Outcome("needs_review", "check.money.ambiguous",
                           {"file": ", ".join(d.file for d in docs), "values": ", ".join(f"{v:,.2f}" for v in values)},
                           [e for a in good for e in a.evidence])
        amount = values[0]
        dates = [f.value for d in docs for f in d.fields(p.date_field or "") if isinstance(f.value, dt.date)]
        when = dates[0] if dates else dt.date(ctx.facts.year, 1, 1)
        since, limit = dated(p.threshold, when)
        ev = [e for a in good for e in a.evidence]
        trace = {"amount_cny": str(amount), "op": p.op, "threshold_cny": str(limit), "threshold_since": since.isoformat(),
                 "threshold_citation": p.threshold.citation.text, "read": [a.trace for a in good]}
        if p.cross_check is not None:
            contract = [(d, f) for d in ctx.facts.readable_of_kind(str(p.cross_check.kind))
                        for f in d.fields(p.cross_check.field) if isinstance(f.value, Money)]
            trace["cross_check"] = [{"file": d.file, "page": f.page, "value": str(f.value)} for d, f in contract]
            ev += [evidence(d, f) for d, f in contract]
            # Every foreign amount the receipts state, whether or not the CNY was read from them:
            # a receipt's USD 13,500,000 remitted contradicts a contract's USD 25,000,000 even
            # when its CNY credited amount is what the threshold was read from.
            foreign = [f.value for d in docs for name in unique([p.foreign_field or p.field, p.field])
                       for f in d.fields(name) if isinstance(f.value, Money) and f.value.currency != "CNY"]
            for d, f in contract:
                stated: Money = f.value  # type: ignore[assignment]
                comparable = (stated.currency == "CNY" and stated.amount != amount) or (
                    bool(foreign) and stated.currency != "CNY" and stated not in foreign)
                if comparable:
                    return Outcome("needs_review", "check.threshold.cross_check",
                                   {"contract": stated.amount, "currency": stated.currency, "received": amount,
                                    "file": d.file, "page": f.page}, ev, trace)
        if OPS[p.op](amount, limit):
            return Outcome("pass", f"check.threshold.{p.op}.ok", {"amount": amount, "limit": limit}, ev, trace)
        return Outcome("fail", f"check.threshold.{p.op}.no", {"amount": amount, "limit": limit}, ev, trace)


class SupportBasis(RuleType):
    """The support basis is evidenced by a document (its amount in CNY, with its page)."""

    name = "support_basis"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        from toolkit.check.support import read_basis

        spec = ctx.checklist.support_for(ctx.facts.item)
        if spec.basis is None:
            return Outcome("not_applicable", "check.basis.cap_only")
        basis = read_basis(ctx.facts, spec)
        if basis.outcome is not None:
            return basis.outcome
        return Outcome("pass", "check.basis.ok", {"amount": basis.amount, "label": spec.basis.label, "count": len(basis.evidence)},
                       basis.evidence, basis.trace)


# --- relationships -------------------------------------------------------------------------

@dataclass
class Holding:
    holder: str  # entity key
    held: str
    share: Decimal | None
    doc: Doc
    field: ExtractedField


class NoRelatedParty(RuleType):
    """No investment-related link between two parties: no direct, common or indirect holding."""

    name = "no_related_party"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        contract_kind: str
        roles: list[str] = Field(min_length=2, max_length=2)

    def evaluate(self, ctx: RuleContext) -> Outcome:
        p = ctx.params
        docs = _docs_or_outcome(ctx.facts, p.contract_kind)
        if isinstance(docs, Outcome):
            return docs
        parties: dict[str, list[tuple[Doc, ExtractedField]]] = {}
        for role in p.roles:  # every party in each role: a second licensee may be the related one
            found = [(d, f) for d in docs for f in party_of(d, role)]
            if not found:
                out = _not_found(p.contract_kind, "party", docs)
                out.trace["role"] = role
                return out
            parties[role] = found
        reports = ctx.facts.of_kind("credit_report")
        unreadable = [d for d in reports if not d.readable]
        if unreadable:
            return _unreadable(unreadable)

        # entities: keyed by USCC when known, else by normalised name; names map to codes
        names: dict[str, str] = {}
        labels: dict[str, str] = {}

        def key(name: str | None, uscc: str | None) -> str:
            norm = normalise_name(name or "")
            if uscc:
                k = "uscc:" + uscc.upper()
                if norm:
                    names.setdefault(norm, k)
            else:
                k = names.get(norm, "name:" + norm)
            labels.setdefault(k, name or uscc or k)
            return k

        # first pass: learn every code<->name pair, so a holder named without a code still matches
        for d in reports:
            subject_name, subject_code = d.first("company_name"), d.first("uscc")
            key(field_text(subject_name) if subject_name else None, field_text(subject_code) if subject_code else None)
            for f in d.fields("shareholder"):
                key(f.value.name, f.value.uscc)  # type: ignore[union-attr]
        for found in parties.values():
            for _doc, f in found:
                key(f.value.name, f.value.uscc)  # type: ignore[union-attr]

        holdings: list[Holding] = []
        covered: set[str] = set()
        for d in reports:
            subject_name, subject_code = d.first("company_name"), d.first("uscc")
            if subject_name is None and subject_code is None:
                return _not_found("credit_report", "company_name", [d])
            subject = key(field_text(subject_name) if subject_name else None, field_text(subject_code) if subject_code else None)
            covered.add(subject)
            for f in d.fields("shareholder"):
                holdings.append(Holding(key(f.value.name, f.value.uscc), subject, f.value.share_pct, d, f))  # type: ignore[union-attr]

        a_role, b_role = p.roles
        side = {role: unique([key(f.value.name, f.value.uscc) for _, f in parties[role]])  # type: ignore[union-attr]
                for role in p.roles}
        (da, fa), (db, fb) = parties[a_role][0], parties[b_role][0]
        trace: dict[str, Any] = {
            "parties": {role: "; ".join(labels[k] for k in side[role]) for role in p.roles},
            "holdings": [{"holder": labels[h.holder], "held": labels[h.held],
                          "share_pct": None if h.share is None else str(h.share), "file": h.doc.file, "page": h.field.page}
                         for h in holdings],
        }
        missing = [labels[x] for x in side[a_role] + side[b_role] if x not in covered]
        if missing:
            return Outcome("fail", "check.related.no_report", {"party": ", ".join(missing)},
                           [evidence(d, f) for role in p.roles for d, f in parties[role]], trace)

        owners: dict[str, list[Holding]] = {}
        for h in holdings:
            owners.setdefault(h.held, []).append(h)

        def chains(start: str) -> dict[str, list[Holding]]:
            """Every entity that holds `start`, directly or through others, with the chain."""
            found: dict[str, list[Holding]] = {}
            frontier = [(start, [])]
            while frontier:
                node, path = frontier.pop(0)
                for h in owners.get(node, []):
                    if h.holder not in found and h.holder != start:
                        found[h.holder] = [h, *path]
                        frontier.append((h.holder, [h, *path]))
            return found

        for a in side[a_role]:
            for b in side[b_role]:
                linked = self._link(a, b, chains, labels, trace)
                if linked is not None:
                    return linked
        declarations = ctx.facts.of_kind("related_party_declaration")
        if not declarations:
            return Outcome("fail", "check.related.no_declaration", {}, [evidence(da, fa), evidence(db, fb)], trace)
        readable = [d for d in declarations if d.readable]
        if not readable:
            return _unreadable(declarations)
        statements = [(d, f) for d in readable for f in d.fields("statement")]
        if not statements:
            return _not_found("related_party_declaration", "statement", readable)
        ev = [evidence(da, fa), evidence(db, fb)] + [evidence(d, f) for d, f in statements[:1]]
        return Outcome("pass", "check.related.none", {"a": trace["parties"][a_role], "b": trace["parties"][b_role],
                                                      "reports": len(covered)}, ev, trace)

    @staticmethod
    def _link(a: str, b: str, chains: Any, labels: dict[str, str], trace: dict[str, Any]) -> Outcome | None:
        """The failing outcome when `a` and `b` are linked by holdings (directly, through
        others, or by a common holder), else None."""
        up_a, up_b = chains(a), chains(b)
        link: list[Holding] | None = None
        how = ""
        if b in up_a:
            link, how = up_a[b], "holds"  # b holds a (directly or indirectly)
            who, whom = b, a
        elif a in up_b:
            link, how = up_b[a], "holds"
            who, whom = a, b
        else:
            common = [x for x in up_a if x in up_b]
            if common:
                x = common[0]
                link, how, who, whom = up_a[x] + up_b[x], "common", x, a
        if link is None:
            return None
        ev = [evidence(h.doc, h.field) for h in link]
        via = [labels[h.holder] for h in link]
        trace["link"] = [{"holder": labels[h.holder], "held": labels[h.held], "file": h.doc.file, "page": h.field.page} for h in link]
        if how == "common":
            return Outcome("fail", "check.related.common", {"common": labels[who], "a": labels[a], "b": labels[b],
                                                            "pages": _pages(link)}, ev, trace)
        key_ = "check.related.direct" if len(link) == 1 else "check.related.indirect"
        return Outcome("fail", key_, {"holder": labels[who], "held": labels[whom], "via": " → ".join(unique(via)),
                                      "pages": _pages(link)}, ev, trace)


def _pages(link: list[Holding]) -> dict[str, str]:
    """Where the holdings were read, as each language writes a page (a message parameter)."""
    from toolkit.i18n import t

    return {lang: ("、" if lang == "zh" else ", ").join(
        unique(t("report.where", lang, file=h.doc.file, page=h.field.page) for h in link)) for lang in ("en", "zh")}


# --- regulators and sales ------------------------------------------------------------------

def regulators() -> dict[str, dict[str, Any]]:
    from toolkit.regulators import regulator_table

    return regulator_table()


class ListedRegulator(RuleType):
    """The product is approved by a regulator on the list (measure 36a)."""

    name = "listed_regulator"

    class Params(BaseModel):
        model_config = ConfigDict(extra="forbid")
        any_foreign: bool = Field(False, description="any regulator outside China counts (overseas trials)")

    def evaluate(self, ctx: RuleContext) -> Outcome:
        docs = _docs_or_outcome(ctx.facts, "regulatory_approval")
        if isinstance(docs, Outcome):
            return docs
        table = regulators()
        product = ctx.facts.declared.get("product")
        seen = []
        for d in docs:
            for f in d.fields("regulator"):
                reg_id = field_text(f)
                reg = table.get(reg_id, {})
                products = [field_text(p) for p in d.fields("product")]
                seen.append({"file": d.file, "page": f.page, "regulator": reg_id, "listed": reg.get("listed", False),
                             "group": reg.get("group"), "products": products})
                listed = (reg.get("group") not in (None, "domestic")) if ctx.params.any_foreign else reg.get("listed", False)
                if not listed:
                    continue
                if product and products and not any(mentions(x, product) for x in products):
                    continue
                return Outcome("pass", "check.regulator.ok", {"regulator": reg_id, "product": products[0] if products else "—"},
                               [evidence(d, f)] + [evidence(d, p) for p in d.fields("product")[:1]], {"approvals": seen})
        if not seen:
            return _not_found("regulatory_approval", "regulator", docs)
        first = seen[0]
        if product and any(s["listed"] or ctx.params.any_foreign for s in seen):
            return Outcome("fail", "check.regulator.other_product", {"product": product, "found": ", ".join(
                x for s in seen for x in s["products"]) or "—"}, [evidence(d) for d in docs], {"approvals": seen})
        return Outcome("fail", "check.regulator.not_listed", {"regulator": first["regulator"]},
                       [evidence(d) for d in docs], {"approvals": seen})


def _jurisdictions(reg: dict[str, Any]) -> list[str]:
    return [str(j) for j in reg.get("jurisdiction", [])]


class SalesInJurisdiction(RuleType):
    """The product has sales in the approving regulator's jurisdiction."""

    name = "sales_in_jurisdiction"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        approvals = _docs_or_outcome(ctx.facts, "regulatory_approval")
        if isinstance(approvals, Outcome):
            return approvals
        table = regulators()
        places: list[str] = []
        for d in approvals:
            for f in d.fields("regulator"):
                places += _jurisdictions(table.get(field_text(f), {}))
        if not places:
            return _not_found("regulatory_approval", "regulator", approvals)
        sales = _docs_or_outcome(ctx.facts, "sales_evidence")
        if isinstance(sales, Outcome):
            return sales
        found = [(d, f) for d in sales for f in d.fields("jurisdiction")]
        if not found:
            return _not_found("sales_evidence", "jurisdiction", sales)
        trace = {"approved_in": places, "sold_in": [field_text(f) for _, f in found]}
        product = ctx.facts.declared.get("product")
        for d, f in found:
            text = field_text(f).lower()
            if any(p.lower() == text or (len(p) > 3 and p.lower() in text) for p in places):
                products = [field_text(x) for x in d.fields("product")]
                if product and products and not any(mentions(x, product) for x in products):
                    continue
                return Outcome("pass", "check.sales.ok", {"place": field_text(f)}, [evidence(d, f)], trace)
        d, f = found[0]
        return Outcome("fail", "check.sales.elsewhere", {"place": field_text(f), "approved": ", ".join(unique(places[:4]))},
                       [evidence(d, f)], trace)


# --- earlier awards ------------------------------------------------------------------------

class NoDuplicateClaim(RuleType):
    """The same product, contract, project or event has not been awarded before (优、高、不重复).

    An earlier award of this item for the same thing is a duplicate, unless the checklist's
    `claim_distinct_by` tells them apart (m05: another stage; m04, m24: another year). An
    award under another measure, or one that does not say its sub-item where that decides,
    needs a reviewer: whether it is "the same thing" is not for the toolkit to guess.
    """

    name = "no_duplicate_claim"

    def evaluate(self, ctx: RuleContext) -> Outcome:
        registry = ctx.awards
        if registry is None:
            return Outcome("not_applicable", "check.duplicate.no_register")
        facts, distinct_by = ctx.facts, ctx.checklist.claim_distinct_by
        ours = {"item": facts.item, "year": facts.year}
        same, unsure, apart = [], [], []
        for award in registry.claims_like(facts):
            if award.measure != ctx.checklist.id:
                unsure.append(award)
            elif any(getattr(award, k) is not None and getattr(award, k) != ours[k] for k in distinct_by):
                apart.append(award)
            elif any(getattr(award, k) is None for k in distinct_by):
                unsure.append(award)
            else:
                same.append(award)
        trace = {"distinct_by": list(distinct_by),
                 "earlier": [c.model_dump(mode="json") for c in same + unsure + apart]}
        if same:
            first = same[0]
            return Outcome("fail", "check.duplicate.found", {"measure": first.measure, "year": first.year,
                                                             "dossier": first.dossier or "—"}, trace=trace)
        if unsure:
            first = unsure[0]
            key = "check.duplicate.other_measure" if first.measure != ctx.checklist.id else "check.duplicate.no_sub_item"
            return Outcome("needs_review", key, {"measure": first.measure, "year": first.year,
                                                 "dossier": first.dossier or "—"}, trace=trace)
        if apart:
            return Outcome("pass", "check.duplicate.distinct", {"count": len(apart), "sources": registry.describe()},
                           trace=trace)
        return Outcome("pass", "check.duplicate.none", {"sources": registry.describe()})


# The registry: checklists may use exactly these types (sqlfluff-style explicit list).
RULE_TYPES: dict[str, RuleType] = {t.name: t for t in (
    DocumentsPresent(), NothingWithheld(), RequestedPresent(), UsccValid(), RegisteredInShanghai(), UsccRegion(), BusinessScope(),
    ApplicantNameConsistent(), DateWindow(), FactsAgree(), ValuesAgree(), FieldPresent(), FieldMatches(), ApplicantRole(), FirstRegistration(),
    Threshold(), SupportBasis(), NoRelatedParty(), ListedRegulator(), SalesInJurisdiction(), NoDuplicateClaim(),
)}
