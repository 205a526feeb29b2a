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


def usage_message(exc: click.ClickException, lang: str) -> str:
    """Click's usage errors as one line in the user's language, with where to look for help."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "dossier"
    if isinstance(exc, click.NoSuchOption):
        text = t("cli.err.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            text += t("cli.err.did_you_mean", lang, options=", ".join(sorted(exc.possibilities)))
    elif isinstance(exc, click.MissingParameter):
        name = exc.param.human_readable_name if exc.param is not None else "?"
        text = t("cli.err.missing", lang, name=name)
    elif isinstance(exc, click.BadParameter):
        name = exc.param.human_readable_name if exc.param is not None else (exc.param_hint or "?")
        text = t("cli.err.bad_value", lang, name=name, detail=exc.message)
    else:
        text = t("cli.err.usage", lang, detail=exc.format_message())
    return f"{where}: {text} " + t("cli.err.see_help", lang, command=where)


class RootGroup(I18nGroup):
    """The `dossier` group: a DossierError in any command is one line and exit 2, and so is
    a usage error (in the user's language)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            if standalone_mode:
                raise SystemExit(rv if isinstance(rv, int) else 0)
            return rv
        except click.exceptions.Exit as exc:
            if standalone_mode:
                raise SystemExit(exc.exit_code) from None
            return exc.exit_code
        except click.ClickException as exc:
            click.echo(usage_message(exc, ctx_lang(getattr(exc, "ctx", None))), err=True)
            if standalone_mode:
                raise SystemExit(exc.exit_code) from None
            return exc.exit_code
        except click.exceptions.Abort:
            click.echo("dossier: interrupted", err=True)
            if standalone_mode:
                raise SystemExit(130) from None
            return 130

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
    except OSError as exc:  # the machine, not the toolkit: a full disk, a permission, a vanished file
        if debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo("dossier: " + t("error.system", ctx_lang(None), detail=where + (exc.strerror or str(exc))), err=True)
        return ExitCode.MISUSE
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
