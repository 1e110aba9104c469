"""Nothing written through the services reaches the disk in clear: not the store, not its
WAL, not a temporary file. A random canary goes in as a display name, an audit reason
and a keyring name; then every file under the workspace and the temp folder is searched."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from corekit import Room

from hotline_tui.services.keyring import keys
from hotline_tui.services.people import users
from hotline_tui.services.session import Session
from import_export.minisign import SecretKey

MAX_SCAN_BYTES = 64 << 20


def _files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        for folder, _, names in os.walk(root, onerror=lambda _: None):
            for name in names:
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    yield path


def _holders(canary: str, *roots: Path, since: float = 0.0) -> list[Path]:
    """The files under roots holding the canary; only those changed since `since` can (the
    canary is random and new), which keeps a shared, crowded temp folder quick to search."""
    needles = [canary.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for path in _files(*roots):
        try:
            status = path.stat()
            if status.st_size > MAX_SCAN_BYTES or max(status.st_mtime, status.st_ctime) < since:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if any(needle in data for needle in needles):
            found.append(path)
    return found


def _write_canary(session: Session, canary: str, tmp: Path) -> None:
    users.add_user(session, "carl", "analyst", "canary-user-password", f"Carl {canary}")
    users.disable_user(session, "carl", f"reason {canary}")
    users.enable_user(session, "carl", "canary-user-password-2", f"again {canary}")
    key_file = tmp / "intake.pub"
    key_file.write_text(SecretKey.generate().public_key.to_text())
    keys.add_key_file(session, key_file, "intake", name=f"intake {canary}")
    key_file.unlink()


def test_canary_never_reaches_the_disk_in_clear(room: Room, tmp_path: Path) -> None:
    canary = f"CANARY-{secrets.token_hex(12)}"
    since = time.time() - 2  # a little slack for file systems with coarse times
    roots = (Path(room.settings.workspace), Path(tempfile.gettempdir()))
    session = room.unlock("olivia")
    try:
        _write_canary(session, canary, tmp_path)
        wal = room.settings.store_path.with_name("store.db-wal")
        assert wal.exists() and wal.stat().st_size > 0, "the WAL is searched while it holds the writes"
        assert _holders(canary, *roots, since=since) == []
        names = {r.display_name for r in users.list_users(session)}
        assert f"Carl {canary}" in names  # it really was stored
    finally:
        session.close()
    assert _holders(canary, *roots, since=since) == []


def test_the_search_would_find_a_canary(tmp_path: Path) -> None:
    """The search itself works: a canary written in clear, in UTF-16, is found."""
    canary = f"CANARY-{secrets.token_hex(12)}"
    (tmp_path / "leak.bin").write_bytes(b"\x00" + canary.encode("utf-16-le"))
    assert _holders(canary, tmp_path) == [tmp_path / "leak.bin"]
    assert _holders(canary, tmp_path, since=time.time() - 60) == [tmp_path / "leak.bin"]
    assert _holders(canary, tmp_path, since=time.time() + 60) == []  # older than the canary: not read
