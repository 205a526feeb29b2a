"""Schema export, and committed snapshots that fail when a contract changes by accident.

To change a contract on purpose: `python -m toolkit schema NAME > tests/snapshots/schema-NAME.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.main import cli
from toolkit.schemas import SCHEMAS

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_matches_snapshot(name):
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0
    current = json.loads(result.output)
    snapshot = json.loads((SNAPSHOTS / f"schema-{name}.json").read_text(encoding="utf-8"))
    assert current == snapshot, f"the {name} schema changed; update tests/snapshots/schema-{name}.json on purpose"


def test_unknown_schema_is_misuse():
    result = CliRunner().invoke(cli, ["schema", "nope"])
    assert result.exit_code == 2
