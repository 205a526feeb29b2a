"""Shared fixtures: the repository, the real-world corpus, and optional system tools.

Outside CI a test that needs a missing tool (Tesseract, LibreOffice, Chromium, PostgreSQL)
or the ../shared/corpus folder skips and says why; with CI=true it fails instead, so CI
proves every feature for real.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
POLICY = ROOT.parent / "shared" / "policy"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(condition: bool, reason: str) -> None:
    """Skip (outside CI) or fail (in CI) when a test's prerequisite is missing."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"CI requires it: {reason}")
    pytest.skip(reason)


def need_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"{name} is not installed (Debian package {package})")
    assert path is not None
    return path


@pytest.fixture
def corpus() -> Path:
    need(CORPUS.is_dir(), f"the real-world corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture
def policy_dir() -> Path:
    need(POLICY.is_dir(), f"the policy folder is not at {POLICY}")
    return POLICY
