"""One message catalogue for every user-facing text, in Chinese and English.

Why a data catalogue and not gettext: the toolkit has two languages, both maintained by
the team, and most of its text is policy data (measures, rules, document kinds) that
already lives in YAML with `{en: ..., zh: ...}` pairs. One YAML file of keyed messages
(messages/*.yaml beside this module: one file per area, so that each area's owner edits
its own file; a key defined twice is an error) follows the same shape, needs no compile step (.po ->
.mo), diffs well, and is checked for completeness by `dossier lint` and the tests
(`missing_translations`). Placeholders use `str.format` names: `{file}`, `{amount}`.

Language choice: an explicit `--lang` wins; otherwise LC_ALL, LC_MESSAGES, then LANG
(zh_* -> Chinese, anything else -> English). JSON output ignores the environment and is
English unless `--lang` is given (../shared/spec/interfaces.md §2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from toolkit.yamlio import load_packaged

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
CATALOGUE_DIR = Path(__file__).with_name("messages")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message: key -> {en: text, zh: text}, merged from messages/*.yaml."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        data = load_packaged(path) or {}
        for key, entry in data.items():
            if key in merged:
                raise ValueError(f"{path.name}: message key {key!r} is defined twice")  # i18n: not prose (a developer error)
            merged[str(key)] = entry
    return merged


def t(key: str, lang: str = "en", /, **params: Any) -> str:
    """The message `key` in `lang`, with `params` filled in.

    A key missing from the catalogue is a programming error that the completeness test
    catches; at run time it shows the key itself rather than crash a report.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key + (" " + repr(params) if params else "")
    text = entry.get(lang) or entry.get("en") or key
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text + " " + repr(params)


def pick(pair: Mapping[str, str] | str | None, lang: str) -> str:
    """Choose one language from a bilingual `{en:, zh:}` pair in the policy data."""
    if pair is None:
        return ""
    if isinstance(pair, str):
        return pair
    return pair.get(lang) or pair.get("en") or next(iter(pair.values()), "")


def resolve_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> Lang:
    """The language for terminal output: `--lang` if given, else the locale variables."""
    if explicit:
        return "zh" if explicit.lower().startswith("zh") else "en"
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def missing_translations(entries: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Keys whose entry lacks a language or has an empty text (for lint and tests)."""
    entries = catalogue() if entries is None else entries
    problems = []
    for key, entry in entries.items():
        if not isinstance(entry, Mapping):
            problems.append(f"{key}: not an {{en, zh}} mapping")
            continue
        for lang in LANGS:
            if not str(entry.get(lang) or "").strip():
                problems.append(f"{key}: missing '{lang}'")
    return problems
