"""The facts a check reads: a dossier's declared data and its documents' extracted fields.

`FactBase` is the one view rules see. It is built from a real dossier and its extraction
results, or from the small synthetic dossiers of a rule's inline test cases, so rules never
know which: the same code runs in both.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from toolkit.model.common import round_bbox
from toolkit.model.extraction import ExtractedField, ExtractionResult
from toolkit.model.report import Evidence
from toolkit.resources import DATA_DIR


@dataclass(frozen=True)
class Doc:
    """One submitted document as the checker sees it."""

    file: str
    kind: str  # the manifest's kind when given, else the classified one
    result: ExtractionResult

    @property
    def readable(self) -> bool:
        return self.result.readable

    @property
    def unreadable_reason(self) -> dict[str, str]:
        """Why the document cannot be used, in both languages (a message parameter)."""
        from toolkit.i18n import t

        if self.result.error_reason == "encrypted":  # in a dossier the password goes in the manifest
            return {lang: t("check.encrypted_in_dossier", lang, file=self.file) for lang in ("en", "zh")}
        if self.result.error:
            return {lang: self.result.error_text(lang) or self.result.error for lang in ("en", "zh")}
        return {lang: t("check.no_readable_page", lang) for lang in ("en", "zh")}

    def fields(self, name: str) -> list[ExtractedField]:
        return self.result.get(name)

    def first(self, name: str) -> ExtractedField | None:
        return self.result.first(name)


@dataclass
class FactBase:
    """Everything a rule may read about one filing."""

    applicant_name: str
    applicant_uscc: str
    item: str | None
    year: int
    requested_cny: Decimal | None
    declared: dict[str, str]
    docs: list[Doc]
    absent_files: list[str] = field(default_factory=list)  # listed in the manifest, not on disk
    dossier_key: str | None = None

    def of_kind(self, kind: str) -> list[Doc]:
        """Documents that count as `kind` (an institution certificate counts as a licence)."""
        from toolkit.kinds import satisfies

        return [d for d in self.docs if kind in satisfies(d.kind)]

    def readable_of_kind(self, kind: str) -> list[Doc]:
        return [d for d in self.of_kind(kind) if d.readable]

    def values(self, kind: str, name: str) -> list[tuple[Doc, ExtractedField]]:
        return [(d, f) for d in self.readable_of_kind(kind) for f in d.fields(name)]


def evidence(doc: Doc, f: ExtractedField | None = None) -> Evidence:
    """Where a finding rests: the document, and the page/box/text of a field when there is one."""
    if f is None:
        return Evidence(file=doc.file, page=None, text="", bbox=None)
    return Evidence(file=doc.file, page=f.page, text=f.text, bbox=round_bbox(f.bbox))


# --- text normalisation for comparing names and values ---------------------------------

@cache
def _scope() -> dict[str, Any]:
    from toolkit.yamlio import load_packaged

    return load_packaged(DATA_DIR / "scope.yaml")  # type: ignore[no-any-return]


def scope_data() -> dict[str, Any]:
    return _scope()


_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "“": "", "”": "", '"': "", "'": ""})


def normalise_name(name: str) -> str:
    """A company name reduced for comparison: width, case, spaces, brackets, legal-form variants."""
    text = unicodedata.normalize("NFKC", name or "").translate(_BRACKETS).lower()
    text = re.sub(r"\s+", " ", text).strip()
    for variant, canonical in _scope()["name_equivalents"].items():
        text = text.replace(variant.lower(), canonical.lower())
    text = re.sub(r"[\s.,，。·、()]", "", text)
    return text


def normalise_value(value: str) -> str:
    """A product/project/contract value reduced for comparison (width, case, spaces, brackets)."""
    text = unicodedata.normalize("NFKC", value or "").translate(_BRACKETS).lower()
    return re.sub(r"[\s\-_/.,，、:：()《》]", "", text)


def same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and normalise_name(a) == normalise_name(b)  # type: ignore[arg-type]


_TOKENS = re.compile(r"[a-z]+|[0-9]+|[^\W_a-z0-9]")  # Latin words, numbers, and every other letter alone (CJK)


def _tokens(value: str) -> str:
    """The value's tokens, each closed by a separator, so containment falls on token edges."""
    text = unicodedata.normalize("NFKC", value).translate(_BRACKETS).lower()
    return "".join(tok + "\x1f" for tok in _TOKENS.findall(text))


def mentions(container: str | None, value: str | None) -> bool:
    """True when the two values are the same once separators are set aside (HT-2025-001 and
    HT2025001), or one holds the other as whole tokens (CY-101 in "CY-101 (ADC)", in
    "注射用CY-101"), never inside a longer number or word: CY-101 is not CY-1015."""
    if not container or not value:
        return False
    a, b = normalise_value(container), normalise_value(value)
    if not (a and b):
        return False
    if a == b:
        return True
    ta, tb = "\x1f" + _tokens(container), "\x1f" + _tokens(value)
    return ta in tb or tb in ta


def field_text(f: ExtractedField) -> str:
    """A field's value as text for matching (party -> name, approval -> number, money -> amount)."""
    value = f.value
    for attr in ("name", "number"):
        if hasattr(value, attr):
            return str(getattr(value, attr))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def party_of(doc: Doc, role: str) -> list[ExtractedField]:
    return [f for f in doc.fields("party") if getattr(f.value, "role", None) == role]


def is_applicant(facts: FactBase, name: str | None, uscc: str | None) -> bool:
    """A party is the applicant when its USCC or its normalised name matches the manifest's.

    Either suffices: a mistyped code in the manifest is COMMON-USCC's finding, not a reason
    to call the applicant a stranger in every other rule.
    """
    if uscc and uscc.upper() == facts.applicant_uscc.upper():
        return True
    return same_name(name, facts.applicant_name)


def unique(items: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
