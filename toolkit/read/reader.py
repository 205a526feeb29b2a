"""`read_document`: the read stage's one entry point. It never raises for a bad file.

Why the checks before the worker: size, emptiness and the file's magic bytes cost a stat
and one small read, and they give the clearest errors (not a PDF, empty, too large)
without starting a process. The file is opened read-only, once here to hash it, and by
the parsers in the worker; nothing ever writes to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.i18n import t
from toolkit.read.model import ReadDocument, ReadSettings
from toolkit.read.ocr import tesseract_available
from toolkit.read.parse import parse_document, parse_image
from toolkit.read.worker import run_limited

HEAD_BYTES = 1024  # the PDF header may follow some junk; readers accept it within 1 KB
IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"))


def sniff(head: bytes) -> str | None:
    """"pdf", an image kind, or None, from the first bytes of a file."""
    if b"%PDF-" in head[:HEAD_BYTES]:
        return "pdf"
    for magic, kind in IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    return None


def _start(head: bytes) -> str:
    """The first bytes of a file, shown safely in an error message."""
    shown = head[:8]
    return repr(shown.decode("latin-1")) if shown else "''"


def _failed(doc: ReadDocument, reason: str, key: str, **params: object) -> ReadDocument:
    doc.error_reason = reason
    doc.error = t(key, "en", **params)
    doc.error_key = key
    doc.error_params = {k: str(v) for k, v in params.items()}
    return doc


def file_sha256(path: Path) -> tuple[str, bytes, int]:
    """(sha256, first bytes, size) of a file, read once, read-only."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            if not head:
                head = chunk[:HEAD_BYTES]
            size += len(chunk)
            digest.update(chunk)
    return digest.hexdigest(), head, size


def read_document(path: Path, settings: ReadSettings | None = None,
                  then: Callable[[ReadDocument], Any] | None = None) -> Any:
    """Read a PDF (or a scanned page as an image) into pages of lines with boxes.

    Never raises for a bad file: `error` and `error_reason` say why it could not be read
    (not_pdf, empty, damaged, encrypted, too_large, too_many_pages, timed_out,
    out_of_memory). The parse runs in a worker process under `settings`' time and memory
    limits.

    With `then` (an importable function, or a partial of one), what comes back is
    `then(document)`, run inside the worker while the file is open: lines then fetch only
    the character boxes `then` asks for (`Page.span_bbox`), and only its result crosses
    back to this process. This is how extraction reads (toolkit/extract/pipeline.py). A
    file that could not be read is passed to `then` as its error document, here.
    """
    value, failure = _read(Path(path), settings or ReadSettings(), then)
    if failure is not None:
        return then(failure) if then is not None else failure
    return value


def _read(path: Path, settings: ReadSettings,
          then: Callable[[ReadDocument], Any] | None) -> tuple[Any, ReadDocument | None]:
    """(what the worker gave back, None), or (None, the document saying why it could not be read)."""
    path = Path(path)
    doc = ReadDocument(path=str(path), sha256="")
    doc.ocr_available = bool(settings.ocr) and tesseract_available(settings.ocr_languages)
    try:
        size = path.stat().st_size
    except OSError:
        return None, _failed(doc, "not_found", "read.error.not_found")
    if not path.is_file():
        return None, _failed(doc, "not_pdf", "read.error.not_a_file")
    if size > settings.max_bytes:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        doc.sha256 = hashlib.sha256(b"").hexdigest() if not head else ""
        return None, _failed(doc, "too_large", "read.error.too_large", size=_mb(size), limit=_mb(settings.max_bytes))
    try:
        doc.sha256, head, size = file_sha256(path)
    except OSError as exc:
        return None, _failed(doc, "damaged", "read.error.unreadable_file", detail=exc.strerror or str(exc))
    if size == 0:
        return None, _failed(doc, "empty", "read.error.empty")
    kind = sniff(head)
    if kind is None:
        return None, _failed(doc, "not_pdf", "read.error.not_pdf", start=_start(head))
    parser = parse_document if kind == "pdf" else parse_image
    outcome = run_limited(parser, (path, doc.sha256, settings, then), settings.timeout_s, settings.memory_mb)
    if outcome.value is not None:
        if isinstance(outcome.value, ReadDocument):
            outcome.value.path = str(path)
        return outcome.value, None
    return None, _failed(doc, outcome.reason or "damaged", outcome.key or "read.error.damaged", **_filled(outcome.key, outcome.params))


def _filled(key: str | None, params: dict[str, object]) -> dict[str, object]:
    if key == "read.error.damaged" and "detail" not in params:
        return {**params, "detail": "?"}
    return params


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
