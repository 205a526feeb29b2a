"""Substituted system fonts are kept in memory (fonts.py) without changing what is read.

Why: the wrapper exists for speed alone (a non-embedded Chinese font made pdfium read a
26 MB font collection for every document). It must not change a single character or box,
and it must really spare the disk, or it is complexity for nothing. Each side runs in a
fresh process, since pdfium's font state is per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, need

from toolkit.read.fonts import _FontBytes

ROOT = Path(__file__).resolve().parent.parent

# Every example PDF (Chinese text in the non-embedded STSong-Light, so substituted, and the
# English ones beside them), read in one process as a reader worker reads a batch.
FILES = sorted(str(p) for p in EXAMPLES.glob("*/documents/*.pdf") if "scan" not in p.name)

SCRIPT = """
import hashlib, json, os, sys
from pathlib import Path
from toolkit.read.model import ReadSettings
from toolkit.read.parse import parse_document
from toolkit.read import fonts

def bytes_read():  # every byte this process has read through read(2), page cache included
    with open("/proc/self/io") as fh:
        return int(next(l for l in fh if l.startswith("rchar:")).split()[1])

before = bytes_read()
out = {}
for name in sys.argv[1:]:
    try:
        doc = repr(parse_document(Path(name), "", ReadSettings(ocr=False)))
    except Exception as exc:  # the truncated receipt: its error must be alike too
        doc = repr(exc)
    out[name] = hashlib.sha256(doc.encode()).hexdigest()
out["_read"] = bytes_read() - before
out["_installed"] = fonts._installed_in == os.getpid()
print(json.dumps(out))
"""


def _read_all(memory: bool) -> dict:
    """A digest of every file's full read, and what the process read from disk meanwhile."""
    env = {**os.environ, "DOSSIER_FONT_MEMORY": "1" if memory else "0"}
    run = subprocess.run([sys.executable, "-c", SCRIPT, *FILES], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def _system_cjk_fonts() -> list[Path]:
    """The CJK collections pdfium can substitute (Debian: fonts-noto-cjk)."""
    return [p for p in Path("/usr/share/fonts").rglob("*CJK*") if p.suffix.lower() in (".ttc", ".otc", ".otf", ".ttf")]


def test_fonts_kept_in_memory_read_every_character_and_box_alike():
    assert len(FILES) >= 60
    need(bool(_system_cjk_fonts()), "no system CJK font to substitute (Debian package fonts-noto-cjk)")
    plain = _read_all(memory=False)
    kept = _read_all(memory=True)
    assert plain.pop("_installed") is False and kept.pop("_installed") is True
    plain_read, kept_read = plain.pop("_read"), kept.pop("_read")
    assert kept == plain
    # Without it the CJK collection (20-30 MB) is read again for every Chinese document;
    # with it, once. The PDFs themselves are small (a few MB in all).
    assert plain_read > 200 * 1024 * 1024, plain_read
    assert kept_read < plain_read / 5, (kept_read, plain_read)


def test_font_bytes_kept_are_bounded_least_recently_used_out():
    kept = _FontBytes(limit=10)
    kept.put((1, 0), b"aaaa")
    kept.put((2, 0), b"bbbb")
    assert kept.get((1, 0)) == b"aaaa"  # 1 is now the most recently used
    kept.put((3, 0), b"cccc")
    assert kept.get((2, 0)) is None and kept.get((1, 0)) == b"aaaa" and kept.size == 8
    kept.put((4, 0), b"x" * 11)  # larger than the bound: never kept
    assert kept.get((4, 0)) is None and kept.size == 8
