"""Helpers the render tests share, and the checks that they mean what they say.

`golden_extractor` feeds the checker the fields each example's expected.json says its
documents carry (kind, value, page), so the form tests pin the *render* stage: a change in
extraction quality does not move a form snapshot, and a change in a template always does.
Extraction has its own golden tests; `dossier lint` runs the examples through the real
extractor.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from conftest import EXAMPLES
from golden import golden_extractor

from toolkit.check.engine import CheckOptions

CLOCK = dt.date(2025, 11, 1)
EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/expected.json"))
BASE_EXAMPLES = [p for p in EXAMPLE_DIRS if "--" not in p.name]


def expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def options_for(folder: Path, lang: str) -> CheckOptions:
    """The options an example is checked with (its check_args), golden extraction, a fixed clock."""
    from toolkit.check.awards import load_prior_awards

    options = CheckOptions(lang=lang, extractor=golden_extractor, clock=lambda: CLOCK)
    args = expected(folder).get("check_args") or []
    if "--prior-awards" in args:
        path = folder / args[args.index("--prior-awards") + 1]
        options.prior_awards = load_prior_awards(path)
        options.prior_awards_source = path.name
    return options


def render_example(folder: Path, lang: str, fmt: str = "docx", template_folder: Path | None = None):
    from toolkit.render.form import render_dossier

    return render_dossier(folder, f"examples/{folder.name}", lang=lang, fmt=fmt, options=options_for(folder, lang),
                          template_folder=template_folder)


def docx_part(data: bytes, name: str = "word/document.xml") -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def docx_text(data: bytes) -> str:
    """The text of a DOCX in body order: paragraphs, and table rows as `cell | cell`."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(data))
    lines = []
    for element in doc.element.body:
        if element.tag == qn("w:p"):
            text = "".join(node.text or ("\n" if node.tag == qn("w:br") else "")
                           for node in element.iter(qn("w:t"), qn("w:br")))
            if text.strip():
                lines.append(text)
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    parts = []
                    for node in cell.iter(qn("w:t"), qn("w:br")):
                        parts.append(node.text or "" if node.tag == qn("w:t") else " / ")
                    cells.append("".join(parts))
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def test_the_golden_extractor_gives_every_expected_field_with_its_page():
    from toolkit.dossier import open_dossier

    folder = EXAMPLES / "m36-overseas-license"
    results = golden_extractor(open_dossier(folder))
    exp = {d["file"]: d for d in expected(folder)["documents"]}
    for result in results:
        assert [(f.name, f.page) for f in result.fields] == [(f["name"], f["page"]) for f in exp[result.file]["fields"]]
    receipt = next(r for r in results if r.file == "documents/bank-receipt.pdf")
    assert str(receipt.first("credited_amount").value) == "CNY 178,250,000.00"


def test_a_damaged_document_stays_an_error():
    from toolkit.dossier import open_dossier

    results = golden_extractor(open_dossier(EXAMPLES / "m13-trial-insurance--damaged-receipt"))
    damaged = [r for r in results if r.error]
    assert [(r.file, r.error_reason, r.readable) for r in damaged] == [("documents/premium-receipt.pdf", "damaged", False)]
