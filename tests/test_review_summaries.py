"""The round's summaries: one row per dossier in JSONL, CSV, XLSX and the HTML report;
money exact everywhere; the same batch gives the same bytes; the HTML is self-contained,
escaped and bilingual.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from golden import EXAMPLE_DIRS, add_broken, copy_examples, expected, golden_args

from toolkit.review.batch import LocalExecutor, discover, run_batch
from toolkit.review.html import render_html, totals_of
from toolkit.review.summaries import COLUMNS, rows_of, to_csv, to_jsonl, to_xlsx
from toolkit.review.write import write_outputs

NO_PRIOR = [p.name for p in EXAMPLE_DIRS if not expected(p).get("check_args")]
DAMAGED = "m13-trial-insurance--damaged-receipt"


@pytest.fixture(scope="module")
def round_root(tmp_path_factory) -> Path:
    root = copy_examples(tmp_path_factory.mktemp("summ"), NO_PRIOR)
    add_broken(root)
    return root


@pytest.fixture(scope="module")
def batch(round_root):
    return run_batch(discover(round_root, "round"), golden_args(), LocalExecutor(2))


@pytest.fixture(scope="module")
def written(batch, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    targets = {"html": out / "report.html", "jsonl": out / "s.jsonl", "csv": out / "s.csv", "xlsx": out / "s.xlsx"}
    write_outputs(batch, targets, lang="en", title="round")
    return targets


def test_jsonl_has_one_row_per_dossier_with_exact_money_and_the_error_rows(written):
    rows = [json.loads(x) for x in written["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(NO_PRIOR) + 1
    assert list(rows[0]) == list(COLUMNS)
    by = {r["path"].split("/")[-1]: r for r in rows}
    for name in NO_PRIOR:
        assert by[name]["verdict"] == expected(EXAMPLE_DIRS[0].parent / name)["verdict"]
        assert by[name]["eligible_cny"] == expected(EXAMPLE_DIRS[0].parent / name)["eligible_cny"]
    assert by["zz-broken-manifest"]["verdict"] == "error" and by["zz-broken-manifest"]["error"]
    assert by[DAMAGED]["error"] == "documents/premium-receipt.pdf: damaged"
    assert by["m05-innovative-drug--missing-audit-report"]["failing_rules"] == [
        "COMMON-DOCUMENTS", "M05-APPROVAL-PRODUCT", "M05-SUPPORT-BASIS"]
    assert all(re.fullmatch(r"-?\d+\.\d\d", r["eligible_cny"]) for r in rows if r["eligible_cny"] is not None)


def test_csv_matches_the_jsonl(written):
    text = written["csv"].read_bytes().decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so that Excel reads the Chinese names"
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    jsonl = [json.loads(x) for x in written["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in rows] == [r["path"] for r in jsonl]
    for c, j in zip(rows, jsonl, strict=True):
        assert c["eligible_cny"] == (j["eligible_cny"] or "")
        assert c["failing_rules"].split() == j["failing_rules"]
        assert c["error"] == (j["error"] or "")


def test_xlsx_money_is_exact_numbers_formatted_to_the_fen(written):
    from openpyxl import load_workbook

    wb = load_workbook(written["xlsx"])
    ws = wb["dossiers"]
    header = [c.value for c in ws[1]]
    assert header == list(COLUMNS)
    jsonl = [json.loads(x) for x in written["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert ws.max_row == len(jsonl) + 1
    sheet_xml = zipfile.ZipFile(written["xlsx"]).read("xl/worksheets/sheet1.xml").decode()
    for i, row in enumerate(jsonl, start=2):
        cell = ws.cell(row=i, column=8)
        if row["eligible_cny"] is None:
            assert cell.value is None
            continue
        assert cell.number_format == "0.00"
        assert Decimal(str(cell.value)) == Decimal(row["eligible_cny"])
        raw = re.search(rf'<c r="H{i}"[^>]*><v>([^<]*)</v>', sheet_xml).group(1)
        assert Decimal(raw) == Decimal(row["eligible_cny"]), "the Decimal's own digits, not a float's repr"
    errors = [ws.cell(row=i, column=10).value for i in range(2, ws.max_row + 1)]
    assert "documents/premium-receipt.pdf: damaged" in errors


def test_the_same_batch_gives_the_same_bytes(batch, round_root):
    again = run_batch(discover(round_root, "round"), golden_args(), LocalExecutor(2))
    for kind, a, b in (("jsonl", to_jsonl(rows_of(batch.outcomes)), to_jsonl(rows_of(again.outcomes))),
                       ("csv", to_csv(rows_of(batch.outcomes)), to_csv(rows_of(again.outcomes))),
                       ("html", render_html(batch.outcomes, lang="zh", title="r"),
                        render_html(again.outcomes, lang="zh", title="r"))):
        assert a == b, kind
    assert to_xlsx(rows_of(batch.outcomes)) == to_xlsx(rows_of(again.outcomes))


def test_totals(batch):
    totals = totals_of(batch.outcomes)
    assert totals.count == len(NO_PRIOR) + 1
    assert sum(totals.verdicts.values()) == totals.count and totals.verdicts["error"] == 1
    rows = rows_of(batch.outcomes)
    grants = [r for r in rows if r.eligible is not None and r.measure != "m29-financing-guarantee"]
    assert totals.eligible == sum((r.eligible for r in grants), Decimal(0))
    # a guarantee limit is not a grant: counted apart, and said so under the totals
    m29 = [r.eligible for r in rows if r.measure == "m29-financing-guarantee" and r.eligible is not None]
    assert m29 and totals.guarantee_limits == sum(m29, Decimal(0))
    assert sum(sum(m.verdicts.values()) for m in totals.measures.values()) == totals.count


def test_html_is_self_contained_with_charts_table_and_a_section_per_dossier(written, batch):
    html = written["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "nothing loaded from the network"
    assert "<link rel=\"stylesheet\"" not in html and "@import" not in html
    assert html.count("<svg") == 2 and 'id="chart-verdicts"' in html and 'id="chart-money"' in html
    assert 'id="guarantee-note"' in html and "Financing-guarantee limits (measure 29, " in html
    assert html.count('<section class="dossier"') == len(batch.outcomes)
    assert html.count("<tr data-verdict=") == len(batch.outcomes)
    assert "M05-APPROVAL-PRODUCT" in html and "documents/premium-receipt.pdf: damaged" in html
    assert re.search(r"measure 5\b", html), "findings carry their policy clause"
    assert re.search(r"documents/[\w-]+\.pdf p\.\d", html), "and their evidence file and page"


def test_html_escapes_what_applicants_wrote(tmp_path):
    root = copy_examples(tmp_path, ["m04-preclinical-cro"])
    manifest = root / "m04-preclinical-cro" / "dossier.yaml"
    text = manifest.read_text(encoding="utf-8")
    name = re.search(r"name: (.+)", text).group(1)
    manifest.write_text(text.replace(name, "'<script>alert(1)</script> & Co'", 1), encoding="utf-8")
    out = run_batch(discover(root, "r"), golden_args(), LocalExecutor(1))
    html = render_html(out.outcomes, lang="en", title="<r>")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "<title>Review of &lt;r&gt;</title>" in html


def test_html_reads_in_chinese_and_english(batch):
    zh = render_html(batch.outcomes, lang="zh", title="r")
    en = render_html(batch.outcomes, lang="en", title="r")
    assert "本轮汇总" in zh and "各措施核查结论" in zh and "需人工审核" in zh and '<html lang="zh-CN">' in zh
    assert "Totals of the round" in en and "needs review" in en and "本轮汇总" not in en


def test_an_empty_or_partial_round_still_renders(batch):
    assert "Interrupted" in render_html(batch.outcomes[:3], lang="en", title="r", interrupted=True, total=30)
    assert render_html([], lang="en", title="r").count("<section") == 0


def test_an_applicants_text_is_never_a_formula_in_the_spreadsheets():
    """The manifest is the applicant's to write: a name such as =HYPERLINK(...) was a live
    formula in summary.xlsx and in the CSV a reviewer opens."""
    from openpyxl import load_workbook

    from toolkit.review.summaries import Row

    rows = [Row(path="d", applicant='=HYPERLINK("http://x","y")', uscc="@SUM(1)", measure="m37-intl-exhibition",
                verdict="pass", requested=Decimal("1.00"), eligible=Decimal("0.50"))]
    cells = next(csv.reader(io.StringIO(to_csv(rows).lstrip("\ufeff").splitlines()[1])))
    assert cells[1:3] == ["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)"]
    assert cells[6:8] == ["1.00", "0.50"]
    sheet = load_workbook(io.BytesIO(to_xlsx(rows))).active
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == '=HYPERLINK("http://x","y")'
