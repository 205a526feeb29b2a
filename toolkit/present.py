"""Measures and checklists as text and JSON for people and scripts (`dossier measures`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from toolkit.catalogue import checklists, measure_catalogue
from toolkit.i18n import pick, t
from toolkit.i18n.formats import format_date, format_money, format_rate
from toolkit.model.catalogue import Checklist, Measure, MeasureCatalogue, SupportSpec
from toolkit.model.common import decimal_str


def kind_name(kind: str, lang: str) -> str:
    from toolkit.kinds import kind_spec

    return pick(kind_spec(kind).names, lang)


def measure_rows(cat: MeasureCatalogue, lang: str) -> list[dict[str, Any]]:
    return [
        {"number": m.number, "part": m.part, "title": pick(m.title, lang), "fundable": m.fundable, "items": m.items}
        for m in cat.measures
    ]


def support_dict(spec: SupportSpec, lang: str) -> dict[str, Any]:
    return {
        "kind": spec.kind,
        "basis": None if spec.basis is None else {
            "label": pick(spec.basis.label, lang), "kinds": [str(k) for k in spec.basis.kinds],
            "field": spec.basis.field, "aggregate": spec.basis.aggregate,
        },
        "rate": None if spec.rate is None else [
            {"from": d.isoformat(), "value": decimal_str(v)} for d, v in sorted(spec.rate.values.items())
        ],
        "caps": [
            {"scope": c.scope, "label": pick(c.label, lang),
             "values": [{"from": d.isoformat(), "cny": decimal_str(v)} for d, v in sorted(c.amount.values.items())],
             "citation": c.amount.citation.model_dump(exclude_none=True)}
            for c in spec.caps
        ],
        "interpretation": pick(spec.interpretation, lang) if spec.interpretation else None,
    }


def item_dict(cl: Checklist, lang: str) -> dict[str, Any]:
    subs = list(cl.items) if cl.items else [None]
    return {
        "id": cl.id,
        "title": pick(cl.title, lang),
        "supports": pick(cl.supports, lang),
        "window": cl.window,
        "citation": cl.citation.model_dump(exclude_none=True),
        "sub_items": [
            {"id": s, "title": pick(cl.items[s].title, lang) if (cl.items and s) else None,
             "documents": cl.documents_for(s), "support": support_dict(cl.support_for(s), lang)}
            for s in subs
        ],
        "rules": [r.code for r in cl.rules],
    }


def measure_detail(m: Measure, lang: str, only_item: str | None = None) -> dict[str, Any]:
    cat = measure_catalogue()
    items = [i for i in m.items if only_item in (None, i)]
    return {
        "number": m.number,
        "part": m.part,
        "title": pick(m.title, lang),
        "summary": pick(m.summary, lang),
        "units": m.units.get(lang, m.units["en"]),  # type: ignore[index]
        "fundable": m.fundable,
        "nothing_to_file": not m.fundable,
        "zh_source": cat.policy.zh_source,
        "items": [item_dict(checklists()[i], lang) for i in items],
    }


def _window(cl: Checklist) -> tuple[str, str]:
    pol = measure_catalogue().policy
    start = pol.funding_backdate.from_ if cl.window == "funding" else pol.validity.from_
    return start.isoformat(), pol.validity.to.isoformat()


def support_lines(spec: SupportSpec, lang: str, indent: str = "  ") -> list[str]:
    lines = []
    if spec.kind == "guarantee_limit":
        lines.append(indent + t("measures.kind_limit", lang))
    if spec.basis and spec.rate:
        kinds = ", ".join(kind_name(str(k), lang) for k in spec.basis.kinds)
        lines.append(indent + t("measures.basis", lang, label=pick(spec.basis.label, lang), kinds=kinds))
        for since, value in sorted(spec.rate.values.items()):
            lines.append(indent + t("measures.rate", lang, rate=format_rate(value), since=format_date(since, lang)))
    else:
        lines.append(indent + t("measures.cap_only", lang))
    for cap in spec.caps:
        for since, value in sorted(cap.amount.values.items()):
            lines.append(indent + t("measures.cap", lang, label=pick(cap.label, lang),
                                    amount=format_money(value, lang), since=format_date(since, lang)))
    if spec.interpretation:
        lines.append(indent + t("measures.interpretation", lang) + ": " + pick(spec.interpretation, lang))
    return lines


def measure_text(m: Measure, lang: str, only_item: str | None = None) -> str:
    """A measure for reading in a terminal: summary, items, rates, caps, documents, citation."""
    cat = measure_catalogue()
    out = [
        t("measures.heading", lang, number=m.number, title=pick(m.title, lang)),
        t("measures.part", lang, part=m.part, title=pick(cat.parts[m.part], lang)),
        "",
        pick(m.summary, lang),
        "",
        t("measures.units", lang) + ("：" if lang == "zh" else ": ") + ("、" if lang == "zh" else ", ").join(m.units.get(lang, m.units["en"])),  # type: ignore[arg-type]
    ]
    if not m.fundable:
        out += ["", t("measures.nothing_to_file", lang)]
    for item_id in m.items:
        if only_item not in (None, item_id):
            continue
        cl = checklists()[item_id]
        out += ["", t("measures.item", lang, id=cl.id, title=pick(cl.title, lang)),
                "  " + t("measures.supports", lang) + ": " + pick(cl.supports, lang)]
        start, end = _window(cl)
        out.append("  " + t("measures.window", lang, start=start, end=end))
        for sub in (cl.items or {None: None}):
            indent = "  "
            if sub is not None and cl.items:
                out.append("  " + t("measures.sub_item", lang, id=sub, title=pick(cl.items[sub].title, lang)))
                indent = "    "
            out += support_lines(cl.support_for(sub), lang, indent)
            docs = ", ".join(kind_name(k, lang) for k in cl.documents_for(sub))
            out.append(indent + t("measures.documents", lang) + ": " + docs)
        out.append("  " + t("measures.rules", lang) + ":")
        for rule in cl.rules:
            line = f"    {rule.code}  {pick(rule.description, lang)}"
            threshold = rule.params.get("threshold")
            if isinstance(threshold, dict) and threshold.get("values"):
                values = sorted(threshold["values"].items())
                line += f" [{format_money(Decimal(str(values[-1][1])), lang)}]"
            if rule.applies_to:
                line += f" ({', '.join(rule.applies_to)})"
            out.append(line)
        out.append("  " + t("measures.citation", lang) + f": {cat.policy.number} ({cl.citation.measure}"
                   + (f", {cl.citation.clause}" if cl.citation.clause else "") + f") \u201c{cl.citation.text}\u201d")
    if lang == "zh" and cat.policy.zh_source == "project_rendering":
        out += ["", t("measures.zh_note", lang)]
    return "\n".join(out)


def field_value_text(value: Any, lang: str) -> str:
    """An extracted value for people: money and dates as the language writes them."""
    import datetime as dt

    from toolkit.model.common import Money
    from toolkit.model.extraction import Approval, Party, Shareholder

    if isinstance(value, Money):
        return format_money(value.amount, lang, value.currency)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, Party):
        return f"{value.role}: {value.name}" + (f" ({value.uscc})" if value.uscc else "")
    if isinstance(value, Shareholder):
        share = f" {decimal_str(value.share_pct)}%" if value.share_pct is not None else ""
        return value.name + (f" ({value.uscc})" if value.uscc else "") + share
    if isinstance(value, Approval):
        return f"{value.number} [{value.scheme}]"
    if isinstance(value, Decimal):
        return decimal_str(value)
    return str(value)


def extraction_table(results: list[Any], lang: str) -> str:
    """`dossier extract --format table`: per file its kind and pages, then one line per field."""
    lines: list[str] = []
    for r in results:
        if r.error:
            lines.append(t("extract.table.error", lang, file=r.file, error=r.error_text(lang)))
            lines.append("")
            continue
        sources = ", ".join(sorted(set(r.page_sources))) or "—"
        kind = kind_name(r.kind, lang) if r.kind else "—"
        lines.append(t("extract.table.head", lang, file=r.file, kind=kind, confidence=f"{r.kind_confidence:.2f}",
                       pages=r.pages, sources=sources))
        width = max((len(f.name) for f in r.fields), default=0)
        for f in r.fields:
            lines.append(f"  {f.name.ljust(width)}  {field_value_text(f.value, lang)}  "
                         + t("extract.table.where", lang, page=f.page))
        if not r.fields:
            lines.append("  " + t("extract.table.no_fields", lang))
        lines += ["  ! " + w for w in r.warnings]
        lines.append("")
    return "\n".join(lines).rstrip("\n")
