"""The extraction cache: a file's extraction, kept by content so an unchanged PDF is read once.

The key is everything that decides the result (toolkit/extract/pipeline.cache_key): the
file's sha256, the extractor's version, and the settings that change what is read (OCR
available and its languages, the page budget, whether a password was given — never the
password itself). The display path is not part of it: the same file in two dossiers is one
entry.

The cache holds confidential text (names, bank accounts), so it lives in the user's own
cache directory (platformdirs; DOSSIER_CACHE_DIR overrides it), in a folder only the user
can open (0700) with files only the user can read (0600). Entries are written atomically
(a temporary file renamed into place), so a killed process or two parallel workers never
leave a half-written entry; an entry that does not parse is treated as absent.

The cache is capped (DOSSIER_CACHE_MAX_MB, default 512): a hit marks its entry as used
(its mtime, to the hour), and the first write of a process prunes the least recently used entries
until the cache is back under nine tenths of the cap. Once per process, because walking a
large cache at every write would cost more than the reads it saves; a long batch may run
over the cap by what it writes itself until the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from toolkit.errors import UsageError
from toolkit.model.extraction import ExtractionResult

ENV_DIR = "DOSSIER_CACHE_DIR"
ENV_MAX_MB = "DOSSIER_CACHE_MAX_MB"
DEFAULT_MAX_MB = 512
TOUCH_AFTER_S = 3600  # a hit renews its entry's last use when that is older than this


_PRUNED: set[tuple[int, Path]] = set()  # (process, cache root) already pruned in this run


def default_max_bytes() -> int:
    """The cap from DOSSIER_CACHE_MAX_MB (a positive whole number of megabytes), else 512 MB."""
    value = os.environ.get(ENV_MAX_MB, "").strip()
    mb = int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_MB
    return mb * 1024 * 1024


def default_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("dossier", appauthor=False))


class ExtractionCache:
    """Extraction results by cache key, as JSON files under `<dir>/extract/`."""

    def __init__(self, directory: Path | None = None, max_bytes: int | None = None) -> None:
        self.root = (directory or default_dir()) / "extract"
        self.max_bytes = max_bytes if max_bytes is not None else default_max_bytes()
        _refuse_shared(self.root)

    @staticmethod
    def digest(key: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()

    def _path(self, key: dict[str, Any]) -> Path:
        d = self.digest(key)
        return self.root / d[:2] / f"{d}.json"

    def get(self, key: dict[str, Any]) -> ExtractionResult | None:
        path = self._path(key)
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            data = os.read(fd, st.st_size)
            result = ExtractionResult.model_validate_json(data)
            # Used now: the last to be pruned. Marked at most once an hour: a hit is a few
            # hundred microseconds, and the mark was a sixth of it (LRU to the hour is enough).
            if time.time() - st.st_mtime > TOUCH_AFTER_S:
                os.utime(fd if os.utime in os.supports_fd else path)
        except (OSError, ValueError, ValidationError):
            return None
        finally:
            os.close(fd)
        return result

    def put(self, key: dict[str, Any], result: ExtractionResult) -> None:
        """Store atomically, readable by the user alone. A cache that cannot be written is no
        error: the check goes on, it only reads the file again next time."""
        path = self._path(key)
        try:
            _private_dir(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(result.model_copy(update={"file": ""}).model_dump_json(by_alias=True))
                os.chmod(tmp, 0o600)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return
        # Once per process and folder, not per instance: a batch makes one cache per dossier.
        run = (os.getpid(), self.root)
        if run not in _PRUNED:
            _PRUNED.add(run)
            self.prune()

    def _entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every entry."""
        out = []
        for f in self.root.rglob("*.json") if self.root.exists() else []:
            try:
                st = f.stat()
            except OSError:
                continue  # pruned by another process meanwhile
            out.append((st.st_mtime, st.st_size, f))
        return out

    def prune(self) -> int:
        """Remove the least recently used entries while the cache is over its cap, down to
        nine tenths of it; returns how many were removed."""
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return 0
        removed = 0
        for _, size, f in sorted(entries, key=lambda e: (e[0], e[2].name)):
            if total <= self.max_bytes * 0.9:
                break
            f.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed

    def info(self) -> dict[str, Any]:
        entries = self._entries()
        return {"directory": str(self.root), "entries": len(entries), "bytes": sum(size for _, size, _ in entries),
                "cap_mb": round(self.max_bytes / 1024 / 1024)}

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        count = 0
        if not self.root.exists():
            return 0
        for f in sorted(self.root.rglob("*"), reverse=True):
            if f.is_file():
                f.unlink(missing_ok=True)
                count += f.suffix == ".json"
            elif f.is_dir():
                f.rmdir()
        return count


def _refuse_shared(root: Path) -> None:
    """UsageError if the cache folder, or the folder it sits in, is not the user's alone.

    Why: whoever may write there may plant an entry, a forged extraction that a check would
    take for the documents' own facts, or move the user's entries away to read them; a
    DOSSIER_CACHE_DIR in a shared place (/tmp/cache, a CI runner's common disk) is where
    that happens. The folder in which the cache sits may belong to root, and may be open to
    all if sticky (/tmp itself); the cache folder must be the user's and closed to others.
    A folder not there yet is made private on first write.
    """
    if not hasattr(os, "getuid"):  # Windows: ownership is an ACL matter, not checked here
        return
    me = os.getuid()
    for folder, owners, sticky_ok in ((root.parent, {me, 0}, True), (root, {me}, False)):
        try:
            st = folder.stat()
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):  # a file where the folder should be: every write would fail unseen
            raise UsageError("error.cache_not_a_folder", path=str(folder))
        open_to_others = st.st_mode & 0o022 and not (sticky_ok and st.st_mode & stat.S_ISVTX)
        if st.st_uid not in owners or open_to_others:
            raise UsageError("error.cache_not_private", path=str(folder))


def _private_dir(path: Path) -> None:
    """Create the folder and its parents up to the cache root with mode 0700."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700, exist_ok=True)
        os.chmod(d, 0o700)
