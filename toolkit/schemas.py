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
    model = _model(name)
    schema = model.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://dossier.invalid/schema/{name}-1.json"
    return schema
