"""Reporters' contact details: sealed in the store, handed out only by
``queue.reveal_contact`` (with a reason, audited in the same transaction).

At import each report's name, phone and e-mail leave its stored document and are sealed
(SecretBox) under a data key of that import, itself sealed to the room's ``contact``
role key (services/sealed/rolekeys.py): sealing needs only the public key, and only the
roles that may reveal can open it. Every other service returns a report's document
without them (``without_contact``); the sanitiser still sees them, inside the services,
through ``full_document``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import nacl.exceptions
from nacl.secret import SecretBox

from hotline_tui.errors import Refused, StoreDamaged
from hotline_tui.services.sealed import rolekeys
from hotline_tui.services.session import Session
from hotline_tui.store import reports as store
from hotline_tui.store import rolekeys as q
from hotline_tui.store.connection import Connection, transaction

# The reporter object's fields that identify or reach the reporter; its relationship to
# the subject and consent to contact stay visible (they say how to handle the report).
CONTACT_FIELDS = ("name", "phone", "email")
NO_CONTACT_KEY = ("No analyst or supervisor has unlocked this room yet, so reporters' contact details have no key "
                  "to be sealed to: ask one of them to unlock once, then import again.")


def has_contact(document: dict[str, Any]) -> bool:
    reporter = document.get("reporter")
    return isinstance(reporter, dict) and any(reporter.get(k) for k in CONTACT_FIELDS)


def without_contact(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of a report's document with no contact detail in it."""
    reporter = document.get("reporter")
    if not isinstance(reporter, dict):
        return dict(document)
    return dict(document, reporter={k: v for k, v in reporter.items() if k not in CONTACT_FIELDS})


@dataclass(frozen=True)
class ContactSealer:
    """One import's data key (picklable: the reading process seals too)."""

    key_id: int
    key: bytes = field(repr=False)

    def split(self, document: dict[str, Any], source: str) -> tuple[str, bytes | None]:
        """The document to store (``source`` unchanged when it holds no contact details)
        and its contact details sealed, or None."""
        return self.splitter()(document, source)

    def splitter(self) -> Callable[[dict[str, Any], str], tuple[str, bytes | None]]:
        """``split`` for a whole bundle: one SecretBox, and a nonce from the OS for each
        sealing (PyNaCl's own default draws it more slowly)."""
        box = SecretBox(self.key)

        def split(document: dict[str, Any], source: str) -> tuple[str, bytes | None]:
            reporter = document.get("reporter")
            if not isinstance(reporter, dict) or not any(k in reporter for k in CONTACT_FIELDS):
                return source, None
            details = {k: reporter[k] for k in CONTACT_FIELDS if k in reporter}
            stored = _dumps(without_contact(document))
            sealed = box.encrypt(_dumps(details).encode("utf-8"), os.urandom(SecretBox.NONCE_SIZE))
            return stored, bytes(sealed)

        return split

    def open(self, sealed: bytes) -> dict[str, Any]:
        """What ``split`` sealed (the import's own check, and tests)."""
        return _opened(self.key, sealed)


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)


def contact_sealer(session: Session) -> ContactSealer:
    """A new data key for one import, sealed to the contact key (created first if the room
    has none and this user may hold it)."""
    with transaction(session.conn) as conn:
        public = rolekeys.public_key(conn, "contact")
        if public is None and rolekeys.entitled(str(session.user.role), "contact"):
            public = bytes(rolekeys.create(session, conn, "contact").public_key)
        if public is None:
            raise Refused(NO_CONTACT_KEY)
        return _new_sealer(conn, public, session.now())


def _new_sealer(conn: Connection, public: bytes, at: str) -> ContactSealer:
    key = rolekeys.new_data_key()
    return ContactSealer(q.add_contact_key(conn, rolekeys.seal_to(public, key), at), key)


def seal_plain_contacts(conn: Connection, public: bytes, at: str) -> None:
    """Seal the contact details a store from before role keys holds in clear (in the
    transaction that creates the contact key)."""
    rows = conn.execute("SELECT id, document FROM reports WHERE has_contact = 1 AND contact_sealed IS NULL").fetchall()
    if not rows:
        return
    sealer = _new_sealer(conn, public, at)
    for key, source in rows:
        stored, sealed = sealer.split(json.loads(source), source)
        if sealed is not None:
            conn.execute("UPDATE reports SET document = ?, contact_key = ?, contact_sealed = ? WHERE id = ?",
                         (stored, sealer.key_id, sealed, key))


def full_document(session: Session, report_key: int) -> tuple[str, dict[str, Any]] | None:
    """(report_id, the document as received, contact details included). For checks inside
    the services only (the sanitiser, the reveal): never return it to a screen. Needs
    this user's grant of the contact key when the report has contact details. The last
    one is kept in the session (documents never change; the sanitiser's caches then hold):
    read it, never change it."""
    if session.opened_report is not None and session.opened_report[0] == report_key:
        if session.conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_key,)).fetchone():  # not deleted since
            return session.opened_report[1], session.opened_report[2]
    found = store.report_document(session.conn, report_key)
    if found is None:
        return None
    report_id, source = found
    document: dict[str, Any] = json.loads(source)
    key_id, sealed = q.report_contact(session.conn, report_key)
    if key_id is not None and sealed is not None:
        reporter = document.get("reporter") if isinstance(document.get("reporter"), dict) else {}
        document["reporter"] = {**(reporter or {}), **_open_details(session, key_id, sealed)}
    session.opened_report = (report_key, report_id, document)
    return report_id, document


def _open_details(session: Session, key_id: int, sealed: bytes) -> dict[str, Any]:
    wrapped = q.contact_key(session.conn, key_id)
    if wrapped is None:
        raise StoreDamaged("A report's contact details have lost their key: restore the store from a backup.")
    return _opened(rolekeys.open_sealed(rolekeys.private_key(session, "contact"), wrapped, "contact data key"), sealed)


def _opened(data_key: bytes, sealed: bytes) -> dict[str, Any]:
    try:
        details: dict[str, Any] = json.loads(SecretBox(data_key).decrypt(sealed))
    except nacl.exceptions.CryptoError:
        raise StoreDamaged("A report's sealed contact details do not open: restore the store from a backup.") from None
    return details
