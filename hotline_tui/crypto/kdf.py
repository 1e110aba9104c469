"""Password to key material: Argon2id, then BLAKE2b sub-keys kept apart by purpose."""

from __future__ import annotations

import hashlib
import os
import unicodedata

from argon2.low_level import Type, hash_secret_raw

from hotline_tui.config import KdfParams

SALT_BYTES = 16
KEY_BYTES = 32


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def password_bytes(password: str) -> bytes:
    # NFC so the same password typed through different input methods derives the same key.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def derive(password: str, salt: bytes, params: KdfParams) -> bytes:
    """32 bytes of Argon2id output; the caller derives sub-keys, never uses it twice."""
    return hash_secret_raw(
        password_bytes(password),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def subkey(master: bytes, purpose: bytes, context: str) -> bytes:
    """A key for one purpose (at most 16 bytes, e.g. b"hotline-slot/1") bound to a context
    such as the user name, so material for one use or one user never serves another."""
    return hashlib.blake2b(
        context.encode("utf-8"), key=master, person=purpose, digest_size=KEY_BYTES
    ).digest()
