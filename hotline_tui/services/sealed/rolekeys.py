"""The second layer: what a user's password opens beyond the store key.

Every slot opens the store key, so everything in the store is readable with any
password and a shell. The most sensitive values are therefore sealed again, inside the
store, to *role keys* (store/rolekeys.py), as GlobaLeaks wraps each report's key per
recipient:

- ``signing``: the room's minisign secret keys (roles that seal or manage keys);
- ``identity``: the room's age identities (roles that import, import outcomes or verify);
- ``contact``: reporters' contact details (roles that may reveal them).

A role key's private half is stored only as *grants*, each sealed (SealedBox) to one
user's slot public key, so only that user's password (through their slot's private key)
opens it. Sealing needs only public keys: anyone importing can seal contact details
without being able to open them again.

Who grants: only someone who holds a role key can grant it. A security officer holds
``signing`` and ``identity`` and grants them when adding, resetting or enabling a user;
``contact`` is granted by whichever analyst or supervisor unlocks next (``settle``), as
the officer never holds it. The first contact-entitled user to unlock creates it.

Removing a user drops their grants and rotates each role key they held: at once for the
keys the removing officer holds (a new key pair, everything under it sealed again, new
grants), and at the next unlock of a holder for ``contact`` (``rotate_due``).

All of it lives inside the store (nothing new beside it), so a backup of the store and
its slot file restores it whole; a restore that keeps users' slot public keys keeps
their grants, and a reset user is granted again as above.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable

import nacl.exceptions
from nacl.public import PrivateKey, PublicKey, SealedBox

from hotline_tui.errors import Refused, StoreDamaged
from hotline_tui.services.permissions import MATRIX, Action, Role
from hotline_tui.services.session import Session
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store import rolekeys as q
from hotline_tui.store.connection import Connection, transaction
from hotline_tui.store.keyring import RoomKeyRow

PURPOSE_ACTIONS: dict[str, tuple[Action, ...]] = {
    "signing": (Action.SEAL_REFERRALS, Action.MANAGE_KEYS),
    "identity": (Action.IMPORT_BUNDLES, Action.IMPORT_OUTCOMES, Action.VERIFY_BUNDLE),
    "contact": (Action.REVEAL_CONTACT,),
}
PURPOSES = tuple(PURPOSE_ACTIONS)
ROOM_KEY_PURPOSE = {"signing": "signing", "age": "identity"}  # room_keys.kind -> purpose
_NOT_GRANTED = {
    "contact": "Your access to reporters' contact details is not set up yet: it is granted when another analyst "
               "or supervisor next unlocks. Ask one of them to lock and unlock, then try again.",
    "signing": "Your access to the room's signing key is not set up: ask a security officer to reset your password.",
    "identity": "Your access to the room's age identity is not set up: ask a security officer to reset your password.",
}


def roles_for(purpose: str) -> tuple[str, ...]:
    return tuple(str(role) for role in Role if MATRIX[role] & set(PURPOSE_ACTIONS[purpose]))


def entitled(role: str, purpose: str) -> bool:
    return role in roles_for(purpose)


def seal_to(public_key: bytes, data: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(data)


def open_sealed(private: PrivateKey, sealed: bytes, what: str) -> bytes:
    try:
        return SealedBox(private).decrypt(sealed)
    except nacl.exceptions.CryptoError:
        raise StoreDamaged(f"The store's sealed {what} does not open with its key: restore the store from a backup.") from None


# -- a session's keys ------------------------------------------------------------------------


def private_key(session: Session, purpose: str) -> PrivateKey:
    """This session's private key for ``purpose``, from its grant (unsealed again when the
    key was rotated since). The caller has checked the role's permission."""
    row = q.role_key(session.conn, purpose)
    cached = session.role_keys.get(purpose)
    if row is not None and cached is not None and cached[0] == row.generation:
        return cached[1]
    grant = q.grant_of(session.conn, purpose, session.user.name) if row else None
    usable = grant is not None and row is not None and grant.generation == row.generation
    if not usable or session.slot_private is None or grant is None or grant.slot_public_key != session.slot_public_key:
        raise Refused(_NOT_GRANTED[purpose])
    assert row is not None
    key = PrivateKey(open_sealed(session.slot_private, grant.sealed_private, f"{purpose} key"))
    if bytes(key.public_key) != row.public_key:
        raise StoreDamaged(f"Your grant of the room's {purpose} key does not match it: restore the store from a backup.")
    session.role_keys[purpose] = (row.generation, key)
    return key


def public_key(conn: Connection, purpose: str) -> bytes | None:
    row = q.role_key(conn, purpose)
    return row.public_key if row else None


# -- creating, granting, rotating --------------------------------------------------------------


def create(session: Session, conn: Connection, purpose: str) -> PrivateKey:
    """A first key pair for ``purpose`` (in the caller's transaction), granted to everyone
    entitled, with what an older store held in clear sealed under it."""
    key = PrivateKey.generate()
    q.put_role_key(conn, purpose, 1, bytes(key.public_key), session.now())
    session.role_keys[purpose] = (1, key)
    _seal_plain(conn, purpose, bytes(key.public_key))
    _grant_all(conn, purpose, key, 1)
    return key


def _grant_all(conn: Connection, purpose: str, key: PrivateKey, generation: int) -> bool:
    """A grant for every current holder that lacks a usable one; grants of anyone else go.
    Returns whether anything changed."""
    holders = dict(q.holders(conn, roles_for(purpose)))
    changed = False
    for grant in q.grants(conn, purpose):
        if holders.get(grant.user) != grant.slot_public_key or grant.generation != generation:
            q.drop_grant(conn, purpose, grant.user)
            changed = True
        else:
            holders.pop(grant.user)
    for name, slot_public_key in holders.items():
        sealed = seal_to(slot_public_key, bytes(key))
        q.put_grant(conn, q.Grant(purpose, name, generation, slot_public_key, sealed))
        changed = True
    return changed


def _grants_settled(conn: Connection, purpose: str, generation: int) -> bool:
    holders = dict(q.holders(conn, roles_for(purpose)))
    current = {g.user: g.slot_public_key for g in q.grants(conn, purpose) if g.generation == generation}
    return current == holders and len(q.grants(conn, purpose)) == len(current)


def rotate(session: Session, conn: Connection, purpose: str) -> None:
    """A new key pair for ``purpose`` (in the caller's transaction): everything sealed under
    the old one is sealed again, and only current holders are granted it."""
    old = private_key(session, purpose)
    row = q.role_key(conn, purpose)
    assert row is not None
    new = PrivateKey.generate()
    _reseal(conn, purpose, old, bytes(new.public_key))
    q.put_role_key(conn, purpose, row.generation + 1, bytes(new.public_key), session.now())
    session.role_keys[purpose] = (row.generation + 1, new)
    _grant_all(conn, purpose, new, row.generation + 1)


def _reseal(conn: Connection, purpose: str, old: PrivateKey, new_public: bytes) -> None:
    if purpose == "contact":
        for key_id, sealed in q.contact_keys(conn):
            q.reseal_contact_key(conn, key_id, seal_to(new_public, open_sealed(old, sealed, "contact data key")))
        return
    kind = "signing" if purpose == "signing" else "age"
    for room_key_id, room_sealed in q.sealed_room_secrets(conn, kind):
        q.set_room_secret(conn, room_key_id, seal_to(new_public, open_sealed(old, room_sealed, "room key")))


def _seal_plain(conn: Connection, purpose: str, public: bytes) -> None:
    """Seal what a store from before role keys holds in clear under ``purpose``."""
    if purpose == "contact":
        from hotline_tui.services.sealed.contact import seal_plain_contacts

        seal_plain_contacts(conn, public, _now(conn))
        return
    kind = "signing" if purpose == "signing" else "age"
    for key_id, text in q.plain_room_secrets(conn, kind):
        q.set_room_secret(conn, key_id, seal_to(public, text.encode("utf-8")))


def _now(conn: Connection) -> str:
    return str(conn.execute("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')").fetchone()[0])


# -- when the users change ----------------------------------------------------------------------


def settle(session: Session) -> None:
    """What a holder does at unlock, and an officer after changing users: create a key the
    room lacks and this user may hold, rotate one a removal left due, grant each held key
    to everyone entitled who lacks it. Writes only when there is something to do."""
    for work in _work(session):
        with transaction(session.conn) as conn:
            work(conn)


def _work(session: Session) -> list[Callable[[Connection], object]]:
    conn, role = session.conn, str(session.user.role)
    todo: list[Callable[[Connection], object]] = []
    for purpose in PURPOSES:
        if not entitled(role, purpose):
            continue
        row = q.role_key(conn, purpose)
        if row is None:
            todo.append(functools.partial(_create_once, session, purpose=purpose))
            continue
        try:
            key = private_key(session, purpose)
        except Refused:
            continue  # not granted yet: another holder will
        if row.rotate_due:
            todo.append(functools.partial(rotate, session, purpose=purpose))
        elif not _grants_settled(conn, purpose, row.generation):
            todo.append(functools.partial(_grant_all, purpose=purpose, key=key, generation=row.generation))
    return todo


def _create_once(session: Session, conn: Connection, purpose: str) -> None:
    if q.role_key(conn, purpose) is None:  # another session may have created it meanwhile
        create(session, conn, purpose)


def forget_user(session: Session, conn: Connection, name: str, *, held_as: str | None = None) -> None:
    """In the transaction that disables, removes or re-roles ``name``: their grants go, and
    each key they held as ``held_as`` (their role until now; None: a disable, nothing to
    rotate) and no longer may is rotated: now if this session holds it, else at the next
    unlock of a holder. Call it after the change, so they get no grant of the new keys.
    Someone given another role keeps the grants their new role may hold as well."""
    row = conn.execute("SELECT role, removed_at FROM users WHERE name = ?", (name,)).fetchone()
    role_now = str(row[0]) if held_as is not None and row is not None and row[1] is None else None
    if role_now is None:
        q.drop_grants_of(conn, name)
    if held_as is None:
        return
    for purpose in PURPOSES:
        stays = role_now is not None and entitled(role_now, purpose)
        if not stays:
            q.drop_grant(conn, purpose, name)
        if not entitled(held_as, purpose) or stays or q.role_key(conn, purpose) is None:
            continue
        if entitled(str(session.user.role), purpose):
            try:
                rotate(session, conn, purpose)
                continue
            except Refused:
                pass
        q.mark_rotate_due(conn, purpose)


def new_data_key() -> bytes:
    return os.urandom(32)


# -- the room's secret keys ------------------------------------------------------------------


def insert_room_key(conn: Connection, row: RoomKeyRow) -> None:
    """Store a room key with its secret sealed to its purpose's key (in clear only in a
    store from before role keys, until a holder first unlocks)."""
    public = public_key(conn, ROOM_KEY_PURPOSE[row.kind])
    if public is not None:
        row = dataclasses.replace(row, secret_text="", secret_sealed=seal_to(public, row.secret_text.encode("utf-8")))
    keyring_store.insert_room_key(conn, row)


def room_secret(session: Session, row: RoomKeyRow) -> str:
    """A room key's secret text, opened with this session's role key."""
    if row.secret_sealed is None:
        return row.secret_text
    key = private_key(session, ROOM_KEY_PURPOSE[row.kind])
    return open_sealed(key, row.secret_sealed, "room key").decode("utf-8")
