"""Both directions with the stock programs: a bundle made with age, minisign, tar and
sha256sum imports; every bundle our writer makes verifies and opens with them."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import bundlekit
import pytest
from bundlekit import Parties

from import_export.agekeys import identity_text, load_identities
from import_export.bundle import Keyring, TrustedKey
from import_export.minisign import PublicKey
from import_export.reader import read_bundle
from import_export.writer import WrittenBundle

pytestmark = pytest.mark.interop
SCRIPT = Path(__file__).with_name("make_reports_bundle.sh")


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL, timeout=120
    )
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr}"
    return result


def test_bundle_made_with_stock_tools_is_read(tmp_path: Path, stock: dict[str, str]) -> None:
    bundle_path = Path(run("sh", SCRIPT, tmp_path).stdout.strip())
    intake = PublicKey.load(tmp_path / "intake.pub")
    keyring = Keyring([TrustedKey(intake, "stock intake", frozenset({"reports"}))])
    bundle = read_bundle(bundle_path, keyring, load_identities(tmp_path / "room.key"), kind="reports", recipient="triage-room")
    (report,) = bundle.documents
    assert report["narrative"] == "Made with the stock tools: age, minisign, tar."
    assert bundle.attachment(report["report_id"], "note.txt") == b"An attachment from the stock-tool sender.\n"
    assert bundle.manifest["sender_key_id"] == intake.key_id
    assert [check.name for check in bundle.checks] == [
        "outer signature",
        "trusted comment",
        "replay",
        "decrypt",
        "manifest",
        "documents",
    ]


def _written(kind: str, folder: Path, parties: Parties) -> tuple[WrittenBundle, str, object]:
    """A bundle of ``kind`` from our writer, its signer's .pub text and the identity that opens it."""
    if kind == "reports":
        report = bundlekit.make_report(attachments=[{"name": "a", "media_type": "text/plain", "path": "a.txt"}])
        written = bundlekit.write_reports(folder, parties, [report], {f"attachments/{report['report_id']}/a.txt": b"attached\n"})
        return written, parties.intake.public_key.to_text(), parties.room_identity
    if kind == "outcomes":
        written = bundlekit.write_outcomes(folder, parties, [bundlekit.make_outcome(), bundlekit.make_outcome(status="closed")])
        return written, parties.force.public_key.to_text(), parties.room_identity
    return bundlekit.write_referrals(folder, parties), parties.room.public_key.to_text(), parties.force_identity


@pytest.mark.parametrize("kind", ["reports", "outcomes", "referrals"])
def test_our_bundles_verify_and_open_with_stock_tools(tmp_path: Path, parties: Parties, stock: dict[str, str], kind: str) -> None:
    written, signer_pub, identity = _written(kind, tmp_path, parties)
    (tmp_path / "signer.pub").write_text(signer_pub)
    (tmp_path / "identity.txt").write_text(identity_text(identity))

    # The outer signature, prehashed (-H), with the signer's public key alone.
    verified = run(stock["minisign"], "-V", "-H", "-p", tmp_path / "signer.pub", "-m", written.path)
    assert f"Trusted comment: hotline-bundle/1 kind={kind} id={written.bundle_id} " in verified.stdout

    # age -d, then tar: regular files only.
    run(stock["age"], "-d", "-i", tmp_path / "identity.txt", "-o", tmp_path / "payload.tar", written.path)
    listing = run(stock["tar"], "-tvf", tmp_path / "payload.tar").stdout.splitlines()
    assert listing and all(line.startswith("-") for line in listing), listing
    inside = tmp_path / "inside"
    inside.mkdir()
    run(stock["tar"], "-xf", tmp_path / "payload.tar", "-C", inside)

    # The manifest's signature with the same key, and every digest with sha256sum -c.
    run(stock["minisign"], "-V", "-p", tmp_path / "signer.pub", "-m", inside / "manifest.json")
    manifest = json.loads((inside / "manifest.json").read_text())
    (tmp_path / "SHA256SUMS").write_text("".join(f"{entry['sha256']}  {name}\n" for name, entry in manifest["files"].items()))
    run(stock["sha256sum"], "--strict", "-c", tmp_path / "SHA256SUMS", cwd=inside)
    with tarfile.open(tmp_path / "payload.tar") as archive:
        assert set(archive.getnames()) == set(manifest["files"]) | {"manifest.json", "manifest.json.minisig"}

    if kind == "referrals":
        keys = sorted((inside / "keys").glob("*.pub"))
        assert len(keys) == 2
        for key in keys:  # each supervisor key certified by the room key
            run(stock["minisign"], "-V", "-p", tmp_path / "signer.pub", "-m", key)
        referrals = sorted((inside / "referrals").glob("*.json"))
        assert len(referrals) == 2
        for referral in referrals:  # each referral approved by its supervisor's key
            key_id = json.loads(referral.read_text())["approved_by"]["key_id"]
            run(stock["minisign"], "-V", "-p", inside / "keys" / f"{key_id}.pub", "-m", referral)


def test_what_hotline_bundle_open_writes_verifies_with_stock_minisign(
    tmp_path: Path, parties: Parties, stock: dict[str, str]
) -> None:
    """The force re-checks an opened referral bundle later with the stock programs alone:
    ``minisign -Vm manifest.json -p triage-room.pub``, then ``sha256sum -c``."""
    written, folder = bundlekit.open_referrals(tmp_path, parties)
    verified = run(stock["minisign"], "-Vm", folder / "manifest.json", "-p", tmp_path / "keyring" / "triage-room.pub")
    assert f"kind=referrals id={written.bundle_id} " in verified.stdout
    manifest = json.loads((folder / "manifest.json").read_text())
    (tmp_path / "SHA256SUMS").write_text("".join(f"{entry['sha256']}  {name}\n" for name, entry in manifest["files"].items()))
    run(stock["sha256sum"], "--strict", "-c", tmp_path / "SHA256SUMS", cwd=folder)
