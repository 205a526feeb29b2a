"""Check many dossiers at once: find them, run them on an executor, resume, survive Ctrl-C.

Why it is built this way:

- One implementation for `dossier check DIR...` and `dossier review ROOT`: both hand a list
  of `Task`s to `run_batch`, which runs them on an executor and returns `Outcome`s sorted by
  path, so the order of a summary never depends on which worker finished first.
- Error isolation lives in `run_task` (a module-level function, so that it pickles by name
  for a process pool and for Dask): any exception while checking one dossier becomes an
  `ErrorLine` for that dossier. A worker process that dies (a crash in a PDF library) breaks
  a `ProcessPoolExecutor`; the dossiers it took down are run again one by one in fresh
  pools, and the one that kills its worker again gets the error row.
- Ctrl-C: workers ignore SIGINT, so only the parent sees it; `run_batch` stops waiting,
  cancels what has not started, terminates the workers (each takes its own child processes
  with it) and returns every finished result with `interrupted=True`; the caller writes its
  summaries and exits 130.
- `--resume`: a state file in the output folder records, per dossier, a fingerprint of
  everything its result depends on (the manifest and every file's sha256, the checklists'
  digest, the toolkit version, the options and the date the rules are evaluated on) and the
  result itself. An unchanged dossier is not checked again. Error rows are never reused:
  an error may be transient (a timeout, a full disk).
- Executors: `LocalExecutor` (a process pool; the default) and `DaskExecutor`
  (dask.distributed, an optional extra, for a round that outgrows one machine). Both yield
  `Outcome`s as they complete; progress and error isolation are therefore identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from toolkit import __version__
from toolkit.check.engine import check_path
from toolkit.check.formats import exit_code, worst
from toolkit.check.runner import OptionArgs, options_from
from toolkit.dossier import MANIFEST_NAME
from toolkit.errors import DossierError, ExitCode, UsageError
from toolkit.i18n import t
from toolkit.model.report import ErrorLine, Report
from toolkit.paths import shown_path

STATE_NAME = ".dossier-review.json"
STATE_SCHEMA = 1
INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


@dataclass(frozen=True)
class Task:
    """One dossier to check: where it is (absolute, for any worker) and how it is shown."""

    folder: str
    display: str


@dataclass
class Outcome:
    """One dossier's result, plus what a reviewer needs beside the report."""

    display: str
    result: Report | ErrorLine
    doc_errors: list[str] = field(default_factory=list)  # "documents/x.pdf: damaged"
    worker: str = ""  # "local:PID" or the Dask worker's address: where it ran
    seconds: float = 0.0
    reused: bool = False  # taken from the state file by --resume

    @property
    def is_error(self) -> bool:
        return isinstance(self.result, ErrorLine)

    @property
    def verdict(self) -> str:
        return self.result.verdict


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    interrupted: bool = False
    total: int = 0  # dossiers found (outcomes may be fewer after Ctrl-C)

    @property
    def skipped(self) -> int:
        return sum(1 for o in self.outcomes if o.reused)

    def exit_code(self) -> int:
        if self.interrupted:
            return INTERRUPTED
        return int(batch_exit(self.outcomes))


def batch_exit(outcomes: list[Outcome]) -> ExitCode:
    """The worst verdict: 2 (an error row) > 1 (fail) > 3 (needs review) > 0 (pass)."""
    return worst([ExitCode.MISUSE if o.is_error else exit_code(o.verdict) for o in outcomes])


# ---- finding the dossiers ---------------------------------------------------------------

def discover(root: Path, display_root: str | None = None) -> list[Task]:
    """Every folder at or below `root` holding a dossier.yaml, sorted by path.

    A dossier is a leaf: its own subfolders are documents, not dossiers. Hidden folders
    (.git, the state file's folder) and symlinked folders are not entered: a round is a tree
    of real folders, and a link must not pull in a folder from elsewhere on the disk.
    """
    if not root.is_dir():
        raise UsageError("review.error.no_root", root=str(root))
    shown = shown_path(display_root if display_root is not None else root)
    found: list[tuple[str, Task]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if MANIFEST_NAME in filenames:
            rel = here.relative_to(root).as_posix()
            display = shown if rel == "." else _join(shown, shown_path(rel))
            found.append((rel, Task(folder=str(here.resolve()), display=display)))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
    return [task for _, task in sorted(found, key=lambda pair: pair[0])]


def _join(root: str, rel: str) -> str:
    return rel if root in ("", ".") else root.rstrip("/\\") + "/" + rel


def tasks_for(folders: list[str]) -> list[Task]:
    """Tasks for folders named on the command line (shown as given, kept in that order)."""
    return [Task(folder=str(Path(f).resolve()), display=shown_path(f)) for f in folders]


# ---- one dossier ------------------------------------------------------------------------

def run_task(task: Task, opts: OptionArgs) -> Outcome:
    """Check one dossier; never raises (an exception is that dossier's error row)."""
    start = time.perf_counter()
    doc_errors: list[str] = []
    result: Report | ErrorLine
    try:
        checked = check_path(Path(task.folder), task.display, options_from(opts))
        result = checked.report
        doc_errors = [f"{x.file}: {x.error_reason or x.error}" for x in checked.extractions if x.error]
    except DossierError as exc:
        result = ErrorLine(dossier=task.display, error=exc.render(opts.lang))
    except Exception as exc:  # a bug or a crash in a library: this dossier's row, not the batch's end
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
        result = ErrorLine(dossier=task.display, error=t("error.internal", opts.lang, detail=detail))
    return Outcome(display=task.display, result=result, doc_errors=doc_errors, worker=_where(),
                   seconds=round(time.perf_counter() - start, 3))


def _where() -> str:
    """The Dask worker's address when running on one, else this process."""
    distributed = sys.modules.get("distributed")
    if distributed is not None:
        try:
            return str(distributed.get_worker().address)
        except ValueError:  # imported, but not inside a worker
            pass
    return f"local:{os.getpid()}"


def _error_outcome(task: Task, lang: str, detail: str) -> Outcome:
    return Outcome(display=task.display, worker="",
                   result=ErrorLine(dossier=task.display, error=t("error.internal", lang, detail=detail)))


# ---- executors --------------------------------------------------------------------------

class Executor(Protocol):
    """Runs tasks and yields each Outcome as it completes (any order)."""

    def run(self, tasks: list[Task], opts: OptionArgs) -> Iterator[Outcome]: ...


def _worker_init() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle (it keeps the finished results);
    SIGTERM (the parent stopping the batch) also ends this worker's own children."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)


def _end_worker(signum: int, frame: object) -> None:
    """Kill the processes this worker started, then exit at once.

    Why: a signal's default action skips multiprocessing's exit handlers, so the PDF
    reader's warm worker processes (toolkit/read/worker.py; each leads its own process
    group, Tesseract included) would outlive the batch as orphans holding its stdout open.
    """
    import multiprocessing

    for child in multiprocessing.active_children():
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            child.kill()
    os._exit(128 + signum)


def _stop_pool(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """A finished batch lets its workers exit normally (their children with them); an
    interrupted one cancels what has not started and ends the workers now."""
    if finished:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)


def warm_up() -> None:
    """Load the policy catalogues once, before the pool forks: every worker inherits them
    instead of parsing the same YAML again (that cost more than checking a dossier)."""
    from toolkit.catalogue import checklists, measure_catalogue
    from toolkit.i18n import catalogue
    from toolkit.kinds import kind_catalogue

    measure_catalogue()
    checklists()
    kind_catalogue()
    catalogue()


@dataclass
class LocalExecutor:
    """Worker processes on this machine (`--jobs N`, default the CPUs this process may use)."""

    jobs: int | None = None

    def workers(self, count: int) -> int:
        from toolkit.read.worker import usable_cpus

        return max(1, min(self.jobs or usable_cpus(), count))

    def run(self, tasks: list[Task], opts: OptionArgs) -> Iterator[Outcome]:
        if not tasks:
            return
        if self.workers(len(tasks)) == 1:
            for task in tasks:  # in this process: no pool to start for one job
                yield run_task(task, opts)
            return
        warm_up()
        broken: list[Task] = []
        yield from self._pool(tasks, opts, self.workers(len(tasks)), broken)
        if broken:  # a dead worker fails every unfinished future: run those again together...
            again: list[Task] = []
            yield from self._pool(broken, opts, self.workers(len(broken)), again)
            for task in again:  # ...and what broke twice each alone: the one that dies alone is the culprit
                alone: list[Task] = []
                yield from self._pool([task], opts, 1, alone)
                if alone:
                    yield _error_outcome(task, opts.lang, "the worker process died")  # i18n: not prose (detail of error.internal)

    @staticmethod
    def _pool(tasks: list[Task], opts: OptionArgs, workers: int, broken: list[Task]) -> Iterator[Outcome]:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
        finished = False
        try:
            pending: dict[Future[Outcome], Task] = {}
            for i, task in enumerate(tasks):
                try:
                    pending[pool.submit(run_task, task, opts)] = task
                except BrokenProcessPool:  # a worker died while the rest was being handed out
                    broken.extend(tasks[i:])
                    break
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f].display):
                    task = pending.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        broken.append(task)
                        continue
                    yield outcome
            finished = not broken
        finally:
            _stop_pool(pool, finished=finished)


@dataclass
class DaskExecutor:
    """An existing dask.distributed cluster (`--executor dask --scheduler tcp://HOST:PORT`).

    The workers must see the dossiers at the same absolute paths (shared storage) and have
    the toolkit installed; results come back to this process, which writes every output.
    """

    scheduler: str | None = None
    client: Any = None  # a distributed.Client to use instead of connecting (tests)
    timeout: str = "10s"  # to connect; a scheduler that is up answers at once

    def run(self, tasks: list[Task], opts: OptionArgs) -> Iterator[Outcome]:
        if not tasks:
            return
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise UsageError("review.error.no_dask") from None
        client = self.client
        own = client is None
        if own:
            if not self.scheduler:
                raise UsageError("review.error.no_scheduler")
            try:
                client = Client(self.scheduler, timeout=self.timeout)
            except (OSError, TimeoutError) as exc:
                raise UsageError("review.error.scheduler", address=self.scheduler,
                                 detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        futures = []
        try:
            token = hashlib.sha256(os.urandom(8)).hexdigest()[:12]
            futures = [client.submit(run_task, task, opts, key=f"dossier-{token}-{i}", pure=False)
                       for i, task in enumerate(tasks)]
            task_of = {future.key: task for future, task in zip(futures, tasks, strict=True)}
            for future in as_completed(futures):
                task = task_of[future.key]
                try:
                    yield future.result()
                except Exception as exc:  # KilledWorker, a lost connection: this dossier's row
                    yield _error_outcome(task, opts.lang, f"{type(exc).__name__}: {exc}".splitlines()[0])
        finally:
            if futures:
                client.cancel(futures)
            if own:
                client.close()


# ---- resume -----------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def options_digest(opts: OptionArgs, today: dt.date) -> str:
    """What in the options can change a result: files by content, the ledger by address."""
    from toolkit.catalogue import checklist_digest

    parts = {
        "toolkit": __version__,
        "checklists": checklist_digest(),
        "lang": opts.lang,
        "prior_awards": _sha256(Path(opts.prior_awards)) if opts.prior_awards else None,
        "waivers": _sha256(Path(opts.waivers)) if opts.waivers else None,
        "ledger": opts.ledger,
        "extractor": _qualname(opts.extractor),
        "today": today.isoformat(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _qualname(fn: Callable[..., Any] | None) -> str | None:
    return None if fn is None else f"{fn.__module__}.{getattr(fn, '__qualname__', repr(fn))}"


def fingerprint(task: Task, options: str, ledger: Any = None) -> str:
    """The dossier's inputs: every file below its folder by path and sha256, the options,
    and with a ledger its applicant's ledger revision (an award recorded since changes the
    remaining yearly cap, so the dossier is checked again)."""
    root = Path(task.folder)
    h = hashlib.sha256(options.encode())
    if ledger is not None and hasattr(ledger, "revision"):
        h.update(b"ledger:" + str(ledger.revision(_uscc_of(root) or "")).encode() + b"\n")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + _sha256(path).encode() + b"\n")
    return "sha256:" + h.hexdigest()


def _uscc_of(root: Path) -> str | None:
    """The applicant's code as the manifest gives it (None when it cannot be read: then the
    dossier is an error row anyway)."""
    from toolkit.yamlio import load_yaml

    try:
        data = load_yaml(root / MANIFEST_NAME).data
        return str(data["applicant"]["uscc"])
    except Exception:  # any unreadable manifest: no revision to add
        return None


def _dump(outcome: Outcome) -> dict[str, Any]:
    return {"result": outcome.result.model_dump(mode="json", by_alias=True), "doc_errors": outcome.doc_errors}


def _load(display: str, data: dict[str, Any]) -> Outcome | None:
    try:
        result = data["result"]
        if result.get("verdict") == "error":
            return None
        return Outcome(display=display, result=Report.model_validate(result), doc_errors=list(data["doc_errors"]),
                       worker="", reused=True)
    except (KeyError, TypeError, ValueError):  # an older or damaged state: check again
        return None


@dataclass
class ReviewState:
    """The resume state file: per dossier, its inputs' fingerprint and its last result."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    saved_at: float = 0.0

    @classmethod
    def open(cls, folder: Path) -> ReviewState:
        path = folder / STATE_NAME
        state = cls(path=path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") == STATE_SCHEMA and isinstance(data.get("dossiers"), dict):
                state.entries = data["dossiers"]
        except (OSError, ValueError):  # none yet, or unreadable: a full run rebuilds it
            pass
        return state

    def reusable(self, task: Task, print_: str) -> Outcome | None:
        entry = self.entries.get(task.display)
        if not entry or entry.get("fingerprint") != print_:
            return None
        return _load(task.display, entry)

    def record(self, outcome: Outcome, print_: str) -> None:
        if outcome.is_error:
            self.entries.pop(outcome.display, None)
            return
        self.entries[outcome.display] = {"fingerprint": print_, **_dump(outcome)}

    def keep_only(self, displays: set[str]) -> None:
        self.entries = {k: v for k, v in self.entries.items() if k in displays}

    def save(self, *, throttle: float = 0.0) -> None:
        """Write atomically; with `throttle`, at most that often (a long batch saves as it goes)."""
        now = time.monotonic()
        if throttle and now - self.saved_at < throttle:
            return
        self.saved_at = now
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"schema": STATE_SCHEMA, "toolkit_version": __version__, "dossiers": self.entries}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)


# ---- the batch --------------------------------------------------------------------------

ProgressCallback = Callable[[Outcome], None]


def run_batch(tasks: list[Task], opts: OptionArgs, executor: Executor | None = None, *,
              state: ReviewState | None = None, resume: bool = False,
              on_start: Callable[[int], None] | None = None,
              on_result: ProgressCallback | None = None) -> BatchResult:
    """Run every task; results sorted by path. Ctrl-C returns the finished ones.

    `state` (the output folder's state file) is updated as results arrive; with `resume`,
    dossiers whose fingerprint matches their recorded one are taken from it unchecked.
    """
    executor = executor or LocalExecutor()
    outcomes: dict[str, Outcome] = {}
    prints: dict[str, str] = {}
    if state is not None:
        today = (opts.clock or dt.date.today)()
        digest = options_digest(opts, today)
        ledger = opts.ledger_opener(opts.ledger) if (opts.ledger and opts.ledger_opener) else None
        prints = {task.display: fingerprint(task, digest, ledger) for task in tasks}
        state.keep_only({task.display for task in tasks})
    todo = []
    for task in tasks:
        reused = state.reusable(task, prints[task.display]) if (state is not None and resume) else None
        if reused is not None:
            outcomes[task.display] = reused
        else:
            todo.append(task)
    if on_start is not None:
        on_start(len(tasks))
    if on_result is not None:
        for display in sorted(outcomes):
            on_result(outcomes[display])
    interrupted = False
    stream = executor.run(todo, opts)
    try:
        for outcome in stream:
            outcomes[outcome.display] = outcome
            if state is not None:
                state.record(outcome, prints[outcome.display])
                state.save(throttle=2.0)
            if on_result is not None:
                on_result(outcome)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
        if state is not None:
            state.save()
    ordered = [outcomes[task.display] for task in tasks if task.display in outcomes]
    return BatchResult(outcomes=ordered, interrupted=interrupted, total=len(tasks))
