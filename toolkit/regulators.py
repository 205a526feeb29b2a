"""The regulator list of measure 36a (toolkit/data/regulators.yaml), as data."""

from __future__ import annotations

from functools import cache
from typing import Any

from toolkit.resources import DATA_DIR


@cache
def regulator_table() -> dict[str, dict[str, Any]]:
    from toolkit.yamlio import load_packaged

    return load_packaged(DATA_DIR / "regulators.yaml")["regulators"]  # type: ignore[no-any-return]
