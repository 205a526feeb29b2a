"""Check reports as JSON Lines (the contract), JUnit XML, SARIF 2.1.0, Markdown and terminal text.

Every human-readable form says it is a pre-check against 沪府办规〔2024〕9号 (the report's
`disclaimer`). The same report always gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from toolkit import __version__
from toolkit.catalogue import checklist
from toolkit.errors import ExitCode
from toolkit.i18n import pick, t
from toolkit.i18n.formats import colon, format_money
from toolkit.model.report import ErrorLine, Finding, Report

STATUS_ORDER = ("fail", "needs_review", "waived", "pass", "not_applicable")
EXIT_RANK = {ExitCode.MISUSE: 4, ExitCode.FAIL: 3, ExitCode.NEEDS_REVIEW: 2, ExitCode.OK: 1}


def exit_code(verdict: str) -> ExitCode:
    return {"pass": ExitCode.OK, "fail": ExitCode.FAIL, "needs_review": ExitCode.NEEDS_REVIEW}.get(verdict, ExitCode.MISUSE)


def worst(codes: list[ExitCode]) -> ExitCode:
    """A batch's exit code: the highest-ranking of 2 > 1 > 3 > 0."""
    return max(codes, key=lambda c: EXIT_RANK[c], default=ExitCode.OK)


def to_json(report: Report | ErrorLine) -> str:
    """One JSON line, keys in contract order, UTF-8 kept, money as strings."""
    data = report.model_dump(mode="json", by_alias=True)
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def _where(file: str, page: int | None, lang: str) -> str:
    return t("report.where", lang, file=file, page=page) if page else file


def _ev(f: Finding, lang: str) -> str:
    return "; ".join(_where(e.file, e.page, lang) + (f" “{e.text}”" if e.text else "") for e in f.evidence)


def to_markdown(report: Report) -> str:
    lang = report.lang
    s = report.support
    lines = [
        f"# {t('report.title', lang, dossier=report.dossier)}",
        "",
        f"- {t('report.item', lang)}: `{report.measure}`" + (f" / `{report.item}`" if report.item else ""),
        f"- {t('report.applicant', lang)}: {report.applicant.get('name')} ({report.applicant.get('uscc')})",
        f"- {t('report.verdict', lang)}: **{t('verdict.' + report.verdict, lang)}**",
        f"- {t('report.eligible', lang)}: **{format_money(s.eligible_cny, lang)}**",
        f"- {t('report.explanation', lang)}: {s.explanation}",
        "",
        f"| {t('report.col.status', lang)} | {t('report.col.code', lang)} | {t('report.col.message', lang)} | {t('report.col.evidence', lang)} |",
        "|---|---|---|---|",
    ]
    for f in report.findings:
        lines.append(f"| {t('status.' + f.status, lang)} | `{f.code}` | {f.message.replace('|', '/')} | {_ev(f, lang).replace('|', '/')} |")
    lines += ["", f"_{report.disclaimer}_", "", t("report.stamp", lang, version=report.toolkit_version, digest=report.checklist_digest), ""]
    return "\n".join(lines)


def to_junit(reports: list[Report | ErrorLine]) -> str:
    """One testsuite per dossier, one testcase per rule (fail -> failure, needs_review -> error)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for r in reports:
        if isinstance(r, ErrorLine):
            out.append(f'  <testsuite name={quoteattr(r.dossier)} tests="1" failures="0" errors="1">')
            out.append(f'    <testcase classname={quoteattr(r.dossier)} name="dossier"><error message={quoteattr(r.error)}/></testcase>')
            out.append("  </testsuite>")
            continue
        failures = sum(f.status == "fail" for f in r.findings)
        errors = sum(f.status == "needs_review" for f in r.findings)
        skipped = sum(f.status in ("not_applicable", "waived") for f in r.findings)
        out.append(f'  <testsuite name={quoteattr(r.dossier)} tests="{len(r.findings)}" failures="{failures}" '
                   f'errors="{errors}" skipped="{skipped}">')
        for f in r.findings:
            head = f'    <testcase classname={quoteattr(r.measure)} name={quoteattr(f.code)}'
            body = escape(_ev(f, r.lang))
            if f.status == "fail":
                out.append(f'{head}><failure message={quoteattr(f.message)} type="{f.severity}">{body}</failure></testcase>')
            elif f.status == "needs_review":
                out.append(f'{head}><error message={quoteattr(f.message)} type="needs_review">{body}</error></testcase>')
            elif f.status in ("not_applicable", "waived"):
                out.append(f'{head}><skipped message={quoteattr(f.message)}/></testcase>')
            else:
                out.append(f"{head}/>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def to_sarif(reports: list[Report | ErrorLine]) -> str:
    """SARIF 2.1.0: a ruleId per rule code with its help text and citation; results at file and page."""
    rules: dict[str, dict[str, Any]] = {}
    results = []
    level = {"error": "error", "warning": "warning", "info": "note"}
    for r in reports:
        if isinstance(r, ErrorLine):
            results.append({"ruleId": "DOSSIER-UNREADABLE", "level": "error", "message": {"text": r.error},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.dossier}}}]})
            rules.setdefault("DOSSIER-UNREADABLE", {"id": "DOSSIER-UNREADABLE", "shortDescription": {"text": "The dossier cannot be read"}})
            continue
        cl = checklist(r.measure)
        for rule in cl.rules:
            rules.setdefault(rule.code, {
                "id": rule.code,
                "name": rule.type,
                "shortDescription": {"text": pick(rule.description, "en")},
                "fullDescription": {"text": pick(rule.evidence, "en") if rule.evidence else pick(rule.description, "en")},
                "help": {"text": f"{pick(rule.description, 'en')}. Policy: 沪府办规〔2024〕9号 measure {rule.citation.measure}: "
                                 f"\u201c{rule.citation.text}\u201d"},
                "properties": {"citation": rule.citation.model_dump(exclude_none=True), "severity": rule.severity},
            })
        for f in r.findings:
            if f.status not in ("fail", "needs_review"):
                continue
            locations = []
            for e in f.evidence or []:
                loc: dict[str, Any] = {"artifactLocation": {"uri": f"{r.dossier.rstrip('/')}/{e.file}"}}
                if e.page:
                    loc["region"] = {"startLine": 1, "properties": {"page": e.page, "bbox": list(e.bbox) if e.bbox else None}}
                locations.append({"physicalLocation": loc})
            if not locations:
                locations = [{"physicalLocation": {"artifactLocation": {"uri": f"{r.dossier.rstrip('/')}/dossier.yaml"}}}]
            results.append({
                "ruleId": f.code,
                "level": level[f.severity] if f.status == "fail" else "warning",
                "kind": "fail" if f.status == "fail" else "review",
                "message": {"text": f.message},
                "locations": locations,
                "properties": {"dossier": r.dossier, "status": f.status},
            })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dossier", "version": __version__, "informationUri": "https://dossier.invalid",
                                "rules": [rules[k] for k in sorted(rules)]}},
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def terminal_lines(report: Report) -> list[tuple[str, str]]:
    """(style, text) lines for a readable terminal report: verdict, amount, findings by status."""
    lang = report.lang
    s = report.support
    style = {"pass": "green", "fail": "red", "needs_review": "yellow"}[report.verdict]
    c = colon(lang)
    out = [
        ("bold", f"{report.dossier}  ·  {report.measure}" + (f" / {report.item}" if report.item else "")),
        ("", f"{t('report.applicant', lang)}{c}{report.applicant.get('name')} ({report.applicant.get('uscc')})  ·  {report.year}"),
        (f"bold {style}", f"{t('report.verdict', lang)}{c}{t('verdict.' + report.verdict, lang)}"),
        ("bold", f"{t('report.eligible', lang)}{c}{format_money(s.eligible_cny, lang)}"
         + (f"  ({t('report.guarantee', lang)})" if s.kind == "guarantee_limit" else "")),
        ("", f"{t('report.explanation', lang)}{c}{s.explanation}"),
    ]
    marks = {"pass": ("green", "✓"), "fail": ("red", "✗"), "needs_review": ("yellow", "?"), "waived": ("cyan", "~"),
             "not_applicable": ("dim", "-")}
    for status in STATUS_ORDER:
        group = [f for f in report.findings if f.status == status]
        if not group:
            continue
        out.append(("bold", ""))
        out.append(("bold", f"{t('status.' + status, lang)} ({len(group)})"))
        colour, mark = marks[status]
        for f in group:
            sev = "" if f.severity == "error" else f" [{t('severity.' + f.severity, lang)}]"
            out.append((colour, f"  {mark} {f.code}{sev}{c}{f.message}"))
            for e in f.evidence[:3]:
                where = _where(e.file, e.page, lang)
                out.append(("dim", f"      {where}" + (f"  “{e.text[:70]}”" if e.text else "")))
            if f.waiver:
                out.append(("dim", f"      {t('report.waived_by', lang, by=f.waiver.get('by'), reason=f.waiver.get('reason'))}"))
    for w in report.warnings:
        out.append(("yellow", f"! {w}"))
    out += [("", ""), ("italic", report.disclaimer),
            ("dim", t("report.stamp", lang, version=report.toolkit_version, digest=report.checklist_digest))]
    return out
