"""Every real-world PDF of ../shared/corpus reads to its committed expectation.

tests/corpus_expectations.yaml holds, per file: the password (from MANIFEST.tsv's notes),
then either the `error` reason, or the page count, the source of each page and a snippet
of text that must be read. Page sources are written one letter a page, runs as `t*351`:

    t  text layer          l  an OCR text layer already under a scan (source "ocr")
    o  OCR'd by Tesseract  (source "ocr"; "unreadable" where Tesseract is missing)
    u  unreadable          (no OCR would help: XFA placeholder, nothing on the page)
    b  over the OCR budget (source "unreadable")

Regenerate a draft after a deliberate change with `python tests/test_read_corpus.py`,
then read the diff: the expectations are a review record, not a snapshot to refresh blindly.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, ROOT, in_ci, need

from toolkit.read import ReadDocument, ReadSettings, read_document, tesseract_available

EXPECTATIONS = ROOT / "tests" / "corpus_expectations.yaml"
OCR_BUDGET = 1  # keeps the whole corpus within a few minutes on two cores (Tesseract takes 5-30 s a scanned page)


def _expectations() -> dict[str, dict]:
    return yaml.safe_load(EXPECTATIONS.read_text(encoding="utf-8"))


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _settings(password: str | None) -> ReadSettings:
    return ReadSettings(password=password, ocr_page_budget=OCR_BUDGET, timeout_s=120)


def letters(doc: ReadDocument, budget_note: str = "OCR page budget") -> str:
    """The page sources of a read as the expectation letters, run-length encoded."""
    out = []
    for page in doc.pages:
        note = page.note or ""
        if page.source == "text":
            out.append("t")
        elif page.source == "ocr":
            out.append("l" if "OCR layer" in note else "o")
        elif budget_note in note:
            out.append("b")
        elif "not OCR'd: Tesseract is not installed" in note or "OCR is turned off" in note:
            out.append("o")  # would have been OCR'd
        else:
            out.append("u")
    return _runs("".join(out))


def _runs(s: str) -> str:
    parts: list[str] = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        parts.append(s[i] if j - i < 4 else f"{s[i]}*{j - i}")
        i = j
    return ",".join(parts)


def _expand(runs: str) -> str:
    out = []
    for part in runs.split(","):
        letter, _, count = part.partition("*")
        out.append(letter * int(count or 1) if len(letter) == 1 else letter)
    return "".join(out)


def test_every_corpus_file_has_an_expectation():
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    files = {row["file"] for row in _manifest()}
    assert files == set(_expectations()), (sorted(files - set(_expectations())), sorted(set(_expectations()) - files))


def test_the_expectations_tell_problems_apart():
    """Calling everything damaged does not pass: the expectations themselves must be varied."""
    exp = _expectations()
    errors = [e["error"] for e in exp.values() if e.get("error")]
    assert len(errors) < len(exp) // 4
    sources = "".join(_expand(e["sources"]) for e in exp.values() if not e.get("error"))
    for letter in "tolu":
        assert letter in sources


@pytest.mark.parametrize("name", sorted(_expectations()))
def test_corpus_file(name: str):
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    exp = _expectations()[name]
    path = CORPUS / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    doc = read_document(path, _settings(exp.get("password")))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before == (doc.sha256 or before)
    if exp.get("error"):
        assert doc.error_reason == exp["error"], (doc.error_reason, doc.error)
        assert doc.error and "\n" not in doc.error and "Traceback" not in doc.error
        return
    assert doc.error is None, doc.error
    assert len(doc.pages) == exp["pages"]
    want = _expand(exp["sources"])
    got = _expand(letters(doc))
    if not doc.ocr_available:
        assert not in_ci(), "CI installs Tesseract"
        want = want.replace("b", "o")  # without OCR there is no budget to run over
    assert got == want, (letters(doc), exp["sources"])
    text = "\n".join(page.text for page in doc.pages)
    for snippet in exp.get("text", []):
        assert snippet in text, snippet
    for line in (line for page in doc.pages for line in page.lines):
        assert len(line.boxes) == len(line.text)
    if any(page.source == "unreadable" for page in doc.pages):
        assert doc.warnings  # a page without usable text is never silent


def test_encrypted_files_open_only_with_their_password():
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    with_password = {name: e for name, e in _expectations().items() if e.get("password") and not e.get("error")}
    assert len(with_password) >= 12
    for name in sorted(with_password)[:6]:
        doc = read_document(CORPUS / name, _settings(None))
        assert doc.error_reason == "encrypted" and "--password" in doc.error, name


def test_flagged_files_are_not_read_as_clean_text():
    """Scans, XFA shells and fonts without a usable Unicode map come out flagged, never as text."""
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    exp = _expectations()
    flagged = [name for name, e in exp.items() if e.get("flagged")]
    assert len(flagged) >= 15
    for name in flagged:
        assert "t" not in _expand(exp[name]["sources"]).replace("l", ""), name


def _draft() -> dict[str, dict]:
    """Read the corpus and write what came out in the expectations' form (for review)."""
    old = _expectations() if EXPECTATIONS.exists() else {}
    out: dict[str, dict] = {}
    ocr = tesseract_available()
    assert ocr, "draft the expectations with Tesseract installed"
    for row in _manifest():
        name = row["file"]
        entry: dict = {"category": row["category"]}
        prev = old.get(name, {})
        if prev.get("password") is not None:
            entry["password"] = prev["password"]
        doc = read_document(CORPUS / name, _settings(entry.get("password")))
        if doc.error_reason:
            entry["error"] = doc.error_reason
        else:
            entry["pages"] = len(doc.pages)
            entry["sources"] = letters(doc)
            if "text" in prev:
                entry["text"] = prev["text"]
            else:
                lines = [ln.text for p in doc.pages if p.source == "text" for ln in p.lines if len(ln.text) >= 12]
                entry["text"] = lines[:1]
        for key in ("flagged", "why"):
            if key in prev:
                entry[key] = prev[key]
        out[name] = entry
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    EXPECTATIONS.write_text(yaml.safe_dump(_draft(), allow_unicode=True, sort_keys=True, width=120), encoding="utf-8")
