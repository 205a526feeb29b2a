"""Extraction's entry points: one file, or every document of a dossier, into `ExtractionResult`s.

Never raises for a bad file: a read error becomes the result's `error` and `error_reason`
(interfaces.md §3), so one damaged PDF costs its own facts and nothing else. Results are
cached by content (toolkit/cache.py): a second check of an unchanged dossier reads nothing.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.extract.classify import classify
from toolkit.extract.fields import WITHHOLDING, find_fields
from toolkit.i18n import t
from toolkit.kinds import kind_catalogue, kind_spec
from toolkit.model.extraction import ExtractionResult, Withheld
from toolkit.paths import shown_path
from toolkit.read.model import ReadDocument, ReadSettings

if TYPE_CHECKING:
    from toolkit.cache import ExtractionCache
    from toolkit.dossier import Dossier

EXTRACTOR_VERSION = "4"  # bump when a change to extraction changes results: it invalidates caches
LOW_CONFIDENCE = 0.5


def _sha256(path: Path, max_bytes: int) -> str | None:
    """The file's sha256, or None for what the reader turns away unread: anything but a
    regular file (a pipe or a device would be read without end), and a file over the size
    limit (hashing 50 GB only to say "too large" is a hang by another name)."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return None
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def cache_key(sha256: str, settings: ReadSettings, kind: str | None) -> dict[str, Any]:
    """What decides a file's extraction besides its bytes. The password itself is never part of
    it (nor stored): only whether one was given."""
    from toolkit import __version__
    from toolkit.read import tesseract_available

    return {
        "sha256": sha256, "extractor": EXTRACTOR_VERSION, "toolkit": __version__, "kind": kind,
        "ocr": settings.ocr and tesseract_available(), "languages": settings.ocr_languages,
        "ocr_page_budget": settings.ocr_page_budget,
        "password_given": settings.password is not None, "max_pages": settings.max_pages,
    }


def extract_file(path: Path, *, display: str | None = None, kind: str | None = None,
                 settings: ReadSettings | None = None, cache: ExtractionCache | None = None,
                 reader: Any = None) -> ExtractionResult:
    """Read, classify and extract one file. `kind` (the manifest's) wins over the content's.

    `reader` is injectable (tests; a warm pool): any callable (path, settings) -> ReadDocument.
    """
    task = _Task(path, shown_path(display if display is not None else path), kind, settings or ReadSettings(), cache,
                 reader)
    hit, key = task.lookup()
    return hit if hit is not None else task.read(key)


@dataclass(frozen=True)
class _Task:
    """One file to extract, in two steps: the cache lookup (cheap: a hash and a small JSON
    file) and, on a miss, the read. Split so that a batch answers its hits at once, in the
    calling thread, and hands only its misses to the reader pool."""

    path: Path
    shown: str
    kind: str | None
    settings: ReadSettings
    cache: ExtractionCache | None
    reader: Any = None

    def lookup(self) -> tuple[ExtractionResult | None, dict[str, Any] | None]:
        """The cached result (shown under this task's name) if there is one, and the cache key
        (None without a cache: the file is then hashed once, by the reader, not twice).

        A file opened with a password is never cached: the key may not hold the password,
        so a wrong password would get the content a right one opened, and a right one the
        refusal a wrong one got."""
        if self.cache is None or self.settings.password is not None:
            return None, None
        sha = _sha256(self.path, self.settings.max_bytes)
        key = cache_key(sha, self.settings, self.kind) if sha else None
        if key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return hit.model_copy(update={"file": self.shown}), key
        return None, key

    def read(self, key: dict[str, Any] | None) -> ExtractionResult:
        """Read the file and extract its fields; keep the result under `key`."""
        if self.reader is None:
            from toolkit.read import read_document

            # Extraction runs inside the reader's worker, while the file is open: only the
            # character boxes of the spans a field is read from are fetched, and only the
            # result crosses back. Tables are not read: fields come from lines (a table row
            # reads as one line).
            result: ExtractionResult = read_document(self.path, replace(self.settings, tables=False),
                                                     then=partial(from_read, shown=self.shown, declared=self.kind))
        else:
            result = from_read(self.reader(self.path, self.settings), self.shown, self.kind)
        # Kept only if what was read is what was looked up: a file changed in between (still
        # being copied in) must not leave its new content's result under the old content's key.
        if self.cache is not None and key is not None and result.sha256 == key["sha256"] \
                and result.error_reason not in ("timed_out", "out_of_memory"):
            self.cache.put(key, result)
        return result


def from_read(doc: ReadDocument, shown: str, declared: str | None) -> ExtractionResult:
    """Classify and extract a document the reader gave back."""
    base: dict[str, Any] = {"file": shown, "sha256": doc.sha256 or None, "kind_declared": declared,
                            "pages": len(doc.pages), "page_sources": [p.source for p in doc.pages],
                            "warnings": list(doc.warnings)}
    if doc.error is not None:
        return ExtractionResult(**base, kind=declared, error=doc.error, error_reason=doc.error_reason,
                                error_key=doc.error_key, error_params=dict(doc.error_params))
    readable = [p for p in doc.pages if p.source != "unreadable"]
    found = classify(readable)
    kind = declared or found.kind
    warnings = base["warnings"]
    if declared and found.kind not in ("other", declared) and found.confidence >= LOW_CONFIDENCE \
            and found.kind not in _stands_for(declared):
        warnings.append(t("extract.warn.kind_contradicts", "en", declared=declared, found=found.kind,
                          confidence=f"{found.confidence:.2f}"))
    if kind not in kind_catalogue().kinds:
        kind = "other"
    confidence = found.confidence if found.kind == kind else (1.0 if declared else 0.0)
    fields = find_fields(kind, readable) if readable else None
    withheld = []
    if fields is not None:
        warnings += [t(w.key, "en", **w.params) for w in fields.warnings]
        withheld = [Withheld(field=str(w.params["field"]), page=int(w.params["page"]), reason=w.key,
                             message=t(w.key, "en", **w.params))
                    for w in fields.warnings if w.key in WITHHOLDING and "field" in w.params and "page" in w.params]
    if not readable and doc.pages:
        warnings.append(t("extract.warn.no_readable_page", "en"))
    return ExtractionResult(**base, kind=kind, kind_confidence=round(confidence, 2),
                            fields=fields.fields if fields else [], withheld=withheld)


def _stands_for(kind: str) -> set[str]:
    spec = kind_spec(kind) if kind in kind_catalogue().kinds else None
    return {spec.stands_for} if spec and spec.stands_for else set()


def extract_dossier(dossier: Dossier, *, settings: ReadSettings | None = None,
                    cache: ExtractionCache | None = None, reader: Any = None, jobs: int = 1) -> list[ExtractionResult]:
    """One result per document present on disk, in manifest order (absent files are the
    checker's business: it knows them from `dossier.missing`). `jobs`: files read at once."""
    base = settings or ReadSettings()
    tasks = []
    for document in dossier.documents:
        doc_settings = base
        if document.ref.password is not None:
            doc_settings = replace(base, password=document.ref.password)
        kind = str(document.ref.kind) if document.ref.kind else None
        tasks.append(_Task(document.path, document.file, kind, doc_settings, cache, reader))
    return _run(tasks, jobs, base)


def extract_paths(paths: list[Path], *, settings: ReadSettings | None = None, kind: str | None = None,
                  cache: ExtractionCache | None = None, jobs: int = 1) -> list[ExtractionResult]:
    """What `dossier extract FILE...|DIR` reads: files as given; a dossier folder's documents in
    manifest order, with their declared kinds and passwords; any other folder's PDFs, sorted.
    Results come in that order whatever `jobs` (files read at once) is."""
    out: list[ExtractionResult] = []
    tasks = []
    for path in paths:
        if not path.is_dir():
            tasks.append(_Task(path, shown_path(path), kind, settings or ReadSettings(), cache))
            continue
        from toolkit.dossier import MANIFEST_NAME, open_dossier  # only here: files need no manifest

        if (path / MANIFEST_NAME).is_file():
            if tasks:
                out += _run(tasks, jobs, settings)
                tasks = []
            dossier = open_dossier(path)
            read = iter(extract_dossier(dossier, settings=settings, cache=cache, jobs=jobs))
            absent = {id(ref) for ref in dossier.missing}
            for ref in dossier.manifest.documents:  # in manifest order; a file listed but absent is an error line
                if id(ref) in absent:
                    out.append(ExtractionResult(file=shown_path(path / ref.file), kind_declared=str(ref.kind) if ref.kind else None,
                                                error=t("read.error.not_found", "en"), error_reason="not_found",
                                                error_key="read.error.not_found"))
                else:
                    r = next(read)
                    out.append(r.model_copy(update={"file": shown_path(path / r.file)}))
        else:
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
            tasks += [_Task(f, shown_path(f), kind, settings or ReadSettings(), cache) for f in files]
    return out + _run(tasks, jobs, settings)


def _run(tasks: list[_Task], jobs: int, settings: ReadSettings | None) -> list[ExtractionResult]:
    """Extract every task's file, results in the tasks' order: cache hits first, here; then
    the misses, `jobs` at a time.

    Threads are enough for the misses: each one only waits on its own reader process
    (toolkit/read/worker.py), which does the work; the workers are started first, from this
    thread. Hits never reach a thread or a worker: a re-check of an unchanged dossier starts
    no reader at all.
    """
    looked_up = [task.lookup() for task in tasks]
    results: list[ExtractionResult | None] = [hit for hit, _ in looked_up]
    misses = [i for i, hit in enumerate(results) if hit is None]
    jobs = max(1, min(jobs, len(misses)))
    if jobs == 1:
        for i in misses:
            results[i] = tasks[i].read(looked_up[i][1])
        return [r for r in results if r is not None]
    from concurrent.futures import ThreadPoolExecutor

    from toolkit.read.worker import stop_busy_workers, warm_workers

    warm_workers((settings or ReadSettings()).memory_mb, jobs)
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="dossier-read")
    try:
        for i, result in zip(misses, pool.map(lambda i: tasks[i].read(looked_up[i][1]), misses), strict=True):
            results[i] = result
    except BaseException:  # Ctrl-C: start no more files, and stop the ones being read
        pool.shutdown(wait=False, cancel_futures=True)
        stop_busy_workers()
        raise
    pool.shutdown()
    return [r for r in results if r is not None]
