"""The award ledger itself: record, list, export, idempotency, exact money, migrations,
errors, and concurrent writers (processes) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import random
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES
from ledger_helpers import ledger_url

from toolkit.check.awards import load_prior_awards, total
from toolkit.errors import LedgerError
from toolkit.model.award import Award
from toolkit.review.ledger import open_ledger
from toolkit.review.migrations import LATEST, MIGRATIONS

USCC = "91310104MA1FR8TY2Y"
OTHER = "91310115MA1H8R2X46"
PRIOR = EXAMPLES / "m37-intl-exhibition--yearly-cap" / "prior-awards.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    with ledger_url(request.param, tmp_path) as u:
        yield u


def award(n: int = 1, amount: str = "50000.00", uscc: str = USCC, **kw) -> Award:
    data = {"applicant_uscc": uscc, "applicant_name": "上海锐翎生物科技有限公司", "measure": "m37-intl-exhibition",
            "year": 2025, "amount_cny": amount, "event": f"Event {n}", **kw}
    return Award.model_validate(data)


def test_record_list_and_filters(url):
    with open_ledger(url) as ledger:
        assert ledger.record(award(1)) == "recorded"
        assert ledger.record(award(2, "30000.00", year=2024)) == "recorded"
        assert ledger.record(award(3, uscc=OTHER, measure="m36-overseas-license", product="CY-303", event=None)) == "recorded"
        assert [a.event for a in ledger.list()] == ["Event 1", "Event 2", None]
        assert [a.event for a in ledger.list(uscc=USCC)] == ["Event 1", "Event 2"]
        assert [a.event for a in ledger.list(uscc=USCC, year=2025)] == ["Event 1"]
        assert [a.product for a in ledger.list(measure="m36-overseas-license")] == ["CY-303"]
        assert [a.event for a in ledger.awards_for(USCC, 2025)] == ["Event 1"]
        assert ledger.awards_for(USCC, 2023) == []
        assert ledger.list()[0] == award(1)  # what goes in comes back, field for field


def test_claims_like_matches_as_the_checker_does(url):
    with open_ledger(url) as ledger:
        ledger.record(award(1, product="CY-101 (ADC)", event=None))
        ledger.record(award(2, contract_no="YC-HB-2024-017", event=None))
        ledger.record(award(3, uscc=OTHER, product="CY-101", event=None))
        assert [a.product for a in ledger.claims_like(USCC, "CY-101", None, None, None)] == ["CY-101 (ADC)"]
        assert [a.contract_no for a in ledger.claims_like(USCC, None, None, "YC-HB-2024-017", None)] == ["YC-HB-2024-017"]
        assert ledger.claims_like(USCC, "CY-999", None, None, None) == []
        assert ledger.claims_like(USCC, None, None, None, None) == []


def test_record_is_idempotent(url):
    with open_ledger(url) as ledger:
        a = award(1, dossier="examples/x", dossier_key="sha256:" + "ab" * 32)
        assert ledger.record(a) == "recorded"
        assert ledger.record(a) == "already"
        # the same dossier and measure with another amount (re-checked later): still one award
        assert ledger.record(a.model_copy(update={"amount_cny": Decimal("1.00")})) == "already"
        # an imported award without a dossier: its natural fields are the key
        b = award(2)
        assert ledger.record(b) == "recorded"
        assert ledger.record(award(2)) == "already"
        assert ledger.record(award(2, "40000.00")) == "recorded"  # a different award
        assert len(ledger.list()) == 3
        assert ledger.record_many(load_prior_awards(PRIOR)) == {"recorded": 10, "already": 0}
        assert ledger.record_many(load_prior_awards(PRIOR)) == {"recorded": 0, "already": 10}
    with open_ledger(url) as again:  # and across connections
        assert again.record(a) == "already"
        assert len(again.list()) == 13


def test_money_is_exact(url):
    amounts = ["0.10", "0.20", "0.30", "12345678901234.56", "99999999999999.99", "0.01"]
    with open_ledger(url) as ledger:
        for i, amount in enumerate(amounts):
            ledger.record(award(i, amount))
        got = [a.amount_cny for a in ledger.list()]
        assert got == [Decimal(x) for x in amounts]
        assert all(isinstance(x, Decimal) for x in got)
        assert total(ledger.list()) == Decimal("112345678901235.16")
        assert sum(got[:3], Decimal(0)) == Decimal("0.60")  # 0.1 + 0.2 + 0.3 with floats is 0.6000000000000001
        with pytest.raises(LedgerError, match="whole number of fen"):
            ledger.record(award(99, "10.005"))
        with pytest.raises(LedgerError, match="whole number of fen"):
            ledger.record(award(98, "1" + "0" * 17))
        assert len(ledger.list()) == len(amounts)


def test_sqlite_stores_money_as_text_not_float(tmp_path):
    import sqlite3

    path = tmp_path / "l.db"
    with open_ledger(str(path)) as ledger:
        ledger.record(award(1, "0.10"))
    con = sqlite3.connect(path)
    assert con.execute("SELECT amount_cny, typeof(amount_cny) FROM awards").fetchall() == [("0.10", "text")]
    con.close()


def test_export_formats_and_round_trip(url, tmp_path):
    with open_ledger(url) as ledger:
        ledger.record_many(load_prior_awards(PRIOR))
        ledger.record(award(1, "1234.50", uscc=OTHER, dossier="examples/y", dossier_key="sha256:" + "cd" * 32),
                      source="check")
        rows = list(csv.DictReader(io.StringIO(ledger.export("csv"))))
        assert len(rows) == 11
        assert rows[0]["amount_cny"] == "50000.00" and rows[0]["source"] == "import" and rows[0]["granted"] == "2025-01-20"
        assert rows[-1]["amount_cny"] == "1234.50" and rows[-1]["source"] == "check"
        assert rows[-1]["dossier_key"] == "sha256:" + "cd" * 32
        doc = json.loads(ledger.export("json"))
        assert doc["awards"][0]["amount_cny"] == "50000.00"
        assert isinstance(doc["awards"][0]["amount_cny"], str)
        for fmt in ("json", "yaml"):
            out = tmp_path / f"export.{fmt}"
            out.write_text(ledger.export(fmt), encoding="utf-8")
            assert load_prior_awards(out) == ledger.list()  # reads back as --prior-awards / --from-file
        only = json.loads(ledger.export("json", uscc=OTHER))["awards"]
        assert [a["amount_cny"] for a in only] == ["1234.50"]
        with pytest.raises(LedgerError, match="unknown export format"):
            ledger.export("xml")


# --- migrations ---------------------------------------------------------------------------

def _build_version_1(url: str) -> None:
    """A ledger exactly as the first release made it, with one award of each kind."""
    from sqlalchemy import create_engine, text

    from toolkit.review.ledger import ledger_url as to_url

    engine = create_engine(to_url(url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                          "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)"))
        MIGRATIONS[0].apply(conn)
        conn.execute(text("INSERT INTO schema_version VALUES (1, 'v1', CURRENT_TIMESTAMP)"))
        for key, dossier_key in (("a" * 64, "sha256:" + "ef" * 32), ("b" * 64, None)):
            conn.execute(text("INSERT INTO awards (award_key, applicant_uscc, applicant_name, measure, year, amount_cny, "
                              "event, dossier_key, recorded_at) VALUES (:k, :u, 'x', 'm37-intl-exhibition', 2025, "
                              ":amount, 'E', :dk, CURRENT_TIMESTAMP)"),
                         {"k": key, "u": USCC, "amount": "0.10" if engine.dialect.name == "sqlite" else Decimal("0.10"),
                          "dk": dossier_key})
    engine.dispose()


def test_an_old_ledger_is_upgraded_in_order(url):
    _build_version_1(url)
    with open_ledger(url) as ledger:
        assert ledger.version() == LATEST == 2
        entries = ledger.entries()
        assert [e.source for e in entries] == ["check", "import"]  # migration 2 filled the new column
        assert [e.award.amount_cny for e in entries] == [Decimal("0.10")] * 2
        assert ledger.record(award(5)) == "recorded"
    with open_ledger(url) as again:  # opening an up-to-date ledger changes nothing
        assert again.version() == 2 and len(again.list()) == 3


def test_a_newer_ledger_is_refused(url):
    from sqlalchemy import create_engine, text

    from toolkit.review.ledger import ledger_url as to_url

    open_ledger(url).close()
    engine = create_engine(to_url(url))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version VALUES (99, 'from the future', CURRENT_TIMESTAMP)"))
    engine.dispose()
    with pytest.raises(LedgerError) as info:
        open_ledger(url)
    message = str(info.value)
    assert "schema version 99" in message and "upgrade the toolkit" in message and "\n" not in message
    assert "结构版本为 99" in info.value.render("zh")


def test_a_fresh_ledger_records_every_migration(tmp_path):
    import sqlite3

    path = tmp_path / "fresh.db"
    open_ledger(str(path)).close()
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version")] == [1, 2]
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()


# --- opening errors ----------------------------------------------------------------------

@pytest.mark.parametrize("spec, words", [
    ("/no/such/folder/ledger.db", "the folder /no/such/folder does not exist"),
    ("postgresql://u:secret@127.0.0.1:1/db", "cannot connect to the award ledger postgresql+psycopg://u:***@127.0.0.1:1/db"),
    ("nosuchdialect://x/y", "is not a file path or a database URL"),
    ("mysql://u@localhost/db", "driver for mysql://u@localhost/db is not installed"),
])
def test_unusable_ledgers_are_one_clear_line(spec, words):
    with pytest.raises(LedgerError) as info:
        open_ledger(spec)
    assert words in str(info.value)
    assert "\n" not in str(info.value) and "secret" not in str(info.value)


def test_a_folder_or_a_non_database_is_refused(tmp_path):
    with pytest.raises(LedgerError, match="is a folder"):
        open_ledger(str(tmp_path))
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database at all, just some text that is long enough\n" * 20, encoding="utf-8")
    with pytest.raises(LedgerError, match="is not a SQLite database"):
        open_ledger(str(junk))
    assert junk.read_text(encoding="utf-8").startswith("not a database")


def test_file_paths_and_sqlite_urls_are_the_same_ledger(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_ledger("ledger.db") as ledger:  # a bare file name: created in the current folder
        ledger.record(award(1))
    assert (tmp_path / "ledger.db").is_file()
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as same:
        assert len(same.list()) == 1


# --- concurrent writers -------------------------------------------------------------------

WORKERS = 6
POOL = 40


def _pool_awards() -> list[Award]:
    out = [award(i, f"{1000 + i}.{i:02d}") for i in range(POOL // 2)]
    out += [award(i, f"{2000 + i}.01", dossier=f"d{i}", dossier_key=f"sha256:{i:064x}") for i in range(POOL // 2)]
    return out


def _writer(url: str, seed: int, queue) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    mine = rng.sample(_pool_awards(), k=POOL * 3 // 4)  # overlapping subsets, in random order
    ledger = open_ledger(url)
    statuses = [ledger.record(a) for a in mine]
    ledger.close()
    queue.put(statuses.count("recorded"))


@pytest.mark.slow
def test_parallel_processes_never_lose_or_double_count(url):
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, seed, queue)) for seed in range(WORKERS)]
    for p in procs:
        p.start()
    recorded = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    everything = _pool_awards()
    touched = set()
    for seed in range(WORKERS):
        touched |= {a.model_dump_json() for a in random.Random(seed).sample(everything, k=POOL * 3 // 4)}
    with open_ledger(url) as ledger:
        stored = ledger.list()
    assert sum(recorded) == len(stored) == len(touched)  # each award recorded by exactly one writer
    assert {a.model_dump_json() for a in stored} == touched  # none lost, none doubled
    assert total(stored) == sum((a.amount_cny for a in everything if a.model_dump_json() in touched), Decimal(0))


def test_granted_dates_survive(url):
    with open_ledger(url) as ledger:
        ledger.record(award(1, granted=dt.date(2025, 2, 28)))
        assert ledger.list()[0].granted == dt.date(2025, 2, 28)


def test_the_ledger_satisfies_the_checkers_protocol():
    from toolkit.check.awards import Ledger as Protocol
    from toolkit.review.ledger import Ledger

    for name in ("awards_for", "claims_like"):
        assert callable(getattr(Ledger, name)) and hasattr(Protocol, name)


def test_unused_path_is_untouched(tmp_path: Path):
    with pytest.raises(LedgerError):
        open_ledger(str(tmp_path / "missing" / "ledger.db"))
    assert not (tmp_path / "missing").exists()


def test_a_lock_reported_at_once_is_retried_on_reads_too(tmp_path):
    """SQLite answers "database is locked" without waiting while another process closes or
    recovers the WAL; the reading transaction that opens a ledger must retry it, not fail."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    with open_ledger(str(tmp_path / "ledger.db")) as ledger:
        ledger.record(award(1))
        refusals = []

        @event.listens_for(ledger.engine, "before_cursor_execute")
        def _locked_twice(*_args):
            if len(refusals) < 2:
                refusals.append(1)
                raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

        assert ledger.version() == LATEST
        assert len(refusals) == 2
        refusals.clear()
        assert [a.event for a in ledger.list()] == ["Event 1"]
