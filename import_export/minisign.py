"""minisign keys and signatures, byte-compatible with the stock ``minisign`` program.

Only the prehashed algorithm (``ED``: Ed25519 over BLAKE2b-512 of the message) is
made or accepted. Ed25519 and scrypt come from PyNaCl (libsodium, as minisign uses);
BLAKE2b from hashlib, which streams large files without holding them twice.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import nacl.bindings
import nacl.exceptions
import nacl.pwhash
import nacl.signing

from .errors import KeyFileError, WrongPassword, why_unreadable

SIG_ALG_PREHASHED = b"ED"
SIG_ALG_LEGACY = b"Ed"
KEY_ALG = b"Ed"
KDF_SCRYPT = b"Sc"
KDF_NONE = b"\x00\x00"
CHK_BLAKE2B = b"B2"
# minisign's own scrypt cost (crypto_pwhash_scryptsalsa208sha256 "sensitive").
DEFAULT_OPSLIMIT = 33554432
DEFAULT_MEMLIMIT = 1073741824
_KEYNUM_LEN = 8 + 64 + 32
_SECRET_LEN = 2 + 2 + 2 + 32 + 8 + 8 + _KEYNUM_LEN
_CHUNK = 1 << 20


def format_key_id(raw: bytes) -> str:
    """minisign prints the 8-byte id as a little-endian 64-bit number in hex."""
    return raw[::-1].hex().upper()


def parse_key_id(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise KeyFileError(f"key id {text!r} is not 16 hex digits") from exc
    if len(raw) != 8:
        raise KeyFileError(f"key id {text!r} is not 16 hex digits")
    return raw[::-1]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFileError(f"{what} is not valid base64") from exc


def _comment_lines(text: str, what: str) -> list[str]:
    lines = [line.rstrip("\r") for line in text.splitlines()]
    lines = [line for line in lines if line.strip()]
    if len(lines) < 2 or not lines[0].startswith("untrusted comment:"):
        raise KeyFileError(f"{what} is not in minisign format (no 'untrusted comment:' line)")
    return lines


@dataclass(frozen=True)
class PublicKey:
    key_id_raw: bytes
    key: bytes  # 32-byte Ed25519 public key

    @property
    def key_id(self) -> str:
        return format_key_id(self.key_id_raw)

    @classmethod
    def from_text(cls, text: str) -> PublicKey:
        """Parse a public key file or a bare base64 public key line."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            raise KeyFileError("public key file is empty")
        line = lines[1] if lines[0].startswith("untrusted comment:") and len(lines) > 1 else lines[0]
        raw = _unb64(line, "public key")
        if len(raw) != 42 or raw[:2] != KEY_ALG:
            raise KeyFileError("not a minisign Ed25519 public key (wrong length or algorithm)")
        return cls(raw[2:10], raw[10:])

    @classmethod
    def load(cls, path: Path) -> PublicKey:
        try:
            return cls.from_text(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(f"cannot read public key {path}: {why_unreadable(exc)}") from exc

    def base64(self) -> str:
        return _b64(KEY_ALG + self.key_id_raw + self.key)

    def to_text(self, comment: str | None = None) -> str:
        comment = comment or f"minisign public key {self.key_id}"
        return f"untrusted comment: {comment}\n{self.base64()}\n"

    def verify_bytes(self, signature: bytes, message: bytes) -> bool:
        try:
            nacl.signing.VerifyKey(self.key).verify(message, signature)
        except nacl.exceptions.BadSignatureError:
            return False
        return True


@dataclass(frozen=True)
class SecretKey:
    key_id_raw: bytes
    secret: bytes = field(repr=False)  # 64-byte libsodium Ed25519 secret key (seed || public key)

    @property
    def key_id(self) -> str:
        return format_key_id(self.key_id_raw)

    @property
    def public_key(self) -> PublicKey:
        return PublicKey(self.key_id_raw, self.secret[32:])

    @classmethod
    def generate(cls) -> SecretKey:
        signing = nacl.signing.SigningKey.generate()
        return cls(os.urandom(8), bytes(signing) + bytes(signing.verify_key))

    def _checksum(self) -> bytes:
        return hashlib.blake2b(
            KEY_ALG + self.key_id_raw + self.secret, digest_size=32
        ).digest()

    def to_text(
        self,
        password: str | None,
        *,
        opslimit: int = DEFAULT_OPSLIMIT,
        memlimit: int = DEFAULT_MEMLIMIT,
    ) -> str:
        """The minisign secret key file; unencrypted (as ``minisign -W``) without a password."""
        keynum = self.key_id_raw + self.secret + self._checksum()
        if password is None:
            head = KEY_ALG + KDF_NONE + CHK_BLAKE2B + bytes(32) + bytes(16)
            body = keynum
            comment = "minisign secret key"
        else:
            salt = os.urandom(32)
            stream = _scrypt(password, salt, opslimit, memlimit)
            head = (
                KEY_ALG
                + KDF_SCRYPT
                + CHK_BLAKE2B
                + salt
                + opslimit.to_bytes(8, "little")
                + memlimit.to_bytes(8, "little")
            )
            body = bytes(a ^ b for a, b in zip(keynum, stream, strict=True))
            comment = "minisign encrypted secret key"
        return f"untrusted comment: {comment}\n{_b64(head + body)}\n"

    @staticmethod
    def is_encrypted_text(text: str) -> bool:
        raw = _unb64(_comment_lines(text, "secret key")[1], "secret key")
        return raw[2:4] == KDF_SCRYPT

    @classmethod
    def from_text(cls, text: str, password: str | None = None) -> SecretKey:
        raw = _unb64(_comment_lines(text, "secret key")[1], "secret key")
        if len(raw) != _SECRET_LEN:
            raise KeyFileError("not a minisign secret key (wrong length)")
        if raw[:2] != KEY_ALG or raw[4:6] != CHK_BLAKE2B:
            raise KeyFileError("not a minisign Ed25519 secret key (unknown algorithm)")
        kdf = raw[2:4]
        keynum = raw[54:]
        if kdf == KDF_SCRYPT:
            if password is None:
                raise WrongPassword("this secret key is protected by a password")
            salt = raw[6:38]
            opslimit = int.from_bytes(raw[38:46], "little")
            memlimit = int.from_bytes(raw[46:54], "little")
            stream = _scrypt(password, salt, opslimit, memlimit)
            keynum = bytes(a ^ b for a, b in zip(keynum, stream, strict=True))
        elif kdf != KDF_NONE:
            raise KeyFileError("secret key uses an unknown key derivation")
        key = cls(keynum[:8], keynum[8:72])
        checksum = keynum[72:]
        # minisign -W writes an all-zero checksum for unencrypted keys.
        unchecked = kdf == KDF_NONE and checksum == bytes(32)
        if not unchecked and checksum != key._checksum():
            if kdf == KDF_SCRYPT:
                raise WrongPassword("wrong password for this secret key")
            raise KeyFileError("secret key checksum does not match: the file is damaged")
        return key

    @classmethod
    def load(cls, path: Path, password: str | None = None) -> SecretKey:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(f"cannot read secret key {path}: {why_unreadable(exc)}") from exc
        return cls.from_text(text, password)

    def sign_raw(self, message: bytes) -> bytes:
        return nacl.bindings.crypto_sign(message, self.secret)[:64]

    def sign_digest(self, digest: bytes, trusted_comment: str, untrusted_comment: str) -> str:
        """A signature file for a message whose BLAKE2b-512 digest is ``digest``."""
        _check_comment(trusted_comment)
        signature = self.sign_raw(digest)
        global_sig = self.sign_raw(signature + trusted_comment.encode("utf-8"))
        return (
            f"untrusted comment: {untrusted_comment}\n"
            f"{_b64(SIG_ALG_PREHASHED + self.key_id_raw + signature)}\n"
            f"trusted comment: {trusted_comment}\n"
            f"{_b64(global_sig)}\n"
        )

    def sign(
        self,
        message: bytes,
        trusted_comment: str,
        untrusted_comment: str = "signature from minisign secret key",
    ) -> str:
        return self.sign_digest(prehash(message), trusted_comment, untrusted_comment)


def _check_comment(comment: str) -> None:
    if "\n" in comment or "\r" in comment:
        raise ValueError("a trusted comment is one line")


def _scrypt(password: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    try:
        return nacl.pwhash.scrypt.kdf(
            _KEYNUM_LEN, password.encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit
        )
    except (nacl.exceptions.ValueError, nacl.exceptions.RuntimeError) as exc:
        raise KeyFileError(f"secret key has unusable scrypt parameters: {exc}") from exc


def prehash(message: bytes) -> bytes:
    return hashlib.blake2b(message, digest_size=64).digest()


def prehash_stream(stream: BinaryIO) -> bytes:
    digest = hashlib.blake2b(digest_size=64)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.digest()


@dataclass(frozen=True)
class Signature:
    """A parsed minisign signature file (nothing verified yet)."""

    algorithm: bytes
    key_id_raw: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes
    untrusted_comment: str

    @property
    def key_id(self) -> str:
        return format_key_id(self.key_id_raw)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """A .minisig file as stock minisign reads it: its untrusted comment line is bytes
        that are never decoded (any encoding passes; shown with U+FFFD for what is not
        UTF-8), the other three lines are text."""
        first, _, rest = data.partition(b"\n")
        _check_untrusted_line(first)
        try:
            text = rest.decode("utf-8")
        except UnicodeDecodeError:
            raise SignatureError("the signature file is not text after its untrusted comment") from None
        return cls._from_lines([first.decode("utf-8", "replace"), *text.split("\n")])

    @classmethod
    def from_text(cls, text: str) -> Signature:
        lines = text.split("\n")
        _check_untrusted_line(lines[0].encode("utf-8", "surrogateescape"))
        return cls._from_lines(lines)

    @classmethod
    def _from_lines(cls, lines: list[str]) -> Signature:
        """The four lines, the untrusted one already checked."""
        lines = [line.rstrip("\r") for line in lines]
        while lines and not lines[-1]:
            lines.pop()
        if len(lines) != 4:
            raise SignatureError("the signature file does not have the four lines of minisign")
        if not lines[2].startswith("trusted comment: "):
            raise SignatureError("the signature file has no 'trusted comment:' line")
        try:
            raw = base64.b64decode(lines[1], validate=True)
            global_sig = base64.b64decode(lines[3], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SignatureError("the signature is not valid base64") from exc
        if len(raw) != 74 or len(global_sig) != 64:
            raise SignatureError("the signature has the wrong length")
        algorithm = raw[:2]
        if algorithm == SIG_ALG_LEGACY:
            raise SignatureError(
                "legacy (non-prehashed 'Ed') signature; only prehashed 'ED' signatures are accepted"
            )
        if algorithm != SIG_ALG_PREHASHED:
            raise SignatureError("unknown signature algorithm")
        return cls(
            algorithm,
            raw[2:10],
            raw[10:],
            lines[2][len("trusted comment: "):],
            global_sig,
            lines[0][len("untrusted comment:"):].strip(),
        )

    def verify_digest(self, public_key: PublicKey, digest: bytes) -> None:
        """Raise SignatureError unless both signatures verify with ``public_key``."""
        if public_key.key_id_raw != self.key_id_raw:
            raise SignatureError(
                f"signed by key {self.key_id}, expected {public_key.key_id}"
            )
        if not public_key.verify_bytes(self.signature, digest):
            raise SignatureError("the signature does not match the file (file or signature altered)")
        comment = self.trusted_comment.encode("utf-8")
        if not public_key.verify_bytes(self.global_signature, self.signature + comment):
            raise SignatureError("the trusted comment signature does not verify (comment altered)")

    def verify(self, public_key: PublicKey, message: bytes) -> None:
        self.verify_digest(public_key, prehash(message))


# What stock minisign (src/minisign.c, sig_load) demands of the first line: this exact
# prefix, space included; no NUL (C strings end there, and its line check then fails);
# room for the line and its newline in its 1,024-byte buffer (fgets: 1,023 bytes).
UNTRUSTED_PREFIX = b"untrusted comment: "
UNTRUSTED_LINE_MAX = 1022


def _check_untrusted_line(line: bytes) -> None:
    if not line.startswith(UNTRUSTED_PREFIX):
        raise SignatureError("the signature file has no 'untrusted comment: ' line")
    if b"\0" in line:
        raise SignatureError("the signature's untrusted comment line holds a NUL byte")
    if len(line) > UNTRUSTED_LINE_MAX:
        raise SignatureError(f"the signature's untrusted comment line is longer than {UNTRUSTED_LINE_MAX} bytes")


class SignatureError(ValueError):
    """A signature is malformed, of the wrong kind, or does not verify."""
