"""dossier: pre-check, extract and render filings under 沪府办规〔2024〕9号.

The package is laid out as the pipeline it runs:

    read  ->  extract  ->  check  ->  render  ->  review
    (PDF pages)  (typed facts)  (verdict, support)  (forms)  (batches, ledger)

with `model` holding the typed (pydantic) boundary between the stages, `data` and the
top-level `checklists/` and `templates/` holding the policy knowledge, and `cli` a thin
Click layer that no other module imports.
"""

__version__ = "0.1.0"
