"""The security officer's services and queries never import textual (or rich)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "hotline_tui.services.verification",
    "hotline_tui.services.verification_report",
    "hotline_tui.services.keyring_desk",
    "hotline_tui.services.audit_log",
    "hotline_tui.services.quarantine",
    "hotline_tui.services.overview",
    "hotline_tui.store.quarantine",
    "hotline_tui.store.audit",
]


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; sys.exit('textual' in sys.modules or 'rich' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
