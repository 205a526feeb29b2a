"""`dossier render DIR -o FORM.docx [--format docx|md|html] [--strict] [--pdf]`: the application form."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from toolkit.cli.base import I18nOption, command, ctx_lang
from toolkit.errors import ExitCode, UsageError

FORMATS = ["docx", "md", "html"]
SUFFIXES = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def choose_format(fmt: str | None, output: Path | None) -> str:
    """--format wins; else the output's suffix; else DOCX."""
    if fmt:
        return fmt
    if output is not None and output.suffix.lower() in SUFFIXES:
        return SUFFIXES[output.suffix.lower()]
    return "docx"


def _write(path: Path, data: bytes) -> None:
    """Write beside the target and rename over it, so a form is never half written; a
    target that is not a regular file (a pipe, a device) is written to, never replaced."""
    tmp = path.with_name(path.name + ".part")
    try:
        if path.exists() and not path.is_file():  # a device or a pipe: renaming over it would replace it
            path.write_bytes(data)
            return
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError("render.error.output", path=str(path), reason=exc.strerror or str(exc)) from None


def register(cli: click.Group) -> None:
    @command(cli, "render", "cli.render.help")
    @click.argument("folder", type=click.Path(path_type=Path))
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, cls=I18nOption,
                  help="cli.render.opt.output")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, cls=I18nOption,
                  help="cli.render.opt.format")
    @click.option("--strict", is_flag=True, cls=I18nOption, help="cli.render.opt.strict")
    @click.option("--pdf", is_flag=True, cls=I18nOption, help="cli.render.opt.pdf")
    @click.option("--prior-awards", type=click.Path(dir_okay=False, path_type=Path), default=None, cls=I18nOption,
                  help="cli.render.opt.prior_awards")
    @click.option("--no-cache", is_flag=True, cls=I18nOption, help="cli.render.opt.no_cache")
    @click.pass_context
    def render(ctx: click.Context, folder: Path, output: Path | None, fmt: str | None, strict: bool, pdf: bool,
               prior_awards: Path | None, no_cache: bool, lang: str | None) -> None:
        from toolkit.check.runner import OptionArgs, options_from
        from toolkit.i18n import t
        from toolkit.render.form import render_dossier

        lang_ = ctx_lang(ctx)
        fmt_ = choose_format(fmt, output)
        if fmt_ == "docx" and (output is None or str(output) == "-"):
            raise UsageError("render.error.format")
        if pdf and fmt_ != "docx":
            raise UsageError("render.error.pdf_format")
        if output is not None and str(output) != "-":
            targets = [output] + ([output.with_suffix(".pdf")] if pdf else [])
            from toolkit.dossier import own_files

            inputs = own_files([folder])
            for target in targets:
                if target.resolve() in inputs:
                    raise UsageError("render.error.same_as_input", path=str(target))
        # the extraction cache is used when this installation has it (toolkit.cache)
        no_cache = no_cache or importlib.util.find_spec("toolkit.cache") is None
        options = options_from(OptionArgs(lang=lang_, prior_awards=str(prior_awards) if prior_awards else None,
                                          no_cache=no_cache))
        result = render_dossier(folder, str(folder), lang=lang_, fmt=fmt_, options=options)  # type: ignore[arg-type]
        for path in result.missing:
            click.echo(t("render.warn.missing", lang_, path=path), err=True)
        if output is None or str(output) == "-":
            click.echo(result.data.decode("utf-8"), nl=False)
        else:
            _write(output, result.data)
            click.echo(t("render.written", lang_, path=str(output)), err=True)
            if pdf:
                from toolkit.render.pdf import docx_to_pdf

                pdf_path = output.with_suffix(".pdf")
                _write(pdf_path, docx_to_pdf(result.data))
                click.echo(t("render.written", lang_, path=str(pdf_path)), err=True)
        if strict and result.missing:
            click.echo(t("render.warn.strict", lang_, count=len(result.missing)), err=True)
            ctx.exit(ExitCode.FAIL)
