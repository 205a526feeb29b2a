"""Where the shipped policy knowledge lives: checklists/, templates/ and toolkit/data/.

In a source checkout (and an editable install) checklists/ and templates/ sit at the
repository's top level; a wheel carries them inside the package as toolkit/_shipped/
(pyproject.toml, hatch force-include). Both layouts are found here, nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def _shipped(name: str) -> Path:
    for candidate in (PACKAGE_DIR / "_shipped" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the toolkit's {name}/ folder is missing from this installation")  # i18n: not prose (a broken install)


@cache
def checklists_dir() -> Path:
    return _shipped("checklists")


@cache
def templates_dir() -> Path:
    return _shipped("templates")
