"""`dossier rules`: each rule's documentation from the checklists (what, why, evidence)."""

from __future__ import annotations

from toolkit.catalogue import checklist, checklists
from toolkit.errors import UsageError
from toolkit.i18n import pick, t
from toolkit.i18n.formats import colon
from toolkit.model.catalogue import Rule


def _uses(code: str) -> list[tuple[str, Rule]]:
    return [(cl.id, r) for cl in checklists().values() for r in cl.rules if r.code == code]


def rule_index(lang: str, item: str | None = None) -> str:
    """One line per rule code: code, first line of its description, the items using it."""
    rows: dict[str, tuple[Rule, list[str]]] = {}
    for cl in ([checklist(item)] if item else checklists().values()):
        for r in cl.rules:
            rows.setdefault(r.code, (r, []))[1].append(cl.id)
    width = max(len(c) for c in rows)
    lines = []
    for code, (r, items) in rows.items():
        where = "all items" if len(items) == len(checklists()) and not item else ", ".join(items)
        if lang == "zh" and where == "all items":
            where = "全部事项"
        lines.append(f"{code.ljust(width)}  {pick(r.description, lang)}  [{where}]")
    return "\n".join(lines)


def rule_doc(code: str, lang: str) -> str:
    uses = _uses(code.upper())
    if not uses:
        raise UsageError("error.unknown_rule", code=code)
    _, r = uses[0]
    c = r.citation
    k = colon(lang)
    lines = [
        f"{r.code}{k}{pick(r.description, lang)}",
        "",
        f"{t('rules.what', lang)}{k}{pick(r.description, lang)}",
        f"{t('rules.why', lang)}{k}沪府办规〔2024〕9号, {c.measure}" + (f" ({c.clause})" if c.clause else "") + f": \u201c{c.text}\u201d",
        f"{t('rules.evidence', lang)}{k}{pick(r.evidence, lang) if r.evidence else '—'}",
        f"{t('rules.type', lang)}{k}{r.type}    {t('rules.severity', lang)}{k}{t('severity.' + r.severity, lang)}",
        f"{t('rules.items', lang)}{k}{', '.join(i for i, _ in uses)}",
    ]
    if r.applies_to:
        lines.append(f"{t('rules.applies_to', lang)}{k}{', '.join(r.applies_to)}")
    return "\n".join(lines)
