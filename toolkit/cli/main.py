"""The `dossier` command group. Commands are registered in an explicit list below."""

from __future__ import annotations

import click

from toolkit import __version__
from toolkit.cli.base import I18nOption, RootGroup, debug_requested, lang_option, run_guarded


@click.group(cls=RootGroup, help="cli.help", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dossier", help="cli.opt.version", cls=I18nOption)
@click.option("--debug", is_flag=True, help="cli.opt.debug", cls=I18nOption)
@lang_option
@click.pass_context
def cli(ctx: click.Context, debug: bool, lang: str | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    from toolkit.cli import (
        check_cmd,
        extract_cmd,
        init_cmd,
        ledger_cmd,
        lint_cmd,
        measures_cmd,
        render_cmd,
        review_cmd,
        schema_cmd,
    )

    for module in (measures_cmd, extract_cmd, check_cmd, render_cmd, lint_cmd, init_cmd, schema_cmd, ledger_cmd, review_cmd):
        module.register(cli)


_register()


def main() -> None:
    """Console-script entry point."""
    code = run_guarded(lambda: cli.main(prog_name="dossier", standalone_mode=False), debug_requested())
    raise SystemExit(code or 0)
