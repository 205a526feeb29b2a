"""Blocks -> Markdown and HTML: the same form for a browser, a wiki or a pull request.

Each writer escapes text for its own format here, at the end, and nowhere else: Markdown
backslash-escapes the characters that would start emphasis, links, HTML or table cells;
HTML escapes &, <, > and quotes. The output is deterministic (no dates, no ids).
"""

from __future__ import annotations

import html
import re

from toolkit.i18n import t
from toolkit.render.markup import CHECKED, UNCHECKED, Block, Span

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LEADING = re.compile(r"^(\s*)(?:([-+#>=])|(\d+)\.)")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_inline(spans: list[Span], lang: str, *, in_table: bool = False, block_start: bool = False) -> str:
    """Spans as Markdown; `block_start`: the text opens a paragraph, so a leading `-`, `#`,
    `>` or `1.` is escaped (it would make a list, heading or quote)."""
    out = []
    for s in spans:
        if s.kind == "text":
            out.append(_md_text(s.text))
        elif s.kind == "check":
            out.append(CHECKED if s.checked else UNCHECKED)
        elif s.kind == "break":
            out.append("<br>" if in_table else "  \n")
        else:
            out.append("**" + _md_text(t("render.missing_marker", lang, path=s.text)) + "**")
    text = "".join(out)
    if block_start:
        text = _MD_LEADING.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\."), text)
    return text


def _md_row(cells: list[list[Span]], lang: str) -> str:
    return "| " + " | ".join(md_inline(c, lang, in_table=True) for c in cells) + " |"


def to_markdown(blocks: list[Block], lang: str) -> str:
    """The form as GitHub-flavoured Markdown."""
    parts: list[str] = []
    for b in blocks:
        if b.type == "title":
            parts.append("# " + md_inline(b.spans, lang))
        elif b.type == "subtitle":
            parts.append("*" + md_inline(b.spans, lang) + "*")
        elif b.type == "heading":
            parts.append("#" * (b.level + 1) + " " + md_inline(b.spans, lang))
        elif b.type == "paragraph":
            parts.append(md_inline(b.spans, lang, block_start=True))
        elif b.type == "note":
            parts.append("> " + md_inline(b.spans, lang).replace("\n", "\n> "))
        elif b.type == "bullet":
            parts.append("- " + md_inline(b.spans, lang))
        elif b.type == "pagebreak":
            parts.append("---")
        elif b.type == "sign":
            colon = "：" if lang == "zh" else ": "
            parts.append(("\u3000\u3000" if lang == "zh" else "    ").join(
                md_inline([s if s.kind != "break" else Span("text", " / ") for s in label], lang) + colon + "\\_" * 16
                for label in b.labels))
        elif b.type == "kv":
            rows = [_md_row(r, lang) for r in b.rows]
            parts.append("\n".join(["| | |", "|---|---|", *rows]))
        elif b.type == "table":
            head = b.head or [[] for _ in b.rows[0]]
            lines = [_md_row(head, lang), "|" + "---|" * len(head)]
            lines += [_md_row(r, lang) for r in b.rows]
            parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def html_inline(spans: list[Span], lang: str) -> str:
    out = []
    for s in spans:
        if s.kind == "text":
            out.append(html.escape(s.text, quote=True))
        elif s.kind == "check":
            out.append(f'<span class="box">{CHECKED if s.checked else UNCHECKED}</span>')
        elif s.kind == "break":
            out.append("<br>")
        else:
            marker = html.escape(t("render.missing_marker", lang, path=s.text), quote=True)
            out.append(f'<mark class="missing" data-path="{html.escape(s.text, quote=True)}">{marker}</mark>')
    return "".join(out)


STYLE = """\
body { font-family: "Times New Roman", "SimSun", "Songti SC", "Noto Serif CJK SC", serif; max-width: 46em;
       margin: 2em auto; line-height: 1.5; color: #000; }
h1.title { text-align: center; font-size: 1.6em; margin-bottom: 0.2em; }
p.subtitle { text-align: center; margin: 0.2em 0; }
h2, h3, h4 { font-family: "Arial", "SimHei", "Noto Sans CJK SC", sans-serif; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #000; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }
th, td.label { background: #f2f2f2; }
td.label { width: 37%; font-weight: bold; }
p.note { font-size: 0.85em; color: #595959; }
p.sign { margin-top: 2em; }
mark.missing { background: #ff0; color: #c00; font-weight: bold; }
.pagebreak { page-break-after: always; border: 0; }
"""


def to_html(blocks: list[Block], lang: str, title: str = "") -> str:
    """The form as one self-contained HTML page (no scripts, no external resources)."""
    body: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if bullets:
            body.append("<ul>\n" + "\n".join(bullets) + "\n</ul>")
            bullets.clear()

    for b in blocks:
        if b.type == "bullet":
            bullets.append(f"<li>{html_inline(b.spans, lang)}</li>")
            continue
        flush()
        if b.type == "title":
            body.append(f'<h1 class="title">{html_inline(b.spans, lang)}</h1>')
        elif b.type == "subtitle":
            body.append(f'<p class="subtitle">{html_inline(b.spans, lang)}</p>')
        elif b.type == "heading":
            level = b.level + 1
            body.append(f"<h{level}>{html_inline(b.spans, lang)}</h{level}>")
        elif b.type == "paragraph":
            body.append(f"<p>{html_inline(b.spans, lang)}</p>")
        elif b.type == "note":
            body.append(f'<p class="note">{html_inline(b.spans, lang)}</p>')
        elif b.type == "pagebreak":
            body.append('<hr class="pagebreak">')
        elif b.type == "sign":
            colon = "：" if lang == "zh" else ": "
            parts = [html_inline(label, lang) + colon + "_" * 18 for label in b.labels]
            body.append('<p class="sign">' + "&emsp;&emsp;".join(parts) + "</p>")
        elif b.type == "kv":
            rows = [f'<tr><td class="label">{html_inline(k, lang)}</td><td>{html_inline(v, lang)}</td></tr>'
                    for k, v in b.rows]
            body.append("<table>\n" + "\n".join(rows) + "\n</table>")
        elif b.type == "table":
            lines = []
            if b.head:
                lines.append("<thead><tr>" + "".join(f"<th>{html_inline(c, lang)}</th>" for c in b.head)
                             + "</tr></thead>")
            lines.append("<tbody>")
            lines += ["<tr>" + "".join(f"<td>{html_inline(c, lang)}</td>" for c in r) + "</tr>" for r in b.rows]
            lines.append("</tbody>")
            body.append("<table>\n" + "\n".join(lines) + "\n</table>")
    flush()
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
