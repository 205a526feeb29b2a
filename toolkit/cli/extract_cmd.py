"""`dossier extract FILE...|DIR [--format json|table]` and `dossier cache info|clear`."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.base import I18nGroup, I18nOption, command, ctx_lang
from toolkit.errors import ExitCode
from toolkit.i18n import t


def register(cli: click.Group) -> None:
    @command(cli, "extract", "cli.extract.help")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", cls=I18nOption,
                  help="cli.opt.format")
    @click.option("--kind", default=None, cls=I18nOption, help="cli.extract.opt.kind")
    @click.option("--password", default=None, cls=I18nOption, help="cli.extract.opt.password")
    @click.option("--no-ocr", is_flag=True, cls=I18nOption, help="cli.extract.opt.no_ocr")
    @click.option("--ocr-pages", type=click.IntRange(min=0), default=None, cls=I18nOption, help="cli.extract.opt.ocr_pages")
    @click.option("--max-mb", type=click.IntRange(min=1), default=None, cls=I18nOption, help="cli.extract.opt.max_mb")
    @click.option("--max-pages", type=click.IntRange(min=1), default=None, cls=I18nOption, help="cli.extract.opt.max_pages")
    @click.option("--timeout", "timeout_s", type=click.FloatRange(min=1), default=None, cls=I18nOption,
                  help="cli.extract.opt.timeout")
    @click.option("--no-cache", is_flag=True, cls=I18nOption, help="cli.check.opt.no_cache")
    @click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, cls=I18nOption, help="cli.extract.opt.jobs")
    @click.pass_context
    def extract(ctx: click.Context, paths: tuple[Path, ...], fmt: str, kind: str | None, password: str | None,
                no_ocr: bool, ocr_pages: int | None, max_mb: int | None, max_pages: int | None,
                timeout_s: float | None, no_cache: bool, jobs: int | None, lang: str | None) -> None:
        from dataclasses import replace

        from toolkit.cache import ExtractionCache
        from toolkit.errors import UsageError
        from toolkit.extract.pipeline import extract_paths
        from toolkit.kinds import kind_catalogue
        from toolkit.read.model import ReadSettings
        from toolkit.read.worker import usable_cpus

        missing = next((p for p in paths if not p.exists()), None)
        if missing is not None:
            raise UsageError("error.no_such_path", path=str(missing))
        if kind is not None and kind not in kind_catalogue().kinds:
            raise UsageError("error.unknown_kind", kind=kind, known=", ".join(kind_catalogue().kinds))
        settings = ReadSettings(password=password, ocr=not no_ocr)
        limits = {"ocr_page_budget": ocr_pages, "max_bytes": max_mb * 1024 * 1024 if max_mb else None,
                  "max_pages": max_pages, "timeout_s": timeout_s}
        settings = replace(settings, **{k: v for k, v in limits.items() if v is not None})
        results = extract_paths(list(paths), settings=settings, kind=kind,
                                cache=None if no_cache else ExtractionCache(), jobs=jobs or usable_cpus())
        if fmt == "json":
            for r in results:
                click.echo(r.model_dump_json(by_alias=True))
        else:
            # imported here: it brings the measure catalogue, which JSON output does not need
            from toolkit.present import extraction_table

            click.echo(extraction_table(results, ctx_lang(ctx)))
        ctx.exit(int(ExitCode.FAIL if any(r.error for r in results) else ExitCode.OK))

    @cli.group("cache", help="cli.cache.help", cls=I18nGroup)
    def cache() -> None:
        pass

    @command(cache, "info", "cli.cache.info.help")
    @click.pass_context
    def info(ctx: click.Context, lang: str | None) -> None:
        from toolkit.cache import ExtractionCache

        data = ExtractionCache().info()
        click.echo(t("cache.info", ctx_lang(ctx), **data))

    @command(cache, "clear", "cli.cache.clear.help")
    @click.pass_context
    def clear(ctx: click.Context, lang: str | None) -> None:
        from toolkit.cache import ExtractionCache

        store = ExtractionCache()
        click.echo(t("cache.cleared", ctx_lang(ctx), entries=store.clear(), directory=str(store.root)))

