"""Write a batch's outputs: the HTML report and the JSONL/CSV/XLSX summaries.

One place, so that `dossier review` and the tests write exactly the same bytes; an
interrupted batch writes the same files with the results it has (the HTML says so).
"""

from __future__ import annotations

from pathlib import Path

from toolkit.review.batch import BatchResult


def write_outputs(batch: BatchResult, targets: dict[str, Path], *, lang: str, title: str) -> list[Path]:
    """Write each requested output (keys: html, jsonl, csv, xlsx); returns the paths written."""
    from toolkit.review.summaries import rows_of, to_csv, to_jsonl, to_xlsx, write_bytes, write_text

    rows = rows_of(batch.outcomes)
    written = []
    for kind in ("html", "jsonl", "csv", "xlsx"):
        path = targets.get(kind)
        if path is None:
            continue
        if kind == "html":
            from toolkit.review.html import render_html

            write_text(path, render_html(batch.outcomes, lang=lang, title=title, interrupted=batch.interrupted,
                                         total=batch.total))
        elif kind == "jsonl":
            write_text(path, to_jsonl(rows))
        elif kind == "csv":
            write_text(path, to_csv(rows))
        else:
            write_bytes(path, to_xlsx(rows))
        written.append(path)
    return written
