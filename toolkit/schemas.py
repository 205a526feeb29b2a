"""JSON Schemas of the public contracts, for other tools to validate against.

Committed snapshots live in tests/snapshots/schema-*.json; a test fails when a schema
changes without its snapshot being updated on purpose (`python -m toolkit schema NAME`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

SCHEMAS = ("checklist", "extraction", "manifest", "report")


def _model(name: str) -> type[BaseModel]:
    if name == "manifest":
        from toolkit.model.manifest import Manifest

        return Manifest
    if name == "report":
        from toolkit.model.report import Report

        return Report
    if name == "extraction":
        from toolkit.model.extraction import ExtractionResult

        return ExtractionResult
    from toolkit.model.catalogue import Checklist

    return Checklist


def json_schema(name: str) -> dict[str, Any]:
    if name == "report":
        # A line of `check --format json` is a report, or, for a dossier that cannot be read
        # at all, an error line (interfaces.md §2): the schema admits both.
        from pydantic import TypeAdapter

        from toolkit.model.report import ErrorLine, Report

        schema = TypeAdapter(Report | ErrorLine).json_schema(by_alias=True, mode="serialization")
        schema["title"] = "Report line"
        schema["description"] = ("One line of `dossier check --format json`: a dossier's report, or the error "
                                 "line of a dossier that cannot be read at all")
    else:
        schema = _model(name).model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://dossier.invalid/schema/{name}-1.json"
    return schema
