"""Earlier awards: a reviewer's --prior-awards file and/or the award ledger.

Yearly per-unit caps sum the applicant's awards under the same support item in the same
year; duplicate claims are the same applicant with the same product, contract, project or
event in any measure (优、高、不重复). An award made on this very dossier (same
`dossier_key`) is never counted against it when it is checked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from toolkit.check.facts import FactBase, mentions
from toolkit.errors import InputError
from toolkit.model.award import Award, AwardList


class Ledger(Protocol):
    """What the checker needs from an award ledger (toolkit/review/ledger.py provides one)."""

    def awards_for(self, uscc: str, year: int) -> list[Award]: ...

    def claims_like(self, uscc: str, product: str | None, project: str | None,
                    contract_no: str | None, event: str | None) -> list[Award]: ...


def load_prior_awards(path: Path) -> list[Award]:
    """Read a --prior-awards file: YAML or JSON, a list of awards or {awards: [...]}."""
    from toolkit.yamlio import load_yaml, validation_error

    doc = load_yaml(path, InputError, display=str(path))
    data = doc.data if isinstance(doc.data, dict) else {"awards": doc.data or []}
    if isinstance(doc.data, list):
        doc.lines = {("awards", *k): v for k, v in doc.lines.items()}
    try:
        return AwardList.model_validate(data).awards
    except ValidationError as exc:
        raise validation_error(doc, exc, InputError) from None


@dataclass
class AwardRegistry:
    """Every source of earlier awards the check was given."""

    prior: list[Award] = field(default_factory=list)
    ledger: Ledger | None = None
    sources: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return ", ".join(self.sources) or "—"

    def _all_for(self, uscc: str, year: int) -> list[Award]:
        found = [a for a in self.prior if a.applicant_uscc.upper() == uscc.upper() and a.year == year]
        if self.ledger is not None:
            found += [a for a in self.ledger.awards_for(uscc, year) if a not in found]
        return found

    def earlier_in_year(self, facts: FactBase, item_id: str, sub_item: str | None = None) -> list[Award]:
        """Awards under the same item, same applicant, same year, not made on this dossier;
        with `sub_item`, only those of that sub-item, and those that name none (which cannot
        be told apart, so they count: a cap is never raised on a guess)."""
        return [a for a in self._all_for(facts.applicant_uscc, facts.year)
                if a.measure == item_id and not (facts.dossier_key and a.dossier_key == facts.dossier_key)
                and (sub_item is None or a.item in (None, sub_item))]

    def claims_like(self, facts: FactBase) -> list[Award]:
        """Earlier awards to the same applicant for the same product, contract, project or event."""
        declared = facts.declared
        pool = [a for a in self.prior if a.applicant_uscc.upper() == facts.applicant_uscc.upper()]
        if self.ledger is not None:
            pool += [a for a in self.ledger.claims_like(facts.applicant_uscc, declared.get("product"),
                                                        declared.get("project"), declared.get("contract_no"),
                                                        declared.get("event")) if a not in pool]
        out = []
        for a in pool:
            if facts.dossier_key and a.dossier_key == facts.dossier_key:
                continue
            if any(declared.get(k) and mentions(getattr(a, k), declared.get(k))
                   for k in ("product", "project", "contract_no", "event")):
                out.append(a)
        return out


def total(awards: list[Award]) -> Decimal:
    return sum((a.amount_cny for a in awards), Decimal(0))


def award_summary(awards: list[Award]) -> list[dict[str, Any]]:
    return [{"measure": a.measure, "year": a.year, "amount_cny": f"{a.amount_cny:.2f}", "dossier": a.dossier} for a in awards]
