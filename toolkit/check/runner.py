"""Check one dossier from plain, picklable arguments, and format the reports.

Several dossiers run in worker processes: the pool itself lives in toolkit.review.batch
(`run_batch`, shared by `dossier check DIR...` and `dossier review ROOT`); each worker
rebuilds its options from `OptionArgs` here (ledgers and caches are not shared across
processes); one dossier that cannot be read becomes an error line and never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.check.awards import Ledger
from toolkit.check.engine import CheckOptions, check_path
from toolkit.check.formats import exit_code, to_json, to_junit, to_markdown, to_sarif, worst
from toolkit.errors import DossierError, ExitCode, LedgerError
from toolkit.model.report import ErrorLine, Report


@dataclass(frozen=True)
class OptionArgs:
    """The options as plain, picklable values (what a worker process needs to rebuild them)."""

    lang: str = "en"
    prior_awards: str | None = None
    waivers: str | None = None
    ledger: str | None = None
    # The ledger's opener (toolkit.review.ledger.open_ledger), given by the CLI: the check
    # stage reads a ledger through the Protocol in toolkit.check.awards, never imports review.
    ledger_opener: Callable[[str], Ledger] | None = None
    no_cache: bool = False
    # Injected by tests and benchmarks: module-level functions, so that they pickle by name.
    extractor: Callable[..., list] | None = None
    clock: Callable[[], dt.date] | None = None


def options_from(args: OptionArgs) -> CheckOptions:
    from toolkit.check.awards import load_prior_awards
    from toolkit.check.waivers import load_waivers

    options = CheckOptions(lang=args.lang, extractor=args.extractor)
    if args.clock is not None:
        options.clock = args.clock
    if args.prior_awards:
        options.prior_awards = load_prior_awards(Path(args.prior_awards))
        options.prior_awards_source = args.prior_awards
    if args.waivers:
        options.waivers = load_waivers(Path(args.waivers))
    if args.ledger:
        if args.ledger_opener is None:
            raise LedgerError("error.ledger", reason=args.ledger)
        options.ledger = args.ledger_opener(args.ledger)
        options.ledger_source = args.ledger
    if not args.no_cache:
        from toolkit.cache import ExtractionCache

        options.cache = ExtractionCache()
    return options


def build_options(*, lang: str, prior_awards: Path | None = None, waivers: Path | None = None,
                  ledger: str | None = None, ledger_opener: Callable[[str], Ledger] | None = None,
                  no_cache: bool = False) -> OptionArgs:
    args = OptionArgs(lang=lang, prior_awards=str(prior_awards) if prior_awards else None,
                      waivers=str(waivers) if waivers else None, ledger=ledger, ledger_opener=ledger_opener,
                      no_cache=no_cache)
    options_from(args)  # validate the files now: a malformed one is misuse (exit 2), not N error rows
    return args


def check_one(folder: str, args: OptionArgs) -> Report | ErrorLine:
    try:
        return check_path(Path(folder), folder, options_from(args)).report
    except DossierError as exc:
        return ErrorLine(dossier=folder, error=exc.render(args.lang))


def batch_exit(results: list[Report | ErrorLine]) -> ExitCode:
    return worst([ExitCode.MISUSE if isinstance(r, ErrorLine) else exit_code(r.verdict) for r in results])


def format_reports(results: list[Report | ErrorLine], fmt: str, lang: str) -> tuple[str, ExitCode]:
    code = batch_exit(results)
    if fmt == "json":
        return "".join(to_json(r) + "\n" for r in results), code
    if fmt == "junit":
        return to_junit(results), code
    if fmt == "sarif":
        return to_sarif(results), code
    if fmt == "markdown":
        parts = [to_markdown(r) if isinstance(r, Report) else f"# {r.dossier}\n\n**error**: {r.error}\n" for r in results]
        return "\n".join(parts), code
    from toolkit.check.formats import terminal_lines

    lines: list[str] = []
    for r in results:
        if isinstance(r, ErrorLine):
            lines.append(f"{r.dossier}: {r.error}")
        else:
            lines += [text for _, text in terminal_lines(r)]
        lines.append("")
    return "\n".join(lines), code
