"""Fixtures for the interop tests: the stock programs, and the parties of the bundle tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "import_export"))
import bundlekit  # noqa: E402

STOCK = ("age", "age-keygen", "minisign", "tar", "sha256sum")


@pytest.fixture(scope="session")
def stock() -> dict[str, str]:
    """The stock programs by name: missing ones fail the test under CI, skip it elsewhere."""
    return bundlekit.require_tools(*STOCK)


@pytest.fixture(scope="session")
def parties() -> bundlekit.Parties:
    return bundlekit.make_parties()
