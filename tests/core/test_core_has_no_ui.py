"""The core never imports textual (or rich): every module of the services, the store, the
crypto, the demo builders and import_export, found by walking the packages, so a new
module is checked without anyone listing it.

Each module is imported in turn in a fresh interpreter, which names the first one that
brings the UI in (importing all of them in one interpreter keeps the test quick)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import hotline_tui.crypto
import hotline_tui.demo
import hotline_tui.services
import hotline_tui.store
import import_export

PACKAGES = (hotline_tui.services, hotline_tui.store, hotline_tui.crypto, hotline_tui.demo, import_export)
SINGLE = ("hotline_tui.config", "hotline_tui.reference", "hotline_tui.errors")

CHECK = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
    if 'textual' in sys.modules or 'rich' in sys.modules:
        sys.exit(name)
"""


def core_modules() -> list[str]:
    found = [info.name for package in PACKAGES for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return [*SINGLE, *found]


def test_the_walk_finds_the_core() -> None:
    modules = core_modules()
    assert {"hotline_tui.services.intake.importing", "hotline_tui.services.intake.reading", "hotline_tui.store.queue",
            "hotline_tui.crypto.slots", "import_export.reader", "hotline_tui.demo.bulk"} <= set(modules)
    assert len(modules) > 60


def test_no_core_module_imports_textual() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK, *core_modules()], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{result.stderr.strip() or 'textual or rich'} is imported by the core"
