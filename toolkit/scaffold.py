"""Scaffold a dossier folder: a commented manifest listing the documents an item needs."""

from __future__ import annotations

from pathlib import Path

from toolkit.catalogue import checklist
from toolkit.dossier import MANIFEST_NAME
from toolkit.errors import ManifestError, UsageError
from toolkit.i18n import pick, t


def manifest_text(item_id: str, sub_item: str | None, lang: str) -> str:
    """The commented `dossier.yaml` for an item: every required document listed."""
    from toolkit.present import kind_name

    cl = checklist(item_id)
    if cl.items and sub_item is not None and sub_item not in cl.items:
        raise UsageError("error.unknown_sub_item", measure=item_id, item=sub_item, known=", ".join(cl.items))
    if not cl.items and sub_item is not None:
        raise UsageError("error.sub_item_none", measure=item_id, item=sub_item)
    chosen = sub_item or (next(iter(cl.items)) if cl.items else None)
    spec = cl.support_for(chosen)
    lines = [
        f"# {t('init.header', lang, item=item_id, title=pick(cl.title, lang))}",
        f"# {t('init.spec', lang)}",
        "schema: 1",
        f"measure: {item_id}",
    ]
    if cl.items:
        lines.append(f"item: {chosen}    # {t('init.item_choices', lang, choices=' | '.join(cl.items))}")
    else:
        lines.append(f"item: null    # {t('init.no_item', lang)}")
    lines += [
        f"year: 2025    # {t('init.year', lang)}",
        f"# {t('init.applicant', lang)}",
        "applicant:",
        "  name: ''",
        "  uscc: ''",
        f"# {t('init.documents', lang)}",
        "documents:",
    ]
    for kind in cl.documents_for(chosen):
        lines.append(f"  - file: documents/{kind.replace('_', '-')}.pdf    # {kind_name(kind, lang)}")
        lines.append(f"    kind: {kind}")
    cap_only = spec.basis is None
    note = t("init.requested_required", lang) if cap_only else ""
    lines += [
        f"# {t('init.requested', lang)} {note}".rstrip(),
        ("requested_cny: '0.00'" if cap_only else "# requested_cny: '0.00'"),
        f"# {t('init.facts', lang)}",
        "facts: {}",
        "",
    ]
    return "\n".join(lines)


def scaffold(item_id: str, folder: Path, sub_item: str | None = None, lang: str = "en") -> Path:
    """Create FOLDER/dossier.yaml and FOLDER/documents/; never overwrite a manifest."""
    text = manifest_text(item_id, sub_item, lang)
    target = folder / MANIFEST_NAME
    if target.exists() or target.is_symlink():
        raise ManifestError("error.manifest_exists", where=str(target))
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": fails rather than overwrite, even in a race
        fh.write(text)
    return target
