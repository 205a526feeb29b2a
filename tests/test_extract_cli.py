"""`dossier extract` and `dossier cache` end to end: JSON lines per the contract, exit codes,
bad input as error results (never a traceback), inputs untouched, and the private cache."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLES

from toolkit.cache import ExtractionCache
from toolkit.cli.main import cli
from toolkit.extract import extract_file
from toolkit.model.common import Money
from toolkit.model.extraction import ExtractionResult

RECEIPT = EXAMPLES / "m36-overseas-license" / "documents" / "bank-receipt.pdf"
DAMAGED = EXAMPLES / "m13-trial-insurance--damaged-receipt" / "documents" / "premium-receipt.pdf"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(folder))
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_lines_follow_the_contract(cache_dir):
    result = run("extract", str(RECEIPT), "--format", "json")
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["schema"] == 1 and line["kind"] == "payment_receipt" and line["pages"] == 1
    assert line["page_sources"] == ["text"] and line["error"] is None
    credited = next(f for f in line["fields"] if f["name"] == "credited_amount")
    assert credited["value"] == {"amount": "178250000.00", "currency": "CNY"}
    assert credited["page"] == 1 and len(credited["bbox"]) == 4 and credited["text"] == "入账金额 CNY 178,250,000.00"
    ExtractionResult.model_validate(line)


def test_a_dossier_folder_is_read_in_manifest_order_with_its_kinds(cache_dir):
    folder = EXAMPLES / "m36-overseas-license"
    result = run("extract", str(folder), "--format", "json")
    assert result.exit_code == 0
    files = [json.loads(x)["file"] for x in result.output.splitlines()]
    import yaml

    manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    assert files == [str(folder / d["file"]) for d in manifest["documents"]]


def test_files_read_at_once_give_the_same_lines_in_the_same_order(cache_dir):
    """--jobs only changes how many reader processes work at once, never the output; a
    damaged file among them costs its own result only."""
    paths = [str(EXAMPLES / "m36-overseas-license"), str(DAMAGED), str(RECEIPT)]
    one = run("extract", *paths, "--format", "json", "--no-cache", "--jobs", "1")
    two = run("extract", *paths, "--format", "json", "--no-cache", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1  # the damaged receipt
    assert two.output == one.output
    files = [json.loads(x)["file"] for x in two.output.splitlines()]
    assert files[-2:] == [str(DAMAGED), str(RECEIPT)] and len(files) > 3


def test_a_damaged_file_is_an_error_result_and_exit_1(cache_dir):
    before = sha(DAMAGED)
    result = run("extract", str(RECEIPT), str(DAMAGED), "--format", "json")
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["error_reason"] for x in lines] == [None, "damaged"]
    assert lines[1]["fields"] == [] and lines[1]["error"]
    assert sha(DAMAGED) == before


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty"), (b"hello, not a pdf\n" * 10, "not_pdf")])
def test_not_a_pdf_and_empty_files(tmp_path, cache_dir, content, reason):
    path = tmp_path / "upload.pdf"
    path.write_bytes(content)
    result = run("extract", str(path), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["error_reason"] == reason


def _extract_process(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """`dossier extract` as a process with a time limit: a hang fails the test, not the run."""
    return subprocess.run([sys.executable, "-m", "toolkit", "extract", "--format", "json", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "DOSSIER_CACHE_DIR": str(cache)}, check=False)


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path, cache_dir):
    """GBK bytes in a name (申请.pdf from a zip made on Windows) used to make the JSON output
    an internal error; the name is shown with those bytes escaped, the file is read."""
    folder = tmp_path / os.fsdecode(b"\xc9\xea\xc7\xeb")
    folder.mkdir()
    (folder / "receipt.pdf").write_bytes(RECEIPT.read_bytes())
    result = run("extract", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["file"] == f"{tmp_path}/\\xc9\\xea\\xc7\\xeb/receipt.pdf"
    assert line["kind"] == "payment_receipt"


def test_a_pipe_or_a_device_is_turned_away_unread(tmp_path):
    """Neither is a file: reading one for its hash would never end (a FIFO nobody writes to,
    /dev/zero). Each is an error result naming what it is, and the others are still read."""
    fifo = tmp_path / "upload.pdf"
    os.mkfifo(fifo)
    proc = _extract_process(str(fifo), "/dev/zero", str(RECEIPT), cache=tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["error_reason"] for x in lines] == ["not_pdf", "not_pdf", None]
    assert lines[0]["error"] == "not a PDF file: a folder, a device or a pipe, not a regular file"


def test_a_file_over_the_size_limit_is_not_read_to_be_turned_away(tmp_path):
    """A 64 GB file (sparse: it takes no disk) is too large at once: neither the cache
    lookup nor the reader reads it through."""
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(64 * 1024**3)
    code = ("import sys; from pathlib import Path; from toolkit.extract import extract_file; "
            "r = extract_file(Path(sys.argv[1])); io = open('/proc/self/io').read().split(); "
            "print(r.error_reason, io[io.index('rchar:') + 1])")
    proc = subprocess.run([sys.executable, "-c", code, str(huge)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DOSSIER_CACHE_DIR": str(tmp_path / "cache")}, check=False)
    reason, rchar = proc.stdout.split()
    assert reason == "too_large"
    assert 0 < int(rchar) < 32 * 1024 * 1024, proc.stdout  # the imports read about 7 MB


def test_without_a_cache_a_file_is_read_through_once(tmp_path):
    """The cache's lookup hashes a file before the reader hashes it again (the second hash
    keeps a file changed in between out of the cache). Without a cache there is nothing to
    look up: a large file is read through once, not twice."""
    size = 80 * 1024 * 1024  # under the 100 MB limit; sparse, so it takes no disk
    big = tmp_path / "big.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(size)
    code = ("import sys; from pathlib import Path; from toolkit.extract import extract_file; "
            "from toolkit.cache import ExtractionCache; "
            "cache = ExtractionCache(Path(sys.argv[2])) if sys.argv[2] != '-' else None; "
            "extract_file(Path(sys.argv[1]), cache=cache); io = open('/proc/self/io').read().split(); "
            "print(io[io.index('rchar:') + 1])")

    def bytes_read(cache: str) -> int:
        proc = subprocess.run([sys.executable, "-c", code, str(big), cache], capture_output=True, text=True,
                              timeout=120, check=True)
        return int(proc.stdout)

    assert size < bytes_read("-") < 1.5 * size  # the imports read about 7 MB
    assert bytes_read(str(tmp_path / "cache")) > 2 * size


def test_table_output_in_chinese(cache_dir):
    result = run("--lang", "zh", "extract", str(RECEIPT))
    assert result.exit_code == 0
    assert "银行回单（置信度 0.90），1 页：text" in result.output
    assert "credited_amount  ¥178,250,000.00（17,825万元）  （第1页）" in result.output


def test_misuse_is_exit_2_with_one_line(cache_dir, tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["extract", str(RECEIPT), "--kind", "receipt"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("dossier: unknown document kind 'receipt'")


def test_the_declared_kind_wins_and_a_contradiction_is_reported(cache_dir):
    result = extract_file(RECEIPT, kind="invoice")
    assert result.kind == "invoice" and result.kind_declared == "invoice"
    assert any("the manifest says invoice but the content reads as payment_receipt" in w for w in result.warnings)


def test_the_cache_returns_the_same_result_and_is_private(tmp_path):
    store = ExtractionCache(tmp_path / "c")
    calls = []

    def reader(path, settings):
        from toolkit.read import read_document

        calls.append(path)
        return read_document(path, settings)

    first = extract_file(RECEIPT, display="a.pdf", cache=store, reader=reader)
    second = extract_file(RECEIPT, display="b.pdf", cache=store, reader=reader)
    assert len(calls) == 1
    assert second.file == "b.pdf"
    assert second.model_copy(update={"file": "a.pdf"}) == first
    entries = list(store.root.rglob("*.json"))
    assert len(entries) == 1
    assert stat.S_IMODE(entries[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert "password" not in entries[0].read_text(encoding="utf-8")


def test_a_file_changed_between_lookup_and_read_is_not_cached(tmp_path):
    """Looked up as one content, read as another (a file still being copied in): the result
    is returned, but not kept under the first content's key."""
    from toolkit.read import read_document

    path = tmp_path / "receipt.pdf"
    path.write_bytes(DAMAGED.read_bytes())
    store = ExtractionCache(tmp_path / "c")

    def reader(p, settings):
        p.write_bytes(RECEIPT.read_bytes())  # replaced after the lookup hashed it
        return read_document(p, settings)

    assert extract_file(path, cache=store, reader=reader).kind == "payment_receipt"
    assert list(store.root.rglob("*.json")) == []
    assert extract_file(path, cache=store, reader=lambda p, s: read_document(p, s)).kind == "payment_receipt"
    assert len(list(store.root.rglob("*.json"))) == 1


@pytest.mark.parametrize("shared", ["extract", "."])
def test_a_cache_folder_others_may_write_in_is_refused(tmp_path, monkeypatch, shared):
    """A planted entry would be taken for a document's facts: a cache folder (or the folder
    it sits in) that others may write in is refused, in one line; --no-cache still reads."""
    folder = tmp_path / "shared-cache"
    (folder / "extract").mkdir(parents=True)
    os.chmod(folder / shared, 0o777)
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(folder))
    result = run("extract", str(RECEIPT), "--format", "json")
    assert result.exit_code == 2
    assert result.output == (f"dossier: the extraction cache folder {folder / shared} "
                             "is not yours alone (another owner, or others may write in it): it holds confidential text and "
                             "could be given forged entries. Point DOSSIER_CACHE_DIR at a folder of your own, or give --no-cache\n")
    assert run("extract", str(RECEIPT), "--format", "json", "--no-cache").exit_code == 0
    os.chmod(folder / shared, 0o1777 if shared == "." else 0o700)  # sticky, as /tmp: others cannot move our entries
    assert run("extract", str(RECEIPT), "--format", "json").exit_code == 0


def test_a_cache_folder_that_is_a_file_is_refused(tmp_path, monkeypatch):
    """DOSSIER_CACHE_DIR naming a file silently disabled the cache (every write failed unseen)."""
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(not_a_folder))
    result = run("extract", str(RECEIPT), "--format", "json")
    assert result.exit_code == 2
    assert result.output == (f"dossier: the extraction cache {not_a_folder} is not a folder: point DOSSIER_CACHE_DIR "
                             "at a folder, or use --no-cache\n")
    assert run("extract", str(RECEIPT), "--format", "json", "--no-cache").exit_code == 0


def test_a_password_is_part_of_the_key_only_as_given_or_not(tmp_path):
    from toolkit.extract.pipeline import cache_key
    from toolkit.read.model import ReadSettings

    key = cache_key("abc", ReadSettings(password="s3cret"), None)
    assert "s3cret" not in json.dumps(key) and key["password_given"] is True
    assert cache_key("abc", ReadSettings(), None) != key


@pytest.mark.parametrize("entry", ["{not json", '{"schema": 1}', "[]", "[" * 100_000 + "]" * 100_000])
def test_a_cache_entry_that_is_not_a_result_is_ignored(tmp_path, entry):
    store = ExtractionCache(tmp_path / "c")
    extract_file(RECEIPT, cache=store)
    for path in store.root.rglob("*.json"):
        path.write_text(entry, encoding="utf-8")
    assert extract_file(RECEIPT, cache=store).kind == "payment_receipt"


def test_fields_read_back_from_json_are_typed_by_their_type():
    """A cached or golden field's value comes back as its `type` says: a date as a date, a
    figure as an exact Decimal, a text that looks like a date or a number stays text."""
    import datetime as dt

    line = {"page": 1, "bbox": [1, 2, 3, 4], "text": "t", "confidence": 1}
    fields = [
        {"name": "signing_date", "type": "date", "value": "2025-04-18", **line},
        {"name": "contract_no", "type": "text", "value": "2025-04-18", **line},
        {"name": "share", "type": "percent", "value": "33.30", **line},
        {"name": "uscc", "type": "uscc", "value": "91310000132210044X", **line},
        {"name": "down_payment", "type": "money", "value": {"amount": "150000000.00", "currency": "CNY"}, **line},
    ]
    result = ExtractionResult.model_validate_json(json.dumps({"file": "a.pdf", "fields": fields}))
    assert [f.value for f in result.fields] == [dt.date(2025, 4, 18), "2025-04-18", Decimal("33.30"),
                                                "91310000132210044X", Money(amount=Decimal("150000000.00"), currency="CNY")]
    assert json.loads(result.model_dump_json(by_alias=True))["fields"] == \
        [{**f, "bbox": [1.0, 2.0, 3.0, 4.0], "confidence": 1.0} for f in fields]
    bad = {**fields[0], "value": "18 April"}
    with pytest.raises(ValueError, match="fields.0.date.value"):
        ExtractionResult.model_validate_json(json.dumps({"file": "a.pdf", "fields": [bad]}))


def test_a_batch_answers_its_hits_from_the_cache_and_reads_only_its_misses(tmp_path):
    """Half a dossier cached: the other half is read (two at once), and the results come in
    manifest order, equal to reading everything afresh."""
    from toolkit.dossier import open_dossier
    from toolkit.extract import extract_dossier
    from toolkit.read import read_document

    dossier = open_dossier(EXAMPLES / "m36-overseas-license")
    calls: list[Path] = []

    def reader(path, settings):
        calls.append(path)
        return read_document(path, settings)

    fresh = extract_dossier(dossier, reader=reader)
    assert len(calls) == len(dossier.documents) > 2
    store = ExtractionCache(tmp_path / "c")
    for document in dossier.documents[::2]:
        extract_file(document.path, display=document.file, cache=store, reader=reader,
                     kind=str(document.ref.kind) if document.ref.kind else None)
    calls.clear()
    mixed = extract_dossier(dossier, cache=store, reader=reader, jobs=2)
    assert sorted(calls) == sorted(d.path for d in dossier.documents[1::2])
    assert [r.model_dump_json() for r in mixed] == [r.model_dump_json() for r in fresh]
    calls.clear()
    assert [r.model_dump_json() for r in extract_dossier(dossier, cache=store, reader=reader, jobs=2)] == \
        [r.model_dump_json() for r in fresh]
    assert calls == []


def test_cache_info_and_clear(cache_dir):
    run("extract", str(RECEIPT))
    info = run("cache", "info")
    assert info.exit_code == 0 and "(1 entries" in info.output
    cleared = run("cache", "clear")
    assert cleared.exit_code == 0 and cleared.output.startswith("removed 1 entries")
    assert not list(cache_dir.rglob("*.json"))
    assert os.path.isdir(cache_dir)


def test_the_cache_is_capped_and_prunes_what_was_used_least_recently(tmp_path):
    """Over its cap, the first write of a run removes the entries used longest ago (a read
    counts as a use), down to nine tenths of the cap."""
    result = extract_file(RECEIPT)
    store = ExtractionCache(tmp_path / "c", max_bytes=10**9)
    keys = [{"sha256": f"{n:064x}"} for n in range(4)]
    for n, key in enumerate(keys):
        store.put(key, result)
        os.utime(store._path(key), (1_000_000 + n, 1_000_000 + n))  # written in this order
    size = store._path(keys[0]).stat().st_size
    assert store.get(keys[0]) is not None  # the oldest is read again: now the newest
    small = ExtractionCache(tmp_path / "c", max_bytes=int(size * 4.2))  # five entries now: pruned to 3.78
    small.put({"sha256": f"{8:064x}"}, result)  # this run has pruned already (when `store` first wrote)
    assert all(small._path(k).exists() for k in keys)
    small._path({"sha256": f"{8:064x}"}).unlink()
    import multiprocessing

    later_run = multiprocessing.get_context("fork").Process(target=small.put, args=({"sha256": f"{9:064x}"}, result))
    later_run.start()
    later_run.join(60)
    assert later_run.exitcode == 0
    kept = {k["sha256"] for k in keys if small._path(k).exists()}
    assert kept == {keys[0]["sha256"], keys[3]["sha256"]}  # 1 and 2 were used least recently
    assert small.get({"sha256": f"{9:064x}"}) is not None
    assert small.info()["entries"] == 3 and small.info()["cap_mb"] == 0


def test_the_cache_cap_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_MAX_MB", "64")
    assert ExtractionCache(tmp_path).max_bytes == 64 * 1024 * 1024
    monkeypatch.setenv("DOSSIER_CACHE_MAX_MB", "lots")
    assert ExtractionCache(tmp_path).max_bytes == 512 * 1024 * 1024


@pytest.mark.parametrize(("option", "reason"), [(("--max-pages", "1"), "too_many_pages"), (("--max-mb", "1"), None)])
def test_limits_are_options(cache_dir, option, reason):
    agreement = EXAMPLES / "m36-overseas-license" / "documents" / "license-agreement.pdf"
    result = run("extract", str(agreement), "--format", "json", "--no-cache", *option)
    assert json.loads(result.output)["error_reason"] == reason
    assert result.exit_code == (1 if reason else 0)


def _encrypted_receipt(path: Path, password: str) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=StandardEncryption(password, ownerPassword="owner", strength=128),
                      invariant=1)
    c.setFont("STSong-Light", 11)
    for i, text in enumerate(["电子回单", "汇款人 Northbridge Therapeutics Inc.", "收款人 上海澄源生物医药有限公司",
                              "汇款金额 USD 25,000,000.00", "入账金额 CNY 178,250,000.00", "起息日 2025-04-18"]):
        c.drawString(72, 760 - 18 * i, text)
    c.save()


def test_a_manifest_password_opens_an_encrypted_document_and_is_never_cached(tmp_path, cache_dir):
    import shutil

    import yaml

    from toolkit.dossier import open_dossier
    from toolkit.extract import extract_dossier

    folder = tmp_path / "dossier"
    shutil.copytree(EXAMPLES / "m36-overseas-license", folder)
    _encrypted_receipt(folder / "documents" / "bank-receipt.pdf", "s3cret")
    manifest = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    receipt = next(d for d in manifest["documents"] if d["file"] == "documents/bank-receipt.pdf")

    locked = extract_dossier(open_dossier(folder, "d"), cache=ExtractionCache(cache_dir))
    assert next(r for r in locked if r.file == receipt["file"]).error_reason == "encrypted"

    receipt["password"] = "s3cret"
    (folder / "dossier.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    opened = extract_dossier(open_dossier(folder, "d"), cache=ExtractionCache(cache_dir))
    credited = next(r for r in opened if r.file == receipt["file"]).first("credited_amount")
    assert credited is not None and credited.value == Money(amount=Decimal("178250000.00"), currency="CNY")
    assert not any("s3cret" in p.read_text(encoding="utf-8") for p in cache_dir.rglob("*.json"))


def test_a_file_read_with_a_password_is_never_answered_from_the_cache(tmp_path, cache_dir):
    """The key may not hold the password, only whether one was given: cached, a right
    password got the refusal a wrong one had got first, and a wrong one the content."""
    from toolkit.read.model import ReadSettings

    locked = tmp_path / "receipt.pdf"
    _encrypted_receipt(locked, "s3cret")
    store = ExtractionCache(cache_dir)
    wrong, right = ReadSettings(password="wrong"), ReadSettings(password="s3cret")
    assert extract_file(locked, settings=wrong, cache=store).error_reason == "encrypted"
    assert extract_file(locked, settings=right, cache=store).error_reason is None
    assert extract_file(locked, settings=wrong, cache=store).error_reason == "encrypted"
    assert not list(cache_dir.rglob("*.json"))


def test_a_check_tells_where_the_password_of_an_encrypted_document_goes(tmp_path, cache_dir):
    import shutil

    folder = tmp_path / "dossier"
    shutil.copytree(EXAMPLES / "m36-overseas-license", folder)
    _encrypted_receipt(folder / "documents" / "bank-receipt.pdf", "s3cret")
    result = CliRunner().invoke(cli, ["check", str(folder), "--format", "json", "--no-cache"])
    report = json.loads(result.output)
    assert result.exit_code == 3 and report["verdict"] == "needs_review"
    docs = next(f for f in report["findings"] if f["code"] == "COMMON-DOCUMENTS")
    assert "give its password in dossier.yaml, under this document (- file: documents/bank-receipt.pdf" in docs["message"]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


@pytest.mark.slow
def test_ctrl_c_while_files_are_read_at_once_stops_the_reads(tmp_path, cache_dir):
    """Two long files read at once, then SIGINT: exit 130 with one line, without waiting for
    the reads to finish, and no reader process left behind."""
    import signal
    import subprocess
    import sys
    import time

    from golden import alive
    from reportlab.pdfgen import canvas

    first = tmp_path / "long-1.pdf"
    c = canvas.Canvas(str(first))
    for page in range(1500):  # read in 20 s or more here: far longer than a Ctrl-C may take
        for row in range(40):
            c.drawString(72, 800 - row * 18, f"Page {page} line {row}: Upfront Payment USD 25,000,000.00")
        c.showPage()
    c.save()
    (tmp_path / "long-2.pdf").write_bytes(first.read_bytes())
    files = [str(first), str(tmp_path / "long-2.pdf")]
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "extract", "--no-cache", "--jobs", "2", *files],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "LC_ALL": ""},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    readers = _children(proc.pid)
    assert len(readers) >= 2, "two reader processes started"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    stdout, stderr = proc.communicate(timeout=120)
    assert time.monotonic() - sent < 10, "the reads were stopped, not waited for"
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["dossier: interrupted"]
    assert stdout == ""
    time.sleep(0.5)
    assert [pid for pid in readers if alive(pid)] == []


def test_a_value_that_reads_two_ways_is_withheld_with_its_page(tmp_path):
    """入账金额 in words and in figures that disagree: no value, a warning, and a `withheld`
    entry the check turns into a review (COMMON-READ-CONSISTENT)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "receipt.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    c.setFont("STSong-Light", 11)
    for i, text in enumerate(["电子回单", "汇款人：Northbridge Therapeutics Inc.", "收款人：上海澄源生物医药有限公司",
                              "入账金额：人民币玖仟伍佰捌拾伍万元整（¥178,250,000.00）", "起息日：2025-04-18"]):
        c.drawString(72, 760 - 18 * i, text)
    c.save()
    result = extract_file(path)
    assert result.first("credited_amount") is None
    assert [(w.field, w.page, w.reason) for w in result.withheld] == [
        ("credited_amount", 1, "extract.warn.words_figures_disagree")]
    assert result.withheld[0].message in result.warnings


def test_a_damaged_pdf_reads_the_same_whatever_was_read_before_it(corpus, tmp_path):
    """pdfium's last error is process-global and some failures leave it unset: in a reused
    worker a file reported the error of the file before it ("Data format error"), in a fresh
    one "Success". The result must not depend on what a worker read earlier (or on --jobs)."""
    damaged, other = corpus / "pdfjs__issue19484_2.pdf", corpus / "pdfjs__bug1020226.pdf"
    after = _extract_process("--no-cache", "-j", "1", str(other), str(damaged), cache=tmp_path / "cache")
    alone = _extract_process("--no-cache", "-j", "1", str(damaged), cache=tmp_path / "cache")
    after_line, alone_line = json.loads(after.stdout.splitlines()[1]), json.loads(alone.stdout)
    assert after_line["error_reason"] == alone_line["error_reason"] == "damaged"
    assert after_line["error"] == alone_line["error"] == "the PDF is damaged and cannot be read: pdfium could not read its structure"


def test_a_document_listed_but_missing_is_an_error_line_in_manifest_order(tmp_path, cache_dir):
    """`extract DIR` of a dossier used to skip a listed file that is not in the folder, exit 0."""
    import shutil

    folder = tmp_path / "d"
    shutil.copytree(EXAMPLES / "m37-intl-exhibition", folder)
    listed = [d["file"] for d in yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))["documents"]]
    (folder / listed[1]).unlink()
    result = run("extract", str(folder), "--format", "json")
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["file"] for x in lines] == [f"{folder}/{f}" for f in listed]
    assert (lines[1]["error_reason"], lines[1]["error"]) == ("not_found", "file not found")
