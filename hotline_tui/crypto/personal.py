"""A user's personal minisign key, wrapped so only that user's password can sign as them.

The wrapping key is a BLAKE2b sub-key of the user's slot private key (X25519), which
only their password unwraps. It is the same password-derived material, one step on;
taking it from the private key rather than the Argon2id output means a password change
leaves the wrapped personal key as it is and rewrites nothing but the one slot, so no
crash can leave the two out of step. A security officer holds the store key (and so the
wrapped blob) but never a user's private key, so cannot sign as them.
"""

from __future__ import annotations

import nacl.exceptions
from nacl.public import PrivateKey
from nacl.secret import SecretBox

from hotline_tui.crypto import kdf
from hotline_tui.errors import WrongPassword
from import_export.minisign import SecretKey

_PURPOSE = b"hotline-person/1"
_KEY_ID_BYTES = 8
_SECRET_BYTES = 64


def _box(private: PrivateKey, user: str) -> SecretBox:
    return SecretBox(kdf.subkey(bytes(private), _PURPOSE, user))


def wrap_personal_key(secret: SecretKey, private: PrivateKey, user: str) -> bytes:
    """Key id and 64-byte Ed25519 secret, sealed with the user's slot-derived key."""
    return bytes(_box(private, user).encrypt(secret.key_id_raw + secret.secret))


def unwrap_personal_key(wrapped: bytes, private: PrivateKey, user: str) -> SecretKey:
    try:
        raw = _box(private, user).decrypt(wrapped)
    except nacl.exceptions.CryptoError:
        raise WrongPassword("This personal key does not open with your password.") from None
    if len(raw) != _KEY_ID_BYTES + _SECRET_BYTES:
        raise WrongPassword("This personal key does not open with your password.")
    return SecretKey(raw[:_KEY_ID_BYTES], raw[_KEY_ID_BYTES:])
