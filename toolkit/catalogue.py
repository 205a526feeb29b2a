"""Load the measure catalogue (toolkit/data/measures.yaml) and the checklists.

A broken file is a ChecklistError naming the file, the line and the field, e.g.
`checklists/m24-cmo-production.yaml:41: support.caps.0.amount.values: ...`.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from toolkit.errors import ChecklistError, UsageError
from toolkit.model.catalogue import Checklist, Measure, MeasureCatalogue
from toolkit.resources import DATA_DIR, checklists_dir
from toolkit.yamlio import load_yaml, parse


@cache
def measure_catalogue() -> MeasureCatalogue:
    doc = load_yaml(DATA_DIR / "measures.yaml", ChecklistError)
    return parse(doc, MeasureCatalogue, ChecklistError)


COMMON_FILE = "_common.yaml"


@cache
def common_rules(folder: Path | None = None) -> tuple[dict, ...]:
    """The rules every item shares (checklists/_common.yaml), as raw rule mappings."""
    path = (folder or checklists_dir()) / COMMON_FILE
    doc = load_yaml(path, ChecklistError, display=f"checklists/{COMMON_FILE}")
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("rules"), list):
        raise ChecklistError("error.schema", where=doc.locate(("rules",)), field="rules", problem="a list of rules is required")
    return tuple(doc.data["rules"])


def load_checklist(path: Path, display: str | None = None) -> Checklist:
    """One checklist file with the shared rules first, validated (rule parameters by toolkit.check).

    The shared rules take the item's measure and id in their citations.
    """
    doc = load_yaml(path, ChecklistError, display=display)
    if isinstance(doc.data, dict) and isinstance(doc.data.get("rules", []), list):
        shared = []
        for rule in common_rules(path.parent):
            rule = dict(rule)
            rule["citation"] = {"measure": doc.data.get("measure"), "item": doc.data.get("id"), **rule.get("citation", {})}
            shared.append(rule)
        doc.data = {**doc.data, "rules": shared + list(doc.data.get("rules", []))}
    checklist = parse(doc, Checklist, ChecklistError)
    if checklist.id != path.stem:
        raise ChecklistError("error.checklist_name", where=doc.locate(("id",)), id=checklist.id, stem=path.stem)
    return checklist


def checklist_paths(folder: Path | None = None) -> list[Path]:
    """Item checklists (m<NN>-<name>.yaml); files starting with `_` are shared parts."""
    return sorted(p for p in (folder or checklists_dir()).glob("*.yaml") if not p.name.startswith("_"))


@cache
def checklists() -> dict[str, Checklist]:
    """Every shipped checklist by item id, in id order."""
    return {c.id: c for c in (load_checklist(p, display=f"checklists/{p.name}") for p in checklist_paths())}


def checklist(item_id: str) -> Checklist:
    found = checklists().get(item_id)
    if found is None:
        raise UsageError("error.unknown_item", item=item_id, known=", ".join(checklists()))
    return found


def measure(ref: str) -> Measure:
    """A measure by number ("36"), by support-item id ("m36-overseas-license") or "m36"."""
    cat = measure_catalogue()
    text = ref.strip().lower()
    number = None
    if text.isdigit():
        number = int(text)
    elif text in checklists():
        number = checklists()[text].measure
    elif text.startswith("m") and text[1:3].isdigit() and len(text) <= 3:
        number = int(text[1:3])
    if number is None or not 1 <= number <= 37:
        raise UsageError("error.unknown_measure", ref=ref)
    return cat.measures[number - 1]


def checklist_digest(item_ids: list[str] | None = None) -> str:
    """sha256 over the checklist files a verdict rests on (all of them when None)."""
    h = hashlib.sha256()
    folder = checklists_dir()
    for path in [folder / COMMON_FILE, *checklist_paths(folder)]:
        if item_ids is None or path.stem in item_ids or path.name == COMMON_FILE:
            h.update(path.name.encode())
            h.update(b"\0")
            h.update(path.read_bytes())
    return "sha256:" + h.hexdigest()
