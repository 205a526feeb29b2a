"""The support computation: basis × rate, capped, with the arithmetic shown.

Per ../shared/spec/interfaces.md §2: eligible = the smallest of base × rate, every cap that
applies (per project/product/event/item, and the unit's yearly cap after earlier awards),
and `requested_cny` when given; for items whose text gives only a cap, the smaller of the
cap and `requested_cny`. Rounded once, at the end, ROUND_HALF_UP to the fen. The basis is
always read from a document, with its page: never from `facts` or `requested_cny`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from toolkit.check.awards import AwardRegistry, award_summary, total
from toolkit.check.facts import FactBase, evidence, is_applicant, mentions, party_of
from toolkit.check.rules import Outcome, _docs_or_outcome, cny_of, dated
from toolkit.i18n import pick, t
from toolkit.i18n.formats import format_money, format_rate
from toolkit.model.catalogue import Checklist, SupportSpec
from toolkit.model.common import FEN
from toolkit.model.report import Cap, Evidence, Support


@dataclass
class Basis:
    amount: Decimal | None
    evidence: list[Evidence] = field(default_factory=list)
    trace: dict[str, Any] = field(default_factory=dict)
    outcome: Outcome | None = None  # why there is no amount (absent: fail; unreadable/ambiguous: review)
    others: list[tuple[str, str]] = field(default_factory=list)  # (file, party) left out: not the applicant's


def read_basis(facts: FactBase, spec: SupportSpec) -> Basis:
    """The support basis in CNY from the documents the checklist names."""
    assert spec.basis is not None
    b = spec.basis
    docs: list = []
    for kind in b.kinds:
        found = _docs_or_outcome(facts, str(kind))
        if isinstance(found, Outcome):
            if found.status == "fail" and len(b.kinds) > 1:
                continue
            return Basis(None, found.evidence, found.trace, found)
        docs += found
    if b.match:
        wanted = facts.declared.get(b.match)
        if wanted:
            matching = [d for d in docs if any(mentions(str(f.value), wanted)
                                               for name in (b.match, "project", "product") for f in d.fields(name))]
            if matching:
                docs = matching
    others: list[tuple[str, str]] = []
    if b.party:  # an invoice billed to another company is not the applicant's spending
        kept = []
        for d in docs:
            named = party_of(d, b.party)
            if named and not any(is_applicant(facts, f.value.name, f.value.uscc) for f in named):  # type: ignore[union-attr]
                others.append((d.file, named[0].value.name))  # type: ignore[union-attr]
            else:
                kept.append(d)
        if not kept:
            file, name = others[0]
            return Basis(None, [evidence(d) for d in docs], {"not_the_applicants": others},
                         Outcome("fail", "check.basis.not_the_applicants", {"file": file, "name": name},
                                 [evidence(d) for d in docs]), others)
        docs = kept
    if b.aggregate == "sum":  # the same file twice (listed twice, or copied under another name) counts once
        seen: set[str] = set()
        once = []
        for d in docs:
            if d.result.sha256 in seen:
                continue
            if d.result.sha256:
                seen.add(d.result.sha256)
            once.append(d)
        docs = once
    amounts = [cny_of(d, [b.field]) for d in docs]
    problems = [a for a in amounts if a.amount is None]
    readings = [{"file": d.file, **a.trace} for d, a in zip(docs, amounts, strict=True)]
    if b.aggregate == "sum":
        if problems:
            a = problems[0]
            return Basis(None, a.evidence, {"documents": readings},
                         Outcome("needs_review", a.problem or "check.field_not_found", a.problem_params, a.evidence, a.trace))
        amount = sum((a.amount for a in amounts), Decimal(0))  # type: ignore[misc]
        trace = {"documents": readings, "sum": str(amount), **({"not_the_applicants": others} if others else {})}
        return Basis(amount, [e for a in amounts for e in a.evidence], trace, others=others)
    good = [a for a in amounts if a.amount is not None]
    values = sorted({a.amount for a in good})  # type: ignore[type-var]
    if len(values) == 1:
        return Basis(values[0], [e for a in good for e in a.evidence], {"documents": readings})
    if len(values) > 1:
        ev = [e for a in good for e in a.evidence]
        return Basis(None, ev, {"documents": readings},
                     Outcome("needs_review", "check.money.ambiguous",
                             {"file": ", ".join(d.file for d in docs), "values": ", ".join(f"{v:,.2f}" for v in values)}, ev))
    a = problems[0]
    return Basis(None, a.evidence, {"documents": readings},
                 Outcome("needs_review", a.problem or "check.field_not_found", a.problem_params, a.evidence, a.trace))


def event_date(facts: FactBase, checklist: Checklist) -> dt.date:
    """The date parameters are looked up at: the supported event's date, else 1 January of the year."""
    for ref in checklist.event_dates_for(facts.item):
        for d in facts.readable_of_kind(str(ref.kind)):
            for f in d.fields(ref.field):
                if isinstance(f.value, dt.date):
                    return f.value
    return dt.date(facts.year, 1, 1)


def _q(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def compute_support(facts: FactBase, checklist: Checklist, verdict: str, lang: str,
                    awards: AwardRegistry | None) -> tuple[Support, list[Evidence], dict[str, Any]]:
    """The Support block of the report, the evidence of its basis, and its trace."""
    spec = checklist.support_for(facts.item)
    when = event_date(facts, checklist)
    parts: list[str] = []
    candidates: list[tuple[str, Decimal]] = []
    trace: dict[str, Any] = {"date_for_parameters": when.isoformat()}
    basis_amount = rate = None
    evidence: list[Evidence] = []

    if spec.basis is not None and spec.rate is not None:
        basis = read_basis(facts, spec)
        evidence = basis.evidence
        rate_since, rate = dated(spec.rate, when)
        trace["basis"] = basis.trace
        trace["rate"] = {"value": str(rate), "since": rate_since.isoformat(), "citation": spec.rate.citation.text}
        for file, name in basis.others:
            parts.append(t("support.not_the_applicants", lang, file=file, name=name))
        if basis.amount is not None:
            basis_amount = basis.amount
            raw = basis.amount * rate
            candidates.append(("rate", raw))
            parts.append(t("support.rate", lang, rate=format_rate(rate), label=pick(spec.basis.label, lang),
                           basis=format_money(basis.amount, lang), result=format_money(_q(raw), lang)))
        else:
            parts.append(t("support.no_basis", lang, label=pick(spec.basis.label, lang)))
    else:
        parts.append(t("support.cap_only", lang))

    caps: list[Cap] = []
    for cap in spec.caps:
        since, amount = dated(cap.amount, when)
        remaining = None
        if cap.scope == "per_unit_year":
            sub_item = facts.item if cap.sub_item_only else None
            earlier = awards.earlier_in_year(facts, checklist.id, sub_item) if awards else []
            remaining = max(amount - total(earlier), Decimal(0))
            trace.setdefault("earlier_awards", award_summary(earlier))
            candidates.append(("cap:" + cap.scope, remaining))
            if earlier:
                parts.append(t("support.yearly", lang, cap=format_money(amount, lang), earlier=format_money(total(earlier), lang),
                               remaining=format_money(remaining, lang), year=facts.year))
            if sub_item is not None and any(a.item is None for a in earlier):
                parts.append(t("support.yearly_no_sub_item", lang, item=sub_item))
        else:
            candidates.append(("cap:" + cap.scope, amount))
        caps.append(Cap(scope=cap.scope, cap_cny=amount, remaining_cny=remaining, since=since.isoformat(),
                        citation=cap.amount.citation))
    if facts.requested_cny is not None:
        candidates.append(("requested", facts.requested_cny))

    eligible: Decimal | None = None
    binding = None
    cap_only_without_request = spec.basis is None and facts.requested_cny is None
    if candidates and (spec.basis is None or basis_amount is not None) and not cap_only_without_request:
        binding, smallest = min(candidates, key=lambda c: c[1])
        eligible = _q(smallest)
    cap_values = [(c.remaining_cny if c.remaining_cny is not None else c.cap_cny) for c in caps]
    effective_cap = min(cap_values) if cap_values else None
    for c in caps:
        value = c.remaining_cny if c.remaining_cny is not None else c.cap_cny
        c.binding = binding == "cap:" + c.scope and value == min(cap_values)

    if eligible is not None:
        if binding and binding.startswith("cap:"):
            parts.append(t("support.capped", lang, cap=format_money(eligible, lang)))
        elif binding == "requested":
            parts.append(t("support.requested", lang, requested=format_money(facts.requested_cny, lang)))
        elif effective_cap is not None:
            parts.append(t("support.under_cap", lang, cap=format_money(effective_cap, lang)))
    elif cap_only_without_request:
        parts.append(t("support.no_request", lang))
    if spec.interpretation:
        parts.append(t("support.reading", lang, text=pick(spec.interpretation, lang)))

    if verdict == "fail":
        shown = Decimal("0.00")
        parts.insert(0, t("support.failed", lang) + (" " + t("support.would_be", lang, amount=format_money(eligible, lang))
                                                      if eligible is not None else ""))
    else:
        shown = eligible  # under needs_review: provisional, from what could be read
        if verdict == "needs_review" and eligible is not None:
            parts.insert(0, t("support.provisional", lang))
    trace["candidates"] = {name: str(_q(v)) for name, v in candidates}
    trace["binding"] = binding
    sep = "；" if lang == "zh" else "; "
    support = Support(
        eligible_cny=shown,
        basis_cny=basis_amount,
        rate=rate,
        cap_cny=effective_cap,
        explanation=sep.join(p.rstrip("。.;；") for p in parts if p),
        kind=spec.kind,
        requested_cny=facts.requested_cny,
        caps=caps,
    )
    return support, evidence, trace
