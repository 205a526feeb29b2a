"""Synthetic form data for every item: all values present (with hostile text) or all missing.

Why: `dossier lint` and the tests render every template with these, in both languages and
for every sub-item, so that a template that breaks on a branch no example reaches, on a
value with markup characters in it ("R&D <Lab> | [x] #1"), or on a dossier that lacks
everything, is caught before an applicant meets it. The examples cover the real data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from toolkit.render.model import (
    FormApplicant,
    FormCap,
    FormCheck,
    FormData,
    FormDocFact,
    FormDocument,
    FormFact,
    FormFinding,
    FormItem,
    FormRequirement,
    FormSubject,
    FormSupport,
)

HOSTILE = 'R&D <Lab> | "Q" \'s\' [x] #1 \\ 上海'


def _fact(label: str, value: str, page: int = 1) -> FormFact:
    return FormFact(label=label, value=value, page=page, where=f"documents/a & b.pdf, p. {page}")


def sample_form(item_id: str, sub_item: str | None, lang: str, *, filled: bool = True) -> FormData:
    """Form data for `item_id`/`sub_item`: every value given (`filled`) or every optional one None."""
    from toolkit.catalogue import checklist, measure_catalogue
    from toolkit.i18n import pick
    from toolkit.kinds import kind_catalogue

    cl = checklist(item_id)
    policy = measure_catalogue().policy
    text = HOSTILE if filled else None
    item = FormItem(id=cl.id, measure=cl.measure, title=pick(cl.title, lang), sub_item=sub_item,
                    sub_item_title=pick(cl.items[sub_item].title, lang) if cl.items and sub_item else None,
                    supports=pick(cl.supports, lang), clause=cl.citation.clause, citation=cl.citation.text,
                    policy_number=policy.number, policy_title=pick(policy.title, lang), year=2025)
    applicant = FormApplicant(name="上海澄源生物医药有限公司" if filled else "x", uscc="91310115MA1H8R2X46", address=text,
                              legal_representative=text, registration_authority=text, entity_type=text,
                              established=dt.date(2016, 3, 22) if filled else None, source=text)
    subject = FormSubject(product=text, project=text, contract_no=text, event=text)
    spec = cl.support_for(sub_item)
    money = Decimal("1234567.89") if filled else None
    support = FormSupport(
        kind=spec.kind, requested=money, eligible=money, basis=money if spec.basis else None,
        basis_label=pick(spec.basis.label, lang) if spec.basis else None,
        rate=Decimal("0.5") if spec.rate else None,
        caps=[FormCap(label=HOSTILE, scope=c.scope, amount=Decimal("5000000.00"),
                      remaining=Decimal("100.00") if filled else None, binding=filled) for c in spec.caps],
        explanation=HOSTILE, interpretation=text, provisional=not filled)
    findings = [FormFinding(code="COMMON-X", status_text=s, message=HOSTILE, evidence=HOSTILE if filled else "")
                for s in ("fail", "needs_review", "waived")] if filled else []
    check = FormCheck(verdict="fail" if filled else "pass", verdict_text=HOSTILE, passed=1, failed=1,
                      needs_review=1, waived=1, not_applicable=0, findings=findings, problems=findings,
                      disclaimer=HOSTILE, toolkit_version="0.0.0", checklist_digest="sha256:0")
    kinds = kind_catalogue().kinds
    facts: dict[str, dict[str, FormFact]] = {}
    parties: dict[str, dict[str, FormFact]] = {}
    if filled:
        for kind, spec_k in kinds.items():
            for name, f in spec_k.fields.items():
                if f.type != "party":
                    facts.setdefault(kind, {})[name] = _fact(name, HOSTILE)
            for role in sorted(set(spec_k.roles.values())):
                parties.setdefault(kind, {})[role] = _fact(role, HOSTILE)
    documents = [FormDocument(number=1, file="documents/a & b.pdf", kind_name=HOSTILE, pages=2 if filled else None,
                              fact_pages=[1, 2] if filled else [], status=HOSTILE,
                              facts=[FormDocFact(label=HOSTILE, value=HOSTILE, page=2)] if filled else [])]
    required = [FormRequirement(name=HOSTILE, present=filled, files=["documents/a & b.pdf"] if filled else [])
                for k in cl.documents_for(sub_item)]
    return FormData(lang=lang, dossier="examples/x", applicant=applicant, item=item, subject=subject,  # type: ignore[arg-type]
                    support=support, check=check, required=required, documents=documents, facts=facts,
                    parties=parties)


def sample_cases(item_id: str) -> list[str | None]:
    """The sub-items to render for an item (None when it has none)."""
    from toolkit.catalogue import checklist

    cl = checklist(item_id)
    return list(cl.items) if cl.items else [None]
