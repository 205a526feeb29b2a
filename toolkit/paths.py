"""How a path is named in what the toolkit writes (JSON, reports, forms, the ledger, messages)."""

from __future__ import annotations

import os


def shown_path(path: str | os.PathLike[str]) -> str:
    """`path` as text every output can carry.

    A name the file system holds in bytes that are not UTF-8 (a Chinese file name from a
    zip made on Windows in GBK and unpacked on Linux: 申请.pdf arrives as b"\\xc9\\xea\\xc7\\xeb.pdf")
    reaches Python with lone surrogates, which no UTF-8 JSON, YAML, database or terminal
    can write: one such name used to end a whole `dossier review` batch. Those bytes are
    shown as `\\xNN` escapes: visible, and faithful to what is on disk. Any other name is
    returned as it is.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text
