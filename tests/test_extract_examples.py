"""Extraction finds, on every example document, the values it was generated with, on their page.

The golden fields (examples/*/expected.json, `documents[].fields`) come from the generator's
inputs, not from the extractor. Text-layer documents must match exactly; an OCR'd scan is
held to the same values with its spacing and punctuation set aside (Tesseract reads ：as :).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, need

from toolkit.extract import extract_file
from toolkit.extract.classify import classify
from toolkit.read import read_document


def _documents() -> list[tuple[Path, dict]]:
    out, seen = [], set()
    for exp in sorted(EXAMPLES.glob("*/expected.json")):
        for doc in json.loads(exp.read_text(encoding="utf-8"))["documents"]:
            path = exp.parent / doc["file"]
            digest = path.read_bytes()
            if digest in seen:
                continue
            seen.add(digest)
            out.append((path, doc))
    return out


DOCUMENTS = _documents()


def _loose(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return re.sub(r"[\s:：;；,，()（）]", "", text)


def _manifest_kind(path: Path) -> str | None:
    import yaml

    folder = path.parent.parent
    manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    rel = path.relative_to(folder).as_posix()
    return next((d.get("kind") for d in manifest["documents"] if d["file"] == rel), None)


@pytest.mark.parametrize(("path", "golden"), DOCUMENTS, ids=[f"{p.parent.parent.name}/{p.name}" for p, _ in DOCUMENTS])
def test_every_golden_field_is_found_on_its_page(path, golden):
    if "scan" in path.name:
        need(shutil.which("tesseract") is not None, "Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")
    result = extract_file(path, display=golden["file"], kind=_manifest_kind(path))
    if not golden["fields"]:  # the damaged receipt: an error result, never an empty success
        assert result.error_reason == "damaged" and result.fields == []
        return
    assert result.error is None, result.error
    assert result.kind == golden["kind"]
    assert result.pages == golden["pages"]
    ocr = "ocr" in result.page_sources
    norm = _loose if ocr else (lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    got: dict[str, list[tuple[str, int]]] = {}
    for f in result.fields:
        got.setdefault(f.name, []).append((norm(f.model_dump(mode="json")["value"]), f.page))
    missing = [(g["name"], g["value"], g["page"]) for g in golden["fields"]
               if (norm(g["value"]), g["page"]) not in got.get(g["name"], [])]
    assert missing == [], {"missing": missing, "got": got}


@pytest.mark.parametrize(("path", "golden"), [d for d in DOCUMENTS if d[1]["fields"] and "scan" not in d[0].name],
                         ids=lambda x: x.name if isinstance(x, Path) else "")
def test_every_document_is_classified_from_its_content_alone(path, golden):
    """No manifest kind given: the title and keyword cues name the kind."""
    pages = [p for p in read_document(path).pages if p.source != "unreadable"]
    assert classify(pages).kind in (golden["kind"], "institution_certificate" if golden["kind"] == "business_license" else "")


def test_fields_carry_page_bbox_and_the_line_they_were_read_from():
    path = EXAMPLES / "m36-overseas-license" / "documents" / "bank-receipt.pdf"
    result = extract_file(path, display="documents/bank-receipt.pdf")
    credited = result.first("credited_amount")
    assert credited is not None
    assert credited.text == "入账金额 CNY 178,250,000.00"
    assert credited.page == 1 and credited.confidence == 1.0
    x0, top, x1, bottom = credited.bbox
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842
    assert result.model_dump(mode="json", by_alias=True)["fields"][4]["value"] == {"amount": "178250000.00", "currency": "CNY"}


def test_ocr_fields_score_lower_than_text_layer_fields():
    need(shutil.which("tesseract") is not None, "Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)")
    path = EXAMPLES / "m23-industrial-project--scanned-license" / "documents" / "business-license-scan.pdf"
    result = extract_file(path)
    assert result.page_sources == ["ocr"]
    assert result.fields and all(f.confidence < 0.9 for f in result.fields)
