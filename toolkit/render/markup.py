"""The block markup that form templates produce, and its parser (docs/templates.md).

Why a markup of our own between Jinja and the writers: a template that wrote DOCX XML (or
HTML) directly would have to escape every value for that one format, and Jinja tags split
across Word runs are a classic way to corrupt a .docx template. Instead a template is plain
text that diffs well; it produces a few kinds of *blocks*, one per line, and each writer
(DOCX, Markdown, HTML) escapes text for its own format. Data never reaches a writer
unescaped, and a value can never open a block of its own: values are passed through
`escape_data` (in the template context), which backslash-escapes the few characters the
markup gives meaning to.

Line grammar (trailing spaces ignored; blank lines ignored):

    @title TEXT            the form's title          @subtitle TEXT   a centred line under it
    # TEXT / ## / ###      headings, levels 1-3      @note TEXT       a small-print paragraph
    - TEXT                 a bullet item             @pagebreak       a page break
    @sign LABEL[ | LABEL]  signature line(s): each label followed by a line to sign on
    @kv ... @end           a key-value table: one `LABEL | VALUE` row per line
    @table ... @end        a data table: an optional `@head A | B | C` line, then one row
                           per line, cells separated by ` | `; every row has as many cells
                           (`@table 1 3 5` / `@kv 1 2`: optional relative column widths)
    anything else          a paragraph

Inline, in any text: `[x]` and `[ ]` are checkboxes (☑ / ☐); `[[missing:PATH]]` is a value
the form lacks (shown as a visible marker); `\\n` a line break inside the block; a backslash
makes the next character literal (`\\|`, `\\[`, `\\#`...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

CHECKED = "\u2611"  # ☑
UNCHECKED = "\u2610"  # ☐

# Characters with a meaning anywhere in the markup, escaped wherever they occur in data.
_SPECIAL = set("\\|[")
# Characters with a meaning only at the start of a line: escaped when a value starts with one
# (a value is safe wherever a template puts it, and dates keep their hyphens readable).
_LEADING = set("#@-")

BlockType = Literal["title", "subtitle", "heading", "paragraph", "note", "bullet", "pagebreak", "sign",
                    "kv", "table"]


class MarkupError(ValueError):
    """The rendered markup is malformed (a template bug): the line, and what is wrong as a
    message key (toolkit/i18n/messages/render.yaml) with its parameters."""

    def __init__(self, line: int, key: str, **params: object):
        from toolkit.i18n import t

        self.line = line
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))


# Characters XML 1.0 cannot hold (a DOCX is XML): control characters other than tab and
# newline, lone surrogates, U+FFFE/U+FFFF. A document's text may carry them; a form drops them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_data(text: str) -> str:
    """Make a data value safe to put anywhere in the markup (the only escaping step)."""
    out = []
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    first = next((i for i, ch in enumerate(text) if not ch.isspace()), None)  # lines are stripped
    for i, ch in enumerate(text):
        if i == first and ch in _LEADING:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Span:
    """A piece of inline text: plain text, a checkbox, a line break or a missing-value marker."""

    kind: Literal["text", "check", "break", "missing"]
    text: str = ""  # text: the characters; missing: the value's path
    checked: bool = False


@dataclass
class Block:
    """One block of the form: its type, its inline content, and table rows when it is one."""

    type: BlockType
    line: int
    spans: list[Span] = field(default_factory=list)
    level: int = 0  # headings
    rows: list[list[list[Span]]] = field(default_factory=list)  # kv / table rows of cells
    head: list[list[Span]] | None = None  # table header cells
    labels: list[list[Span]] = field(default_factory=list)  # sign labels
    widths: list[int] = field(default_factory=list)  # relative column widths of a table, if given


_TOKEN = re.compile(r"\\(.)|\\$|\[\[missing:([^\]\s]+)\]\]|\[( |x|X)\]", re.S)


def parse_inline(text: str) -> list[Span]:
    """Inline text -> spans, resolving escapes, checkboxes, line breaks and missing markers."""
    spans: list[Span] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            spans.append(Span("text", "".join(buf)))
            buf.clear()

    pos = 0
    for m in _TOKEN.finditer(text):
        buf.append(text[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:
            if m.group(1) == "n":
                flush()
                spans.append(Span("break"))
            else:
                buf.append(m.group(1))
        elif m.group(2) is not None:
            flush()
            spans.append(Span("missing", m.group(2)))
        elif m.group(3) is not None:
            flush()
            spans.append(Span("check", checked=m.group(3) in "xX"))
        # a lone trailing backslash is dropped
    buf.append(text[pos:])
    flush()
    return [s for s in spans if s.kind != "text" or s.text]


def split_cells(text: str) -> list[str]:
    """Split a row on unescaped `|`, keeping escapes for parse_inline; cells are stripped."""
    cells, buf, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i:i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
        i += 1
    cells.append("".join(buf).strip())
    return cells


def _directive(line: str) -> tuple[str, str] | None:
    if not line.startswith("@"):
        return None
    name, _, rest = line[1:].partition(" ")
    return name, rest.strip()


def parse(markup: str) -> list[Block]:
    """The rendered template text -> blocks. MarkupError names the line of a malformed block."""
    blocks: list[Block] = []
    table: Block | None = None
    width = 0
    # only "\n" ends a line: str.splitlines() would also split on characters a value may hold
    for number, raw in enumerate(markup.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        d = _directive(line)
        if table is not None:
            if d is not None and d[0] == "end":
                if not table.rows:
                    raise MarkupError(number, "render.markup.empty_table", block=table.type)
                blocks.append(table)
                table = None
                continue
            if d is not None and d[0] == "head" and table.type == "table":
                if table.rows or table.head is not None:
                    raise MarkupError(number, "render.markup.head_first")
                cells = split_cells(d[1])
                if width and len(cells) != width:
                    raise MarkupError(number, "render.markup.row_width", cells=len(cells), width=width)
                table.head = [parse_inline(c) for c in cells]
                width = len(cells)
                continue
            if d is not None:
                raise MarkupError(number, "render.markup.unclosed", directive=d[0], block=table.type)
            cells = split_cells(line)
            if table.type == "kv" and len(cells) != 2:
                raise MarkupError(number, "render.markup.kv_row", cells=len(cells))
            if table.type == "table":
                if width and len(cells) != width:
                    raise MarkupError(number, "render.markup.row_width", cells=len(cells), width=width)
                width = len(cells)
            table.rows.append([parse_inline(c) for c in cells])
            continue
        if d is not None:
            name, rest = d
            if name in ("kv", "table"):
                widths = rest.split()
                if not all(w.isdigit() and int(w) > 0 for w in widths) or (name == "kv" and widths and len(widths) != 2):
                    raise MarkupError(number, "render.markup.widths", directive=name)
                table, width = Block(name, number, widths=[int(w) for w in widths]), len(widths)  # type: ignore[arg-type]
            elif name in ("title", "subtitle", "note"):
                blocks.append(Block(name, number, parse_inline(rest)))  # type: ignore[arg-type]
            elif name == "pagebreak":
                blocks.append(Block("pagebreak", number))
            elif name == "sign":
                blocks.append(Block("sign", number, labels=[parse_inline(c) for c in split_cells(rest)]))
            else:
                raise MarkupError(number, "render.markup.unknown", directive=name)
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            blocks.append(Block("heading", number, parse_inline(heading.group(2)), level=len(heading.group(1))))
        elif line.startswith("- "):
            blocks.append(Block("bullet", number, parse_inline(line[2:].strip())))
        elif line.startswith("#"):
            raise MarkupError(number, "render.markup.heading")
        else:
            blocks.append(Block("paragraph", number, parse_inline(line)))
    if table is not None:
        raise MarkupError(table.line, "render.markup.never_closed", block=table.type)
    return blocks


def plain(spans: list[Span], missing: str = "[missing: {path}]") -> str:
    """Spans as plain text (checkboxes as ☑/☐), for tests, snapshots and Markdown."""
    out = []
    for s in spans:
        if s.kind == "text":
            out.append(s.text)
        elif s.kind == "check":
            out.append(CHECKED if s.checked else UNCHECKED)
        elif s.kind == "break":
            out.append("\n")
        else:
            out.append(missing.format(path=s.text))
    return "".join(out)
