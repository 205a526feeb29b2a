"""The check report (../shared/spec/interfaces.md §2): verdict, support and findings.

Key order in JSON follows the contract (pydantic keeps declaration order). Money is a
decimal string with two decimals; rates are exact decimal strings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from toolkit.model.common import BBox, Citation, CnyStr, DecimalStr, StrictModel

Verdict = Literal["pass", "fail", "needs_review"]
Status = Literal["pass", "fail", "needs_review", "waived", "not_applicable"]
Severity = Literal["error", "warning", "info"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "needs_review", "waived", "not_applicable")


class Evidence(StrictModel):
    """A place in a submitted document that a finding rests on."""

    file: str
    page: int | None = Field(None, ge=1)
    text: str = ""
    bbox: BBox | None = None


class Cap(StrictModel):
    """One cap that applies to the support, and whether it bound."""

    scope: str = Field(description="per_project, per_product, per_event, per_item, per_unit_year")
    cap_cny: CnyStr
    remaining_cny: CnyStr | None = Field(None, description="for yearly caps: what earlier awards leave")
    since: str | None = Field(None, description="the date from which this value holds")
    citation: Citation
    binding: bool = False


class Support(StrictModel):
    """The support the policy allows, with the arithmetic shown."""

    eligible_cny: CnyStr | None
    basis_cny: CnyStr | None = None
    rate: DecimalStr | None = None
    cap_cny: CnyStr | None = None
    explanation: str
    kind: Literal["grant", "guarantee_limit"] = "grant"
    requested_cny: CnyStr | None = None
    caps: list[Cap] = Field(default_factory=list)
    rounding: str = "ROUND_HALF_UP to the fen (0.01 yuan), once, at the end"


class Finding(StrictModel):
    """The outcome of one checklist rule for this dossier."""

    code: str
    status: Status
    severity: Severity
    message: str
    citation: Citation
    evidence: list[Evidence] = Field(default_factory=list)
    trace: dict[str, Any] = Field(default_factory=dict, description="facts read, parameters used, intermediate amounts")
    waiver: dict[str, Any] | None = None


class Summary(StrictModel):
    """Findings counted per status; `waived` counts apart from `fail`."""

    pass_: int = Field(0, alias="pass")
    fail: int = 0
    needs_review: int = 0
    waived: int = 0
    not_applicable: int = 0


class Report(StrictModel):
    """One dossier's check report: one JSON line of `dossier check --format json`."""

    schema_version: Literal[1] = Field(1, alias="schema")
    dossier: str
    measure: str
    item: str | None
    verdict: Verdict
    toolkit_version: str
    checklist_digest: str
    lang: Literal["en", "zh"]
    support: Support
    findings: list[Finding]
    summary: Summary
    applicant: dict[str, str | None] = Field(default_factory=dict)
    year: int | None = None
    warnings: list[str] = Field(default_factory=list)
    disclaimer: str = ""


class ErrorLine(StrictModel):
    """The report line of a dossier that cannot be read at all (batch mode)."""

    schema_version: Literal[1] = Field(1, alias="schema")
    dossier: str
    verdict: Literal["error"] = "error"
    error: str
