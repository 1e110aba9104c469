"""The core never imports textual: each module is imported in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "hotline_tui.config",
    "hotline_tui.reference",
    "hotline_tui.errors",
    "hotline_tui.crypto.kdf",
    "hotline_tui.crypto.slots",
    "hotline_tui.crypto.personal",
    "hotline_tui.store.connection",
    "hotline_tui.store.schema",
    "hotline_tui.store.users",
    "hotline_tui.store.audit",
    "hotline_tui.store.keyring",
    "hotline_tui.services.permissions",
    "hotline_tui.services.session",
    "hotline_tui.services.audit",
    "hotline_tui.services.workspace",
    "hotline_tui.services.store_check",
    "hotline_tui.services.users",
    "hotline_tui.services.keys",
    "import_export.reader",
    "import_export.writer",
]


@pytest.mark.parametrize("module", CORE)
def test_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; sys.exit('textual' in sys.modules or 'rich' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
