"""Backups and restores: checked, signed, never overwriting, nobody let back in.

The demo room (a few hundred reports, five users) is backed up through the service the
screen and ``hotline-tui backup`` use, and restored through ``restore_backup``, which
``hotline-tui restore`` runs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from deskkit import PASSWORDS, Demo
from stickkit import BUNDLES, check_whole_or_absent, make_stick, start_slow_import

from hotline_tui.config import Settings
from hotline_tui.errors import HotlineError, PermissionDenied, Refused, StoreDamaged, WrongPassword
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.backup.make import make_backup
from hotline_tui.services.backup.restore import restore_backup
from hotline_tui.services.backup.status import backup_status, set_warn_after_days
from hotline_tui.services.people import users
from hotline_tui.services.people.workspace import unlock
from hotline_tui.store import audit as audit_store
from hotline_tui.store import users as user_store
from hotline_tui.store.connection import transaction


def _back_up(demo: Demo, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    officer = demo.unlock("officer")
    try:
        return make_backup(officer, out).path
    finally:
        officer.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _restore(demo: Demo, backup: Path, workspace: Path | None = None, user: str = "officer") -> object:
    settings = Settings(workspace or demo.room.workspace, kdf=demo.settings.kdf)
    return restore_backup(settings, backup, user, PASSWORDS[user], demo.clock)


def test_a_backup_is_signed_read_back_recorded_and_shown_on_home(demo: Demo, tmp_path: Path) -> None:
    backup = _back_up(demo, tmp_path / "stick")
    assert sorted(p.name for p in backup.iterdir()) == ["manifest.json", "manifest.json.minisig", "slots.json", "store.db"]
    assert not [p for p in (tmp_path / "stick").iterdir() if p.name.startswith(".")]  # no temporary left
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["files"]["store.db"]["sha256"] == _digest(backup / "store.db")
    officer = demo.unlock("officer")
    try:
        seq, digest = manifest["audit_head"]["seq"], manifest["audit_head"]["hash"]
        row = officer.conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
        assert row == (digest,) and manifest["counts"]["users"] == 5
        assert manifest["counts"]["audit"] == seq
        made = [e for e in audit_store.iterate(officer.conn) if e.action == "backup.made"]
        assert len(made) == 1 and backup.name in made[0].object and "read back and checked" in made[0].reason
        status = backup_status(officer)
        assert not status.overdue and backup.name in status.line()
        set_warn_after_days(officer, 1)
        demo.clock.now += __import__("datetime").timedelta(days=2)
        assert backup_status(officer).overdue and "OVERDUE" in backup_status(officer).line()
        pub = officer.conn.execute("SELECT public_text FROM room_keys WHERE kind = 'signing' AND active = 1").fetchone()[0]
    finally:
        officer.close()
    minisign = shutil.which("minisign")
    if minisign:  # the stock tool agrees (CI installs it)
        (tmp_path / "room.pub").write_text(pub)
        done = subprocess.run([minisign, "-Vm", backup / "manifest.json", "-p", tmp_path / "room.pub"],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0 and f"head={seq}:{digest}" in done.stdout


@pytest.mark.parametrize("user", ["ana", "sam"])
def test_only_a_security_officer_backs_up(demo: Demo, tmp_path: Path, user: str) -> None:
    (tmp_path / "stick").mkdir()
    session = demo.unlock(user)
    try:
        with pytest.raises(PermissionDenied):
            make_backup(session, tmp_path / "stick")
    finally:
        session.close()
    assert not list((tmp_path / "stick").iterdir())


def test_a_backup_taken_during_an_import_restores_every_bundle_whole_or_absent(demo: Demo, tmp_path: Path) -> None:
    good, tampered = make_stick(demo, tmp_path / "reports")
    proc = start_slow_import(demo, tmp_path / "reports", pause=0.15, commit_every=250)  # a commit every ~3 bundles
    assert proc.stdout is not None
    for _ in range(7):
        assert proc.stdout.readline() == "stored\n"
    backup = _back_up(demo, tmp_path / "stick")  # while the import goes on
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    done = _restore(demo, backup, tmp_path / "restored")
    session = unlock(Settings(tmp_path / "restored", kdf=demo.settings.kdf), "officer", PASSWORDS["officer"],
                     full_check=True)  # both integrity checks
    try:
        assert audit.verify_chain(session.conn).ok
        stored = check_whole_or_absent(session, good, tampered, imports=1)
    finally:
        session.close()
    assert 0 < stored < BUNDLES - 1, (stored, done)  # taken mid-import: some bundles in, wholly, some not


def _altered(backup: Path, tmp_path: Path, name: str, change: object) -> Path:
    copy = tmp_path / f"altered-{name}" / backup.name
    shutil.copytree(backup, copy)
    data = bytearray((copy / name).read_bytes())
    change(data)  # type: ignore[operator]
    (copy / name).write_bytes(bytes(data))
    return copy


def _flip_middle(data: bytearray) -> None:
    data[len(data) // 2] ^= 0x01


def _edit_count(data: bytearray) -> None:
    data[:] = data.replace(b'"users": 5', b'"users": 4')


@pytest.mark.parametrize(("name", "change", "said"), [
    ("store.db", _flip_middle, "differs from what its signed manifest names"),
    ("slots.json", _flip_middle, "differs from what its signed manifest names"),
    ("manifest.json", _edit_count, "does not match its signature"),
])
def test_a_changed_byte_or_an_edited_manifest_is_refused_and_nothing_changes(
    demo: Demo, tmp_path: Path, name: str, change: object, said: str
) -> None:
    backup = _altered(_back_up(demo, tmp_path / "stick"), tmp_path, name, change)
    room = demo.room.workspace
    before = {name: _digest(room / name) for name in ("store.db", "slots.json")}
    with pytest.raises(Refused) as refused:
        _restore(demo, backup)
    assert said in str(refused.value)
    assert {name: _digest(room / name) for name in ("store.db", "slots.json")} == before
    assert not [p for p in demo.room.workspace.iterdir() if p.is_dir()]  # no staging, nothing set aside
    with pytest.raises(Refused):
        _restore(demo, backup, tmp_path / "empty")
    assert not (tmp_path / "empty").exists() or not list((tmp_path / "empty").iterdir())


def test_restore_sets_the_current_store_aside_and_records_what_was_lost(demo: Demo, tmp_path: Path) -> None:
    backup = _back_up(demo, tmp_path / "stick")
    ana = demo.unlock("ana")
    ana.close()  # one more audit entry after the backup's own
    old = {name: _digest(demo.room.workspace / name) for name in ("store.db", "slots.json")}
    first = _restore(demo, backup)
    second = _restore(demo, backup)
    asides = sorted(p for p in demo.room.workspace.iterdir() if p.name.startswith("set-aside-"))
    assert [first.set_aside, second.set_aside] == asides and len(asides) == 2  # type: ignore[attr-defined]
    assert {name: _digest(asides[0] / name) for name in old} == old  # moved whole, never overwritten
    session = demo.unlock("ana")  # the team carried forward: ana still opens the room with her password
    session.close()
    officer = demo.unlock("officer")
    try:
        entries = [e for e in audit_store.iterate(officer.conn) if e.action == "store.restore"]
        head = json.loads((backup / "manifest.json").read_text())["audit_head"]
        assert len(entries) == 1  # the second restore went back to the backup, before the first
        assert f"came back to entry {head['seq']}:{head['hash']}" in entries[0].reason
        assert second.lost in entries[0].reason and str(asides[1]) in entries[0].reason  # type: ignore[attr-defined]
        assert f"entry {head['seq'] + 2} " in first.lost and "2 audit entries lost" in first.lost  # type: ignore[attr-defined]
        assert audit.verify_chain(officer.conn).ok
    finally:
        officer.close()


def test_a_user_removed_or_disabled_after_the_backup_does_not_get_in(demo: Demo, tmp_path: Path) -> None:
    backup = _back_up(demo, tmp_path / "stick")
    officer = demo.unlock("officer")
    try:
        users.remove_user(officer, "ben", "left the service")
        users.disable_user(officer, "sue", "suspended")
        with transaction(officer.conn) as conn:  # disabled the old way, which left the slot in the file
            user_store.set_disabled(conn, "sam", True)
    finally:
        officer.close()
    done = _restore(demo, backup)
    assert done.kept == ("ana", "officer") and done.disabled == ("ben", "sam", "sue")  # type: ignore[attr-defined]
    for name in ("ben", "sue", "sam"):
        with pytest.raises(WrongPassword):
            demo.unlock(name)
    officer = demo.unlock("officer")
    try:  # nor any grant of the role keys left for them
        held = {user for (user,) in officer.conn.execute("SELECT DISTINCT user FROM role_key_grants")}
        assert held and not held & {"ben", "sue", "sam"}
    finally:
        officer.close()
    # Nor through the backup's own slot file, copied over the room's: the restored store has a new key.
    shutil.copyfile(backup / "slots.json", demo.room.workspace / "slots.json")
    with pytest.raises(StoreDamaged):
        demo.unlock("ben")


def test_into_an_empty_folder_only_the_restoring_officer_gets_in(demo: Demo, tmp_path: Path) -> None:
    backup = _back_up(demo, tmp_path / "stick")
    done = _restore(demo, backup, tmp_path / "new-room")
    assert done.kept == ("officer",) and done.set_aside is None  # type: ignore[attr-defined]
    settings = Settings(tmp_path / "new-room", kdf=demo.settings.kdf)
    with pytest.raises(WrongPassword):
        unlock(settings, "ana", PASSWORDS["ana"])
    officer = unlock(settings, "officer", PASSWORDS["officer"])
    try:
        users.enable_user(officer, "ana", "a-new-one-time-pass", "checked: still on the team")
    finally:
        officer.close()
    unlock(settings, "ana", "a-new-one-time-pass").close()


def test_restore_is_refused_to_other_roles_and_while_the_room_is_open(demo: Demo, tmp_path: Path) -> None:
    backup = _back_up(demo, tmp_path / "stick")
    for user in ("ana", "sam"):
        with pytest.raises(PermissionDenied):
            _restore(demo, backup, user=user)
    with pytest.raises(WrongPassword):
        restore_backup(demo.settings, backup, "officer", "not-the-password")
    ana = demo.unlock("ana")
    try:
        with pytest.raises(HotlineError) as refused:
            _restore(demo, backup)
        assert "lock or quit" in str(refused.value)
    finally:
        ana.close()
    assert not [p for p in demo.room.workspace.iterdir() if p.is_dir()]


def test_a_damaged_store_is_restored_from_its_backup_and_kept_aside(room, officer, tmp_path: Path) -> None:
    from corekit import PASSWORDS as CORE_PASSWORDS
    from corekit import fill_late_pages, flip_byte

    (tmp_path / "stick").mkdir()
    backup = make_backup(officer, tmp_path / "stick").path
    page = fill_late_pages(officer)  # closes the session
    flip_byte(room.settings.store_path, page)
    damaged = _digest(room.settings.store_path)
    done = restore_backup(room.settings, backup, "olivia", CORE_PASSWORDS["olivia"], room.clock)
    assert _digest(done.set_aside / "store.db") == damaged
    session = unlock(room.settings, "olivia", CORE_PASSWORDS["olivia"], room.clock, full_check=True)
    try:
        restore = [e for e in audit_store.iterate(session.conn) if e.action == "store.restore"]
        assert len(restore) == 1 and done.lost in restore[0].reason
    finally:
        session.close()
    room.unlock("ann").close()  # the team carried forward from the room's slot file
