"""Find user-facing strings that bypass the message catalogue.

A static scan of the toolkit's Python source: text handed straight to the user (echo,
print, rich console output, exception messages of the toolkit's errors, Click help) must
come from `t(...)`/`pick(...)`, not from a literal. Literals that are not prose (paths,
codes, markup, punctuation, format glue such as f"{a}: {b}") pass. `dossier lint` and the
tests run it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

OUTPUT_CALLS = {"echo", "secho", "print", "fail", "abort"}
HELP_KEYWORDS = {"help", "short_help", "epilog"}
PROSE = re.compile(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}|[\u4e00-\u9fff]{2,}")
ALLOWED_MARK = "i18n: not prose"


@dataclass(frozen=True)
class Bypass:
    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: user-facing text outside the catalogue: {self.text!r}"


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return ""


def _call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return ""


def scan_file(path: Path, shown: str) -> list[Bypass]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        candidates: list[ast.AST] = []
        if name in OUTPUT_CALLS:
            candidates += node.args[:1]
        if name.endswith("Error") or name.endswith("Exception"):
            candidates += node.args[:1]
        candidates += [k.value for k in node.keywords if k.arg in HELP_KEYWORDS]
        for arg in candidates:
            text = _literal_text(arg)
            if text and PROSE.search(text) and ALLOWED_MARK not in lines[node.lineno - 1]:
                found.append(Bypass(shown, node.lineno, text[:60]))
    return found


def bypasses(root: Path | None = None) -> list[Bypass]:
    """Every user-facing literal in toolkit/ that should be a catalogue key."""
    pkg = root or Path(__file__).resolve().parent.parent
    out: list[Bypass] = []
    for path in sorted(pkg.rglob("*.py")):
        out += scan_file(path, str(path.relative_to(pkg.parent)))
    return out
