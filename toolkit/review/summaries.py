"""A round's summary tables: one row per dossier, as JSON Lines, CSV and XLSX.

Why these choices: money stays exact everywhere. JSONL and CSV carry it as decimal strings
with two decimals ("1234567.89"); XLSX carries it as a number cell written from the
Decimal's own digits (the XML holds "1234567.89", never a float's repr) with the format
0.00, so a reviewer can sum a column. Every byte is deterministic (sorted rows, fixed key
order, no timestamps: the XLSX's zip entries and document properties carry a fixed date),
so two runs of the same round can be compared with `cmp`. The CSV starts with a UTF-8 BOM:
Excel on a Chinese Windows otherwise reads UTF-8 names as mojibake.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from toolkit.model.common import cny_str
from toolkit.model.report import ErrorLine, Report
from toolkit.review.batch import Outcome

COLUMNS = ("path", "applicant", "uscc", "measure", "item", "verdict", "requested_cny", "eligible_cny",
           "failing_rules", "error")
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # the policy's year: any fixed date makes the bytes stable
FIXED_W3C = "2024-01-01T00:00:00Z"


@dataclass(frozen=True)
class Row:
    """The summary of one dossier (an error row has only path, verdict "error" and error)."""

    path: str
    applicant: str = ""
    uscc: str = ""
    measure: str = ""
    item: str = ""
    verdict: str = "error"
    requested: Decimal | None = None
    eligible: Decimal | None = None
    failing: tuple[str, ...] = ()
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "applicant": self.applicant, "uscc": self.uscc, "measure": self.measure,
            "item": self.item or None, "verdict": self.verdict, "requested_cny": _money(self.requested),
            "eligible_cny": _money(self.eligible), "failing_rules": list(self.failing), "error": self.error or None,
        }

    def as_text(self) -> list[str]:
        return [self.path, self.applicant, self.uscc, self.measure, self.item, self.verdict,
                _money(self.requested) or "", _money(self.eligible) or "", " ".join(self.failing), self.error]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else cny_str(value)


def failing_codes(report: Report) -> tuple[str, ...]:
    """Rules that failed the verdict (errors), in checklist order."""
    return tuple(f.code for f in report.findings if f.status == "fail" and f.severity == "error")


def row_of(outcome: Outcome) -> Row:
    result = outcome.result
    if isinstance(result, ErrorLine):
        return Row(path=outcome.display, error=result.error)
    support = result.support
    return Row(
        path=outcome.display,
        applicant=result.applicant.get("name") or "",
        uscc=result.applicant.get("uscc") or "",
        measure=result.measure,
        item=result.item or "",
        verdict=result.verdict,
        requested=support.requested_cny if support else None,
        eligible=support.eligible_cny if support else None,
        failing=failing_codes(result),
        error="; ".join(outcome.doc_errors),
    )


def rows_of(outcomes: list[Outcome]) -> list[Row]:
    return [row_of(o) for o in outcomes]


def to_jsonl(rows: list[Row]) -> str:
    return "".join(json.dumps(r.as_json(), ensure_ascii=False, separators=(", ", ": ")) + "\n" for r in rows)


def to_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([cell if i in _MONEY_COLUMNS else _inert(cell) for i, cell in enumerate(r.as_text())])
    return "\ufeff" + buf.getvalue()


_MONEY_COLUMNS = (6, 7)  # requested and eligible: numbers, written as such
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    """A text cell a spreadsheet will not run: an applicant named "=HYPERLINK(...)" (a manifest
    is the applicant's to write) would be a formula when the reviewer opens the CSV. Such a
    cell is written after an apostrophe, as OWASP advises for CSV injection."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_xlsx(rows: list[Row]) -> bytes:
    """One sheet, money as exact number cells formatted 0.00, header frozen and filtered."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "dossiers"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        values: list[Any] = r.as_text()
        values[6] = _exact(r.requested)
        values[7] = _exact(r.eligible)
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, as written: never a formula (openpyxl makes "=..." one)
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = "0.00"
    for letter, width in zip("ABCDEFGHIJ", (44, 32, 22, 26, 18, 13, 16, 16, 40, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:J{len(rows) + 1}"
    wb.properties.creator = "dossier"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _exact(value: Decimal | None) -> Decimal | None:
    """The amount quantised to the fen: openpyxl writes a Decimal's own digits into the XML."""
    return None if value is None else Decimal(cny_str(value))


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed timestamps (zip entries and docProps), so the bytes repeat."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + FIXED_W3C.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))  # bytes: no platform newline translation


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
