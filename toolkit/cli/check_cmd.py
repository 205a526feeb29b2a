"""`dossier check DIR... [--format text|json|junit|sarif|markdown]` and `dossier rules [CODE]`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.base import I18nOption, command, ctx_lang, json_lang
from toolkit.i18n import t

if TYPE_CHECKING:
    from toolkit.check.runner import OptionArgs

FORMATS = ["text", "json", "junit", "sarif", "markdown"]


def register(cli: click.Group) -> None:
    @command(cli, "check", "cli.check.help")
    @click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", cls=I18nOption, help="cli.opt.format")
    @click.option("--prior-awards", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.check.opt.prior_awards")
    @click.option("--waivers", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption, help="cli.check.opt.waivers")
    @click.option("--ledger", default=None, cls=I18nOption, help="cli.check.opt.ledger")
    @click.option("--no-cache", is_flag=True, cls=I18nOption, help="cli.check.opt.no_cache")
    @click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, cls=I18nOption, help="cli.check.opt.jobs")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption, help="cli.check.opt.output")
    @click.pass_context
    def check(ctx: click.Context, dirs: tuple[Path, ...], fmt: str, prior_awards: Path | None, waivers: Path | None,
              ledger: str | None, no_cache: bool, jobs: int | None, output: Path | None, lang: str | None) -> None:
        from toolkit.check.runner import build_options, format_reports

        if output is not None:
            from toolkit.dossier import refuse_overwriting_inputs

            refuse_overwriting_inputs([output], dirs)

        report_lang = ctx_lang(ctx) if fmt in ("text", "markdown") else json_lang(ctx)
        opener = None
        if ledger:
            from toolkit.review.ledger import open_ledger as opener
        options = build_options(lang=report_lang, prior_awards=prior_awards, waivers=waivers, ledger=ledger,
                                ledger_opener=opener, no_cache=no_cache)
        results, interrupted = _check_all([str(d) for d in dirs], options, jobs)
        text, code = format_reports(results, fmt, ctx_lang(ctx))
        if output is not None:
            output.write_text(text, encoding="utf-8")
        elif fmt == "text":
            _print_terminal(results, ctx_lang(ctx))
        else:
            click.echo(text, nl=False)
        if interrupted:
            click.echo("dossier: " + t("review.interrupted", ctx_lang(ctx), done=len(results), total=len(dirs)), err=True)
            ctx.exit(130)
        ctx.exit(int(code))

    @command(cli, "rules", "cli.rules.help")
    @click.argument("code", required=False)
    @click.option("--item", default=None, cls=I18nOption, help="cli.rules.opt.item")
    @click.pass_context
    def rules(ctx: click.Context, code: str | None, item: str | None, lang: str | None) -> None:
        from toolkit.check.docs import rule_doc, rule_index

        lang_ = ctx_lang(ctx)
        click.echo(rule_doc(code, lang_) if code else rule_index(lang_, item))


def _check_all(folders: list[str], options: OptionArgs, jobs: int | None) -> tuple[list, bool]:
    """One dossier: checked here, and one that cannot be read is exit 2 (a DossierError).
    Several: the batch runner `dossier review` uses (worker processes, progress on a
    terminal, error rows, Ctrl-C keeps the finished ones), in argument order."""
    if len(folders) == 1:  # its files read on every core (several dossiers: one per core)
        from toolkit.check.engine import check_path
        from toolkit.check.runner import options_from
        from toolkit.read.worker import usable_cpus

        alone = options_from(options)
        alone.read_jobs = jobs or usable_cpus()
        return [check_path(Path(folders[0]), folders[0], alone).report], False
    # the batch runner's, imported only for several dossiers
    from toolkit.cli.review_cmd import progress_reporter
    from toolkit.review.batch import LocalExecutor, run_batch, tasks_for

    with progress_reporter() as (on_start, on_result):
        batch = run_batch(tasks_for(folders), options, LocalExecutor(jobs), on_start=on_start,
                          on_result=on_result)
    return [o.result for o in batch.outcomes], batch.interrupted


def _print_terminal(results: list, lang: str) -> None:
    from rich.console import Console
    from rich.text import Text

    from toolkit.check.formats import terminal_lines
    from toolkit.model.report import ErrorLine

    console = Console(highlight=False, soft_wrap=True)
    for i, r in enumerate(results):
        if i:
            console.print()
        if isinstance(r, ErrorLine):
            console.print(Text(f"{r.dossier}: {r.error}", style="bold red"))
            continue
        for style, line in terminal_lines(r):
            console.print(Text(line, style=style or ""))

