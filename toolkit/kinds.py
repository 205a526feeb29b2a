"""The document kinds and their extraction knowledge (toolkit/data/kinds.yaml), validated."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field

from toolkit.model.common import StrictModel
from toolkit.resources import DATA_DIR


class FieldSpec(StrictModel):
    type: Literal["text", "date", "money", "uscc", "percent", "number", "party", "shareholder", "approval", "regulator"]
    labels: list[str] = Field(min_length=1)
    many: bool = False
    find: Literal["label", "phrase", "anywhere"] = Field(
        "label",
        description="label: the value follows a label at the start of a line (名称：…); phrase: one of the "
        "labels itself is the value, wherever it stands (a declaration's 不存在关联关系); anywhere: a "
        "value recognised by its pattern anywhere in the document, lines with a label preferred",
    )


class Cues(StrictModel):
    title: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


class KindSpec(StrictModel):
    names: dict[Literal["en", "zh"], str]
    cues: Cues
    stands_for: str | None = None
    roles: dict[str, str] = Field(default_factory=dict)
    fields: dict[str, FieldSpec] = Field(default_factory=dict)


class Blocks(StrictModel):
    """Labels that structure a document across fields: a party's code, a table's total row."""

    uscc_labels: list[str] = Field(default_factory=list)
    total_labels: list[str] = Field(default_factory=list)


class KindCatalogue(StrictModel):
    schema_version: Literal[1] = Field(1, alias="schema")
    blocks: Blocks = Field(default_factory=Blocks)
    kinds: dict[str, KindSpec]


@cache
def kind_catalogue() -> KindCatalogue:
    from toolkit.errors import ChecklistError
    from toolkit.yamlio import load_yaml, parse

    doc = load_yaml(DATA_DIR / "kinds.yaml", ChecklistError, display="toolkit/data/kinds.yaml")
    return parse(doc, KindCatalogue, ChecklistError)


def kind_spec(kind: str) -> KindSpec:
    return kind_catalogue().kinds[kind]


def satisfies(kind: str) -> set[str]:
    """The kinds a document of `kind` counts as (itself, and what it stands for)."""
    spec = kind_catalogue().kinds.get(kind)
    return {kind} | ({spec.stands_for} if spec and spec.stands_for else set())
