"""Code quality gates that run with the suite: ruff, and the layering contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or sys.executable
    args = [ruff, "check", "."] if ruff != sys.executable else [sys.executable, "-m", "ruff", "check", "."]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_layering_contracts_hold():
    """The core never imports the CLI; the pipeline imports only backwards."""
    exe = shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
