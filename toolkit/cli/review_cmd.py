"""`dossier review ROOT`: check every dossier below ROOT and write the round's summaries."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from toolkit.cli.base import I18nOption, command, ctx_lang, json_lang
from toolkit.errors import UsageError
from toolkit.i18n import t

OUT_NAMES = {"html": "report.html", "jsonl": "summary.jsonl", "csv": "summary.csv", "xlsx": "summary.xlsx"}


@contextlib.contextmanager
def progress_reporter(lang: str = "en") -> Iterator[tuple[Callable[[int], None], Callable[[Any], None]]]:
    """A rich progress bar on stderr when it is a terminal; nothing at all when piped.

    Yields the batch's (on_start, on_result) callbacks, shared by `check` and `review`.
    """
    if not sys.stderr.isatty():
        yield (lambda total: None), (lambda outcome: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.fields[last]}"), console=Console(stderr=True), transient=True)
    state: dict[str, Any] = {}

    def on_start(total: int) -> None:
        state["task"] = progress.add_task(t("review.progress", lang), total=total, last="")

    def on_result(outcome: Any) -> None:
        progress.update(state["task"], advance=1, last=outcome.display)

    with progress:
        yield on_start, on_result


def register(cli: click.Group) -> None:
    @command(cli, "review", "cli.review.help")
    @click.argument("root", type=click.Path(path_type=Path))
    @click.option("-o", "--output", "html", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.review.opt.html")
    @click.option("--jsonl", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption, help="cli.review.opt.jsonl")
    @click.option("--csv", "csv_", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.review.opt.csv")
    @click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption, help="cli.review.opt.xlsx")
    @click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.review.opt.out_dir")
    @click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, cls=I18nOption, help="cli.check.opt.jobs")
    @click.option("--resume", is_flag=True, cls=I18nOption, help="cli.review.opt.resume")
    @click.option("--no-cache", is_flag=True, cls=I18nOption, help="cli.check.opt.no_cache")
    @click.option("--ledger", default=None, cls=I18nOption, help="cli.check.opt.ledger")
    @click.option("--prior-awards", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.check.opt.prior_awards")
    @click.option("--waivers", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.check.opt.waivers")
    @click.option("--executor", type=click.Choice(["local", "dask"]), default="local", cls=I18nOption,
                  help="cli.review.opt.executor")
    @click.option("--scheduler", default=None, cls=I18nOption, help="cli.review.opt.scheduler")
    @click.pass_context
    def review(ctx: click.Context, root: Path, html: Path | None, jsonl: Path | None, csv_: Path | None,
               xlsx: Path | None, out_dir: Path | None, jobs: int | None, resume: bool, no_cache: bool,
               ledger: str | None, prior_awards: Path | None, waivers: Path | None, executor: str,
               scheduler: str | None, lang: str | None) -> None:
        from toolkit.check.runner import build_options
        from toolkit.review.batch import (
            DaskExecutor,
            LocalExecutor,
            ReviewState,
            discover,
            run_batch,
        )
        from toolkit.review.write import write_outputs

        lang_ = ctx_lang(ctx)
        if executor == "dask" and not scheduler:
            raise UsageError("review.error.no_scheduler")
        if executor == "local" and scheduler:
            raise UsageError("review.error.scheduler_local")
        targets = {"html": html, "jsonl": jsonl, "csv": csv_, "xlsx": xlsx}
        if out_dir is not None:
            for kind, name in OUT_NAMES.items():
                targets[kind] = targets[kind] or out_dir / name
        chosen = {k: v for k, v in targets.items() if v is not None}
        # The resume state goes beside the outputs, but never into /dev for --jsonl /dev/stdout.
        files = [p for p in chosen.values() if not (p.exists() and not p.is_file())]
        state_dir = out_dir or (files[0].parent if files else None)
        if resume and state_dir is None:
            raise UsageError("review.error.resume_needs_output")

        opener = None
        if ledger:
            from toolkit.review.ledger import open_ledger as opener
        # Findings read in the report's language; JSON-only output stays English unless --lang.
        options = build_options(lang=lang_ if "html" in chosen else json_lang(ctx), prior_awards=prior_awards,
                                waivers=waivers, ledger=ledger, ledger_opener=opener, no_cache=no_cache)
        tasks = discover(root, str(root))
        if not tasks:
            raise UsageError("review.error.none_found", root=str(root))
        if chosen:
            from toolkit.dossier import refuse_overwriting_inputs

            refuse_overwriting_inputs(chosen.values(), [Path(task.folder) for task in tasks])
        runner = DaskExecutor(scheduler=scheduler) if executor == "dask" else LocalExecutor(jobs)
        state = ReviewState.open(state_dir) if state_dir is not None else None
        with progress_reporter(lang_) as (on_start, on_result):
            batch = run_batch(tasks, options, runner, state=state, resume=resume, on_start=on_start,
                              on_result=on_result)
        written = write_outputs(batch, chosen, lang=lang_, title=str(root))
        if not chosen:
            from toolkit.review.summaries import rows_of, to_jsonl

            click.echo(to_jsonl(rows_of(batch.outcomes)), nl=False)
        else:
            _print_totals(batch, written, lang_)
        if batch.interrupted:
            click.echo("dossier: " + t("review.interrupted", lang_, done=len(batch.outcomes), total=batch.total),
                       err=True)
        ctx.exit(batch.exit_code())


def _print_totals(batch: Any, written: list[Path], lang: str) -> None:
    from toolkit.review.html import totals_of

    totals = totals_of(batch.outcomes)
    click.echo(t("review.totals_line", lang, count=totals.count, passed=totals.verdicts["pass"],
                 failed=totals.verdicts["fail"], review=totals.verdicts["needs_review"],
                 errors=totals.verdicts["error"], reused=batch.skipped))
    for path in written:
        click.echo(t("review.wrote", lang, path=str(path)))
