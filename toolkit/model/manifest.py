"""The dossier manifest (`dossier.yaml`), exactly as ../shared/spec/interfaces.md §1 defines it.

The schema checks shape only. Whether a USCC's check character is right, or the applicant
is registered in Shanghai, are findings of `check`, not load errors: a reviewer needs the
full report, not the first problem.
"""

from __future__ import annotations

import difflib
from enum import StrEnum
from functools import cache
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from toolkit.model.common import CnyStr, StrictModel, plausible_cny
from toolkit.resources import DATA_DIR

# GB 32100-2015: 18 characters from digits and capital letters without I, O, Z, S, V.
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
USCCShape = Annotated[str, Field(pattern=USCC_PATTERN, description="18 characters of the GB 32100 alphabet")]

FACT_KEYS = ("product", "project", "contract_no", "event")


@cache
def document_kinds() -> tuple[str, ...]:
    """The document kinds of interfaces.md §1, in the order of toolkit/data/kinds.yaml."""
    from toolkit.yamlio import load_packaged

    return tuple(load_packaged(DATA_DIR / "kinds.yaml")["kinds"])


DocKind = StrEnum("DocKind", {k: k for k in document_kinds()})  # type: ignore[misc]


class DocumentRef(StrictModel):
    """One submitted file: its path inside the dossier and, optionally, its kind."""

    file: str = Field(min_length=1, description="path relative to the dossier folder")
    kind: DocKind | None = Field(None, description="classified from the content when absent")
    password: str | None = Field(None, description="for an encrypted PDF")

    @field_validator("file")
    @classmethod
    def _printable(cls, value: str) -> str:
        """No file system takes a NUL in a name, and no file name needs a control character."""
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise PydanticCustomError("schema.control_char", "a file name cannot hold a control character (such as NUL)")
        return value


class Applicant(StrictModel):
    name: str = Field(min_length=1)
    uscc: USCCShape


class Facts(StrictModel):
    """What the applicant declares; each value is cross-checked against the documents."""

    product: str | None = None
    project: str | None = None
    contract_no: str | None = None
    event: str | None = None


class Manifest(StrictModel):
    """One filing for one support item."""

    schema_version: Literal[1] | None = Field(None, alias="schema")
    measure: str = Field(description="a support-item id from MEASURES.md, e.g. m36-overseas-license")
    item: str | None = Field(None, description="sub-item where the measure has several")
    year: int = Field(ge=2024, le=2030, description="the support year the award counts against")
    applicant: Applicant
    documents: list[DocumentRef] = Field(min_length=1)
    requested_cny: Annotated[CnyStr, AfterValidator(plausible_cny)] | None = Field(
        None, description="the amount applied for, in yuan")
    facts: Facts = Field(default_factory=Facts)

    @field_validator("requested_cny", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            raise PydanticCustomError("schema.no_float", "give the amount as a decimal, e.g. \"2500000.00\"")
        return value


MANIFEST_KEYS = tuple(
    (f.alias or name) for name, f in Manifest.model_fields.items()
)


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """The closest known name to a misspelt one (for "did you mean" errors)."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None
