"""Identifiers in documents: unified social credit codes and approval/registration numbers.

A USCC is 18 characters whose last one is a check character (GB 32100-2015); only codes
whose check character is right are reported as USCCs (`stdnum.cn.uscc`), a wrong one as a
near miss, so the checker can say "the code on page 1 has a wrong check character" instead
of "no code found". Approval schemes are data: toolkit/data/identifiers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

_USCC_SHAPE = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")


@dataclass(frozen=True)
class CodeMatch:
    start: int
    end: int
    value: str
    valid: bool = True
    scheme: str = "uscc"


def uscc_is_valid(code: str) -> bool:
    try:
        stdnum_uscc.validate(code)
    except ValidationError:
        return False
    return True


def find_usccs(line: str) -> list[CodeMatch]:
    """Every 18-character code shaped like a USCC, with whether its check character holds."""
    return [CodeMatch(m.start(), m.end(), m.group(0), uscc_is_valid(m.group(0)))
            for m in _USCC_SHAPE.finditer(line)]


# Letters a USCC never contains (GB 32100-2015 leaves out I, O, S, V, Z), and the digits OCR
# takes them for: in a USCC these readings are not guesses, the code's alphabet forces them.
_OCR_FIXES = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "l": "1", "o": "0"})


def repair_ocr_uscc(text: str) -> str | None:
    """The USCC in OCR'd text whose letters outside the code's alphabet are read as the digits
    they resemble, if that gives a code whose check character holds; None otherwise."""
    compact = re.sub(r"[\s:：]", "", text)
    for m in re.finditer(r"[0-9A-Za-z]{18}", compact):
        candidate = m.group(0).translate(_OCR_FIXES).upper()
        if uscc_is_valid(candidate):
            return candidate
    return None


@cache
def _schemes() -> list[tuple[str, str, re.Pattern[str]]]:
    from toolkit.resources import DATA_DIR
    from toolkit.yamlio import load_yaml

    data = load_yaml(DATA_DIR / "identifiers.yaml", display="toolkit/data/identifiers.yaml").data
    return [(name, spec["regulator"], re.compile(spec["pattern"])) for name, spec in data["schemes"].items()]


def scheme_names() -> list[str]:
    return [name for name, _, _ in _schemes()]


def scheme_regulator(scheme: str) -> str | None:
    return next((reg for name, reg, _ in _schemes() if name == scheme), None)


def find_approvals(line: str) -> list[CodeMatch]:
    """Approval and registration numbers (NDA/BLA/ANDA/IND, EU/1/…, 国械注准…), left to right."""
    found: list[CodeMatch] = []
    for name, _, pattern in _schemes():
        for m in pattern.finditer(line):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            found.append(CodeMatch(m.start(), m.end(), m.group(0).strip(), True, name))
    return sorted(found, key=lambda x: x.start)


_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*[%％]")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]*\d)")


def find_percents(line: str) -> list[tuple[int, int, Decimal]]:
    return [(m.start(), m.end(), Decimal(m.group(1))) for m in _PERCENT.finditer(line)]


def find_numbers(line: str) -> list[tuple[int, int, Decimal]]:
    out = []
    for m in _NUMBER.finditer(line):
        try:
            out.append((m.start(), m.end(), Decimal(m.group(1).replace(",", ""))))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            continue
    return out
