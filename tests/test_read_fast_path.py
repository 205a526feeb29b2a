"""The fast path (runs.py) reads a page as the character path does, and fetches boxes only when asked.

Why: the fast path exists for speed alone. Every page it reads must give the same lines
and the same character boxes as the character path (textlayer.page_text + layout), or
extraction would find different facts depending on which path a page took. Both paths are
run here on the same pages and compared line by line and box by box.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from conftest import CORPUS, EXAMPLES, need
from hypothesis import given
from hypothesis import strategies as st

from toolkit.extract.pipeline import from_read
from toolkit.read import ReadSettings, read_document
from toolkit.read.layout import build_lines
from toolkit.read.model import Page
from toolkit.read.normalise import normalise_indexed
from toolkit.read.parse import with_boxes
from toolkit.read.runs import build_run_lines, page_runs
from toolkit.read.textlayer import fast_page_text, page_text


def _opens(path: Path) -> bool:
    try:
        pdfium.PdfDocument(str(path)).close()
        return True
    except pdfium.PdfiumError:
        return False  # the truncated receipt: test_read_examples covers it


EXAMPLE_PDFS = sorted(p for p in EXAMPLES.glob("*/documents/*.pdf") if "scan" not in p.name and _opens(p))

# Real-world files where the two paths legitimately part: mathematics set with sub- and
# superscripts, and multi-column pages with footnote marks, where neither reading order is
# right and they differ in where a raised glyph joins; one hyphenated book that pdfium
# spaces differently. Everything else in the corpus must read alike.
DIFFER = {
    "samplefiles__GeoTopo-komprimiert.pdf", "pdfjs__freeculture.pdf", "pdfminer__f1040nr.pdf",
    "pdfminer__i1040nr.pdf", "pdfplumber__federal-register-2020-17221.pdf", "pdfminer__pr-00530-ml-lines.pdf",
    "pdfplumber__pr-136-example.pdf", "pypdf__issue-301.pdf", "pdfminer__nlp2004slides.pdf",
}


def _both_paths(path: Path) -> list[tuple[int, list, list]]:
    """(page number, character-path lines, fast-path lines) for every page the fast path takes."""
    out = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(doc)):
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                continue  # a page pdfium cannot load: the reader marks it unreadable (test_read_corpus)
            textpage = page.get_textpage()
            try:
                fast = fast_page_text(page, textpage)
                found = page_runs(textpage.raw, fast[1], fast[2]) if fast else None
                if found is None:
                    continue
                old = page_text(page, textpage)
                slow_lines = build_lines(old.chars, 1.0, old.runs)
                fast_lines = build_run_lines(found[0], fast[1], fast[2], 1.0, found[1])
                boxed = [ln if ln.boxes else with_boxes(ln, fast[2]) for ln in fast_lines]
                out.append((index + 1, slow_lines, boxed))
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()
    return out


def _assert_alike(name: str, pages: list[tuple[int, list, list]]) -> None:
    for number, slow, fast in pages:
        assert [ln.text for ln in fast] == [ln.text for ln in slow], f"{name} page {number}"
        for a, b in zip(slow, fast, strict=True):
            assert len(b.boxes) == len(b.text)
            assert max(abs(u - v) for u, v in zip(a.bbox, b.bbox, strict=True)) < 0.01, (name, number, a.text)
            for x, y in zip(a.boxes, b.boxes, strict=True):
                assert max(abs(u - v) for u, v in zip(x, y, strict=True)) < 0.01, (name, number, a.text)


@pytest.mark.parametrize("path", EXAMPLE_PDFS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_example_page_reads_alike_on_both_paths(path: Path):
    pages = _both_paths(path)
    assert pages, "the example's pages are plain: the fast path must take them"
    _assert_alike(path.name, pages)


def _corpus_files() -> list[str]:
    manifest = Path(__file__).parent / "corpus_expectations.yaml"
    exp = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    return sorted(n for n, e in exp.items() if not e.get("error") and not e.get("password") and n not in DIFFER)


@pytest.mark.parametrize("name", _corpus_files())
def test_corpus_pages_read_alike_on_both_paths(name: str):
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    if not _opens(CORPUS / name):
        return  # only the reader's own repairs open it (test_read_corpus covers it)
    _assert_alike(name, _both_paths(CORPUS / name))


def test_a_wide_unspaced_gap_inside_a_run_is_a_space():
    """pdfium writes "12 30 0" for table figures 3 and 0 set far apart without a space in
    one string; the character path, and so the fast path, reads "3 0"."""
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    doc = read_document(CORPUS / "pdfplumber__background-checks.pdf", ReadSettings(ocr=False))
    assert "Guam 0 100 55 12 3 0 0 0 0 1 0 0" in doc.pages[0].text


def test_a_sideways_margin_note_is_its_own_line_and_the_page_stays_fast():
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    pages = _both_paths(CORPUS / "pdfplumber__federal-register-2020-17221.pdf")
    assert len(pages) == 15  # every page, though each carries turned text in its margin


def test_index_normalisation_drops_cjk_spaces_only_where_the_gap_is_narrow():
    raw = "户名 上海 澄源"
    index = list(range(len(raw)))
    text, kept = normalise_indexed(raw, index, lambda i, j: j != 3)  # the gap after 户名 is a column gap
    assert text == "户名 上海澄源"
    assert kept == (0, 1, -1, 3, 4, 6, 7)
    assert normalise_indexed(" Amount: 12 ", list(range(12)), lambda i, j: True) == ("Amount: 12", tuple(range(1, 11)))
    # runs of spaces collapse to one space of no index of its own (its box is the gap's)
    assert normalise_indexed("Amount:  12", list(range(11)), lambda i, j: True) == ("Amount: 12", (0, 1, 2, 3, 4, 5, 6, -1, 9, 10))


@given(st.text(alphabet=st.sampled_from(list("ab 1,.中文（）：　 \tﬁ⼈Ａ１’—") + [" ", " "]), max_size=24),
       st.booleans())
def test_a_line_left_as_it_is_is_what_the_full_normalisation_gives(raw, narrow):
    """The shortcut for lines that are already normal never changes the result."""
    from toolkit.read.normalise import _normalise_each

    index = list(range(len(raw)))
    fast = normalise_indexed(raw, index, lambda i, j: narrow)
    full = _normalise_each(raw, index, lambda i, j: narrow)
    assert fast[0] == full[0]
    # A space's index is never read (its box is the gap between its neighbours): the
    # shortcut keeps the raw space's, the loop writes -1. Every other index must agree.
    assert [i for ch, i in zip(*fast, strict=True) if ch != " "] == [i for ch, i in zip(*full, strict=True) if ch != " "]


def test_a_page_with_lazy_boxes_never_pickles_its_lookup():
    import pickle

    page = Page(number=1, width=1.0, height=1.0, source="text", char_box=lambda i: (0.0, 0.0, 1.0, 1.0))
    assert pickle.loads(pickle.dumps(page)).char_box is None


@pytest.mark.parametrize("path", EXAMPLE_PDFS[::7], ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_extraction_in_the_worker_gives_the_boxes_a_full_read_gives(path: Path):
    """Fields read with boxes fetched on demand (inside the reader's worker) are the fields a
    read with every box fetched gives, boxes included."""
    settings = ReadSettings(ocr=False, tables=False)
    lazy = read_document(path, settings, then=partial(from_read, shown="x", declared=None))
    full = from_read(read_document(path, settings), "x", None)
    assert lazy.fields, path
    assert [f.model_dump() for f in lazy.fields] == [f.model_dump() for f in full.fields]
