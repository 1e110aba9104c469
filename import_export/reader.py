"""Reading bundles: the checks of FORMATS.md "What a reader does, in order".

Everything happens in memory: nothing is extracted, nothing is written, and the media
is only ever opened for reading. Any failure refuses the whole bundle with a
``BundleRefused`` naming the check, member and field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import pyrage

from .bundle import Keyring, Limits
from .contents import check_manifest, decrypt_tar, read_documents
from .documents import parse_timestamp
from .errors import AlreadyImported, BundleRefused
from .outer import read_payload, verify_outer, verify_outer_bytes
from .verdicts import Bundle, Check, CheckLog, OuterVerdict, ReferralApproval
from .wording import a_or_an, counted


def read_bundle(
    path: Path,
    keyring: Keyring,
    identities: Sequence[pyrage.x25519.Identity],
    *,
    kind: str | None = None,
    recipient: str | None = None,
    already_imported: Callable[[str], bool] = lambda bundle_id: False,
    limits: Limits = Limits(),
) -> Bundle:
    """Every check, in order; the whole bundle in memory, or ``BundleRefused``."""
    path = Path(path)
    payload = read_payload(path, limits)
    outer = verify_outer(path, keyring, limits=limits, payload=payload)
    return _read_contents(payload, outer, identities, kind, recipient, already_imported, limits)


def read_bundle_bytes(
    payload: bytes,
    signature: bytes | None,
    keyring: Keyring,
    identities: Sequence[pyrage.x25519.Identity],
    *,
    name: str = "bundle.tar.age",
    kind: str | None = None,
    recipient: str | None = None,
    already_imported: Callable[[str], bool] = lambda bundle_id: False,
    limits: Limits = Limits(),
) -> Bundle:
    """``read_bundle`` for a bundle held in memory: the same checks, in the same order,
    by the same code; ``signature`` is the ``.minisig`` file's bytes or None."""
    outer = verify_outer_bytes(payload, signature, keyring, name=name, limits=limits)
    return _read_contents(payload, outer, identities, kind, recipient, already_imported, limits)


def _read_contents(
    payload: bytes,
    outer: OuterVerdict,
    identities: Sequence[pyrage.x25519.Identity],
    kind: str | None,
    recipient: str | None,
    already_imported: Callable[[str], bool],
    limits: Limits,
) -> Bundle:
    """Steps 2 to 5, after the outer signature."""
    checks = CheckLog()
    checks.done = outer.checks
    comment = outer.comment
    try:
        if kind is not None and comment.kind != kind:
            raise BundleRefused("trusted comment", f"this is {a_or_an(comment.kind)} bundle, not {a_or_an(kind)} bundle")
        if recipient is not None and comment.to != recipient:
            raise BundleRefused("trusted comment", f"addressed to {comment.to}, not {recipient}")
        if already_imported(comment.bundle_id):
            raise AlreadyImported(comment.bundle_id)
        checks.passed("replay", f"bundle {comment.bundle_id} not seen before")
        members = decrypt_tar(payload, identities, limits, addressed_to=comment.to)
        checks.passed("decrypt", f"{counted(len(members), 'members')} read")
        manifest = check_manifest(members, outer, limits)
        checks.passed("manifest", f"signature, bundle id and {counted(len(manifest['files']), 'member digests')}")
        bundle = Bundle(outer, manifest, [], members)
        read_documents(bundle, limits)
        checks.passed("documents", f"{counted(len(bundle.documents), comment.kind)} valid")
    except BundleRefused as exc:
        raise checks.refuse(exc) from exc
    return bundle


def verify_plaintext(
    members: dict[str, bytes], outer: OuterVerdict, *, limits: Limits = Limits()
) -> Bundle:
    """Steps 4 and 5 on members already in memory: how a sender checks a bundle it made
    for someone else (it cannot decrypt it) with the same code every reader runs."""
    checks = CheckLog()
    checks.done = list(outer.checks)
    try:
        manifest = check_manifest(members, outer, limits)
        checks.passed("manifest", f"signature, bundle id and {counted(len(manifest['files']), 'member digests')}")
        bundle = Bundle(outer, manifest, [], members)
        read_documents(bundle, limits)
        checks.passed("documents", f"{counted(len(bundle.documents), outer.comment.kind)} valid")
    except BundleRefused as exc:
        raise checks.refuse(exc) from exc
    bundle.outer.checks = checks.done
    return bundle


def verified_at(bundle: Bundle) -> datetime:
    return parse_timestamp(bundle.outer.comment.created)


__all__ = [
    "Bundle", "Check", "OuterVerdict", "ReferralApproval", "read_bundle", "read_bundle_bytes", "verified_at",
    "verify_outer", "verify_outer_bytes", "verify_plaintext",
]
