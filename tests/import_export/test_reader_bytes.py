"""read_bundle_bytes / verify_outer_bytes: a bundle held in memory (the quarantine keeps
its bytes) goes through the same checks as one read from media, with the same verdicts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bundlekit import Parties

from import_export.bundle import signature_path
from import_export.errors import AlreadyImported, BundleRefused
from import_export.reader import read_bundle, read_bundle_bytes, verify_outer, verify_outer_bytes
from import_export.writer import WrittenBundle


def _both(path: Path, parties: Parties, **options: object) -> tuple[object, object]:
    """The result (or refusal) of reading from the path and from memory."""
    results = []
    for read in (
        lambda: read_bundle(path, parties.keyring, [parties.room_identity], **options),  # type: ignore[arg-type]
        lambda: read_bundle_bytes(
            path.read_bytes(), signature_path(path).read_bytes() if signature_path(path).exists() else None,
            parties.keyring, [parties.room_identity], name=path.name, **options,  # type: ignore[arg-type]
        ),
    ):
        try:
            results.append(read())
        except BundleRefused as exc:
            results.append(exc)
    return results[0], results[1]


def test_a_valid_bundle_reads_the_same(write_reports: Callable[..., WrittenBundle], report, parties: Parties) -> None:
    written = write_reports([report(), report()])
    on_media, in_memory = _both(written.path, parties)
    assert in_memory.documents == on_media.documents  # type: ignore[attr-defined]
    assert in_memory.checks == on_media.checks  # type: ignore[attr-defined]
    assert in_memory.outer.payload_path.name == written.path.name  # type: ignore[attr-defined]


@pytest.mark.parametrize("fault", ["tampered", "no signature", "garbled signature", "wrong recipient"])
def test_refusals_are_the_same(
    fault: str, write_reports: Callable[..., WrittenBundle], report, parties: Parties
) -> None:
    written = write_reports([report()])
    if fault == "tampered":
        data = bytearray(written.path.read_bytes())
        data[len(data) // 2] ^= 1
        written.path.write_bytes(bytes(data))
    elif fault == "no signature":
        written.signature_path.unlink()
    elif fault == "garbled signature":
        written.signature_path.write_bytes(b"untrusted comment: x\n\xff\xfe\n")
    on_media, in_memory = _both(written.path, parties, recipient="kent" if fault == "wrong recipient" else None)
    assert isinstance(on_media, BundleRefused) and isinstance(in_memory, BundleRefused)
    assert (in_memory.check, in_memory.detail) == (on_media.check, on_media.detail)
    assert getattr(in_memory, "checks", None) == getattr(on_media, "checks", None)


def test_replay_and_size_limit(write_reports: Callable[..., WrittenBundle], report, parties: Parties) -> None:
    from import_export.bundle import Limits

    written = write_reports([report()])
    payload, signature = written.path.read_bytes(), written.signature_path.read_bytes()
    with pytest.raises(AlreadyImported):
        read_bundle_bytes(payload, signature, parties.keyring, [parties.room_identity], already_imported=lambda _: True)
    with pytest.raises(BundleRefused, match="over the limit") as caught:
        verify_outer_bytes(payload, signature, parties.keyring, limits=Limits(max_bundle_bytes=10))
    assert caught.value.check == "size"


def test_outer_verdicts_agree(write_reports: Callable[..., WrittenBundle], report, parties: Parties) -> None:
    written = write_reports([report()])
    on_media = verify_outer(written.path, parties.keyring)
    in_memory = verify_outer_bytes(written.path.read_bytes(), written.signature_path.read_bytes(), parties.keyring)
    assert (in_memory.signer, in_memory.comment, in_memory.checks) == (on_media.signer, on_media.comment, on_media.checks)
