"""Build the form data (toolkit/render/model.py) from a dossier, its extractions and its report.

Why here and not in the templates: which document a fact comes from is policy knowledge
(a public institution's certificate stands for a business licence; the first readable
document of a kind wins, in manifest order), and it must be the same for all twelve forms.
The builder never computes money itself: amounts come from the check report, which already
applied the rate, the caps and the rounding.
"""

from __future__ import annotations

import re

from toolkit.catalogue import measure_catalogue
from toolkit.dossier import Dossier
from toolkit.i18n import pick, t
from toolkit.model.extraction import ExtractedField, ExtractionResult, Party
from toolkit.model.report import Finding, Report
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
    fact_value_text,
)

LICENCE_KINDS = ("business_license", "institution_certificate")
SUBJECT_KEYS = ("product", "project", "contract_no", "event")


def where_text(file: str, page: int | None, lang: str) -> str:
    if page is None:
        return file
    return t("render.where", lang, file=file, page=page)


def _fact(kind: str, f: ExtractedField, file: str, lang: str) -> FormFact:
    from toolkit.check.engine import field_label

    value, extras = fact_value_text(f.type, f.value, lang)
    label = role_label(kind, f.value.role, lang) if isinstance(f.value, Party) else field_label(kind, f.name, lang)
    return FormFact(label=label, value=value, page=f.page, where=where_text(file, f.page, lang), **extras)


def role_label(kind: str, role: str, lang: str) -> str:
    """A party role as the documents of `kind` call it (kinds.yaml roles), in the language."""
    from toolkit.kinds import kind_spec

    labels = [label for label, r in kind_spec(kind).roles.items() if r == role]
    cjk = [x for x in labels if re.search(r"[\u4e00-\u9fff]", x)]
    latin = [x for x in labels if x not in cjk]
    chosen = (cjk or latin) if lang == "zh" else (latin or cjk)
    return chosen[0] if chosen else role


def _document_kind(declared: object, result: ExtractionResult) -> str:
    if declared:
        return str(declared)
    return result.kind or "other"


def _status(result: ExtractionResult, lang: str) -> str:
    if result.error or result.error_reason:
        return t("render.doc.unreadable", lang, reason=result.error_reason or result.error or "")
    if not result.readable:
        return t("render.doc.no_text", lang)
    if any(s == "ocr" for s in result.page_sources):
        return t("render.doc.ocr", lang)
    return t("render.doc.read", lang)


def _finding(f: Finding, lang: str) -> FormFinding:
    evidence = ", ".join(dict.fromkeys(where_text(e.file, e.page, lang) for e in f.evidence))
    return FormFinding(code=f.code, status_text=t(f"render.status.{f.status}", lang), message=f.message,
                       evidence=evidence)


def build_form(dossier: Dossier, extractions: list[ExtractionResult], report: Report, lang: str) -> FormData:
    """The form data of one checked dossier, in `lang` (the report should be in `lang` too)."""
    from toolkit.kinds import kind_spec, satisfies
    from toolkit.present import kind_name

    m = dossier.manifest
    cl = dossier.checklist
    documents: list[FormDocument] = []
    facts: dict[str, dict[str, FormFact]] = {}
    parties: dict[str, dict[str, FormFact]] = {}
    licence: dict[str, FormFact] = {}
    licence_file = ""
    extracted_subject: dict[str, FormFact] = {}
    kinds: list[str] = []  # the kind of each document on disk, in manifest order

    for number, (document, result) in enumerate(zip(dossier.documents, extractions, strict=True), start=1):
        kind = _document_kind(document.ref.kind, result)
        readable = result.readable
        doc_facts = [_fact(kind, f, document.file, lang) for f in result.fields] if readable else []
        if readable:
            for f, shown in zip(result.fields, doc_facts, strict=True):
                if isinstance(f.value, Party):
                    parties.setdefault(kind, {}).setdefault(f.value.role, shown)
                else:
                    facts.setdefault(kind, {}).setdefault(f.name, shown)
                if f.name in SUBJECT_KEYS:
                    extracted_subject.setdefault(f.name, shown)
            if satisfies(kind) & set(LICENCE_KINDS) and not licence:
                licence = {f.name: s for f, s in zip(result.fields, doc_facts, strict=True)}
                licence_file = document.file
        kinds.append(kind)
        pages = sorted({f.page for f in result.fields}) if readable else []
        documents.append(FormDocument(
            number=number, file=document.file, kind_name=kind_name(kind, lang), pages=result.pages or None,
            fact_pages=pages, status=_status(result, lang),
            facts=[FormDocFact(label=f.label, value=f.value, page=f.page) for f in doc_facts]))
    for ref in dossier.missing:
        kind = str(ref.kind) if ref.kind else "other"
        documents.append(FormDocument(
            number=len(documents) + 1, file=ref.file, kind_name=kind_name(kind, lang), pages=None,
            fact_pages=[], status=t("render.doc.missing_file", lang), facts=[]))

    def licence_text(name: str) -> str | None:
        fact = licence.get(name)
        return fact.value if fact else None

    established = licence.get("established_date")
    source = where_text(licence_file, min(f.page for f in licence.values()), lang) if licence else None
    applicant = FormApplicant(
        name=m.applicant.name, uscc=m.applicant.uscc, address=licence_text("registered_address"),
        legal_representative=licence_text("legal_representative"),
        registration_authority=licence_text("registration_authority"), entity_type=licence_text("entity_type"),
        established=established.date if established else None, source=source)

    policy = measure_catalogue().policy
    sub_title = pick(cl.items[m.item].title, lang) if cl.items and m.item in cl.items else None
    item = FormItem(id=cl.id, measure=cl.measure, title=pick(cl.title, lang), sub_item=m.item, sub_item_title=sub_title,
                    supports=pick(cl.supports, lang), clause=cl.citation.clause, citation=cl.citation.text,
                    policy_number=policy.number, policy_title=pick(policy.title, lang), year=m.year)

    declared = m.facts.model_dump()
    subject = FormSubject(**{k: declared.get(k) or (extracted_subject[k].value if k in extracted_subject else None)
                             for k in SUBJECT_KEYS})

    spec = cl.support_for(m.item)
    labels = {c.scope: pick(c.label, lang) for c in spec.caps}
    s = report.support
    caps = [FormCap(label=labels.get(c.scope, c.scope), scope=c.scope, amount=c.cap_cny, remaining=c.remaining_cny,
                    binding=c.binding) for c in s.caps]
    support = FormSupport(
        kind=s.kind, requested=m.requested_cny if m.requested_cny is not None else s.requested_cny,
        eligible=s.eligible_cny, basis=s.basis_cny, basis_label=pick(spec.basis.label, lang) if spec.basis else None,
        rate=s.rate, caps=caps, explanation=s.explanation,
        interpretation=pick(spec.interpretation, lang) if spec.interpretation else None,
        provisional=report.verdict == "needs_review")

    findings = [_finding(f, lang) for f in report.findings]
    problems = [_finding(f, lang) for f in report.findings if f.status in ("fail", "needs_review", "waived")]
    summary = report.summary
    check = FormCheck(
        verdict=report.verdict, verdict_text=t(f"render.verdict.{report.verdict}", lang),
        passed=summary.pass_, failed=summary.fail, needs_review=summary.needs_review, waived=summary.waived,
        not_applicable=summary.not_applicable, findings=findings,
        problems=problems,
        disclaimer=report.disclaimer or pick(policy.disclaimer, lang), toolkit_version=report.toolkit_version,
        checklist_digest=report.checklist_digest)

    present: dict[str, list[str]] = {}
    for d, kind in zip(documents, kinds, strict=False):  # documents on disk come first
        for k in satisfies(kind):
            present.setdefault(k, []).append(d.file)
    required = [FormRequirement(name=pick(kind_spec(k).names, lang), present=k in present,
                                files=present.get(k, [])) for k in cl.documents_for(m.item)]

    return FormData(lang=lang, dossier=report.dossier, applicant=applicant, item=item, subject=subject,  # type: ignore[arg-type]
                    support=support, check=check, required=required, documents=documents, facts=facts,
                    parties=parties)
