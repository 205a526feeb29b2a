"""What every command shares: localised help, `--lang`/`--debug`, error handling, output.

Help texts are catalogue keys, translated when help is shown, so `dossier --help` reads in
the user's language. A DossierError becomes one line on stderr and exit 2; anything
unexpected becomes one line too (with `--debug`, the traceback).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import click

from toolkit.errors import DossierError, ExitCode
from toolkit.i18n import resolve_lang, t


def argv_lang() -> str | None:
    """`--lang` as given on the command line, before Click has parsed it (for --help)."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def ctx_lang(ctx: click.Context | None) -> str:
    """The output language for terminal text: --lang (any level), else the locale."""
    while ctx is not None:
        value = ctx.params.get("lang")
        if value:
            return resolve_lang(value)
        ctx = ctx.parent
    return resolve_lang(argv_lang())


def json_lang(ctx: click.Context | None) -> str:
    """JSON is English unless --lang was given explicitly (LANG does not change JSON)."""
    while ctx is not None:
        value = ctx.params.get("lang")
        if value:
            return resolve_lang(value)
        ctx = ctx.parent
    explicit = argv_lang()
    return resolve_lang(explicit) if explicit else "en"


class I18nOption(click.Option):
    """An option whose help is a catalogue key."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        key = self.help
        if key and "." in key and " " not in key:
            self.help = t(key, ctx_lang(ctx))
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = key


class I18nCommand(click.Command):
    """A command whose help is a catalogue key."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return _first_line(t(self.help or "", ctx_lang(click.get_current_context(silent=True))), limit)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(t(self.help or "", ctx_lang(ctx)))

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = t("cli.opt.help", ctx_lang(ctx))
        return option


class I18nGroup(I18nCommand, click.Group):
    command_class = I18nCommand
    group_class = type

    def get_short_help_str(self, limit: int = 45) -> str:
        return I18nCommand.get_short_help_str(self, limit)


class RootGroup(I18nGroup):
    """The `dossier` group: a DossierError in any command is one line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DossierError as exc:
            if (ctx.obj or {}).get("debug") or debug_requested():
                traceback.print_exc()
            click.echo(f"dossier: {exc.render(ctx_lang(ctx))}", err=True)
            ctx.exit(ExitCode.MISUSE)


def _first_line(text: str, limit: int) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def lang_option(f: Callable) -> Callable:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=None, cls=I18nOption,
                        help="cli.opt.lang", is_eager=True)(f)


def command(group: click.Group, name: str, help_key: str, **kw: Any) -> Callable:
    """Register a localised subcommand with --lang on it."""

    def decorator(f: Callable) -> click.Command:
        return group.command(name, cls=I18nCommand, help=help_key, **kw)(lang_option(f))

    return decorator


def fail(error: DossierError, ctx: click.Context | None = None) -> None:
    """Print a DossierError as one line in the user's language and exit 2."""
    click.echo(f"dossier: {error.render(ctx_lang(ctx))}", err=True)
    raise SystemExit(ExitCode.MISUSE)


def run_guarded(invoke: Callable[[], Any], debug: bool) -> Any:
    """Call the Click entry point; turn errors into one line (a traceback only with --debug)."""
    try:
        return invoke()
    except DossierError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"dossier: {exc.render(ctx_lang(None))}", err=True)
        return ExitCode.MISUSE
    except click.ClickException as exc:  # Click's own usage errors: its message, exit 2
        exc.show()
        return exc.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("dossier: interrupted", err=True)
        return 130
    except (SystemExit, click.exceptions.Exit):
        raise
    except Exception as exc:  # the last line of defence: never a traceback for users
        if debug:
            traceback.print_exc()
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
        click.echo("dossier: " + t("error.internal", ctx_lang(None), detail=detail), err=True)
        return ExitCode.MISUSE


def dump_json(obj: Any) -> str:
    """Stable JSON: UTF-8 kept, keys in model order, no float anywhere."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def echo_lines(lines: Iterable[str]) -> None:
    for line in lines:
        click.echo(line)


def debug_requested() -> bool:
    return "--debug" in sys.argv[1:] or os.environ.get("DOSSIER_DEBUG") == "1"
