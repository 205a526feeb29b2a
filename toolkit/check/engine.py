"""Check a dossier: run its checklist's rules over its facts, decide the verdict, compute the support.

Verdict (../shared/spec/interfaces.md §2): `fail` when a rule of severity `error` fails,
else `needs_review` when any rule needs review, else `pass`. Waived findings (a reviewer's
waiver file) count apart and do not fail the verdict. Findings come in checklist order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from toolkit import __version__
from toolkit.catalogue import checklist_digest, measure_catalogue
from toolkit.check.awards import AwardRegistry, Ledger
from toolkit.check.facts import Doc, FactBase
from toolkit.check.rules import RULE_TYPES, FieldName, Kind, KindList, Outcome, RuleContext
from toolkit.check.support import compute_support
from toolkit.check.waivers import Waiver, apply_waivers
from toolkit.dossier import Dossier, open_dossier
from toolkit.errors import ChecklistError
from toolkit.i18n import pick, t
from toolkit.i18n.formats import format_date, format_money
from toolkit.model.award import Award
from toolkit.model.catalogue import Checklist, Rule
from toolkit.model.common import Money
from toolkit.model.extraction import ExtractionResult
from toolkit.model.report import Finding, Report, Summary


@dataclass
class CheckOptions:
    """How to check: language, reading settings, earlier awards, waivers, the clock."""

    lang: str = "en"
    read_settings: Any = None  # toolkit.read.model.ReadSettings
    cache: Any = None  # toolkit.cache.ExtractionCache, or None for --no-cache
    prior_awards: list[Award] = field(default_factory=list)
    prior_awards_source: str | None = None
    ledger: Ledger | None = None
    ledger_source: str | None = None
    waivers: list[Waiver] = field(default_factory=list)
    clock: Callable[[], dt.date] = dt.date.today
    extractor: Callable[..., list[ExtractionResult]] | None = None  # injected in tests
    read_jobs: int = 1  # a dossier's files read at once (one dossier checked alone: the cores)

    def registry(self) -> AwardRegistry | None:
        if not self.prior_awards and self.ledger is None and not self.prior_awards_source:
            return None
        sources = [s for s in (self.prior_awards_source, self.ledger_source) if s]
        return AwardRegistry(prior=list(self.prior_awards), ledger=self.ledger, sources=sources)


@dataclass
class CheckResult:
    dossier: Dossier
    extractions: list[ExtractionResult]
    report: Report


def validate_rule_params(cl: Checklist) -> None:
    """Each rule's type exists and its parameters fit the type (ChecklistError otherwise)."""
    for rule in cl.rules:
        rt = RULE_TYPES.get(rule.type)
        if rt is None:
            raise ChecklistError("error.rule_type", where=f"checklists/{cl.id}.yaml", code=rule.code, type=rule.type,
                                 known=", ".join(sorted(RULE_TYPES)))
        try:
            rt.Params.model_validate(rule.params)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ChecklistError("error.rule_params", where=f"checklists/{cl.id}.yaml", code=rule.code,
                                 field=".".join(str(p) for p in first["loc"]), problem=first["msg"]) from None


def render_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Message parameters as the language writes them (money, dates, kind names, lists)."""
    from toolkit.present import kind_name

    out: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, KindList):
            out[k] = ("、" if lang == "zh" else ", ").join(kind_name(x, lang) for x in v)
        elif isinstance(v, Kind):
            out[k] = kind_name(str(v), lang)
        elif isinstance(v, FieldName):
            out[k] = field_label(v.kind, str(v), lang)
        elif isinstance(v, Decimal):
            out[k] = format_money(v, lang)
        elif isinstance(v, Money):
            out[k] = format_money(v.amount, lang, v.currency)
        elif isinstance(v, dt.date):
            out[k] = format_date(v, lang)
        elif isinstance(v, dict) and set(v) <= {"en", "zh"}:
            out[k] = pick(v, lang)
        else:
            out[k] = v
    return out


def field_label(kind: str, name: str, lang: str) -> str:
    """A field as users know it: its first label in the language (kinds.yaml), else its name."""
    import re

    from toolkit.kinds import kind_catalogue

    spec = kind_catalogue().kinds.get(kind)
    labels = spec.fields[name].labels if spec and name in spec.fields else []
    cjk = [x for x in labels if re.search(r"[\u4e00-\u9fff]", x)]
    latin = [x for x in labels if x not in cjk]
    chosen = (cjk or latin) if lang == "zh" else (latin or cjk)
    return chosen[0] if chosen else name


def _json_safe(value: Any) -> Any:
    """Trace values for JSON: Decimals and dates as strings, models dumped."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def evaluate_rule(rule: Rule, facts: FactBase, cl: Checklist, today: dt.date,
                  awards: AwardRegistry | None = None, params: dict[str, Any] | None = None) -> Outcome:
    """One rule's outcome (not_applicable outside its sub-items)."""
    if rule.applies_to is not None and facts.item not in rule.applies_to:
        return Outcome("not_applicable", "check.not_applicable_item", {"item": facts.item})
    rt = RULE_TYPES[rule.type]
    parsed = rt.Params.model_validate(rule.params if params is None else params)
    return rt.evaluate(RuleContext(facts=facts, checklist=cl, rule=rule, params=parsed, today=today, awards=awards))


def to_finding(rule: Rule, outcome: Outcome, lang: str) -> Finding:
    return Finding(
        code=rule.code,
        status=outcome.status,
        severity=rule.severity,
        message=t(outcome.key, lang, **render_params(outcome.params, lang)),
        citation=rule.citation,
        evidence=outcome.evidence,
        trace=_json_safe(outcome.trace),
    )


def verdict_of(findings: list[Finding]) -> str:
    if any(f.status == "fail" and f.severity == "error" for f in findings):
        return "fail"
    if any(f.status == "needs_review" for f in findings):
        return "needs_review"
    return "pass"


def summarise(findings: list[Finding]) -> Summary:
    counts = {s: sum(1 for f in findings if f.status == s) for s in ("pass", "fail", "needs_review", "waived", "not_applicable")}
    return Summary.model_validate(counts)


def build_facts(dossier: Dossier, extractions: list[ExtractionResult]) -> FactBase:
    """The FactBase of a real dossier: declared data and one Doc per readable-or-not document."""
    m = dossier.manifest
    docs = []
    for document, result in zip(dossier.documents, extractions, strict=True):
        kind = str(document.ref.kind) if document.ref.kind else (result.kind or "other")
        docs.append(Doc(file=document.file, kind=kind, result=result))
    return FactBase(
        applicant_name=m.applicant.name,
        applicant_uscc=m.applicant.uscc,
        item=m.item,
        year=m.year,
        requested_cny=m.requested_cny,
        declared={k: v for k, v in m.facts.model_dump().items() if v},
        docs=docs,
        absent_files=[r.file for r in dossier.missing],
        dossier_key=dossier_key(dossier),
    )


def dossier_key(dossier: Dossier) -> str:
    """A content digest of the manifest: identifies the filing for the ledger."""
    data = (dossier.root / "dossier.yaml").read_bytes()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def check_facts(facts: FactBase, cl: Checklist, *, dossier: str, lang: str, options: CheckOptions,
                warnings: list[str] | None = None) -> Report:
    """Run every rule of the checklist over the facts and assemble the report."""
    today = options.clock()
    awards = options.registry()
    findings = [to_finding(rule, evaluate_rule(rule, facts, cl, today, awards), lang) for rule in cl.rules]
    warnings = list(warnings or [])
    findings, waiver_warnings = apply_waivers(findings, options.waivers, dossier, today, lang)
    warnings += waiver_warnings
    verdict = verdict_of(findings)
    support, basis_evidence, support_trace = compute_support(facts, cl, verdict, lang, awards)
    policy = measure_catalogue().policy
    return Report(
        dossier=dossier,
        measure=cl.id,
        item=facts.item,
        verdict=verdict,  # type: ignore[arg-type]
        toolkit_version=__version__,
        checklist_digest=checklist_digest([cl.id]),
        lang=lang,  # type: ignore[arg-type]
        support=support,
        findings=findings,
        summary=summarise(findings),
        applicant={"name": facts.applicant_name, "uscc": facts.applicant_uscc},
        year=facts.year,
        warnings=warnings,
        disclaimer=pick(policy.disclaimer, lang),
    )


def check_dossier(dossier: Dossier, extractions: list[ExtractionResult], options: CheckOptions) -> Report:
    validate_rule_params(dossier.checklist)
    facts = build_facts(dossier, extractions)
    warnings = [t("check.warn.listed_absent", options.lang, file=f) for f in facts.absent_files]
    by_content: dict[str, list[str]] = {}
    for doc in facts.docs:
        if doc.result.sha256:
            by_content.setdefault(doc.result.sha256, []).append(doc.file)
    warnings += [t("check.warn.same_file", options.lang, files=", ".join(files))
                 for files in by_content.values() if len(files) > 1]
    for doc in facts.docs:
        declared = doc.result.kind_declared
        if declared and doc.result.kind and declared != doc.result.kind and doc.result.kind_confidence >= 0.6:
            warnings.append(t("check.warn.kind_contradiction", options.lang, file=doc.file, declared=declared,
                              found=doc.result.kind))
    return check_facts(facts, dossier.checklist, dossier=dossier.display, lang=options.lang, options=options,
                       warnings=warnings)


def extract_all(dossier: Dossier, options: CheckOptions) -> list[ExtractionResult]:
    if options.extractor is not None:
        return options.extractor(dossier, settings=options.read_settings, cache=options.cache)
    from toolkit.extract import extract_dossier

    return extract_dossier(dossier, settings=options.read_settings, cache=options.cache, jobs=options.read_jobs)


def check_path(folder: Path | str, display: str | None = None, options: CheckOptions | None = None) -> CheckResult:
    """Open, extract and check one dossier folder (DossierError if it cannot be read at all)."""
    options = options or CheckOptions()
    dossier = open_dossier(Path(folder), display if display is not None else str(folder))
    extractions = extract_all(dossier, options)
    return CheckResult(dossier=dossier, extractions=extractions, report=check_dossier(dossier, extractions, options))
