"""The typed boundary between the pipeline's stages (pydantic v2).

- common: Money (Decimal + ISO 4217 currency), BBox, Citation, the strict base model
- manifest: the dossier manifest, exactly as ../shared/spec/interfaces.md §1 defines it
- extraction: what `extract` produces per file (§3): fields with provenance
- report: the check report and its findings (§2)
- catalogue: measures and checklists (policy data)
"""
