"""The example dossiers are exactly what examples/generate.py makes, and say what they claim.

Why: every extraction, checking and rendering test runs on these dossiers, and their
golden expected.json is derived from the generator's inputs. If a committed PDF drifted
from the generator (hand edits, a library upgrade that changes output), or a PDF reader
could not read back the text the generator put in, every later test would be testing
against fiction. So: regenerate into a temporary folder and compare every byte, then read
each distinct document with pdfplumber and find every key line the generator drew on the
page it drew it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, POLICY, need
from stdnum.cn import uscc

CHECKLISTS = EXAMPLES.parent / "checklists"
BASE_ITEMS = sorted(p.stem for p in CHECKLISTS.glob("m*.yaml"))


def _load_generator():
    spec = importlib.util.spec_from_file_location("examples_generate", EXAMPLES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["examples_generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def built(gen):
    return gen.build()


def test_regenerated_bytes_equal_the_committed_examples(gen, built, tmp_path):
    index = (EXAMPLES / "INDEX.md").read_text(encoding="utf-8")
    assert f"Generated with reportlab {gen.reportlab_version()} " in index, (
        "the examples were generated with another reportlab release than this machine's "
        "(see examples/INDEX.md): pin that release or regenerate with `python examples/generate.py`"
    )
    gen.write(built, tmp_path)
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    folders = {name.split("/")[0] for name in made if "/" in name}
    committed = sorted(
        p.relative_to(EXAMPLES).as_posix()
        for p in EXAMPLES.rglob("*")
        if p.is_file() and p.relative_to(EXAMPLES).parts[0] in folders | {"INDEX.md"}
    )
    assert made == committed, "regenerate with `python examples/generate.py` and commit"
    for name in made:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name


def test_a_second_build_is_identical(gen, built):
    again = gen.build()
    assert [(f.path, f.data) for f in again] == [(f.path, f.data) for f in built]


def test_every_support_item_has_a_passing_base_example(built):
    folders = {f.path.split("/")[0] for f in built if "/" in f.path}
    assert len(BASE_ITEMS) == 12
    for item in BASE_ITEMS:
        assert item in folders
        expected = json.loads((EXAMPLES / item / "expected.json").read_text(encoding="utf-8"))
        assert expected["verdict"] == "pass"
        assert Decimal(expected["eligible_cny"]) > 0


def test_the_variants_the_issue_asks_for_exist(built):
    folders = {f.path.split("/")[0] for f in built if "/" in f.path}
    for name in (
        "m24-cmo-production--related-direct", "m24-cmo-production--related-indirect",
        "m36-overseas-license--related-party", "m36-overseas-license--down-payment-exact",
        "m36-overseas-license--down-payment-below", "m36-global-registration--no-sales",
        "m36-global-registration--unlisted-regulator", "m37-intl-exhibition--registered-jiangsu",
        "m13-trial-insurance--bad-uscc-check", "m36-overseas-license--paid-before-window",
        "m24-cmo-production--product-cap", "m37-intl-exhibition--yearly-cap",
        "m05-innovative-drug--missing-audit-report", "m13-trial-insurance--damaged-receipt",
        "m23-industrial-project--scanned-license", "m36-overseas-license--usd-only",
        "m20-device-demonstration--public-hospital", "m06-innovative-device--moved-to-shanghai",
    ):
        assert name in folders, name


def _documents(built):
    """Each distinct generated PDF once (many examples share a document)."""
    seen: dict[str, object] = {}
    for f in built:
        if f.made is None or f.made.truncated_to is not None or f.made.copied_from:
            continue
        seen.setdefault(hashlib.sha256(f.data).hexdigest(), f)
    return list(seen.values())


def test_pdfplumber_reads_back_every_key_line_on_its_page(built):
    import io

    import pdfplumber

    docs = _documents(built)
    assert len(docs) > 60
    for f in docs:
        lines = f.made.built.lines
        with pdfplumber.open(io.BytesIO(f.data)) as pdf:
            assert len(pdf.pages) == f.made.built.pages, f.path
            for number, page in enumerate(pdf.pages):
                text = page.extract_text()
                missing = [line for line in lines[number] if line not in text]
                assert not missing, f"{f.path} page {number + 1}: {missing}"
                assert "(cid:" not in text, f.path


def test_chinese_and_english_text_both_come_back(built):
    import io

    import pdfplumber

    by_path = {f.path: f for f in built}
    receipt = by_path["m36-overseas-license/documents/bank-receipt.pdf"]
    with pdfplumber.open(io.BytesIO(receipt.data)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "入账金额 CNY 178,250,000.00" in text
    assert "大写金额 人民币壹亿柒仟捌佰贰拾伍万元整" in text
    assert "INWARD REMITTANCE CREDIT ADVICE" in text
    agreement = by_path["m36-overseas-license/documents/license-agreement.pdf"]
    with pdfplumber.open(io.BytesIO(agreement.data)) as pdf:
        first = pdf.pages[0].extract_text()
        last = pdf.pages[-1].extract_text()
    assert "Licensor: 上海澄源生物医药有限公司" in first
    assert "Upfront Payment: USD 25,000,000.00" in first + last or any(
        "Upfront Payment: USD 25,000,000.00" in page for page in agreement.made.built.lines[1])
    assert f"Page {agreement.made.built.pages} of {agreement.made.built.pages}" in last


def test_damaged_pdf_is_a_truncated_copy(built):
    by_path = {f.path: f for f in built}
    damaged = by_path["m13-trial-insurance--damaged-receipt/documents/premium-receipt.pdf"]
    whole = damaged.made.built.data
    assert damaged.data == whole[: len(damaged.data)] and len(damaged.data) < len(whole)
    assert b"%%EOF" not in damaged.data


def test_scanned_licence_has_no_text_layer():
    import pdfplumber

    path = EXAMPLES / "m23-industrial-project--scanned-license" / "documents" / "business-license-scan.pdf"
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.pages[0].chars == []
        assert len(pdf.pages[0].images) == 1


def _all_expected():
    for path in sorted(EXAMPLES.glob("*/expected.json")):
        yield path.parent, json.loads(path.read_text(encoding="utf-8"))


def test_expected_json_is_well_formed_and_consistent_with_the_manifest():
    from toolkit.model.manifest import Manifest

    rule_codes = set()
    for checklist in CHECKLISTS.glob("*.yaml"):
        data = yaml.safe_load(checklist.read_text(encoding="utf-8"))
        rule_codes |= {rule["code"] for rule in data.get("rules", [])}
    count = 0
    for folder, expected in _all_expected():
        count += 1
        manifest = Manifest.model_validate(
            yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8")))
        assert manifest.year == 2025
        assert expected["verdict"] in ("pass", "fail", "needs_review")
        eligible = expected["eligible_cny"]
        if expected["verdict"] == "fail":
            assert eligible == "0.00" and expected["failing_rules"], folder.name
        elif expected["verdict"] == "pass":
            assert Decimal(eligible) > 0 and not expected["failing_rules"], folder.name
        assert expected["failing_rules"] == sorted(expected["failing_rules"])
        assert set(expected["failing_rules"]) <= rule_codes, folder.name
        listed = [(d.file, d.kind.value if d.kind else None) for d in manifest.documents]
        assert listed == [(d["file"], d["kind"]) for d in expected["documents"]], folder.name
        for doc in expected["documents"]:
            assert (folder / doc["file"]).is_file(), doc["file"]
        for arg in expected.get("check_args", []):
            if arg.endswith(".yaml"):
                assert (folder / arg).is_file()
    assert count >= 30


def test_every_uscc_in_the_examples_is_valid_except_the_deliberate_one():
    bad = []
    for folder, expected in _all_expected():
        manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
        code = manifest["applicant"]["uscc"]
        if not uscc.is_valid(code):
            bad.append(folder.name)
        for doc in expected["documents"]:
            for f in doc["fields"]:
                value = f["value"]
                codes = [value] if f["name"] == "uscc" else (
                    [value.get("uscc")] if isinstance(value, dict) else [])
                for c in codes:
                    if c is not None:
                        assert uscc.is_valid(c), (folder.name, c)
    assert bad == ["m13-trial-insurance--bad-uscc-check"]


def test_shanghai_codes_and_regions():
    regions = {}
    for folder, _ in _all_expected():
        manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
        regions[folder.name] = manifest["applicant"]["uscc"][:4]
    assert regions["m37-intl-exhibition--registered-jiangsu"] == "9132"
    assert regions["m06-innovative-device--moved-to-shanghai"] == "9132"
    assert regions["m20-device-demonstration--public-hospital"] == "1231"
    assert regions["m36-overseas-license"] == "9131"


def _field(expected, kind, name):
    return [f["value"] for d in expected["documents"] if d["kind"] == kind
            for f in d["fields"] if f["name"] == name]


def _round(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_eligible_amounts_follow_from_the_documents_and_the_policy():
    """Recompute each passing example's amount from its golden fields and the checklist."""
    for folder, expected in _all_expected():
        manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
        if expected["verdict"] != "pass":
            continue
        checklist = yaml.safe_load((CHECKLISTS / f"{manifest['measure']}.yaml").read_text("utf-8"))
        support = dict(checklist["support"])
        item = manifest.get("item")
        if item and item in checklist.get("items", {}):
            support.update(checklist["items"][item].get("support", {}))
        caps = [Decimal(next(iter(cap["amount"]["values"].values()))) for cap in support.get("caps", [])]
        prior = Decimal(0)
        if "check_args" in expected:
            awards = yaml.safe_load((folder / expected["check_args"][1]).read_text("utf-8"))
            prior = sum((Decimal(a["amount_cny"]) for a in awards), Decimal(0))
            caps = [cap - prior if cap == Decimal("500000.00") else cap for cap in caps]
        candidates = list(caps)
        basis = support.get("basis")
        if basis:
            values = _field(expected, basis["kinds"][0], basis["field"])
            assert values, folder.name
            total = sum((Decimal(v["amount"]) for v in values), Decimal(0))
            rate = Decimal(next(iter(support["rate"]["values"].values())))
            candidates.append(total * rate)
        if manifest.get("requested_cny"):
            candidates.append(Decimal(manifest["requested_cny"]))
        assert _round(min(candidates)) == expected["eligible_cny"], folder.name


def test_m36_down_payment_figures():
    exact = json.loads((EXAMPLES / "m36-overseas-license--down-payment-exact" / "expected.json")
                       .read_text("utf-8"))
    assert _field(exact, "payment_receipt", "credited_amount") == [
        {"amount": "100000000.00", "currency": "CNY"}]
    below = json.loads((EXAMPLES / "m36-overseas-license--down-payment-below" / "expected.json")
                       .read_text("utf-8"))
    assert _field(below, "payment_receipt", "credited_amount") == [
        {"amount": "95850000.00", "currency": "CNY"}]
    usd = json.loads((EXAMPLES / "m36-overseas-license--usd-only" / "expected.json").read_text("utf-8"))
    assert _field(usd, "payment_receipt", "exchange_rate") == []
    assert all(v["currency"] == "USD" for v in _field(usd, "payment_receipt", "credited_amount"))
    early = json.loads((EXAMPLES / "m36-overseas-license--paid-before-window" / "expected.json")
                       .read_text("utf-8"))
    assert _field(early, "payment_receipt", "value_date") == ["2024-05-20"]
    assert dt.date.fromisoformat("2024-05-20") < dt.date(2024, 6, 1)


def test_policy_reference_is_where_the_examples_say(policy_dir: Path):
    text = (policy_dir / "MEASURES.md").read_text(encoding="utf-8")
    for figure in ("CNY 5 m", "CNY 0.5 m", "CNY 0.05 m", "CNY 100 m", "CNY 2 m"):
        assert figure in text
    assert POLICY == policy_dir


def test_chinese_capitals(gen):
    from _gen.formats import capitals

    assert capitals(Decimal("178250000")) == "壹亿柒仟捌佰贰拾伍万元整"
    assert capitals(Decimal("100000000")) == "壹亿元整"
    assert capitals(Decimal("1050000")) == "壹佰零伍万元整"
    assert capitals(Decimal("10050.3")) == "壹万零伍拾元叁角"
    assert capitals(Decimal("100000005.07")) == "壹亿零伍元零柒分"
    assert capitals(Decimal("3600000")) == "叁佰陆拾万元整"


# ---- the golden data against the checklists ---------------------------------------------

def _golden_extractor(expected):
    """An extractor that returns exactly what each document was generated to carry."""
    from golden import golden_extractor_for

    return golden_extractor_for(expected)


@pytest.mark.parametrize("name", sorted(p.parent.name for p in EXAMPLES.glob("*/expected.json")))
def test_checker_fed_the_golden_fields_gives_the_expected_verdict(name):
    """Not where expected.json comes from (that is the generator's inputs): a cross-check that
    the golden data and the checklists tell the same story, independent of extraction."""
    from toolkit.check.awards import load_prior_awards
    from toolkit.check.engine import CheckOptions, check_path

    folder = EXAMPLES / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    options = CheckOptions(extractor=_golden_extractor(expected), clock=lambda: dt.date(2025, 11, 1))
    if expected.get("check_args"):
        options.prior_awards = load_prior_awards(folder / expected["check_args"][1])
        options.prior_awards_source = expected["check_args"][1]
    report = check_path(folder, name, options).report
    failing = sorted(f.code for f in report.findings if f.status == "fail" and f.severity == "error")
    eligible = report.support.eligible_cny if report.support else None
    assert (report.verdict, failing) == (expected["verdict"], expected["failing_rules"])
    assert (None if eligible is None else f"{eligible:.2f}") == expected["eligible_cny"]


# ---- amounts as printed ------------------------------------------------------------------

_CAP_DIGITS = {ch: n for n, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_CAP_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capitals(text: str) -> Decimal:
    """Parse 人民币 capitals back to a Decimal (the inverse of formats.capitals)."""
    yuan_part, _, rest = text.partition("元")
    total, section, digit = 0, 0, 0
    for ch in yuan_part:
        if ch in _CAP_DIGITS:
            digit = _CAP_DIGITS[ch]
        elif ch in _CAP_UNITS:
            section += digit * _CAP_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100000000
            section = digit = 0
    total += section + digit
    fen = 0
    if "角" in rest:
        fen += _CAP_DIGITS[rest[rest.index("角") - 1]] * 10
    if "分" in rest:
        fen += _CAP_DIGITS[rest[rest.index("分") - 1]]
    return Decimal(total) + Decimal(fen) / 100


def test_capitals_round_trip_property(gen):
    from _gen.formats import capitals, wan, yi
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.integers(min_value=0, max_value=999_999_999_999_99))
    def round_trip(fen: int) -> None:
        amount = Decimal(fen) / 100
        text = capitals(amount)
        assert text.endswith(("整", "角", "分")) and "零零" not in text
        assert _read_capitals(text) == amount
        assert Decimal(wan(amount)[:-2].replace(",", "")) * 10000 == amount
        assert Decimal(yi(amount)[:-2].replace(",", "")) * 100000000 == amount

    round_trip()


def test_scanned_licence_is_readable_by_ocr(tmp_path):
    """The scan is a fixture for the OCR path: Tesseract must get its values back."""
    import subprocess

    from conftest import need_tool

    tesseract = need_tool("tesseract", "tesseract-ocr")
    langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True).stdout
    need("chi_sim" in langs.split(), "Tesseract has no chi_sim data (Debian package tesseract-ocr-chi-sim)")
    import pypdfium2 as pdfium

    path = EXAMPLES / "m23-industrial-project--scanned-license" / "documents" / "business-license-scan.pdf"
    pdf = pdfium.PdfDocument(path)
    image = tmp_path / "page.png"
    pdf[0].render(scale=300 / 72).to_pil().save(image)
    pdf.close()
    out = subprocess.run([tesseract, str(image), "-", "-l", "chi_sim"], capture_output=True,
                         text=True, check=True).stdout
    text = out.replace(" ", "")
    expected = json.loads((path.parent.parent / "expected.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f["value"] for f in expected["documents"][0]["fields"]}
    for name in ("company_name", "registered_address", "registration_authority", "legal_representative"):
        assert fields[name] in text, name
    assert fields["uscc"][:16] in text
    assert "成立日期:2013年09月10日" in text and "发照日期:2023年11月2日" in text
