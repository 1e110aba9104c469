"""Helpers for the security officer's Pilot and snapshot tests.

The demo room is built with every random choice fixed (minisign keys, age identities,
bundle ids and times, the audit log's clock), so key ids, recipients and audit hashes
are the same on every run; each test copies it into its own working directory (the
screens show ``room/media``). The app's sessions run on a fixed clock too.
"""

from __future__ import annotations

import asyncio
import functools
import random
import shutil
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nacl.signing
import pyrage
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from uikit import settle, type_text

from hotline_tui.app import HotlineApp
from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo import room as demo_module
from hotline_tui.demo.room import DEMO_ACCOUNTS, DemoRoom, build_demo_room
from hotline_tui.screens import unlock_screen
from hotline_tui.services.people import workspace
from hotline_tui.services.people.workspace import create_workspace, unlock
from import_export import agekeys, writer
from import_export.minisign import SecretKey

BUILT = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
APP_NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
SIZE = (140, 42)
PASSWORDS = {account.name: account.password for account in DEMO_ACCOUNTS}
PILOT_TIMEOUT = 60.0

_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: list[int]) -> int:
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


def _bech32(hrp: str, data: bytes) -> str:
    """BIP 173 bech32, as age writes its identities."""
    bits, acc, words = 0, 0, []
    for byte in data:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            words.append((acc >> bits) & 31)
    if bits:
        words.append((acc << (5 - bits)) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _polymod(expanded + words + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32[w] for w in words + checksum)


def fix_randomness(patch: pytest.MonkeyPatch, seed: int) -> None:
    """Minisign keys, age identities and bundle ids from a seeded generator."""
    rng = random.Random(seed)

    def generate(cls: type[SecretKey]) -> SecretKey:
        signing = nacl.signing.SigningKey(rng.randbytes(32))
        return cls(rng.randbytes(8), bytes(signing) + bytes(signing.verify_key))

    def identity() -> pyrage.x25519.Identity:
        return pyrage.x25519.Identity.from_str(_bech32("age-secret-key-", rng.randbytes(32)).upper())

    patch.setattr(SecretKey, "generate", classmethod(generate))
    patch.setattr(agekeys, "generate_identity", identity)
    patch.setattr(workspace, "generate_identity", identity)
    patch.setattr(writer.uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))


@contextmanager
def fixed_randomness(seed: int = 7) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        fix_randomness(patch, seed)
        yield


def build_template(root: Path) -> DemoRoom:
    """Built from inside ``root``'s parent, so the paths it records read ``room/...``."""
    with fixed_randomness(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "utc_now", lambda: BUILT - timedelta(hours=1))
        patch.setattr(demo_module, "create_workspace", functools.partial(create_workspace, clock=lambda: BUILT))
        patch.chdir(root.parent)
        build_demo_room(Path(root.name), kdf=KdfParams.for_tests(), now=BUILT)
    return layout(root)


def layout(root: Path) -> DemoRoom:
    return DemoRoom(root, root / "workspace", root / "media", root / "secrets")


def copy_room(template: DemoRoom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoRoom:
    """A copy as ``room/`` in the test's working directory; the app's clock fixed."""
    shutil.copytree(template.root, tmp_path / "room")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(unlock_screen, "unlock", functools.partial(unlock, clock=app_clock))
    fix_randomness(monkeypatch, 8)  # keys made during the test (new users, rotations) too
    return layout(Path("room"))


def app_clock() -> datetime:
    return APP_NOW


def settings_for(room: DemoRoom) -> Settings:
    return Settings(workspace=room.workspace, media_dirs=(room.media,), kdf=KdfParams.for_tests(), demo=True,
                    scan_mounts=False)


def make_app(room: DemoRoom) -> HotlineApp:
    app = HotlineApp(settings_for(room), demo_credentials=DEMO_ACCOUNTS)
    app.animation_level = "none"
    return app


def session_for(room: DemoRoom, name: str = "officer", password: str | None = None):  # noqa: ANN201
    return unlock(settings_for(room), name, password or PASSWORDS[name], app_clock)


def pilot_test(scenario: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an ``async def`` test in a fresh event loop (no asyncio plugin is installed)."""

    @functools.wraps(scenario)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(asyncio.wait_for(scenario(*args, **kwargs), PILOT_TIMEOUT))

    return run


async def sign_in(pilot: Pilot[Any], name: str = "officer", password: str | None = None) -> None:
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, PASSWORDS[name] if password is None else password)
    await pilot.press("enter")
    await settle(pilot)


async def open_from_home(pilot: Pilot[Any], label: str) -> None:
    """Choose ``label`` in the home screen's action list with the arrow keys and Enter."""
    from textual.widgets import OptionList

    options = pilot.app.screen.query_one("#action-list", OptionList)
    labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    target = labels.index(label)
    await pilot.press(*(["down"] * (target - (options.highlighted or 0))))
    await pilot.press("enter")
    await settle(pilot)


async def fill(pilot: Pilot[Any], *values: str) -> None:
    """Type each value into the focused input and press Enter, as a person fills a form."""
    for value in values:
        await type_text(pilot, value)
        await pilot.press("enter")
        await pilot.pause()
    await settle(pilot)


async def open_officer_screen(pilot: Pilot[Any], label: str, kind: type | None = None) -> Any:
    """Sign in as the officer and open ``label`` from home; checks it is a ``kind``. Returns the screen."""
    await sign_in(pilot)
    await open_from_home(pilot, label)
    if kind is not None:
        assert isinstance(pilot.app.screen, kind), f"{label} opened {type(pilot.app.screen).__name__}"
    return pilot.app.screen


def text_of(app: Any, widget_id: str) -> str:
    """What the Static ``widget_id`` of the current screen shows."""
    from textual.widgets import Static

    return str(app.screen.query_one(widget_id, Static).visual)


def still(pilot: Pilot[Any]) -> None:
    """Cursor blink off everywhere, so a snapshot never catches it mid-blink; and no
    notifications, whose disappearance depends on how fast the machine ran the test."""
    pilot.app.clear_notifications()
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


def cells(table: DataTable, column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]
