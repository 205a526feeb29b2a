"""Reviewer waivers: a failing rule accepted on purpose, with a reason, by someone, on a date.

Waivers are the reviewer's, never the applicant's: they come from a file given with
`--waivers FILE` (YAML or JSON list; a `waivers` key in a manifest is refused). A waiver
turns a *failing* finding into `waived` (counted apart); one that matches no failing rule
is warned about; an expired one is ignored with a warning.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path, PurePath

from pydantic import Field, ValidationError

from toolkit.errors import WaiverError
from toolkit.i18n import t
from toolkit.model.common import StrictModel
from toolkit.model.report import Finding


class Waiver(StrictModel):
    dossier: str = Field(min_length=1, description="the dossier path as given to check, or its folder name")
    rule: str = Field(min_length=1)
    reason: str = Field(min_length=3)
    by: str = Field(min_length=1)
    date: dt.date
    expires: dt.date | None = None


class WaiverFile(StrictModel):
    waivers: list[Waiver]


def load_waivers(path: Path) -> list[Waiver]:
    from toolkit.yamlio import load_yaml, validation_error

    doc = load_yaml(path, WaiverError, display=str(path))
    data = doc.data
    if isinstance(data, list):
        doc.lines = {("waivers", *k): v for k, v in doc.lines.items()}
        data = {"waivers": data}
    try:
        return WaiverFile.model_validate(data).waivers
    except ValidationError as exc:
        raise validation_error(doc, exc, WaiverError) from None


def _same_dossier(waiver: str, display: str) -> bool:
    a, b = os.path.normpath(waiver), os.path.normpath(display)
    return a == b or PurePath(b).name == a


def apply_waivers(findings: list[Finding], waivers: list[Waiver], display: str, today: dt.date,
                  lang: str) -> tuple[list[Finding], list[str]]:
    warnings: list[str] = []
    mine = [w for w in waivers if _same_dossier(w.dossier, display)]
    out = []
    used: set[int] = set()
    for f in findings:
        for i, w in enumerate(mine):
            if w.rule != f.code:
                continue
            if w.expires is not None and w.expires < today:
                warnings.append(t("check.warn.waiver_expired", lang, rule=w.rule, expires=w.expires.isoformat()))
                used.add(i)
                continue
            if f.status == "fail":
                f = f.model_copy(update={"status": "waived", "waiver": w.model_dump(mode="json")})
                used.add(i)
        out.append(f)
    for i, w in enumerate(mine):
        if i not in used:
            warnings.append(t("check.warn.waiver_unmatched", lang, rule=w.rule))
    return out, warnings
