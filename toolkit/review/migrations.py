"""The award ledger's schema, as an ordered list of migrations.

Each migration has a version (1, 2, ...) and is applied once, in order, inside the same
transaction that records it in `schema_version`. A migration is never edited after it has
shipped: a change to the schema is a new migration at the end of the list. Each one spells
out the tables as they were at its version (not the current table definitions), so that an
old ledger upgrades through exactly the steps a new one was built with.

Money is NUMERIC(18,2) on PostgreSQL and text on SQLite (SQLite's NUMERIC affinity would
turn "0.10" into a binary float): see `MoneyType`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

FEN = Decimal("0.01")


class MoneyType(TypeDecorator):
    """Yuan with two decimals, exact: NUMERIC(18,2), or a decimal string on SQLite."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(24))
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: object, dialect: Dialect) -> object:
        if value is None:
            return None
        amount = exact_fen(value)
        return format(amount, "f") if dialect.name == "sqlite" else amount

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(FEN)


def exact_fen(value: object) -> Decimal:
    """The amount as a Decimal of whole fen; ValueError for a float, a fraction of a fen or > 16 digits."""
    if isinstance(value, float):
        raise ValueError("float")  # i18n: not prose (caught and reported by the ledger)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(str(value)) from None
    if not amount.is_finite() or amount != amount.quantize(FEN) or abs(amount) >= Decimal(10) ** 16:
        raise ValueError(str(value))
    return amount.quantize(FEN)


def schema_version_table(metadata: MetaData) -> Table:
    return Table(
        "schema_version", metadata,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("description", Text, nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False),
    )


def _v1_awards(conn: Connection) -> None:
    md = MetaData()
    table = Table(
        "awards", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("award_key", String(64), nullable=False, unique=True),
        Column("applicant_uscc", String(18), nullable=False),
        Column("applicant_name", Text, nullable=False, server_default=""),
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
        UniqueConstraint("dossier_key", "measure", name="uq_awards_dossier_measure"),
        Index("ix_awards_uscc_year", "applicant_uscc", "year"),
    )
    table.create(conn)


def _v2_source(conn: Connection) -> None:
    """Where an award came from: a checked dossier (`check`) or an imported file (`import`)."""
    conn.execute(text("ALTER TABLE awards ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'import'"))
    conn.execute(text("UPDATE awards SET source = 'check' WHERE dossier_key IS NOT NULL"))
    conn.execute(text("CREATE INDEX ix_awards_uscc_measure ON awards (applicant_uscc, measure)"))


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


MIGRATIONS: list[Migration] = [
    Migration(1, "awards table: one row per award, unique per (dossier_key, measure) and per natural key", _v1_awards),
    Migration(2, "awards.source (check or import) and an index on (applicant_uscc, measure)", _v2_source),
]
LATEST = MIGRATIONS[-1].version
