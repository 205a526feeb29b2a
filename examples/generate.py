"""Rebuild every example dossier, byte for byte: `python examples/generate.py [--out DIR]`.

Why a generator and not hand-made files: the examples are the fixtures of every
extraction, checking and rendering test, so they must look like real filings and their
golden data (expected.json) must agree exactly with what the PDFs say. Both come from the
same inputs here (examples/_gen/catalog.py). The output is deterministic (reportlab's
invariant mode, fixed seeds, sorted iteration), so a test can regenerate into a temporary
folder and compare every byte with the committed files.

The one file not drawn here is the scanned business licence: it was rendered once to an
image with noise and a slight rotation (`--rescan` redoes it) and is copied as committed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _gen.catalog import SCANNED_ASSET, Example, all_examples  # noqa: E402
from _gen.documents import Made  # noqa: E402

MANAGED = ("dossier.yaml", "expected.json", "prior-awards.yaml")


@dataclass
class Written:
    """One file the generator wrote: where, its bytes, and the document it holds (if any)."""

    path: str
    data: bytes
    made: Made | None = None


def manifest_text(example: Example) -> str:
    """dossier.yaml as interfaces.md §1 defines it, with exact decimal strings quoted."""
    a = example.applicant
    out = [f"# Example dossier {example.name}: rebuilt by examples/generate.py, do not edit by hand.",
           "schema: 1", f"measure: {example.measure}",
           f"item: {example.item if example.item else 'null'}", "year: 2025", "applicant:",
           f"  name: {a.name}", f"  uscc: {example.manifest_uscc or a.uscc}", "documents:"]
    for doc in example.documents:
        out += [f"  - file: {doc.file}", f"    kind: {doc.kind}"]
    if example.requested_cny is not None:
        out.append(f'requested_cny: "{example.requested_cny:.2f}"')
    if example.facts:
        out.append("facts:")
        for key in ("product", "project", "contract_no", "event"):
            if key in example.facts:
                out.append(f"  {key}: {json.dumps(example.facts[key], ensure_ascii=False)}")
    return "\n".join(out) + "\n"


def document_entry(doc: Made) -> dict[str, Any]:
    """What expected.json says about one document: kind, pages, fields with their pages."""
    entry: dict[str, Any] = {"file": doc.file, "kind": doc.kind}
    if doc.truncated_to is not None:
        entry.update(pages=None, fields=[], error="damaged")
        return entry
    entry["pages"] = doc.built.pages
    if doc.copied_from:
        entry["page_sources"] = ["ocr"] * doc.built.pages
    entry["fields"] = [{"name": f["name"], "value": f["value"], "page": f["page"]}
                       for f in doc.built.fields]
    return entry


def expected_json(example: Example) -> str:
    data: dict[str, Any] = {"verdict": example.verdict, "eligible_cny": example.eligible_cny,
                            "failing_rules": sorted(example.failing_rules)}
    if example.check_args:
        data["check_args"] = example.check_args
    if example.assumes:
        data["assumes"] = example.assumes
    data["documents"] = [document_entry(doc) for doc in example.documents]
    data["explanation"] = example.explanation
    if example.note:
        data["note"] = example.note
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def document_bytes(doc: Made) -> bytes:
    if doc.copied_from:
        return (HERE / "_gen" / doc.copied_from).read_bytes()
    if doc.truncated_to is not None:
        return doc.built.data[: doc.truncated_to]
    return doc.built.data


def build(examples: list[Example] | None = None) -> list[Written]:
    """Every file of every example, in memory, in a fixed order."""
    out: list[Written] = []
    for example in examples or all_examples():
        base = example.name
        out.append(Written(f"{base}/dossier.yaml", manifest_text(example).encode()))
        for doc in example.documents:
            out.append(Written(f"{base}/{doc.file}", document_bytes(doc), doc))
        for name in sorted(example.extra_files):
            out.append(Written(f"{base}/{name}", example.extra_files[name].encode()))
        out.append(Written(f"{base}/expected.json", expected_json(example).encode()))
    out.append(Written("INDEX.md", index_text(examples or all_examples()).encode()))
    return out


def index_text(examples: list[Example]) -> str:
    """A table of the examples for applicants and reviewers (examples/INDEX.md)."""
    rows = ["# Example dossiers", "",
            "Rebuilt by `python examples/generate.py`; every folder is one filing with its",
            "`dossier.yaml`, `documents/` and the golden `expected.json` the tests check.",
            "Run one with `dossier check examples/<folder>`; where expected.json has `check_args`,",
            "their file paths are relative to the example's folder.", "",
            f"Generated with reportlab {reportlab_version()} (the PDF bytes depend on it).", "",
            "| folder | item | verdict | eligible (CNY) | why |", "|---|---|---|---|---|"]
    for e in examples:
        why = e.explanation.replace("|", "/")
        rows.append(f"| {e.name} | {e.measure}{' ' + e.item if e.item else ''} | {e.verdict} | "
                    f"{e.eligible_cny if e.eligible_cny is not None else '—'} | {why} |")
    return "\n".join(rows) + "\n"


def reportlab_version() -> str:
    """The reportlab release whose output the committed PDFs are."""
    import reportlab

    return str(reportlab.Version)


def write(files: list[Written], out: Path) -> None:
    """Write the files; stale documents in a managed example folder are removed first."""
    folders = sorted({f.path.split("/")[0] for f in files if "/" in f.path})
    for folder in folders:
        docs_dir = out / folder / "documents"
        if docs_dir.is_dir():
            shutil.rmtree(docs_dir)
        for name in MANAGED:
            (out / folder / name).unlink(missing_ok=True)
    for f in files:
        target = out / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild the example dossiers byte for byte.")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: examples/)")
    parser.add_argument("--rescan", action="store_true",
                        help=f"re-make the scanned licence ({SCANNED_ASSET}) from its born-digital page")
    args = parser.parse_args(argv)
    if args.rescan:
        from _gen.scan import rescan

        rescan(HERE / "_gen" / SCANNED_ASSET)
    files = build()
    write(files, args.out)
    print(f"wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
