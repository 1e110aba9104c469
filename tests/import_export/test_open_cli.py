"""``hotline-bundle open``: what a force finds on disk after opening its referral bundle."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import bundlekit
import pytest
from bundlekit import FORCE, Parties

from import_export import cli
from import_export.minisign import PublicKey, Signature


def test_open_writes_every_member_and_the_manifest_signature(tmp_path: Path, parties: Parties) -> None:
    _, folder = bundlekit.open_referrals(tmp_path, parties)
    manifest = json.loads((folder / "manifest.json").read_bytes())
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    readable = {f"{json.loads((folder / name).read_bytes())['reference']}.txt"
                for name in manifest["files"] if name.startswith("referrals/") and name.endswith(".json")}
    assert len(readable) == 2, "each referral's rendering again, under its reference"
    assert on_disk == set(manifest["files"]) | {"manifest.json", "manifest.json.minisig"} | readable
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]
    assert not list((tmp_path / "opened").glob(".*")), "no staging folder or temporary file is left"


def test_the_opened_manifest_verifies_with_the_room_key(tmp_path: Path, parties: Parties) -> None:
    """What ``minisign -Vm manifest.json -p triage-room.pub`` checks, with our verifier."""
    _, folder = bundlekit.open_referrals(tmp_path, parties)
    signature = Signature.from_text((folder / "manifest.json.minisig").read_text())
    room = PublicKey.load(tmp_path / "keyring" / "triage-room.pub")
    signature.verify(room, (folder / "manifest.json").read_bytes())
    assert "kind=referrals" in signature.trusted_comment and f"to={FORCE}" in signature.trusted_comment


def test_open_refuses_to_write_over_an_earlier_opening(
    tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder = bundlekit.open_referrals(tmp_path, parties)
    bundle = next(tmp_path.glob("*.tar.age"))
    code = cli.main(["open", "--identity", str(tmp_path / "force.age"), "--keyring", str(tmp_path / "keyring"),
                     "--out", str(tmp_path / "opened"), str(bundle)])
    assert code == cli.FAILED and "already exists" in capsys.readouterr().err
    assert (folder / "manifest.json.minisig").exists()
