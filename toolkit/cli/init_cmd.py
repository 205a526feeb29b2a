"""`dossier init ID DIR`: scaffold a dossier folder for a support item."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.base import I18nOption, command, ctx_lang


def register(cli: click.Group) -> None:
    @command(cli, "init", "cli.init.help")
    @click.argument("item_id")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    @click.option("--item", "sub_item", default=None, cls=I18nOption, help="cli.init.opt.item")
    @click.pass_context
    def init(ctx: click.Context, item_id: str, folder: Path, sub_item: str | None, lang: str | None) -> None:
        from toolkit.i18n import t
        from toolkit.scaffold import scaffold

        lang_ = ctx_lang(ctx)
        manifest = scaffold(item_id, folder, sub_item=sub_item, lang=lang_)
        click.echo(t("init.done", lang_, path=manifest, item=item_id, docs=folder / "documents"))
