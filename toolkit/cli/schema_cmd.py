"""`dossier schema manifest|report|checklist|extraction`: print a JSON Schema."""

from __future__ import annotations

import json

import click

from toolkit.cli.base import command


def register(cli: click.Group) -> None:
    from toolkit.schemas import SCHEMAS

    @command(cli, "schema", "cli.schema.help")
    @click.argument("name", type=click.Choice(sorted(SCHEMAS)))
    def schema(name: str, lang: str | None) -> None:
        from toolkit.schemas import json_schema

        click.echo(json.dumps(json_schema(name), ensure_ascii=False, indent=2))
