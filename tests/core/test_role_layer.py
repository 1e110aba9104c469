"""The second layer, read as an insider would: each role's own password gives the store
key (every slot does) and opens the whole store on a connection of its own; what it finds
there in clear, and which role keys its own grants open.

- No room secret key and no reporter contact detail is anywhere in the store in clear.
- An analyst opens the age identity and contact details, not the signing key; a
  supervisor opens all three; a security officer the signing key and the identity, never
  a contact detail.
- A removal re-keys the role keys: the removed user's old grants open nothing current.
- A role change moves them with the role: the new role's keys are granted, the ones it
  may not hold are taken back and renewed (a copy opens nothing current), the ones both
  roles hold are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import nacl.exceptions
import pytest
from deskkit import PASSWORDS, Demo
from nacl.public import PrivateKey, SealedBox
from nacl.secret import SecretBox

from hotline_tui.crypto import slots as slotlib
from hotline_tui.services import roles
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.keyring import keys
from hotline_tui.services.people import users
from hotline_tui.services.sealed import contact
from hotline_tui.services.triage import assessment
from hotline_tui.store.connection import Connection, open_reader

EXPECTED = {  # role keys each demo account's own grants open
    "officer": {"signing", "identity"},
    "ana": {"identity", "contact"},
    "sam": {"signing", "identity", "contact"},
}


@pytest.fixture
def imported(demo: Demo) -> Demo:
    session = demo.unlock("ana")
    try:
        assert import_bundles(session, [demo.room.media]).reports_added > 0
    finally:
        session.close()
    return demo


def _insider(demo: Demo, name: str, password: str | None = None) -> tuple[Connection, PrivateKey]:
    """What a user with a shell and their own password has: their slot's private key and,
    through it, the store key."""
    slot = slotlib.load_slots(demo.settings.slots_path)[name]
    private = slotlib.unwrap_private_key(slot, password or PASSWORDS[name])
    return open_reader(demo.settings.store_path, slotlib.unseal_store_key(slot, private)), private


def _cells(conn: Connection) -> Iterator[bytes]:
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            for cell in row:
                if isinstance(cell, str):
                    yield cell.encode("utf-8")
                elif isinstance(cell, bytes):
                    yield cell


def _role_keys(conn: Connection, name: str, private: PrivateKey) -> dict[str, PrivateKey]:
    """Every role key this user's own grants open (and any other grant they try: none opens)."""
    opened = {}
    for purpose, user, sealed in conn.execute("SELECT purpose, user, sealed_private FROM role_key_grants"):
        try:
            key = PrivateKey(SealedBox(private).decrypt(sealed))
        except nacl.exceptions.CryptoError:
            continue
        assert user == name, f"{name} opened {user}'s grant"
        opened[purpose] = key
    return opened


def _secrets(demo: Demo) -> tuple[list[str], list[str]]:
    """The room's secret keys as text, and every reporter's contact values (from a supervisor's session)."""
    sam = demo.unlock("sam")
    try:
        room = [keys.room_signing_key(sam).to_text(None).split("\n")[1], str(keys.room_identity(sam))]
        values = []
        for (key,) in sam.conn.execute("SELECT id FROM reports WHERE contact_sealed IS NOT NULL").fetchall():
            _, document = contact.full_document(sam, key) or ("", {})
            # A value the reporter also wrote into the report's text is content, under the store key only.
            content = json.dumps(contact.without_contact(document), ensure_ascii=False)
            values += [str(document["reporter"][k]) for k in ("name", "phone", "email")
                       if document["reporter"].get(k) and str(document["reporter"][k]) not in content]
    finally:
        sam.close()
    assert room[1].startswith("AGE-SECRET-KEY-1") and len(values) > 10
    return room, values


def test_each_role_reading_the_store_directly_finds_only_what_it_may(imported: Demo) -> None:
    room_secrets, contact_values = _secrets(imported)
    for name, expected in EXPECTED.items():
        conn, private = _insider(imported, name)
        try:
            cells = list(_cells(conn))
            for secret in (*room_secrets, *contact_values):
                assert not any(secret.encode() in cell for cell in cells), f"{secret[:12]}... in clear"
            opened = _role_keys(conn, name, private)
            assert set(opened) == expected, name
            _check_what_opens(conn, opened, room_secrets, contact_values)
        finally:
            conn.close()


def _check_what_opens(conn: Connection, opened: dict[str, PrivateKey], room_secrets: list[str], values: list[str]) -> None:
    sealed_keys = dict(conn.execute("SELECT kind, secret_sealed FROM room_keys WHERE active = 1"))
    for kind, purpose, secret in (("signing", "signing", room_secrets[0]), ("age", "identity", room_secrets[1])):
        if purpose in opened:
            assert secret in SealedBox(opened[purpose]).decrypt(sealed_keys[kind]).decode()
    if "contact" not in opened:
        return
    found = []
    for key_id, sealed in conn.execute("SELECT contact_key, contact_sealed FROM reports WHERE contact_sealed IS NOT NULL"):
        (wrapped,) = conn.execute("SELECT sealed_key FROM contact_keys WHERE id = ?", (key_id,)).fetchone()
        data_key = SealedBox(opened["contact"]).decrypt(wrapped)
        found += [str(v) for v in json.loads(SecretBox(data_key).decrypt(sealed)).values()]
    assert set(values) <= set(found)


def test_a_removed_users_grants_open_nothing_current(imported: Demo) -> None:
    ben_conn, ben_private = _insider(imported, "ben")  # before: ben's grants, as he could have copied them
    try:
        before = _role_keys(ben_conn, "ben", ben_private)
    finally:
        ben_conn.close()
    assert set(before) == {"identity", "contact"}
    officer = imported.unlock("officer")
    try:
        users.remove_user(officer, "ben", "left the service")
    finally:
        officer.close()
    imported.unlock("ana").close()  # the contact key's rotation waits for a holder's unlock
    conn, _ = _insider(imported, "ana")
    try:
        assert conn.execute("SELECT count(*) FROM role_key_grants WHERE user = 'ben'").fetchone()[0] == 0
        current = dict(conn.execute("SELECT purpose, public_key FROM role_keys"))
        for purpose, old in before.items():
            assert bytes(old.public_key) != current[purpose], f"{purpose} key not rotated"
        (wrapped,) = conn.execute("SELECT sealed_key FROM contact_keys ORDER BY id LIMIT 1").fetchone()
        with pytest.raises(nacl.exceptions.CryptoError):
            SealedBox(before["contact"]).decrypt(wrapped)
        (sealed,) = conn.execute("SELECT secret_sealed FROM room_keys WHERE kind = 'age' AND active = 1").fetchone()
        with pytest.raises(nacl.exceptions.CryptoError):
            SealedBox(before["identity"]).decrypt(sealed)
    finally:
        conn.close()
    ana = imported.unlock("ana")  # and the room still works for those who remain
    try:
        key = ana.conn.execute("SELECT id FROM reports WHERE contact_sealed IS NOT NULL LIMIT 1").fetchone()[0]
        assert contact.full_document(ana, key) is not None
    finally:
        ana.close()


def _opened(demo: Demo, name: str, password: str | None = None) -> dict[str, PrivateKey]:
    conn, private = _insider(demo, name, password)
    try:
        return _role_keys(conn, name, private)
    finally:
        conn.close()


def test_a_role_change_moves_the_role_keys_with_the_role(imported: Demo) -> None:
    room_secrets, contact_values = _secrets(imported)
    before = {name: _opened(imported, name) for name in ("ana", "ben", "sam")}
    ben = imported.unlock("ben")
    try:  # ben is assessing a report when he is moved to security
        held = ben.conn.execute("SELECT id FROM reports WHERE status = 'new' ORDER BY id LIMIT 1").fetchone()[0]
        assessment.take_report(ben, held)
    finally:
        ben.close()
    officer = imported.unlock("officer")
    try:
        users.add_user(officer, "olga", "security_officer", "olga-one-time-2026")
        before["olga"] = _opened(imported, "olga", "olga-one-time-2026")
        for name, role in (("sam", "analyst"), ("ana", "supervisor"), ("ben", "security_officer"), ("olga", "analyst")):
            roles.change_role(officer, name, role, "team changes")
    finally:
        officer.close()
    assert set(before["olga"]) == {"signing", "identity"}
    imported.unlock("sue").close()  # the contact key's renewal and grants wait for a holder's unlock
    expected = {"sam": {"identity", "contact"}, "ana": {"signing", "identity", "contact"},
                "ben": {"signing", "identity"}, "olga": {"identity", "contact"}}
    for name, purposes in expected.items():
        conn, private = _insider(imported, name, "olga-one-time-2026" if name == "olga" else None)
        try:
            opened = _role_keys(conn, name, private)
            assert set(opened) == purposes, name
            _check_what_opens(conn, opened, room_secrets, contact_values)
            current = dict(conn.execute("SELECT purpose, public_key FROM role_keys"))
            (wrapped,) = conn.execute("SELECT sealed_key FROM contact_keys ORDER BY id LIMIT 1").fetchone()
            (head,) = conn.execute("SELECT assigned_to FROM reports WHERE id = ?", (held,)).fetchone()
        finally:
            conn.close()
    for name, lost in (("sam", "signing"), ("olga", "signing"), ("ben", "contact")):
        assert bytes(before[name][lost].public_key) != current[lost], f"{name}'s {lost} key not renewed"
    with pytest.raises(nacl.exceptions.CryptoError):
        SealedBox(before["ben"]["contact"]).decrypt(wrapped)
    # Every role holds the identity: no change took it from anyone, so it was not renewed.
    assert all(bytes(keys_before["identity"].public_key) == current["identity"] for keys_before in before.values())
    assert head is None  # ben's report went back to the queue
