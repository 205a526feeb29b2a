"""Golden-fields extraction for review tests: what each example's expected.json says its
documents carry, so that batch, summary and report tests pin the *review* stage whatever
the state of real extraction.

Everything here is a module-level function: the process pool and Dask pickle the
extractor and the clock by name (`golden.golden_extractor`), so worker processes must be
able to import this module (tests/ is on sys.path under pytest; Dask workers get it via
PYTHONPATH, see test_review_dask.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

from toolkit.check.runner import OptionArgs
from toolkit.kinds import kind_spec
from toolkit.model.extraction import ExtractionResult

TESTS = Path(__file__).resolve().parent
EXAMPLES = TESTS.parent / "examples"
CLOCK = dt.date(2025, 11, 1)
EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/expected.json"))


def clock() -> dt.date:
    """The date the examples' golden verdicts were computed for."""
    return CLOCK


def expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def golden_results(exp: dict, dossier) -> list[ExtractionResult]:
    """ExtractionResults from an example's expected.json data, in manifest order (documents
    are matched by file name, so a copy of an example works too)."""
    by_file = {d["file"]: d for d in exp["documents"]}
    out = []
    for doc in dossier.documents:
        entry = by_file[doc.file]
        kind = entry["kind"]
        if entry.get("error"):
            out.append(ExtractionResult(file=doc.file, kind=kind, kind_confidence=1.0, error=entry["error"],
                                        error_reason=entry["error"]))
            continue
        fields = []
        for i, f in enumerate(entry["fields"]):
            spec = kind_spec(kind).fields.get(f["name"])
            fields.append({"name": f["name"], "type": spec.type if spec else "text", "value": f["value"],
                           "page": f["page"], "bbox": [72.0, 100.0 + 14 * i, 400.0, 110.0 + 14 * i],
                           "text": json.dumps(f["value"], ensure_ascii=False), "confidence": 1.0})
        out.append(ExtractionResult.model_validate({
            "file": doc.file, "kind": kind, "kind_confidence": 1.0, "kind_declared": kind, "pages": entry["pages"],
            "page_sources": entry.get("page_sources") or ["text"] * entry["pages"], "fields": fields}))
    return out


def golden_extractor(dossier, settings=None, cache=None) -> list[ExtractionResult]:
    """ExtractionResults from the dossier's own expected.json, in manifest order."""
    return golden_results(expected(dossier.root), dossier)


def golden_extractor_for(exp: dict):  # type: ignore[no-untyped-def]
    """An extractor serving one example's golden data to any dossier (a copy, a variant)."""

    def extractor(dossier, settings=None, cache=None) -> list[ExtractionResult]:
        return golden_results(exp, dossier)

    return extractor


def slow_golden_extractor(dossier, settings=None, cache=None) -> list[ExtractionResult]:
    """The golden extractor taking a while (DOSSIER_TEST_DELAY seconds): for Ctrl-C tests."""
    time.sleep(float(os.environ.get("DOSSIER_TEST_DELAY", "0.5")))
    return golden_extractor(dossier, settings, cache)


def crashing_extractor(dossier, settings=None, cache=None) -> list[ExtractionResult]:
    """Raises an unexpected exception for a dossier named *boom*; golden otherwise."""
    if "boom" in dossier.root.name:
        raise RuntimeError("extractor exploded")
    return golden_extractor(dossier, settings, cache)


def dying_extractor(dossier, settings=None, cache=None) -> list[ExtractionResult]:
    """Kills its worker process for a dossier named *die* (a crash in a C library)."""
    if "die" in dossier.root.name:
        os._exit(70)
    return golden_extractor(dossier, settings, cache)


_HELPERS: list = []


def _helper_main() -> None:
    os.setpgid(0, 0)  # like the PDF reader's warm workers: its own process group
    time.sleep(600)


def spawning_extractor(dossier, settings=None, cache=None) -> list[ExtractionResult]:
    """Keeps a warm daemon helper process per worker, as the PDF reader does; writes its
    pid under DOSSIER_TEST_PIDS, so a test can check that none outlives the batch."""
    import multiprocessing

    if not _HELPERS or not _HELPERS[0].is_alive():
        helper = multiprocessing.get_context("fork").Process(target=_helper_main, daemon=True)
        helper.start()
        _HELPERS[:] = [helper]
        (Path(os.environ["DOSSIER_TEST_PIDS"]) / str(helper.pid)).touch()
    return slow_golden_extractor(dossier, settings, cache)


def alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a container's init may not reap)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def golden_args(lang: str = "en", **kw) -> OptionArgs:
    return OptionArgs(lang=lang, no_cache=True, extractor=golden_extractor, clock=clock, **kw)


def copy_examples(dest: Path, names: list[str] | None = None) -> Path:
    """The examples (or some) copied under dest/round/, with a broken dossier added."""
    root = dest / "round"
    root.mkdir(parents=True)
    for folder in EXAMPLE_DIRS:
        if names is None or folder.name in names:
            shutil.copytree(folder, root / folder.name)
    return root


def add_broken(root: Path, name: str = "zz-broken-manifest") -> Path:
    """A dossier that cannot be read at all (its manifest is not YAML): an error row."""
    folder = root / name
    folder.mkdir()
    (folder / "dossier.yaml").write_text("measure: [unclosed\n", encoding="utf-8")
    return folder


def patch_build_options(extractor=golden_extractor) -> None:
    """Make the CLI check with golden extraction and the golden clock (tests only)."""
    import dataclasses

    import toolkit.check.runner as runner

    original = runner.build_options

    def build_options(**kw) -> OptionArgs:
        kw["no_cache"] = True
        return dataclasses.replace(original(**kw), extractor=extractor, clock=clock)

    runner.build_options = build_options


def run_cli(argv: list[str]) -> None:
    """`python tests/golden.py review ...`: the real CLI (a real process, real signals) with
    golden extraction; DOSSIER_TEST_SLOW=1 makes each dossier take DOSSIER_TEST_DELAY seconds."""
    import sys

    extractor = golden_extractor
    if os.environ.get("DOSSIER_TEST_SLOW"):
        extractor = spawning_extractor if os.environ.get("DOSSIER_TEST_PIDS") else slow_golden_extractor
    patch_build_options(extractor)
    from toolkit.cli.main import main

    sys.argv = ["dossier", *argv]
    main()


if __name__ == "__main__":
    import sys

    import golden  # this file again, as a module: workers unpickle golden.* by name

    golden.run_cli(sys.argv[1:])
