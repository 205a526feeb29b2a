"""`dossier lint [PATHS] [--format text|junit|github]`: CI checks of templates, checklists, examples, messages."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.base import I18nOption, command, ctx_lang

FORMATS = ["text", "junit", "github"]


def register(cli: click.Group) -> None:
    @command(cli, "lint", "cli.lint.help")
    @click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", cls=I18nOption,
                  help="cli.lint.opt.format")
    @click.pass_context
    def lint(ctx: click.Context, paths: tuple[Path, ...], fmt: str, lang: str | None) -> None:
        from toolkit.lint import FORMATTERS, run_lint

        lang_ = ctx_lang(ctx)
        result = run_lint(list(paths), lang=lang_)
        click.echo(FORMATTERS[fmt](result, lang_), nl=False)
        ctx.exit(result.exit_code)
