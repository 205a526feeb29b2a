"""Open a dossier folder: load its manifest and resolve its documents safely.

Reviewers run the toolkit on folders strangers sent them, so a dossier cannot reach
outside itself: a document path that is absolute, climbs out with `..`, or is a symlink
(or passes through one) leading outside the folder is refused. YAML is loaded with safe
constructors only; nothing in a dossier is executed or written to.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from pydantic import ValidationError

from toolkit.catalogue import checklist
from toolkit.errors import DossierError, ManifestError, PathEscapeError, UsageError
from toolkit.model.catalogue import Checklist
from toolkit.model.manifest import MANIFEST_KEYS, DocumentRef, Manifest, suggest
from toolkit.paths import shown_path
from toolkit.yamlio import YamlDoc, load_yaml, validation_error

MANIFEST_NAME = "dossier.yaml"
NESTED_KEYS = {
    "applicant": ("name", "uscc"),
    "facts": ("product", "project", "contract_no", "event"),
}
DOCUMENT_KEYS = ("file", "kind", "password")


@dataclass(frozen=True)
class Document:
    """A manifest entry resolved to a real file inside the dossier."""

    ref: DocumentRef
    path: Path  # absolute, resolved, inside the dossier folder

    @property
    def file(self) -> str:
        return self.ref.file


@dataclass(frozen=True)
class Dossier:
    """A loaded dossier: its folder, manifest, checklist and documents."""

    root: Path
    display: str
    manifest: Manifest
    checklist: Checklist
    documents: tuple[Document, ...]
    missing: tuple[DocumentRef, ...]  # listed in the manifest, absent on disk

    @property
    def item(self) -> str | None:
        return self.manifest.item


def _check_keys(doc: YamlDoc) -> None:
    """Unknown keys are errors with a "did you mean" (a typo must never be lost)."""
    data = doc.data
    if not isinstance(data, dict):
        raise ManifestError("error.manifest_not_mapping", where=doc.locate(()))
    if "waivers" in data:
        raise ManifestError("error.waivers_in_manifest", where=doc.locate(("waivers",)))

    def unknown(key: object, known: tuple[str, ...], loc: tuple) -> None:
        hint = suggest(str(key), known)
        if hint:
            raise ManifestError("error.unknown_key_hint", where=doc.locate(loc), name=str(key), suggestion=hint)
        raise ManifestError("error.unknown_key", where=doc.locate(loc), name=str(key), known=", ".join(known))

    for key in data:
        if key not in MANIFEST_KEYS:
            unknown(key, MANIFEST_KEYS, (key,))
    for section, known in NESTED_KEYS.items():
        if isinstance(data.get(section), dict):
            for key in data[section]:
                if key not in known:
                    unknown(key, known, (section, key))
    documents = data.get("documents")
    for i, entry in enumerate(documents if isinstance(documents, list) else []):  # else: the schema says what is wrong
        if isinstance(entry, dict):
            for key in entry:
                if key not in DOCUMENT_KEYS:
                    unknown(key, DOCUMENT_KEYS, ("documents", i, key))


def resolve_inside(root: Path, relative: str, where: str) -> Path:
    """The file `relative` names inside `root`, or PathEscapeError if it leads outside.

    Checked on the text (absolute paths, drive letters, `..`) and on the resolved path
    (symlinks anywhere along the way).
    """
    if relative.startswith(("/", "\\")) or PureWindowsPath(relative).drive or os.path.isabs(relative):
        raise PathEscapeError("error.absolute_path", where=where, path=relative)
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts:
        raise PathEscapeError(where=where, path=relative)
    root_real = root.resolve()
    target = (root / relative).resolve()
    if target != root_real and root_real not in target.parents:
        raise PathEscapeError(where=where, path=relative)
    return target


def load_manifest(folder: Path, display: str | None = None) -> tuple[Manifest, YamlDoc]:
    """Parse and validate `dossier.yaml` of `folder` (shape only; no document is opened)."""
    shown = shown_path(display if display is not None else folder)
    if not folder.is_dir():
        raise ManifestError("error.not_a_folder", where=shown)
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise ManifestError("error.no_manifest", where=shown)
    doc = load_yaml(path, ManifestError, display=os.path.join(shown, MANIFEST_NAME))
    _check_keys(doc)
    try:
        manifest = Manifest.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(doc, exc, ManifestError) from None
    return manifest, doc


def open_dossier(folder: Path | str, display: str | None = None) -> Dossier:
    """Load a dossier: manifest, its checklist and sub-item, and its documents resolved."""
    folder = Path(folder)
    shown = shown_path(display if display is not None else folder)
    manifest, doc = load_manifest(folder, shown)
    where_measure = doc.locate(("measure",))
    try:
        found = checklist(manifest.measure)
    except UsageError as exc:  # an unknown id is a manifest error at the line of `measure:`
        raise ManifestError("error.unknown_item", where=where_measure, item=manifest.measure,
                            known=", ".join(sorted(_known_items()))) from exc
    if found.items:
        known = ", ".join(found.items)
        if manifest.item is None:
            raise ManifestError("error.sub_item_required", where=doc.locate(("item",)) if "item" in doc.data else where_measure,
                                measure=manifest.measure, known=known)
        if manifest.item not in found.items:
            raise ManifestError("error.unknown_sub_item", where=doc.locate(("item",)), measure=manifest.measure,
                                item=manifest.item, known=known)
    elif manifest.item is not None:
        raise ManifestError("error.sub_item_none", where=doc.locate(("item",)), measure=manifest.measure, item=manifest.item)

    documents, missing = [], []
    for i, ref in enumerate(manifest.documents):
        where = doc.locate(("documents", i, "file"))
        path = resolve_inside(folder, ref.file, where)
        if path.is_file():
            documents.append(Document(ref=ref, path=path))
        else:
            missing.append(ref)
    return Dossier(root=folder.resolve(), display=shown, manifest=manifest, checklist=found,
                   documents=tuple(documents), missing=tuple(missing))


def _known_items() -> list[str]:
    from toolkit.catalogue import checklists

    return list(checklists())


def own_files(folders: Iterable[Path]) -> set[Path]:
    """The dossiers' own files (each manifest and listed document), resolved: what no output
    of the toolkit may overwrite, since input files are never modified. A manifest that
    cannot be read still protects itself (its error is reported by the command)."""
    found: set[Path] = set()
    for folder in folders:
        found.add((folder / MANIFEST_NAME).resolve())
        try:
            manifest, _ = load_manifest(folder)
        except DossierError:
            continue
        found.update((folder / ref.file).resolve() for ref in manifest.documents)
    return found


def refuse_overwriting_inputs(targets: Iterable[Path], folders: Iterable[Path]) -> None:
    """UsageError when an output path is one of the dossiers' own files (a report written
    over dossier.yaml, a summary over a PDF)."""
    inputs = own_files(folders)
    for target in targets:
        if target.resolve() in inputs:
            raise UsageError("error.output_is_input", path=str(target))
