"""Step 1 of reading a bundle: the outer signature, checked with public keys alone
(FORMATS.md "What a reader does, in order"), on a file or on bytes in memory; a revoked
signer is refused whatever the bundle claims."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .bundle import SIGNATURE_SUFFIX, Keyring, Limits, TrustedComment, TrustedKey, signature_path
from .errors import BundleRefused
from .minisign import Signature, SignatureError, prehash, prehash_stream
from .verdicts import CheckLog, OuterVerdict


def _read_signature(path: Path) -> Signature:
    sig_path = signature_path(path)
    try:
        data = sig_path.read_bytes()
    except FileNotFoundError as exc:
        raise BundleRefused("outer signature", f"{sig_path.name} is missing beside the bundle; ask the sender for it") from exc
    except OSError as exc:
        raise BundleRefused("outer signature", f"{sig_path.name} cannot be read: {exc.__class__.__name__}") from exc
    return _parse_signature(data, sig_path.name)


def _parse_signature(data: bytes, name: str) -> Signature:
    """As stock minisign reads it (see Signature.from_bytes)."""
    try:
        return Signature.from_bytes(data)
    except SignatureError as exc:
        raise BundleRefused("outer signature", str(exc), member=name) from exc


def _signature_from_bytes(signature: bytes | None, name: str) -> Signature:
    """The in-memory twin of ``_read_signature``: the same refusals for the same faults."""
    sig_name = name + SIGNATURE_SUFFIX
    if signature is None:
        raise BundleRefused("outer signature", f"{sig_name} is missing beside the bundle; ask the sender for it")
    return _parse_signature(signature, sig_name)


def _check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bundle_bytes:
        raise BundleRefused("size", f"the bundle is {size:,} bytes, over the limit of {limits.max_bundle_bytes:,}")


def read_payload(path: Path, limits: Limits) -> bytes:
    try:
        _check_size(path.stat().st_size, limits)
        with path.open("rb") as handle:
            return handle.read(limits.max_bundle_bytes + 1)
    except OSError as exc:
        raise BundleRefused("read", f"cannot read {path.name}: {exc.strerror or exc}") from exc


def _prehash_file(path: Path, limits: Limits) -> tuple[bytes, int]:
    """The file's BLAKE2b-512 and size, streamed: checking a large bundle never holds it whole."""
    try:
        size = path.stat().st_size
        _check_size(size, limits)
        with path.open("rb") as handle:
            return prehash_stream(handle), size
    except OSError as exc:
        raise BundleRefused("read", f"cannot read {path.name}: {exc.strerror or exc}") from exc


def _refuse_revoked(signer: TrustedKey) -> None:
    """A revoked key signs nothing the reader accepts, whatever time the bundle claims: the
    trusted comment's ``created`` is the signer's own word, worth nothing once the key is in
    doubt. (Which bundles accepted before the revocation are now suspect is the room's
    question, answered from when it accepted them, not from what they say.)"""
    if signer.revoked_at is None:
        return
    reason = f": {signer.revoked_reason}" if signer.revoked_reason else ""
    raise BundleRefused(
        "signer revoked",
        f"key {signer.key_id} ({signer.name}) is revoked (from {signer.revoked_at:%Y-%m-%d %H:%M}{reason}); "
        "every bundle it signed that was not accepted before is refused, whatever time the bundle claims",
    )


def verify_outer(path: Path, keyring: Keyring, *, limits: Limits = Limits(), payload: bytes | None = None) -> OuterVerdict:
    """Step 1: the outer signature, its signer and the trusted comment."""
    path = Path(path)
    return _verify_outer(
        path,
        lambda: _read_signature(path),
        lambda: (prehash(payload), len(payload)) if payload is not None else _prehash_file(path, limits),
        keyring,
    )


def verify_outer_bytes(
    payload: bytes, signature: bytes | None, keyring: Keyring, *, name: str = "bundle.tar.age", limits: Limits = Limits()
) -> OuterVerdict:
    """``verify_outer`` for a bundle held in memory (e.g. in quarantine): ``signature`` is
    the ``.minisig`` file's bytes (None if it was missing), ``name`` the payload's file name."""
    _check_size(len(payload), limits)
    return _verify_outer(
        Path(name), lambda: _signature_from_bytes(signature, name), lambda: (prehash(payload), len(payload)), keyring
    )


def _verify_outer(
    path: Path, signature_source: Callable[[], Signature], digest_source: Callable[[], tuple[bytes, int]], keyring: Keyring
) -> OuterVerdict:
    """``digest_source`` gives the payload's BLAKE2b-512 (minisign's prehash) and its size."""
    checks = CheckLog()
    try:
        signature = signature_source()
        signer = keyring.get(signature.key_id)
        if signer is None:
            raise BundleRefused(
                "outer signature",
                f"signed by key {signature.key_id}, which is not in the keyring; "
                "a security officer must add the sender's key first",
            )
        digest, size = digest_source()
        try:
            signature.verify_digest(signer.public_key, digest)
        except SignatureError as exc:
            raise BundleRefused("outer signature", str(exc)) from exc
        checks.passed("outer signature", f"signed by {signer.name} ({signer.key_id})")
        _refuse_revoked(signer)
        try:
            comment = TrustedComment.parse(signature.trusted_comment)
        except ValueError as exc:
            raise BundleRefused("trusted comment", str(exc)) from exc
        if comment.kind not in signer.kinds:
            raise BundleRefused(
                "trusted comment",
                f"{signer.name} ({signer.key_id}) is not trusted to sign {comment.kind} bundles",
            )
        checks.passed("trusted comment", signature.trusted_comment)
    except BundleRefused as exc:
        raise checks.refuse(exc) from exc
    return OuterVerdict(path, signer, comment, size, checks=checks.done)
