"""How fast `dossier review` checks a round: dossiers per minute and peak memory.

    python benchmarks/bench_review.py [--count 200] [--jobs 1 2] [--golden] [--json FILE]

The examples are replicated to --count dossiers in a temporary folder (the replicas share
their PDFs' content hashes, which is what makes a warm cache pay off), then the real CLI is
run for each --jobs value twice:

  cold   --no-cache: every PDF is read and extracted again;
  warm   with an extraction cache that a previous run filled (a private DOSSIER_CACHE_DIR,
         so the user's own cache is neither used nor touched).

Each run is a child process of a small wrapper, so `resource.getrusage(RUSAGE_CHILDREN)`
gives the peak resident memory of the largest process in that run (the CLI or one of its
workers; Linux reports KiB). Absolute figures depend on the machine, so every figure is
also printed as a ratio to the baseline (the first --jobs value, cold) measured in this same
invocation. `--golden` replaces extraction with the examples' golden fields (tests/golden.py):
it measures the batch machinery alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


@dataclass
class Run:
    jobs: int
    cache: str  # "cold" or "warm"
    dossiers: int
    seconds: float
    per_minute: float
    peak_mib: float
    exit_code: int


def replicate(dest: Path, count: int) -> Path:
    """`count` dossiers cycling through the examples, named 000-<example>..."""
    sources = sorted(p.parent for p in EXAMPLES.glob("*/expected.json"))
    root = dest / "round"
    root.mkdir(parents=True)
    for i in range(count):
        src = sources[i % len(sources)]
        shutil.copytree(src, root / f"{i:03d}-{src.name}")
    return root


def command(root: Path, out: Path, jobs: int, cold: bool, golden: bool) -> list[str]:
    entry = [str(REPO / "tests" / "golden.py")] if golden else ["-m", "toolkit"]
    cmd = [sys.executable, *entry, "review", str(root), "--jsonl", str(out / "summary.jsonl"), "--jobs", str(jobs)]
    return cmd + (["--no-cache"] if cold else [])


def measure(cmd: list[str], env: dict[str, str], jobs: int, cache: str, count: int) -> Run:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    try:
        rc_text, rss_kib = proc.stdout.split()
    except ValueError:
        sys.exit(f"the review run failed:\n{proc.stderr}")
    return Run(jobs=jobs, cache=cache, dossiers=count, seconds=round(seconds, 2),
               per_minute=round(count / seconds * 60, 1), peak_mib=round(int(rss_kib) / 1024, 1),
               exit_code=int(rc_text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--golden", action="store_true", help="golden fields instead of real extraction")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        root = replicate(Path(tmp), args.count)
        cache_dir = Path(tmp) / "cache"
        env = {**os.environ, "DOSSIER_CACHE_DIR": str(cache_dir), "LANG": "C.UTF-8", "LC_ALL": ""}
        out = Path(tmp) / "out"
        for jobs in args.jobs:
            runs.append(measure(command(root, out, jobs, True, args.golden), env, jobs, "cold", args.count))
            shutil.rmtree(cache_dir, ignore_errors=True)
            subprocess.run(command(root, out, jobs, False, args.golden), env=env, capture_output=True, check=False)
            runs.append(measure(command(root, out, jobs, False, args.golden), env, jobs, "warm", args.count))

    base = runs[0]
    mode = "golden fields" if args.golden else "real extraction"
    print(f"dossier review: {args.count} dossiers ({mode}), {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'jobs':>4} {'cache':>5} {'seconds':>8} {'per min':>8} {'x base':>7} {'peak MiB':>9} {'x base':>7} {'exit':>4}")
    for r in runs:
        print(f"{r.jobs:>4} {r.cache:>5} {r.seconds:>8.2f} {r.per_minute:>8.1f} {r.per_minute / base.per_minute:>7.2f} "
              f"{r.peak_mib:>9.1f} {r.peak_mib / base.peak_mib:>7.2f} {r.exit_code:>4}")
    print(f"baseline: jobs {base.jobs}, {base.cache}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in runs], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
