"""Run the pass/fail cases that each checklist rule carries inline.

A case is a tiny synthetic dossier: an applicant, declared facts, a requested amount and
documents given as `{kind, fields: {name: value}, unreadable: bool}`. Field values are
written as in the extraction JSON (money {amount, currency}, dates, parties, shareholders);
the field's type comes from toolkit/data/kinds.yaml. The suite and `dossier lint` run them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from toolkit.check.engine import evaluate_rule
from toolkit.check.facts import Doc, FactBase
from toolkit.kinds import kind_spec
from toolkit.model.catalogue import Checklist, Rule, RuleTest
from toolkit.model.extraction import ExtractedField, ExtractionResult, extracted_field

DEFAULT_APPLICANT = {"name": "上海澄源生物医药有限公司", "uscc": "91310115MA1H8R2X46"}
TEST_DAY = dt.date(2026, 1, 15)


@dataclass
class RuleTestFailure:
    checklist: str
    code: str
    case: str
    expected: str
    got: str
    message: str

    def __str__(self) -> str:
        return f"{self.checklist} {self.code} [{self.case}]: expected {self.expected}, got {self.got} ({self.message})"


def _field(kind: str, name: str, value: Any, line: int) -> ExtractedField:
    spec = kind_spec(kind).fields.get(name)
    ftype = spec.type if spec else "text"
    if ftype == "number" or ftype == "percent":
        value = Decimal(str(value))
    elif ftype == "date" and isinstance(value, str):
        value = dt.date.fromisoformat(value)
    elif ftype in ("text", "uscc", "regulator") and not isinstance(value, str):
        value = str(value)  # YAML reads an unquoted USCC of digits as a number
    bbox = (72.0, 100.0 + 14 * line, 400.0, 110.0 + 14 * line)
    return extracted_field(name=name, type=ftype, value=value, page=1, bbox=bbox, text=f"{name}: {value}",
                           confidence=1.0)


def _doc(i: int, spec: dict[str, Any]) -> Doc:
    kind = spec["kind"]
    fields, line = [], 0
    for name, value in (spec.get("fields") or {}).items():
        for v in value if isinstance(value, list) else [value]:
            fields.append(_field(kind, name, v, line))
            line += 1
    unreadable = bool(spec.get("unreadable"))
    result = ExtractionResult(file=spec.get("file", f"documents/{kind}-{i}.pdf"), kind=kind, kind_confidence=1.0,
                              pages=1, page_sources=["unreadable" if unreadable else "text"],
                              fields=[] if unreadable else fields, withheld=spec.get("withheld") or [])
    return Doc(file=result.file, kind=kind, result=result)


def case_facts(case: RuleTest, checklist: Checklist) -> FactBase:
    applicant = case.applicant or DEFAULT_APPLICANT
    item = case.item or (next(iter(checklist.items)) if checklist.items else None)
    return FactBase(applicant_name=applicant["name"], applicant_uscc=applicant["uscc"], item=item, year=2025,
                    requested_cny=case.requested_cny, declared=dict(case.facts),
                    docs=[_doc(i, d) for i, d in enumerate(case.documents)])


def run_case(rule: Rule, case: RuleTest, checklist: Checklist):
    facts = case_facts(case, checklist)
    params = case.params if case.params is not None else None
    merged = {**rule.params, **params} if params is not None else None
    registry = None
    if case.awards is not None:
        from toolkit.check.awards import AwardRegistry
        from toolkit.model.award import Award

        registry = AwardRegistry(prior=[Award.model_validate(a) for a in case.awards], sources=["inline test"])
    return evaluate_rule(rule, facts, checklist, TEST_DAY, registry, merged)


def run_rule_tests(checklist: Checklist) -> list[RuleTestFailure]:
    """Every inline case of every rule; the failures (empty when all hold)."""
    from toolkit.i18n import t

    failures = []
    for rule in checklist.rules:
        for case in rule.tests:
            outcome = run_case(rule, case, checklist)
            if outcome.status != case.expect:
                failures.append(RuleTestFailure(checklist.id, rule.code, case.name, case.expect, outcome.status,
                                                t(outcome.key, "en", **{k: v for k, v in outcome.params.items()})))
    return failures
