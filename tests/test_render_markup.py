"""The block markup: its grammar, and that no data value can break out of the block it is in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.render.markup import (
    MarkupError,
    Span,
    escape_data,
    parse,
    parse_inline,
    plain,
    split_cells,
)

# Text as applicants write it: any printable character, markup characters over-represented.
texts = st.text(alphabet=st.one_of(st.sampled_from(list("\\|[]#@-x \n\t&<>\"'上海（）：")), st.characters(
    blacklist_categories=("Cs", "Cc"))), max_size=40)


@given(texts)
@settings(max_examples=300)
def test_escaped_data_reads_back_exactly_as_inline_text(value):
    assert plain(parse_inline(escape_data(value))) == value.replace("\t", " ")


def trimmed(value: str) -> str:
    """What a cell keeps of a value: tabs as spaces, surrounding blanks trimmed (line breaks kept)."""
    value = value.replace("\t", " ")
    blank = "".join(sorted({c for c in value if c.isspace() and c != "\n"}))
    return value.strip(blank) if blank else value


@given(texts, texts)
@settings(max_examples=300)
def test_a_value_never_leaves_its_table_cell(a, b):
    blocks = parse(f"@kv\nLabel | {escape_data(a)}\nOther | {escape_data(b)}\n@end\n")
    assert [b_.type for b_ in blocks] == ["kv"]
    (kv,) = blocks
    assert [plain(r[0]) for r in kv.rows] == ["Label", "Other"]
    assert [plain(r[1]) for r in kv.rows] == [trimmed(a), trimmed(b)]


@given(texts)
def test_a_value_at_the_start_of_a_line_stays_a_paragraph(value):
    blocks = parse(escape_data(value) + "\n")
    assert all(b.type == "paragraph" for b in blocks)


def test_every_block_type():
    markup = """\
@title 申请表 Title
@subtitle sub
# One
## Two
### Three
Plain [x] yes [ ] no
@note small print
- bullet
@kv 1 2
A | [[missing:applicant.address]]
@end
@table 1 1 2
@head No. | Kind | File
1 | Licence | documents/a.pdf
2 | Invoice | documents/b.pdf
@end
@sign Applicant (seal) | Date
@pagebreak
"""
    blocks = parse(markup)
    assert [(b.type, b.level) for b in blocks] == [
        ("title", 0), ("subtitle", 0), ("heading", 1), ("heading", 2), ("heading", 3), ("paragraph", 0),
        ("note", 0), ("bullet", 0), ("kv", 0), ("table", 0), ("sign", 0), ("pagebreak", 0)]
    assert blocks[5].spans == [Span("text", "Plain "), Span("check", checked=True), Span("text", " yes "),
                               Span("check", checked=False), Span("text", " no")]
    assert blocks[8].rows[0][1] == [Span("missing", "applicant.address")]
    assert blocks[8].widths == [1, 2]
    table = blocks[9]
    assert [plain(c) for c in table.head] == ["No.", "Kind", "File"]
    assert [[plain(c) for c in r] for r in table.rows] == [["1", "Licence", "documents/a.pdf"],
                                                          ["2", "Invoice", "documents/b.pdf"]]
    assert table.widths == [1, 1, 2]
    assert [plain(x) for x in blocks[10].labels] == ["Applicant (seal)", "Date"]


def test_line_break_and_escapes_inside_a_cell():
    assert split_cells(r"a \| b | c\\") == [r"a \| b", "c\\\\"]
    assert plain(parse_inline(r"one\ntwo \[x] \#")) == "one\ntwo [x] #"


@pytest.mark.parametrize("markup, line, key", [
    ("@kv\nA | B | C\n@end\n", 2, "render.markup.kv_row"),
    ("@table\n@head a | b\n1 | 2 | 3\n@end\n", 3, "render.markup.row_width"),
    ("@table\n1 | 2\n", 1, "render.markup.never_closed"),
    ("@kv\n@end\n", 2, "render.markup.empty_table"),
    ("@kv\nA | B\n@title x\n@end\n", 3, "render.markup.unclosed"),
    ("@frobnicate\n", 1, "render.markup.unknown"),
    ("####### deep\n", 1, "render.markup.heading"),
    ("@table 1 x\n", 1, "render.markup.widths"),
    ("@table 1 2\n1 | 2 | 3\n@end\n", 2, "render.markup.row_width"),
    ("@table\n1 | 2\n@head a | b\n@end\n", 3, "render.markup.head_first"),
])
def test_malformed_markup_names_its_line(markup, line, key):
    with pytest.raises(MarkupError) as info:
        parse(markup)
    assert (info.value.line, info.value.key) == (line, key)


any_text = st.text(alphabet=st.characters(), max_size=30)


@given(any_text)
@settings(max_examples=150, deadline=None)
def test_every_writer_gives_back_the_value_it_was_given(value):
    """Whatever a document says, each format shows it as text: XML-illegal characters are
    dropped, tabs become spaces, surrounding blanks are trimmed; nothing else changes."""
    import html
    import io
    import re

    from docx import Document

    from toolkit.render.docx_writer import write_docx
    from toolkit.render.text_writers import to_html

    kept = trimmed(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "",
                          value.replace("\r\n", "\n").replace("\r", "\n")))
    blocks = parse(f"@kv\nLabel | {escape_data(value)}\n@end\n")
    cell = Document(io.BytesIO(write_docx(blocks, "zh"))).tables[0].rows[0].cells[1]
    assert cell.text == kept
    page = to_html(blocks, "en")
    shown = re.search(r'<td class="label">Label</td><td>(.*?)</td>', page, re.S).group(1)
    assert html.unescape(shown.replace("<br>", "\n")) == kept
