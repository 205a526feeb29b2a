"""Golden forms: every example renders to its committed snapshot, twice to the same bytes.

Snapshots (tests/snapshots/forms/): the text of each example's DOCX in both languages
(`<example>.<lang>.txt`), and for the twelve base examples the Chinese DOCX's document.xml
as a normalised outline (`<example>.zh.xml.txt`: one element per line, run fonts left out
because test_render_docx checks them on every run). A template or writer change that moves
a form shows here as a diff. To accept changes on purpose:

    DOSSIER_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_render_forms.py

and review the diff of tests/snapshots/forms/ before committing it.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, need
from lxml import etree
from test_render_support import (
    BASE_EXAMPLES,
    EXAMPLE_DIRS,
    docx_part,
    docx_text,
    expected,
    render_example,
)

from toolkit.resources import templates_dir

SNAPSHOTS = ROOT / "tests" / "snapshots" / "forms"
UPDATE = os.environ.get("DOSSIER_UPDATE_SNAPSHOTS") == "1"
VOLATILE = [(re.compile(r"sha256:[0-9a-f]{64}"), "sha256:<checklists>"),
            (re.compile(r"dossier \d+\.\d+\.\d+\S*"), "dossier <version>")]


def stable(text: str) -> str:
    """The checklist digest and toolkit version change with every release: not a form change."""
    for pattern, repl in VOLATILE:
        text = pattern.sub(repl, text)
    return text


def outline(document_xml: bytes) -> str:
    """document.xml as one element per line: tags, sorted attributes, run text and formatting."""
    root = etree.fromstring(document_xml)

    def name(el) -> str:
        return etree.QName(el).localname

    def attrs(el) -> str:
        return " ".join(f"{etree.QName(k).localname}={v}" for k, v in
                        sorted(el.attrib.items(), key=lambda kv: etree.QName(kv[0]).localname))

    def props(el) -> str:
        out = []
        for child in el:
            if name(child) in ("rFonts", "lang"):
                continue
            a = attrs(child)
            out.append(name(child) + (f"({a})" if a else ""))
        return " ".join(out)

    lines: list[str] = []

    def walk(el, depth: int) -> None:
        pad, tag = "  " * depth, name(el)
        if tag == "r":
            rpr = el.find("{*}rPr")
            fmt = props(rpr) if rpr is not None else ""
            parts = [repr(c.text or "") if name(c) == "t" else name(c) + (f"({attrs(c)})" if c.attrib else "")
                     for c in el if name(c) != "rPr"]
            lines.append(f"{pad}r{f'[{fmt}]' if fmt else ''} {' '.join(parts)}".rstrip())
            return
        if tag in ("pPr", "tcPr", "tblPr", "trPr", "sectPr"):
            lines.append(f"{pad}{tag} {props(el)}".rstrip())
            return
        a = attrs(el)
        lines.append(f"{pad}{tag}{' ' + a if a else ''}")
        for child in el:
            walk(child, depth + 1)

    walk(root, 0)
    return "\n".join(lines) + "\n"


def compare(name: str, got: str, *, update: bool = UPDATE) -> list[str]:
    """Differences from the committed snapshot (empty when equal); writes it when updating."""
    path = SNAPSHOTS / name
    got = stable(got)
    if update:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return []
    assert path.is_file(), f"no snapshot {path.name}: run with DOSSIER_UPDATE_SNAPSHOTS=1 and review it"
    want = path.read_text(encoding="utf-8")
    return list(difflib.unified_diff(want.splitlines(), got.splitlines(), "snapshot", "rendered", lineterm="", n=1))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("folder", EXAMPLE_DIRS, ids=[p.name for p in EXAMPLE_DIRS])
def test_form_text_matches_its_snapshot(folder, lang):
    out = render_example(folder, lang)
    diff = compare(f"{folder.name}.{lang}.txt", docx_text(out.data))
    assert not diff, "\n".join(diff[:60])


@pytest.mark.parametrize("folder", BASE_EXAMPLES, ids=[p.name for p in BASE_EXAMPLES])
def test_form_xml_matches_its_snapshot(folder):
    out = render_example(folder, "zh")
    diff = compare(f"{folder.name}.zh.xml.txt", outline(docx_part(out.data)))
    assert not diff, "\n".join(diff[:60])


def test_there_is_a_base_example_per_item():
    from toolkit.catalogue import checklists

    assert sorted(p.name for p in BASE_EXAMPLES) == sorted(checklists())


@pytest.mark.parametrize("folder", BASE_EXAMPLES, ids=[p.name for p in BASE_EXAMPLES])
def test_each_item_renders_twice_to_identical_bytes(folder):
    for lang in ("zh", "en"):
        assert render_example(folder, lang).data == render_example(folder, lang).data


@pytest.mark.parametrize("folder", BASE_EXAMPLES, ids=[p.name for p in BASE_EXAMPLES])
def test_the_form_holds_the_applicant_amounts_and_documents(folder):
    from toolkit.i18n.formats import format_money

    exp = expected(folder)
    out = render_example(folder, "en")
    text = docx_text(out.data)
    manifest = out.check.dossier.manifest
    licence = next(d for d in exp["documents"] if d["kind"] in ("business_license", "institution_certificate"))
    facts = {f["name"]: f["value"] for f in licence["fields"]}
    assert f"Applicant / Applicant | {manifest.applicant.name}" not in text  # English forms carry no sublabel
    assert f"Applicant | {manifest.applicant.name}" in text
    assert f"Unified social credit code | {manifest.applicant.uscc}" in text
    assert f"Registered address | {facts['registered_address']}" in text
    assert f"Legal representative | {facts['legal_representative']}" in text
    eligible = format_money(Decimal(exp["eligible_cny"]), "en")
    assert re.search(rf"(Support|Guarantee limit) computed \(pre-check\) \| {re.escape(eligible)}", text), eligible
    for number, doc in enumerate(exp["documents"], start=1):
        pages = sorted({f["page"] for f in doc["fields"]})
        assert re.search(rf"^{number} \| [^|]+ \| {re.escape(doc['file'])} \| {doc['pages']} \| "
                         rf"{', '.join(map(str, pages))} \| ", text, re.M), doc["file"]
    assert "Verdict | ☑ pass  ☐ fail  ☐ needs review" in text


def test_chinese_forms_carry_english_sublabels_and_chinese_amounts():
    text = docx_text(render_example(EXAMPLES / "m36-overseas-license", "zh").data)
    assert "申报单位名称 / Applicant | 上海澄源生物医药有限公司" in text
    assert "核算支持金额（预审） / Support computed (pre-check) | ¥1,800,000.00（180万元）" in text
    assert "实收首付款（人民币入账金额） / Down payment received (CNY credited) | ¥178,250,000.00（17,825万元） / " \
           "（取自 documents/bank-receipt.pdf 第1页）" in text


def test_chinese_forms_give_the_amount_in_capitals():
    need(find_spec("toolkit.parse.money") is not None, "toolkit.parse.money.to_capitals has not landed")
    from toolkit.parse.money import to_capitals

    out = render_example(EXAMPLES / "m36-overseas-license", "zh")
    assert "capitals" not in out.missing
    assert f"金额大写 / In capitals | {to_capitals(Decimal('1800000.00'))}" in docx_text(out.data)


def test_a_dossier_that_lacks_values_marks_them_and_lists_them():
    out = render_example(EXAMPLES / "m13-trial-insurance--damaged-receipt", "en")
    assert out.missing == ["facts.premium_receipt.premium_paid", "facts.premium_receipt.payment_date",
                           "support.basis", "support.eligible"]
    text = docx_text(out.data)
    assert "Premium paid | 【missing: facts.premium_receipt.premium_paid】" in text
    assert "3 | Premium receipt | documents/premium-receipt.pdf | — | — | cannot be read (damaged)" in text


def test_a_template_edit_that_breaks_an_example_is_caught(tmp_path):
    """Dropping the transaction section from the m36b form moves its snapshot: the golden test fails."""
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    path = folder / "m36-overseas-license.j2"
    source = path.read_text(encoding="utf-8")
    edited = re.sub(r'\{\{ m\.fact_row\("render\.f\.credited_amount".*\n', "", source)
    assert edited != source
    path.write_text(edited, encoding="utf-8")
    out = render_example(EXAMPLES / "m36-overseas-license", "en", template_folder=folder)
    diff = compare("m36-overseas-license.en.txt", docx_text(out.data), update=False)
    assert any(line.startswith("-Down payment received (CNY credited) | CNY 178,250,000.00") for line in diff), diff


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_and_html_hold_the_same_form(fmt):
    out = render_example(EXAMPLES / "m37-intl-exhibition", "en", fmt)
    text = out.data.decode("utf-8")
    assert "2025 BIO International Convention" in text and "CNY 43,000.00" in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text and "<script" not in text
        assert "<td>☑</td>" in text.replace('<span class="box">', "").replace("</span>", "")
    else:
        assert "| ☑ | Business licence |" in text


def test_html_escapes_data():
    from toolkit.render.form import render_form
    from toolkit.render.sample import sample_form

    page = render_form(sample_form("m04-preclinical-cro", None, "en"), "html").data.decode()
    assert "R&amp;D &lt;Lab&gt; | &quot;Q&quot; &#x27;s&#x27; [x] #1 \\ 上海" in page
    assert "<Lab>" not in page


def test_markdown_escapes_data():
    from toolkit.render.form import render_form
    from toolkit.render.sample import sample_form

    page = render_form(sample_form("m04-preclinical-cro", None, "en"), "md").data.decode()
    assert "R&D \\<Lab\\> \\| \"Q\" 's' \\[x\\] #1 \\\\ 上海" in page


def test_snapshot_folder_has_no_stale_files():
    if UPDATE:
        pytest.skip("updating")
    names = {f"{p.name}.{lang}.txt" for p in EXAMPLE_DIRS for lang in ("zh", "en")}
    names |= {f"{p.name}.zh.xml.txt" for p in BASE_EXAMPLES}
    assert sorted(p.name for p in SNAPSHOTS.glob("*.txt")) == sorted(names)


def test_stable_hides_only_the_digest_and_version():
    text = "Produced from x by dossier 0.4.0 against checklists sha256:" + "a" * 64 + "."
    assert stable(text) == "Produced from x by dossier <version> against checklists sha256:<checklists>."
    assert Path(SNAPSHOTS).parent.name == "snapshots"
