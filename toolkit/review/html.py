"""The round's HTML report: one self-contained file a reviewer opens in any browser.

Why self-contained: reviewers pass the report around by mail and open it on machines with
no network access (or must not leak applicants' data to a CDN), so the CSS, the charts
(inline SVG, geometry computed here) and the small sorting/filtering script are all inside
the file. The template uses StrictUndefined (a misspelt variable is an error, never a blank)
and autoescaping (applicants' names and document text are untrusted). Every label comes
from the message catalogue (messages/review.yaml), so the report reads in Chinese or
English. No timestamp: the same round gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.i18n import t
from toolkit.i18n.formats import format_money
from toolkit.model.report import ErrorLine, Report
from toolkit.review.batch import Outcome
from toolkit.review.summaries import row_of

VERDICTS = ("pass", "fail", "needs_review", "error")
COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "needs_review": "#ef8f00", "error": "#616161",
           "requested": "#90a4ae", "eligible": "#1565c0"}
TEMPLATE_DIR = Path(__file__).with_name("templates")


@dataclass
class MeasureTotals:
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    requested: Decimal = Decimal(0)
    eligible: Decimal = Decimal(0)
    stated: int = 0  # dossiers that state an amount applied for (rate-based items need not)


@dataclass
class Totals:
    """The round in numbers: counts per verdict, and money requested and found eligible."""

    count: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    requested: Decimal = Decimal(0)
    eligible: Decimal = Decimal(0)
    stated: int = 0
    guarantee_limits: Decimal = Decimal(0)  # m29's limits: not grants, so not in `eligible`
    measures: dict[str, MeasureTotals] = field(default_factory=dict)


def totals_of(outcomes: list[Outcome]) -> Totals:
    totals = Totals(count=len(outcomes))
    for outcome in outcomes:
        row = row_of(outcome)
        totals.verdicts[row.verdict] += 1
        per = totals.measures.setdefault(row.measure or "—", MeasureTotals())
        per.verdicts[row.verdict] += 1
        result = outcome.result
        guarantee = not isinstance(result, ErrorLine) and result.support is not None \
            and result.support.kind == "guarantee_limit"
        for target in (totals, per):
            if guarantee and target is totals:  # a guarantee limit is no grant: counted apart
                totals.guarantee_limits += row.eligible or 0
                continue
            target.requested += row.requested or 0
            target.eligible += row.eligible or 0
            target.stated += row.requested is not None
    totals.measures = dict(sorted(totals.measures.items()))
    return totals


# ---- charts (inline SVG geometry) -----------------------------------------------------------

LABEL_W, BAR_W, ROW_H = 210, 420, 26


def verdict_chart(totals: Totals) -> dict[str, Any]:
    """Stacked horizontal bars: per measure, how many dossiers got each verdict."""
    widest = max((sum(m.verdicts.values()) for m in totals.measures.values()), default=1) or 1
    rows = []
    for i, (measure, per) in enumerate(totals.measures.items()):
        x, segments = float(LABEL_W), []
        for verdict in VERDICTS:
            n = per.verdicts[verdict]
            if n:
                w = BAR_W * n / widest
                segments.append({"x": round(x, 1), "w": round(w, 1), "n": n, "verdict": verdict,
                                 "colour": COLOURS[verdict]})
                x += w
        rows.append({"y": 10 + i * ROW_H, "label": measure, "segments": segments,
                     "total": sum(per.verdicts.values()), "end": round(x + 6, 1)})
    return {"width": LABEL_W + BAR_W + 60, "height": 20 + len(rows) * ROW_H + 20, "rows": rows,
            "legend_y": 20 + len(rows) * ROW_H}


def money_chart(totals: Totals, lang: str) -> dict[str, Any]:
    """Per measure two bars: money requested and money found eligible (same scale)."""
    top = max([max(m.requested, m.eligible) for m in totals.measures.values()] + [Decimal(1)])
    rows = []
    for i, (measure, per) in enumerate(totals.measures.items()):
        y = 10 + i * (2 * ROW_H - 6)
        bars = []
        for j, (kind, amount) in enumerate((("requested", per.requested), ("eligible", per.eligible))):
            w = float(Decimal(BAR_W) * amount / top) if amount else 0.0  # geometry: float is right here
            label = format_money(amount, lang)
            if kind == "requested" and not per.stated:
                label = t("review.html.not_stated", lang)
            bars.append({"y": y + j * (ROW_H - 6), "w": round(w, 1), "colour": COLOURS[kind], "label": label,
                         "kind": kind})
        rows.append({"y": y, "label": measure, "bars": bars})
    height = 20 + len(rows) * (2 * ROW_H - 6) + 20
    return {"width": LABEL_W + BAR_W + 200, "height": height, "rows": rows, "legend_y": height - 14}


# ---- the page ----------------------------------------------------------------------------

def _dossier_view(index: int, outcome: Outcome, lang: str) -> dict[str, Any]:
    row = row_of(outcome)
    view: dict[str, Any] = {
        "anchor": f"d{index + 1}", "row": row, "findings": [], "explanation": "", "warnings": [],
        "requested_text": format_money(row.requested, lang) if row.requested is not None else "—",
        "eligible_text": format_money(row.eligible, lang) if row.eligible is not None else "—",
        "requested_sort": str(row.requested if row.requested is not None else -1),
        "eligible_sort": str(row.eligible if row.eligible is not None else -1),
        "verdict_text": t(f"review.verdict.{row.verdict}", lang),
        "doc_errors": outcome.doc_errors,
        "error": outcome.result.error if isinstance(outcome.result, ErrorLine) else "",
    }
    if isinstance(outcome.result, Report):
        report = outcome.result
        view["explanation"] = report.support.explanation if report.support else ""
        view["warnings"] = report.warnings
        for f in report.findings:
            clause = f" {f.citation.clause}" if f.citation.clause else ""
            view["findings"].append({
                "code": f.code, "severity": t(f"review.severity.{f.severity}", lang),
                "status": f.status, "status_text": t(f"review.status.{f.status}", lang), "message": f.message,
                "citation": t("review.citation", lang, measure=f.citation.measure, clause=clause),
                "citation_text": f.citation.text,
                "evidence": list(dict.fromkeys(  # one line per place, however often it was read
                    t("review.evidence_at", lang, file=e.file, page=e.page) if e.page else e.file
                    for e in f.evidence)),
            })
    return view


def render_html(outcomes: list[Outcome], *, lang: str, title: str, interrupted: bool = False,
                total: int | None = None) -> str:
    """The report as one HTML string (UTF-8, nothing loaded from elsewhere)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), undefined=jinja2.StrictUndefined,
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

    def msg(key: str, **params: Any) -> str:
        return t(key, lang, **params)

    totals = totals_of(outcomes)
    return env.get_template("report.html.j2").render(
        lang=lang, title=title, t=msg, totals=totals, verdicts=VERDICTS, colours=COLOURS,
        requested_text=format_money(totals.requested, lang), eligible_text=format_money(totals.eligible, lang),
        guarantee_text=format_money(totals.guarantee_limits, lang) if totals.guarantee_limits else "",
        verdict_chart=verdict_chart(totals), money_chart=money_chart(totals, lang),
        dossiers=[_dossier_view(i, o, lang) for i, o in enumerate(outcomes)],
        interrupted=interrupted, found=total if total is not None else len(outcomes), version=__version__,
    )
