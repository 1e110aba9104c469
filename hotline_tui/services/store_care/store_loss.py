"""When an open session can no longer read its store: re-keyed under it, or damaged.

SQLCipher checks each page's HMAC as it reads it, and a page that fails raises the bare
``sqlcipher3.DatabaseError`` (SQLite's CORRUPT or NOTADB; ``is_damage``). For an open
session that means one of two things, which need different words:

- another session removed a user (users.remove_user), which re-encrypted every page with
  a new key and resealed every slot: nothing is lost, unlocking again gets the new key;
- a page is damaged: the store is restored from a backup.

The message cannot tell them apart (a re-keyed page 1 and a damaged one both say "file
is not a database"), so the store and the slot file are asked: if the session's key still
opens the store, the key is right and a page is bad; if it does not, and the user's slot
no longer holds the seal the session's key came from, a removal re-keyed it. Anything
else (page 1 damaged, the file replaced) is damage.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlcipher3

from hotline_tui.crypto import slots as slotlib
from hotline_tui.errors import HotlineError
from hotline_tui.services.session import Session
from hotline_tui.services.store_care.store_check import note_failure
from hotline_tui.store.connection import is_damage, open_reader

REKEYED_NOTICE = (
    "The store was re-keyed by a security officer (a user was removed) while you were working. "
    "Unlock again with your password; nothing you had saved is lost."
)
READ_FAILED = "Reading the store failed"


@dataclass(frozen=True)
class StoreLoss:
    rekeyed: bool
    problem: str  # SQLCipher's words (never report text); shown literally


def store_error(error: BaseException) -> BaseException | None:
    """The error in ``error``'s chain, followed as a traceback shows it, that means a page
    could not be read; None if there is none."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if is_damage(current):
            return current
        seen.add(id(current))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return None


def closed_store(error: BaseException) -> bool:
    """Whether ``error`` is a read through a connection the lock has already closed: a screen
    on its way out (a footer asking which keys apply, a page of a table) after the session
    ended, with nothing lost."""
    return isinstance(error, sqlcipher3.ProgrammingError) and "closed database" in str(error)


def diagnose(session: Session, error: BaseException) -> StoreLoss | None:
    """Whether ``error`` means ``session`` can no longer read its store, and why; None if it
    is any other error. Call it before the session is closed (it needs the key)."""
    found = store_error(error)
    if found is None:
        return None
    return StoreLoss(key_changed(session), str(found))


def key_changed(session: Session) -> bool:
    """The store was re-keyed under the session: its key no longer opens the store and the
    user's slot no longer holds the seal the key came from (or is gone: they were removed)."""
    return not session.closed and not _key_opens_store(session) and _slot_resealed(session)


def _key_opens_store(session: Session) -> bool:
    try:
        open_reader(session.settings.store_path, session.store_key).close()
    except (HotlineError, sqlcipher3.Error):  # StoreKeyRejected, or the file cannot be opened
        return False
    return True


def _slot_resealed(session: Session) -> bool:
    """slots.next.json too: it holds the new seals from before the re-key until just after."""
    for path in (session.settings.slots_path, session.settings.next_slots_path):
        try:
            slot = slotlib.load_slots(path).get(session.user.name)
        except (HotlineError, OSError):  # a missing or damaged slot file says nothing of a removal
            continue
        if slot is None or slot.sealed_store_key != session.slot_seal:
            return True
    return False


def take_out_of_use(session: Session, loss: StoreLoss) -> None:
    """The session refuses all work from now on, so nothing more is written through it;
    damage also goes in the plain failure file beside the store (never into the store)."""
    session.store_lost = True
    if not loss.rekeyed:
        note_failure(session.settings, session.user.name, session.clock(), f"{READ_FAILED}: {loss.problem}")
