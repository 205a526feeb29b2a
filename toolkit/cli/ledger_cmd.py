"""`dossier ledger record|list|export`: the award ledger (toolkit/review/ledger.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from toolkit.cli.base import I18nGroup, I18nOption, command, ctx_lang, lang_option
from toolkit.errors import DossierError, ExitCode
from toolkit.paths import shown_path

LEDGER_ENV = "DOSSIER_LEDGER"


def _ledger_option(f):  # type: ignore[no-untyped-def]
    return click.option("--ledger", envvar=LEDGER_ENV, required=True, cls=I18nOption,
                        help="cli.ledger.opt.ledger")(f)


def register(cli: click.Group) -> None:
    @cli.group("ledger", cls=I18nGroup, help="cli.ledger.help")
    @lang_option
    def group(lang: str | None) -> None:
        pass

    @command(group, "record", "cli.ledger.record.help")
    @click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
    @_ledger_option
    @click.option("--from-file", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.ledger.opt.from_file")
    @click.option("--force", is_flag=True, cls=I18nOption, help="cli.ledger.opt.force")
    @click.option("--granted", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, cls=I18nOption,
                  help="cli.ledger.opt.granted")
    @click.option("--no-cache", is_flag=True, cls=I18nOption, help="cli.check.opt.no_cache")
    @click.pass_context
    def record(ctx: click.Context, dirs: tuple[Path, ...], ledger: str, from_file: Path | None, force: bool,
               granted: dt.datetime | None, no_cache: bool, lang: str | None) -> None:
        from toolkit.check.awards import load_prior_awards
        from toolkit.errors import UsageError
        from toolkit.i18n import t
        from toolkit.review.ledger import open_ledger

        lang_ = ctx_lang(ctx)
        if not dirs and from_file is None:
            raise UsageError("ledger.error.nothing")
        imported = load_prior_awards(from_file) if from_file is not None else []
        failed = False
        with open_ledger(ledger) as book:
            if from_file is not None:
                counts = book.record_many(imported, source="import")
                click.echo(t("ledger.imported", lang_, file=str(from_file), **counts))
            for folder in dirs:
                try:
                    done = _record_one(book, folder, lang_, force=force, no_cache=no_cache,
                                       granted=granted.date() if granted else None)
                except DossierError as exc:
                    click.echo(f"dossier: {exc.render(lang_)}", err=True)
                    failed = True
                    continue
                click.echo(done)
        ctx.exit(int(ExitCode.MISUSE if failed else ExitCode.OK))

    @command(group, "list", "cli.ledger.list.help")
    @_ledger_option
    @click.option("--uscc", default=None, cls=I18nOption, help="cli.ledger.opt.uscc")
    @click.option("--year", type=int, default=None, cls=I18nOption, help="cli.ledger.opt.year")
    @click.option("--measure", default=None, cls=I18nOption, help="cli.ledger.opt.measure")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", cls=I18nOption,
                  help="cli.ledger.opt.list_format")
    @click.pass_context
    def list_(ctx: click.Context, ledger: str, uscc: str | None, year: int | None, measure: str | None, fmt: str,
              lang: str | None) -> None:
        from toolkit.review.ledger import open_ledger

        with open_ledger(ledger) as book:
            if fmt == "json":
                click.echo(book.export("json", uscc=uscc, year=year, measure=measure), nl=False)
                return
            entries = book.entries(uscc=uscc, year=year, measure=measure)
        _print_table(entries, ctx_lang(ctx))

    @command(group, "export", "cli.ledger.export.help")
    @_ledger_option
    @click.option("--format", "fmt", type=click.Choice(["csv", "json", "yaml"]), default="csv", cls=I18nOption,
                  help="cli.ledger.opt.export_format")
    @click.option("--uscc", default=None, cls=I18nOption, help="cli.ledger.opt.uscc")
    @click.option("--year", type=int, default=None, cls=I18nOption, help="cli.ledger.opt.year")
    @click.option("--measure", default=None, cls=I18nOption, help="cli.ledger.opt.measure")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), cls=I18nOption,
                  help="cli.ledger.opt.output")
    @click.pass_context
    def export(ctx: click.Context, ledger: str, fmt: str, uscc: str | None, year: int | None, measure: str | None,
               output: Path | None, lang: str | None) -> None:
        from toolkit.i18n import t
        from toolkit.review.ledger import open_ledger

        with open_ledger(ledger) as book:
            text = book.export(fmt, uscc=uscc, year=year, measure=measure)
            count = len(book.entries(uscc=uscc, year=year, measure=measure))
        if output is None:
            click.echo(text, nl=False)
            return
        output.write_text(text, encoding="utf-8")
        click.echo(t("ledger.written", ctx_lang(ctx), count=count, file=str(output)), err=True)


def _record_one(book, folder: Path, lang: str, *, force: bool, no_cache: bool, granted: dt.date | None) -> str:  # type: ignore[no-untyped-def]
    from toolkit.check.engine import CheckOptions
    from toolkit.i18n import t
    from toolkit.i18n.formats import format_money
    from toolkit.review.ledger import record_dossier

    options = CheckOptions(lang=lang)
    if not no_cache:
        from toolkit.cache import ExtractionCache

        options.cache = ExtractionCache()
    done = record_dossier(book, folder, shown_path(folder), options, force=force, granted=granted)
    a = done.award
    return t("ledger.recorded" if done.status == "recorded" else "ledger.already", lang, dossier=shown_path(folder),
             measure=a.measure, year=a.year, amount=format_money(a.amount_cny, lang))


def _print_table(entries: list, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from toolkit.check.awards import total
    from toolkit.i18n import t
    from toolkit.i18n.formats import format_money

    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console = Console(highlight=False, soft_wrap=True, width=240)
    if not entries:
        console.print(t("ledger.empty", lang))
        return
    table = Table(show_lines=False)
    for key, justify in (("id", "right"), ("uscc", "left"), ("applicant", "left"), ("measure", "left"),
                         ("year", "right"), ("amount", "right"), ("claim", "left"), ("dossier", "left"),
                         ("source", "left")):
        table.add_column(t("ledger.col." + key, lang), justify=justify)  # type: ignore[arg-type]
    for e in entries:
        a = e.award
        claim = " / ".join(v for v in (a.product, a.project, a.contract_no, a.event) if v)
        table.add_row(str(e.id), a.applicant_uscc, a.applicant_name, a.measure + (f" ({a.item})" if a.item else ""),
                      str(a.year), format_money(a.amount_cny, lang), claim, a.dossier or "", e.source)
    console.print(table)
    console.print(t("ledger.total", lang, count=len(entries), amount=format_money(total([e.award for e in entries]), lang)))
