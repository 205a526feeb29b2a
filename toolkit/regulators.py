"""The regulator list of measure 36a (toolkit/data/regulators.yaml), as data."""

from __future__ import annotations

from functools import cache
from typing import Any

from toolkit.resources import DATA_DIR


@cache
def regulator_table() -> dict[str, dict[str, Any]]:
    import yaml

    with (DATA_DIR / "regulators.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["regulators"]
