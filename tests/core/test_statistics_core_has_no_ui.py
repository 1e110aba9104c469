"""Outcomes, statistics, export and retention: services and queries import no textual (or rich)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "hotline_tui.services.outcomes",
    "hotline_tui.services.statistics",
    "hotline_tui.services.statistics_figures",
    "hotline_tui.services.statistics_export",
    "hotline_tui.services.retention",
    "hotline_tui.store.statistics",
    "hotline_tui.store.statistics_archive",
    "hotline_tui.store.statistics_drill",
    "hotline_tui.store.retention",
    "hotline_tui.store.outcomes",
    "hotline_tui.demo.bulk",
    "hotline_tui.demo.history",
]


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; sys.exit('textual' in sys.modules or 'rich' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
