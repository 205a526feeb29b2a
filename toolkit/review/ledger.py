"""The award ledger: every award granted, in a SQLite file or a shared SQL server.

`open_ledger(url)` takes a file path (SQLite, the embedded default: the file is created, its
folder must exist) or an SQLAlchemy URL (`sqlite:///ledger.db`, `postgresql://user@host/db`,
which is driven by psycopg 3). The schema is versioned (`schema_version`,
toolkit/review/migrations.py): opening applies the missing migrations in order, and a ledger
written by a newer toolkit is refused.

What `dossier check` reads (the Protocol in toolkit/check/awards.py): `awards_for(uscc, year)`
for the yearly per-unit caps and `claims_like(...)` for duplicate claims.

Writing is idempotent and safe under concurrency:
- every award has an `award_key` (UNIQUE): for an award made on a dossier, the digest of
  (dossier_key, measure), so the same dossier is never recorded twice; for an imported one,
  the digest of its natural fields. `record` inserts with ON CONFLICT DO NOTHING and says
  `recorded` or `already`;
- writes run in one transaction each: SQLite takes the write lock up front (BEGIN IMMEDIATE,
  WAL journal, a busy timeout); PostgreSQL serialises writers of one applicant with a
  transaction-scoped advisory lock; a transient failure (locked database, serialization
  failure, deadlock) is retried;
- `record_dossier` checks a dossier against the ledger and records its award only if no
  other award of that applicant was recorded in between (the ledger's `revision`); if one
  was, it checks again, so two filings recorded at once cannot both use the same remaining
  yearly cap.

Every failure is a LedgerError with a catalogue key: one line for the user, no traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import ValidationError
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)

from toolkit.errors import LedgerError
from toolkit.model.award import Award
from toolkit.review.migrations import LATEST, MIGRATIONS, MoneyType, exact_fen, schema_version_table

RecordStatus = Literal["recorded", "already"]
Source = Literal["check", "import", "api"]
EXPORT_FORMATS = ("csv", "json", "yaml")
FACT_COLUMNS = ("product", "project", "contract_no", "event")
AWARD_FIELDS = tuple(Award.model_fields)
ATTEMPTS = 8
BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x646F7373  # "doss": one advisory lock for schema migrations

T = TypeVar("T")

_METADATA = MetaData()
SCHEMA_VERSION = schema_version_table(_METADATA)
AWARDS = Table(  # the current shape (migrations 1 and 2)
    "awards", _METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("award_key", String(64), nullable=False, unique=True),
    Column("applicant_uscc", String(18), nullable=False),
    Column("applicant_name", Text, nullable=False),
    Column("measure", String(64), nullable=False),
    Column("item", String(64)),
    Column("year", Integer, nullable=False),
    Column("amount_cny", MoneyType(), nullable=False),
    Column("product", Text),
    Column("project", Text),
    Column("contract_no", Text),
    Column("event", Text),
    Column("dossier", Text),
    Column("dossier_key", String(80)),
    Column("granted", Date),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("source", String(16), nullable=False),
)


class LedgerConflict(LedgerError):
    """Another award of the same applicant was recorded while this one was being checked."""

    key = "ledger.error.conflict"


@dataclass(frozen=True)
class Entry:
    """One row of the ledger: the award and how it came in."""

    id: int
    award: Award
    source: str
    recorded_at: dt.datetime


def award_key(award: Award) -> str:
    """The UNIQUE key: (dossier_key, measure) for an award made on a dossier, else its natural fields."""
    if award.dossier_key:
        parts: list[Any] = ["dossier", award.dossier_key, award.measure]
    else:
        parts = ["natural", award.applicant_uscc.upper(), award.measure, award.item, award.year,
                 format(exact_fen(award.amount_cny), "f"), *(getattr(award, k) for k in FACT_COLUMNS),
                 award.granted.isoformat() if award.granted else None]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


# --- opening ---------------------------------------------------------------------------------

def ledger_url(spec: str) -> URL:
    """A file path or an SQLAlchemy URL -> the URL to connect to (LedgerError if unusable)."""
    spec = spec.strip()
    if not spec:
        raise LedgerError("ledger.error.bad_url", url=spec, detail="—")
    if "://" not in spec:
        return _sqlite_file_url(Path(spec).expanduser(), spec)
    for plain in ("postgresql://", "postgres://"):
        if spec.startswith(plain):
            spec = "postgresql+psycopg://" + spec[len(plain):]
    try:
        url = make_url(spec)
    except ArgumentError as exc:
        raise LedgerError("ledger.error.bad_url", url=_masked(spec), detail=_first_line(exc)) from None
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:"):
        return _sqlite_file_url(Path(url.database).expanduser(), spec)
    return url


def _sqlite_file_url(path: Path, shown: str) -> URL:
    if path.is_dir():
        raise LedgerError("ledger.error.is_folder", path=shown)
    if not path.parent.resolve().is_dir():
        raise LedgerError("ledger.error.no_folder", path=shown, folder=str(path.parent))
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def _masked(spec: str) -> str:
    try:
        return make_url(spec).render_as_string(hide_password=True)
    except Exception:
        return spec


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


def open_ledger(url: str) -> Ledger:
    """Open (and create or upgrade) the ledger at a file path or SQLAlchemy URL."""
    target = ledger_url(url)
    shown = target.render_as_string(hide_password=True) if target.get_backend_name() != "sqlite" else url
    try:
        engine = create_engine(target, future=True, pool_pre_ping=False)
    except ImportError as exc:  # a known database whose driver is not installed
        raise LedgerError("ledger.error.driver", url=shown, detail=_first_line(exc)) from None
    except (NoSuchModuleError, ArgumentError, SQLAlchemyError, ValueError, TypeError) as exc:
        raise LedgerError("ledger.error.bad_url", url=shown, detail=_first_line(exc)) from None
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    ledger = Ledger(engine, shown)
    try:
        ledger.migrate()
    except BaseException:
        engine.dispose()
        raise
    return ledger


def _sqlite_pragmas(engine: Engine) -> None:
    """Driver autocommit off, our own BEGIN (IMMEDIATE for writers), WAL and a busy timeout."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("ledger_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _transient(exc: DBAPIError) -> bool:
    """A failure that a retry can cure: locked SQLite, PostgreSQL serialization failure or deadlock."""
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)
    if state in ("40001", "40P01", "55P03"):
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database table is locked" in message or "busy" in message


class Ledger:
    """An open award ledger (see the module docstring). Use `open_ledger` to get one."""

    def __init__(self, engine: Engine, shown: str):
        self.engine = engine
        self.url = shown
        self.dialect = engine.dialect.name

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- transactions ---------------------------------------------------------------------

    def _read(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one read transaction, retrying transient failures."""
        return self._run(work, write=False)

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction, retrying transient failures."""
        return self._run(work, write=True)

    def _run(self, work: Callable[[Connection], T], *, write: bool) -> T:
        """One transaction with backoff on transient failures. Reads retry too: a SQLite file
        that another process is creating or switching to WAL answers "database is locked" to
        a new connection without waiting out the busy timeout. A failure that did wait it out (a
        lock held that long) is final, so a stuck database costs one timeout, not eight."""
        for attempt in range(ATTEMPTS):
            started = time.monotonic()
            try:
                with self.engine.connect().execution_options(ledger_write=write) as conn, conn.begin():
                    return work(conn)
            except DBAPIError as exc:
                waited_out = time.monotonic() - started >= BUSY_TIMEOUT_MS / 1000
                if attempt + 1 < ATTEMPTS and _transient(exc) and not waited_out:
                    time.sleep(min(2.0, 0.02 * 2 ** attempt) * (0.5 + random.random()))
                    continue
                raise self._error(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, exc: DBAPIError) -> LedgerError:
        if self.dialect == "sqlite" and "not a database" in str(exc.orig):
            return LedgerError("ledger.error.not_a_ledger", url=self.url)
        if isinstance(exc, IntegrityError):
            return LedgerError("ledger.error.write", url=self.url, detail=_first_line(exc))
        if exc.connection_invalidated or "connect" in str(exc.orig).lower():
            return LedgerError("ledger.error.unreachable", url=self.url, detail=_first_line(exc))
        return LedgerError("ledger.error.database", url=self.url, detail=_first_line(exc))

    # --- schema -------------------------------------------------------------------------

    def version(self) -> int:
        """The schema version of the database (0: empty)."""
        return self._read(self._version)

    def _version(self, conn: Connection) -> int:
        if not self.engine.dialect.has_table(conn, "schema_version"):
            return 0
        return int(conn.execute(select(func.max(SCHEMA_VERSION.c.version))).scalar() or 0)

    def migrate(self) -> int:
        """Apply the missing migrations in order; LedgerError for a ledger newer than the toolkit."""
        current = self._read(self._version)
        self._refuse_newer(current)
        if current == LATEST:
            return current

        def upgrade(conn: Connection) -> int:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            SCHEMA_VERSION.create(conn, checkfirst=True)
            now = self._version(conn)
            self._refuse_newer(now)
            for migration in MIGRATIONS[now:]:
                migration.apply(conn)
                conn.execute(insert(SCHEMA_VERSION).values(version=migration.version, description=migration.description,
                                                           applied_at=dt.datetime.now(dt.UTC)))
            return LATEST

        return self._write(upgrade)

    def _refuse_newer(self, version: int) -> None:
        if version > LATEST:
            raise LedgerError("ledger.error.too_new", url=self.url, found=version, known=LATEST)

    # --- reading ------------------------------------------------------------------------

    def awards_for(self, uscc: str, year: int) -> list[Award]:
        """Every award to the applicant in the year (any measure)."""
        return [e.award for e in self.entries(uscc=uscc, year=year)]

    def claims_like(self, uscc: str, product: str | None, project: str | None,
                    contract_no: str | None, event: str | None) -> list[Award]:
        """The applicant's awards that name a product, project, contract or event like these
        (normalised containment, as the checker compares them)."""
        from toolkit.check.facts import mentions

        wanted = {"product": product, "project": project, "contract_no": contract_no, "event": event}
        given = {k: v for k, v in wanted.items() if v}
        if not given:
            return []
        condition = and_(AWARDS.c.applicant_uscc == uscc.upper(),
                         or_(*(AWARDS.c[k].is_not(None) for k in given)))
        return [e.award for e in self._entries(condition)
                if any(mentions(getattr(e.award, k), v) for k, v in given.items())]

    def entries(self, *, uscc: str | None = None, year: int | None = None, measure: str | None = None) -> list[Entry]:
        """Rows in the order they were recorded, filtered by applicant, year and support item."""
        conditions = []
        if uscc:
            conditions.append(AWARDS.c.applicant_uscc == uscc.upper())
        if year is not None:
            conditions.append(AWARDS.c.year == year)
        if measure:
            conditions.append(AWARDS.c.measure == measure)
        return self._entries(and_(*conditions) if conditions else None)

    def list(self, *, uscc: str | None = None, year: int | None = None, measure: str | None = None) -> list[Award]:
        return [e.award for e in self.entries(uscc=uscc, year=year, measure=measure)]

    def _entries(self, condition: Any) -> list[Entry]:
        query = select(AWARDS).order_by(AWARDS.c.id)
        if condition is not None:
            query = query.where(condition)
        rows = self._read(lambda conn: conn.execute(query).mappings().all())
        return [_entry(row) for row in rows]

    def revision(self, uscc: str) -> str:
        """Changes whenever an award of this applicant is recorded (awards are never deleted)."""
        return self._read(lambda conn: self._revision(conn, uscc))

    def _revision(self, conn: Connection, uscc: str) -> str:
        count, last = conn.execute(select(func.count(AWARDS.c.id), func.max(AWARDS.c.id))
                                   .where(AWARDS.c.applicant_uscc == uscc.upper())).one()
        return f"{count}:{last or 0}"

    # --- writing ------------------------------------------------------------------------

    def record(self, award: Award, *, source: Source = "api", expect_revision: str | None = None) -> RecordStatus:
        """Record an award once: `recorded`, or `already` when its key is in the ledger.

        With `expect_revision` (from `revision(uscc)` before the award was computed), raise
        LedgerConflict if another award of the applicant was recorded in the meantime.
        """
        try:
            amount = exact_fen(award.amount_cny)
        except ValueError:
            raise LedgerError("ledger.error.amount", amount=str(award.amount_cny)) from None
        row = {k: getattr(award, k) for k in AWARD_FIELDS}
        row.update(applicant_uscc=award.applicant_uscc.upper(), amount_cny=amount, award_key=award_key(award),
                   source=source, recorded_at=dt.datetime.now(dt.UTC), applicant_name=award.applicant_name or "")

        def work(conn: Connection) -> RecordStatus:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "dossier-ledger:" + row["applicant_uscc"]})
            if expect_revision is not None and self._revision(conn, award.applicant_uscc) != expect_revision:
                if conn.execute(select(AWARDS.c.id).where(AWARDS.c.award_key == row["award_key"])).first():
                    return "already"
                raise LedgerConflict(url=self.url)
            return self._insert(conn, row)

        return self._write(work)

    def _insert(self, conn: Connection, row: dict[str, Any]) -> RecordStatus:
        if self.dialect in ("sqlite", "postgresql"):
            if self.dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as dialect_insert
            else:
                from sqlalchemy.dialects.postgresql import insert as dialect_insert
            inserted = conn.execute(dialect_insert(AWARDS).values(**row).on_conflict_do_nothing()
                                    .returning(AWARDS.c.id)).first()
            return "recorded" if inserted is not None else "already"
        try:  # any other SQLAlchemy dialect: the UNIQUE constraints decide, inside a savepoint
            with conn.begin_nested():
                conn.execute(insert(AWARDS).values(**row))
            return "recorded"
        except IntegrityError:
            return "already"

    def record_many(self, awards: list[Award], *, source: Source = "import") -> dict[str, int]:
        """Record several awards (each idempotently); counts of `recorded` and `already`."""
        counts = {"recorded": 0, "already": 0}
        for award in awards:
            counts[self.record(award, source=source)] += 1
        return counts

    # --- export -------------------------------------------------------------------------

    def export(self, fmt: str, **filters: Any) -> str:
        """The ledger as CSV (one row per award, with source and recorded_at), or JSON/YAML
        `{awards: [...]}`, which reads back as a --prior-awards or --from-file file."""
        if fmt not in EXPORT_FORMATS:
            raise LedgerError("ledger.error.format", fmt=fmt, known=", ".join(EXPORT_FORMATS))
        entries = self.entries(**filters)
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([*AWARD_FIELDS, "source", "recorded_at"])
            for e in entries:
                data = e.award.model_dump(mode="json")
                writer.writerow([("" if data[k] is None else data[k]) for k in AWARD_FIELDS]
                                + [e.source, e.recorded_at.isoformat()])
            return out.getvalue()
        doc = {"awards": [e.award.model_dump(mode="json", exclude_none=True) for e in entries]}
        if fmt == "json":
            return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        import yaml

        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _entry(row: Any) -> Entry:
    data = {k: row[k] for k in AWARD_FIELDS}
    recorded = row["recorded_at"]
    if recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=dt.UTC)
    return Entry(id=row["id"], award=Award.model_validate(data), source=row["source"], recorded_at=recorded)


# --- recording a checked dossier ----------------------------------------------------------------

@dataclass
class Recorded:
    """What `record_dossier` did: the status, the award, and the report it came from."""

    status: RecordStatus
    award: Award
    report: Any  # toolkit.model.report.Report
    attempts: int = 1


def award_from_check(result: Any, granted: dt.date | None = None) -> Award:
    """The award a checked dossier stands for (toolkit.check.engine.CheckResult)."""
    from toolkit.check.engine import dossier_key

    report, dossier = result.report, result.dossier
    support = report.support
    if support.kind != "grant":
        raise LedgerError("ledger.error.not_a_grant", dossier=report.dossier)
    if support.eligible_cny is None or support.eligible_cny <= 0:
        raise LedgerError("ledger.error.no_amount", dossier=report.dossier)
    facts = dossier.manifest.facts
    try:
        return Award(applicant_uscc=dossier.manifest.applicant.uscc, applicant_name=dossier.manifest.applicant.name,
                     measure=report.measure, item=report.item, year=dossier.manifest.year,
                     amount_cny=Decimal(support.eligible_cny), product=facts.product, project=facts.project,
                     contract_no=facts.contract_no, event=facts.event, dossier=report.dossier,
                     dossier_key=dossier_key(dossier), granted=granted)
    except ValidationError as exc:
        raise LedgerError("ledger.error.award", dossier=report.dossier, detail=exc.errors()[0]["msg"]) from None


def record_dossier(ledger: Ledger, folder: Path, display: str, options: Any, *, force: bool = False,
                   granted: dt.date | None = None, attempts: int = 5) -> Recorded:
    """Check a dossier against the ledger and record its award.

    The check counts the applicant's earlier awards in this ledger (yearly caps, duplicate
    claims). If another award of the applicant is recorded while this dossier is checked,
    it is checked again. A verdict other than `pass` is refused unless `force`.
    `options` is a toolkit.check.engine.CheckOptions (its ledger is set to this one).
    """
    from toolkit.check.engine import check_path
    from toolkit.dossier import open_dossier

    options.ledger = ledger
    options.ledger_source = ledger.url
    uscc = open_dossier(folder, display).manifest.applicant.uscc
    for attempt in range(1, attempts + 1):
        revision = ledger.revision(uscc)
        result = check_path(folder, display, options)
        report = result.report
        if report.verdict != "pass" and not force:
            raise LedgerError("ledger.error.not_pass", dossier=display, verdict=report.verdict)
        award = award_from_check(result, granted)
        try:
            status = ledger.record(award, source="check", expect_revision=revision)
        except LedgerConflict:
            if attempt == attempts:
                raise
            continue
        return Recorded(status=status, award=award, report=report, attempts=attempt)
    raise LedgerConflict(url=ledger.url)  # pragma: no cover
