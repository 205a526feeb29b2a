"""Helpers for the award-ledger tests: ledgers on SQLite and PostgreSQL, golden extraction.

PostgreSQL: the server's URL comes from DOSSIER_TEST_POSTGRES (.ci/run sets it to
postgresql+psycopg://dossier:dossier@127.0.0.1:5432/dossier_test). Each test gets its own
schema (dropped afterwards) through the connection's search_path, so tests running in
parallel (pytest -n) never see each other's rows. Without the variable or the server, the
test skips outside CI and fails in CI (`need`).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import need

POSTGRES_ENV = "DOSSIER_TEST_POSTGRES"


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped on exit."""
    base = os.environ.get(POSTGRES_ENV, "")
    need(bool(base), f"no PostgreSQL server: set {POSTGRES_ENV} (e.g. postgresql+psycopg://dossier:dossier@127.0.0.1:5432/dossier_test)")
    need(_has_psycopg(), "psycopg 3 is not installed (pip install 'dossier-toolkit[postgres]')")
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    admin_url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = "ledger_" + uuid.uuid4().hex[:12]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        engine.dispose()
        need(False, f"PostgreSQL at {POSTGRES_ENV} is not reachable: {str(exc.orig).strip().splitlines()[0]}")
    sep = "&" if "?" in admin_url else "?"
    try:
        yield f"{admin_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _has_psycopg() -> bool:
    from importlib.util import find_spec

    return find_spec("psycopg") is not None


@contextmanager
def ledger_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty ledger location on `backend` (sqlite or postgresql)."""
    if backend == "sqlite":
        yield str(tmp_path / "ledger.db")
    else:
        with postgres_schema_url() as url:
            yield url


def expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def golden_extractor(folder: Path):  # type: ignore[no-untyped-def]
    """An extractor that returns exactly what each document of the example `folder` was
    generated to carry (its expected.json), so that these tests do not depend on the PDF
    reader. Works for copies of the example too (documents are matched by file name)."""
    from golden import golden_extractor_for

    return golden_extractor_for(expected(folder))
def options_for(folder: Path, ledger=None, lang: str = "en"):  # type: ignore[no-untyped-def]
    """CheckOptions with golden extraction, a fixed clock and (optionally) a ledger."""
    import datetime as dt

    from toolkit.check.engine import CheckOptions

    options = CheckOptions(lang=lang, extractor=golden_extractor(folder), clock=lambda: dt.date(2025, 11, 1))
    if ledger is not None:
        options.ledger = ledger
        options.ledger_source = ledger.url
    return options


def copy_filing(src: Path, dest: Path, *, replace: dict[str, str] | None = None, note: str = "") -> Path:
    """A new filing made from an example: its manifest differs (a comment, hence another
    dossier_key) and, with `replace`, so do its declared facts and golden document fields
    (say, another event: as if its documents were about that event)."""
    import shutil

    shutil.copytree(src, dest)
    for name in ("dossier.yaml", "expected.json"):
        text = (dest / name).read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in text, (name, old)
            text = text.replace(old, new)
        if name == "dossier.yaml":
            text = f"# another filing {note}\n" + text
        (dest / name).write_text(text, encoding="utf-8")
    return dest
