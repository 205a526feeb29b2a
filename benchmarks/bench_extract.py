"""Extraction speed and memory, as ratios against baselines run in the same process.

    python benchmarks/bench_extract.py [--rounds 5]

On the bundled examples' born-digital PDFs (every distinct file, scans left out), pages per
second of:
  - bare pdfplumber `page.extract_text()`            (the baseline the issue names)
  - bare pypdfium2 `textpage.get_text_range()`        (the fast floor)
  - poppler's `pdftotext` per file, when installed    (process start-up included)
  - `extract_file` cold: read + classify + fields, no cache, one file after another
  - the same with the files read at once, as `dossier extract` does (--jobs, default: the
    CPUs this process may use): the only row that uses more than one core
  - cached: the second check of an unchanged dossier (hits are answered in the calling
    thread, whatever --jobs)
  - the `dossier extract` command itself, a fresh process per round, cold (`--no-cache`) and
    cached (a private cache folder, filled first): what a user waits for, start-up, worker
    forks and output included
and the peak memory of reading a generated 500-page PDF (a child process, so the figure is
its own). Machines here are noisy (2 shared cores): the ratios, measured back to back in one
process, are what to compare; each figure is the best of --rounds, the rounds taken in turn.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCESS_COLD = "command (process), cold"
PROCESS_CACHED = "command (process), cached"
sys.path.insert(0, str(ROOT))

from toolkit.read.worker import usable_cpus  # noqa: E402 (after the path is set)

JOBS = usable_cpus()  # what `dossier extract` uses by default


def example_pdfs() -> list[Path]:
    seen, out = set(), []
    for exp in sorted((ROOT / "examples").glob("*/expected.json")):
        for doc in json.loads(exp.read_text(encoding="utf-8"))["documents"]:
            path = exp.parent / doc["file"]
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in seen or "scan" in path.name or not doc["fields"]:
                continue
            seen.add(digest)
            out.append(path)
    return out


def corpus_pdfs() -> list[Path]:
    """Born-digital real-world files of ../shared/corpus (english-text and table categories)."""
    corpus = ROOT.parent / "shared" / "corpus"
    manifest = corpus / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return [corpus / r[0] for r in rows if len(r) > 4 and r[4] in ("english-text", "table")]


def interleaved(runners: dict, rounds: int) -> dict[str, float]:
    """The best time of each runner over `rounds`, taken in turn (round 1 of each, then round
    2 of each...), so that a slow spell of a shared machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, fn in runners.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=500, help="pages of the generated long PDF")
    args = parser.parse_args()


    from toolkit.extract import extract_file
    from toolkit.read.model import ReadSettings

    settings = ReadSettings(ocr=False)
    extract_file(example_pdfs()[0], settings=settings)  # start the warm worker pool once, as a batch would
    for label, files in (("examples, born-digital", example_pdfs()), ("../shared/corpus english-text and table", corpus_pdfs())):
        if files:
            measure(label, files, settings, args.rounds)
    print(long_document_memory(args.pages))


def measure(label: str, files: list[Path], settings, rounds: int) -> None:
    import pdfplumber
    import pypdfium2

    from toolkit.cache import ExtractionCache
    from toolkit.extract import extract_file
    from toolkit.extract.pipeline import extract_paths

    pages = sum(len(pypdfium2.PdfDocument(f)) for f in files)

    def plumber() -> None:
        for f in files:
            with pdfplumber.open(f) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()

    def pdfium() -> None:
        for f in files:
            doc = pypdfium2.PdfDocument(f)
            for page in doc:
                page.get_textpage().get_text_range()
            doc.close()

    def pdftotext() -> None:
        for f in files:
            subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, check=True)

    def cold() -> None:
        for f in files:
            extract_file(f, settings=settings)

    def cold_pool() -> None:
        extract_paths(files, settings=settings, jobs=JOBS)

    command = [sys.executable, "-m", "toolkit", "extract", "--format", "json", *map(str, files)]

    def process(extra: list[str], env: dict[str, str]) -> None:
        subprocess.run(command[:4] + extra + command[4:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, cwd=ROOT, check=False)

    runners = {"pdfplumber extract_text": plumber, "pypdfium2 get_text_range": pdfium}
    if shutil.which("pdftotext"):
        runners["pdftotext (per file)"] = pdftotext
    runners["dossier extract, cold"] = cold
    runners[f"  ... {JOBS} files at once"] = cold_pool
    with tempfile.TemporaryDirectory() as tmp:
        store = ExtractionCache(Path(tmp))
        for f in files:
            extract_file(f, settings=settings, cache=store)
        runners["dossier extract, cached"] = lambda: extract_paths(files, settings=settings, cache=store, jobs=JOBS)
        env = {**os.environ, "DOSSIER_CACHE_DIR": str(Path(tmp) / "cli")}
        process([], env)  # fills the command's own cache folder
        runners[PROCESS_COLD] = lambda: process(["--no-cache"], env)
        runners[PROCESS_CACHED] = lambda: process([], env)
        figures = interleaved(runners, rounds)

    base = figures["pdfplumber extract_text"]
    print(f"\n{len(files)} files, {pages} pages ({label}), best of {rounds}")
    print(f"{'':28} {'pages/s':>10} {'x pdfplumber':>13}")
    for name, seconds in figures.items():
        print(f"{name:28} {pages / seconds:10.1f} {base / seconds:13.2f}")
    cold_s, cached_s = figures["dossier extract, cold"], figures["dossier extract, cached"]
    pool_s = figures[f"  ... {JOBS} files at once"]
    print(f"cold vs pypdfium2: {cold_s / figures['pypdfium2 get_text_range']:.2f}x slower "
          f"({pool_s / figures['pypdfium2 get_text_range']:.2f}x with {JOBS} files at once); "
          f"cached vs cold: {cold_s / cached_s:.1f}x faster ({pool_s / cached_s:.1f}x than {JOBS} files at once)")
    print(f"the command as a process: cold {base / figures[PROCESS_COLD]:.2f}x pdfplumber, "
          f"{figures[PROCESS_COLD] / figures['pypdfium2 get_text_range']:.2f}x slower than pypdfium2; "
          f"cached {figures[PROCESS_COLD] / figures[PROCESS_CACHED]:.1f}x faster than cold")


def long_document_memory(n: int) -> str:
    """Peak RSS of a child process reading an n-page PDF, against the same child doing nothing."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.pdf"
        c = canvas.Canvas(str(path), pagesize=A4)
        for i in range(n):
            for j in range(40):
                c.drawString(72, 800 - j * 18, f"Page {i + 1} line {j + 1}: Upfront Payment USD 25,000,000.00 on 2025-04-18")
            c.showPage()
        c.save()
        code = ("import resource,sys,time; from pathlib import Path; from toolkit.read import read_document; "
                "from toolkit.read.model import ReadSettings; t=time.perf_counter(); "
                "d=read_document(Path(sys.argv[1]), ReadSettings(ocr=False, timeout_s=600)) if sys.argv[1] != '-' else None; "
                "t=time.perf_counter()-t; "
                "r=max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
                "print(r, len(d.pages) if d else 0, round(t, 2))")
        idle = subprocess.run([sys.executable, "-c", code, "-"], capture_output=True, text=True, cwd=ROOT).stdout.split()
        busy = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT).stdout.split()
    return (f"{n}-page PDF: {busy[1]} pages read in {busy[2]} s; peak RSS {int(busy[0]) / 1024:.0f} MB "
            f"(the same process idle: {int(idle[0]) / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
