"""`dossier measures` and `dossier measures show ID`."""

from __future__ import annotations

import click

from toolkit.cli.base import (
    I18nGroup,
    I18nOption,
    command,
    ctx_lang,
    dump_json,
    json_lang,
    lang_option,
)
from toolkit.i18n import t


def register(cli: click.Group) -> None:
    @cli.group("measures", cls=I18nGroup, help="cli.measures.help", invoke_without_command=True)
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", cls=I18nOption, help="cli.opt.format")
    @lang_option
    @click.pass_context
    def measures(ctx: click.Context, fmt: str, lang: str | None) -> None:
        if ctx.invoked_subcommand is not None:
            return
        from toolkit.catalogue import measure_catalogue
        from toolkit.present import measure_rows

        if fmt == "json":
            for row in measure_rows(measure_catalogue(), json_lang(ctx)):
                click.echo(dump_json(row))
            return
        _print_table(ctx_lang(ctx))

    @command(measures, "show", "cli.measures.show.help")
    @click.argument("measure_id")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", cls=I18nOption, help="cli.opt.format")
    @click.pass_context
    def show(ctx: click.Context, measure_id: str, fmt: str, lang: str | None) -> None:
        from toolkit.catalogue import measure
        from toolkit.present import measure_detail, measure_text

        found = measure(measure_id)
        if fmt == "json":
            click.echo(dump_json(measure_detail(found, json_lang(ctx), only_item=_only_item(measure_id))))
        else:
            click.echo(measure_text(found, ctx_lang(ctx), only_item=_only_item(measure_id)))


def _only_item(ref: str) -> str | None:
    from toolkit.catalogue import checklists

    return ref if ref in checklists() else None


def _print_table(lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from toolkit.catalogue import measure_catalogue
    from toolkit.i18n import pick

    cat = measure_catalogue()
    table = Table(show_lines=False, expand=False)
    table.add_column(t("measures.col.number", lang), justify="right")
    table.add_column(t("measures.col.part", lang), justify="right")
    table.add_column(t("measures.col.title", lang))
    table.add_column(t("measures.col.items", lang))
    fundable = 0
    for m in cat.measures:
        fundable += len(m.items)
        table.add_row(str(m.number), str(m.part), pick(m.title, lang),
                      "\n".join(m.items) if m.items else f"[dim]{t('measures.none', lang)}[/dim]")
    console = Console(soft_wrap=False)
    console.print(table)
    console.print(t("measures.footer", lang, total=len(cat.measures), fundable=fundable))
