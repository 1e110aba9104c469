"""Per-user key slots: each user's password opens their own copy of the store key.

A slot holds, for one user:

- an X25519 public key, in clear;
- the matching private key, wrapped (SecretBox) with a key derived from the password
  by Argon2id (salt and cost are stored beside it, so costs can rise per slot);
- the store key, sealed (SealedBox) to the public key.

Unlock derives, unwraps the private key and unseals the store key. A password change
rewraps one private key. Because sealing needs only public keys, removing a user can
seal a fresh store key to every remaining user without knowing their passwords.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nacl.exceptions
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from hotline_tui.config import KdfParams
from hotline_tui.crypto import kdf
from hotline_tui.errors import StoreDamaged, WorkspaceMissing, WrongPassword
from import_export.atomic import write_atomic

SLOTS_FORMAT = "hotline-slots/1"
_SLOT_PURPOSE = b"hotline-slot/1"
STORE_KEY_BYTES = 32


@dataclass(frozen=True)
class Slot:
    user: str
    public_key: bytes
    salt: bytes
    kdf: KdfParams
    wrapped_private: bytes = field(repr=False)
    sealed_store_key: bytes = field(repr=False)


def _wrap_key(password: str, user: str, salt: bytes, params: KdfParams) -> bytes:
    # The user name goes into the key, so a slot renamed in the file opens for nobody.
    return kdf.subkey(kdf.derive(password, salt, params), _SLOT_PURPOSE, user)


def _seal(public_key: bytes, store_key: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(store_key)


def create_slot(user: str, password: str, store_key: bytes, params: KdfParams) -> tuple[Slot, PrivateKey]:
    """A new keypair for ``user``; returns the slot and the private key (for the personal key)."""
    private = PrivateKey.generate()
    salt = kdf.new_salt()
    wrapped = SecretBox(_wrap_key(password, user, salt, params)).encrypt(bytes(private))
    public = bytes(private.public_key)
    return Slot(user, public, salt, params, bytes(wrapped), _seal(public, store_key)), private


def unwrap_private_key(slot: Slot, password: str) -> PrivateKey:
    try:
        raw = SecretBox(_wrap_key(password, slot.user, slot.salt, slot.kdf)).decrypt(slot.wrapped_private)
    except nacl.exceptions.CryptoError:
        raise WrongPassword() from None
    private = PrivateKey(raw)
    if bytes(private.public_key) != slot.public_key:
        raise WrongPassword()
    return private


def unseal_store_key(slot: Slot, private: PrivateKey) -> bytes:
    try:
        key = SealedBox(private).decrypt(slot.sealed_store_key)
    except nacl.exceptions.CryptoError:
        raise StoreDamaged("Your key slot is damaged: it holds no store key for you.") from None
    if len(key) != STORE_KEY_BYTES:
        raise StoreDamaged("Your key slot is damaged: the store key has the wrong length.")
    return key


def rewrap(slot: Slot, private: PrivateKey, new_password: str, params: KdfParams) -> Slot:
    """The same keypair and sealed store key under a new password (fresh salt, current cost)."""
    salt = kdf.new_salt()
    wrapped = SecretBox(_wrap_key(new_password, slot.user, salt, params)).encrypt(bytes(private))
    return Slot(slot.user, slot.public_key, salt, params, bytes(wrapped), slot.sealed_store_key)


def reseal(slot: Slot, store_key: bytes) -> Slot:
    """The same slot holding a different store key; needs no password."""
    return Slot(slot.user, slot.public_key, slot.salt, slot.kdf, slot.wrapped_private, _seal(slot.public_key, store_key))


def equalise_timing(params: KdfParams) -> None:
    """Spend what a real unlock spends, so an unknown user name is not told apart by time."""
    kdf.derive("", kdf.new_salt(), params)


# -- the slot file -------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(value, validate=True)


def _slot_to_json(slot: Slot) -> dict[str, object]:
    return {
        "user": slot.user,
        "public_key": _b64(slot.public_key),
        "salt": _b64(slot.salt),
        "kdf": slot.kdf.to_dict(),
        "wrapped_private": _b64(slot.wrapped_private),
        "sealed_store_key": _b64(slot.sealed_store_key),
    }


def _slot_from_json(data: object) -> Slot:
    if not isinstance(data, dict) or not isinstance(data.get("user"), str) or not isinstance(data.get("kdf"), dict):
        raise ValueError("a slot is not an object with user and kdf")
    return Slot(
        data["user"],
        _unb64(data.get("public_key")),
        _unb64(data.get("salt")),
        KdfParams.from_dict(data["kdf"]),
        _unb64(data.get("wrapped_private")),
        _unb64(data.get("sealed_store_key")),
    )


def slots_bytes(slots: Mapping[str, Slot]) -> bytes:
    document = {"format": SLOTS_FORMAT, "slots": [_slot_to_json(slots[name]) for name in sorted(slots)]}
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def save_slots(path: Path, slots: Mapping[str, Slot]) -> None:
    write_atomic(path, slots_bytes(slots))


def load_slots(path: Path) -> dict[str, Slot]:
    """The slots by user name. A missing file means no workspace; a malformed one is damage."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise WorkspaceMissing(f"No workspace here: {Path(path).parent} has no key slots.") from None
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != SLOTS_FORMAT:
            raise ValueError(f"not a {SLOTS_FORMAT} file")
        entries = document.get("slots")
        if not isinstance(entries, list):
            raise ValueError("no list of slots")
        slots = [_slot_from_json(entry) for entry in entries]
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise StoreDamaged(f"The key slot file {Path(path).name} is damaged: {exc}.") from None
    return {slot.user: slot for slot in slots}
