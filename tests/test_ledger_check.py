"""`dossier check` with the award ledger, on SQLite and PostgreSQL: the remaining yearly cap,
duplicate claims, a dossier's own award, and filings recorded at the same time.

Extraction is the golden one (tests/ledger_helpers.py): these tests are about the ledger,
not the PDF reader.
"""

from __future__ import annotations

import multiprocessing
from decimal import Decimal

import pytest
from conftest import EXAMPLES
from ledger_helpers import copy_filing, ledger_url, options_for

from toolkit.check.awards import load_prior_awards, total
from toolkit.check.engine import check_path
from toolkit.errors import LedgerError
from toolkit.review.ledger import open_ledger, record_dossier

YEARLY = EXAMPLES / "m37-intl-exhibition--yearly-cap"
EVENT = "2025 BIO International Convention"  # the yearly-cap filing's event
CMO = EXAMPLES / "m24-cmo-production"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    with ledger_url(request.param, tmp_path) as u:
        yield u


def finding(report, code):
    return next(f for f in report.findings if f.code == code)


def yearly_cap(report):
    return next(c for c in report.support.caps if c.scope == "per_unit_year")


def test_recorded_awards_leave_the_remaining_yearly_cap(url):
    with open_ledger(url) as ledger:
        assert ledger.record_many(load_prior_awards(YEARLY / "prior-awards.yaml")) == {"recorded": 10, "already": 0}
        report = check_path(YEARLY, "yearly-cap", options_for(YEARLY, ledger)).report
    assert report.verdict == "pass"
    assert report.support.eligible_cny == Decimal("20000.00")  # 500,000 a year, 480,000 already awarded
    cap = yearly_cap(report)
    assert (cap.cap_cny, cap.remaining_cny, cap.binding) == (Decimal("500000.00"), Decimal("20000.00"), True)
    assert "480,000.00" in report.support.explanation
    assert finding(report, "COMMON-NO-DUPLICATE").status == "pass"


def test_a_new_filing_after_a_recorded_one_gets_what_is_left(url, tmp_path):
    with open_ledger(url) as ledger:
        ledger.record_many(load_prior_awards(YEARLY / "prior-awards.yaml")[:9])  # 450,000
        earlier = copy_filing(YEARLY, tmp_path / "earlier", replace={EVENT: "Another International Congress 2025"})
        first = record_dossier(ledger, earlier, "earlier", options_for(earlier))
        assert (first.status, first.award.amount_cny) == ("recorded", Decimal("43000.00"))  # 50% of 86,000
        assert first.award.event == "Another International Congress 2025"
        assert first.award.dossier_key and first.award.measure == "m37-intl-exhibition"
        # a new filing of the same applicant, same year, another event: 500,000 - 493,000 is left
        report = check_path(YEARLY, "yearly-cap", options_for(YEARLY, ledger)).report
        assert report.verdict == "pass"
        assert yearly_cap(report).remaining_cny == Decimal("7000.00")
        assert report.support.eligible_cny == Decimal("7000.00")
        assert finding(report, "COMMON-NO-DUPLICATE").status == "pass"
        second = record_dossier(ledger, YEARLY, "yearly-cap", options_for(YEARLY))
        assert (second.status, second.award.amount_cny) == ("recorded", Decimal("7000.00"))
        assert total(ledger.awards_for("91310104MA1FR8TY2Y", 2025)) == Decimal("500000.00")


def test_rechecking_a_dossier_does_not_count_its_own_award(url):
    with open_ledger(url) as ledger:
        ledger.record_many(load_prior_awards(YEARLY / "prior-awards.yaml"))
        done = record_dossier(ledger, YEARLY, "yearly-cap", options_for(YEARLY))
        assert (done.status, done.award.amount_cny) == ("recorded", Decimal("20000.00"))
        report = check_path(YEARLY, "yearly-cap", options_for(YEARLY, ledger)).report
        assert report.verdict == "pass"
        assert report.support.eligible_cny == Decimal("20000.00")  # its own 20,000 is not held against it
        assert finding(report, "COMMON-NO-DUPLICATE").status == "pass"
        again = record_dossier(ledger, YEARLY, "yearly-cap", options_for(YEARLY))
        assert (again.status, again.award.amount_cny) == ("already", Decimal("20000.00"))
        assert total(ledger.list()) == Decimal("500000.00")


def test_the_same_contract_claimed_twice_is_flagged(url, tmp_path):
    with open_ledger(url) as ledger:
        done = record_dossier(ledger, CMO, "cmo", options_for(CMO))
        assert done.status == "recorded" and done.award.contract_no == "YC-HB-2024-017"
        refiled = copy_filing(CMO, tmp_path / "refiled")  # a new filing for the same contract
        report = check_path(refiled, "refiled", options_for(refiled, ledger)).report
        dup = finding(report, "COMMON-NO-DUPLICATE")
        assert dup.status == "fail" and report.verdict == "fail"
        assert "m24-cmo-production" in dup.message and "cmo" in dup.message
        assert [e["contract_no"] for e in dup.trace["earlier"]] == ["YC-HB-2024-017"]
        with pytest.raises(LedgerError, match="not pass"):
            record_dossier(ledger, refiled, "refiled", options_for(refiled))
        assert len(ledger.list()) == 1
        # the original dossier, checked again, is not a duplicate of itself
        assert finding(check_path(CMO, "cmo", options_for(CMO, ledger)).report, "COMMON-NO-DUPLICATE").status == "pass"


def test_only_a_passing_dossier_is_recorded_unless_forced(url):
    with open_ledger(url) as ledger:
        review = EXAMPLES / "m36-overseas-license--usd-only"
        with pytest.raises(LedgerError) as info:
            record_dossier(ledger, review, "usd-only", options_for(review))
        assert "the verdict is needs_review" in str(info.value) and "--force" in str(info.value)
        assert ledger.list() == []
        forced = record_dossier(ledger, review, "usd-only", options_for(review), force=True)
        assert (forced.status, forced.award.amount_cny, forced.report.verdict) == ("recorded", Decimal("1800000.00"),
                                                                                 "needs_review")
        failing = EXAMPLES / "m37-intl-exhibition--registered-jiangsu"  # a failed filing is awarded nothing
        with pytest.raises(LedgerError, match="nothing to record"):
            record_dossier(ledger, failing, "jiangsu", options_for(failing), force=True)
        assert len(ledger.list()) == 1


def test_a_guarantee_limit_is_not_an_award(url):
    guarantee = EXAMPLES / "m29-financing-guarantee"
    with open_ledger(url) as ledger, pytest.raises(LedgerError, match="not an award"):
        record_dossier(ledger, guarantee, "m29", options_for(guarantee), force=True)


# --- filings of one applicant recorded at the same time --------------------------------------

FILINGS = 4


def _record_filing(url: str, folder: str, queue) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    ledger = open_ledger(url)
    try:
        done = record_dossier(ledger, Path(folder), folder, options_for(Path(folder)))
        queue.put(("recorded", str(done.award.amount_cny), done.attempts))
    except LedgerError as exc:
        queue.put(("refused", exc.key, 0))
    finally:
        ledger.close()


@pytest.mark.slow
def test_filings_recorded_at_once_never_share_the_remaining_cap(url, tmp_path):
    """Ten awards leave 20,000 of the yearly cap; four new filings are checked and recorded
    in parallel processes. Without the ledger's revision check each would see 20,000 left."""
    with open_ledger(url) as ledger:
        ledger.record_many(load_prior_awards(YEARLY / "prior-awards.yaml"))
    folders = [copy_filing(YEARLY, tmp_path / f"f{i}", replace={EVENT: f"International Parallel Congress {i}"}, note=str(i))
               for i in range(FILINGS)]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_record_filing, args=(url, str(f), queue)) for f in folders]
    for p in procs:
        p.start()
    outcomes = [queue.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    recorded = [o for o in outcomes if o[0] == "recorded"]
    assert [o[1] for o in recorded] == ["20000.00"], outcomes
    assert sorted(o[1] for o in outcomes if o[0] == "refused") == ["ledger.error.no_amount"] * (FILINGS - 1)
    with open_ledger(url) as ledger:
        assert total(ledger.awards_for("91310104MA1FR8TY2Y", 2025)) == Decimal("500000.00")
