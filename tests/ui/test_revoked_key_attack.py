"""Issue 13.1, as the attack: a force's signing key is stolen and revoked. With that key
and the stock tools only (minisign, age, tar, sha256sum), the attacker signs an outcome
bundle whose trusted comment and manifest claim it was made weeks before the revocation.
The room refuses it (headless import and verify), whatever it claims; a bundle the room
accepted from the key after the revocation's "from" time is listed as suspect, with what
it fed."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from statskit import NOW, history_room, history_template, open_as, sealed_referrals

from hotline_tui import cli
from hotline_tui.demo.room import DemoRoom
from hotline_tui.services import revocation
from hotline_tui.services.keyring import keys
from hotline_tui.services.referrals.outcomes import import_outcomes
from hotline_tui.services.verifying.verification import verify_file

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "import_export"))
import bundlekit  # noqa: E402

__all__ = ["history_room", "history_template"]  # fixtures
STOCK = ("age", "minisign", "tar", "sha256sum")


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stock_outcome_bundle(room: DemoRoom, force: str, referral_id: str, created: str, out: Path) -> Path:
    """FORMATS.md step by step with the stock programs: members, manifest with sha256sum
    figures, minisign the manifest, tar, age to the room, minisign the .age."""
    work = out / "work"
    work.mkdir(parents=True)
    key = room.secrets / "forces" / f"{force}.key"
    key_id = keys_id(room, force)
    bundle_id = str(uuid.uuid4())
    outcome = {"referral_id": referral_id, "status": "investigation_opened", "date": created[:10],
               "note": "opened on the evidence"}
    (work / "outcomes.jsonl").write_text(json.dumps(outcome) + "\n")
    digest = subprocess.run(["sha256sum", "outcomes.jsonl"], cwd=work, check=True, capture_output=True, text=True)
    manifest = {"format": "hotline-bundle/1", "kind": "outcomes", "bundle_id": bundle_id, "created": created,
                "sender_key_id": key_id, "recipient": "triage-room",
                "files": {"outcomes.jsonl": {"size": (work / "outcomes.jsonl").stat().st_size,
                                             "sha256": digest.stdout.split()[0]}}}
    (work / "manifest.json").write_text(json.dumps(manifest) + "\n")
    comment = f"hotline-bundle/1 kind=outcomes id={bundle_id} created={created} count=1 to=triage-room"
    _run("minisign", "-S", "-s", str(key), "-m", str(work / "manifest.json"), "-t", comment)
    _run("tar", "-C", str(work), "-cf", str(work / "payload.tar"), "manifest.json", "manifest.json.minisig",
         "outcomes.jsonl")
    recipient = (room.secrets / "triage-room.age.txt").read_text().split()[-1]
    path = out / f"outcomes-triage-room-{bundle_id[:8]}.tar.age"
    _run("age", "-r", recipient, "-o", str(path), str(work / "payload.tar"))
    _run("minisign", "-S", "-s", str(key), "-m", str(path), "-t", comment)
    shutil.rmtree(work)
    return path


def keys_id(room: DemoRoom, force: str) -> str:
    from import_export.minisign import SecretKey

    return SecretKey.load(room.secrets / "forces" / f"{force}.key").key_id


def test_a_backdated_bundle_signed_with_a_revoked_key_is_refused(
    history_room: DemoRoom, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bundlekit.require_tools(*STOCK)
    officer = open_as(history_room, "officer")
    referral_id, force = sealed_referrals(officer)[-1]
    key_id = keys_id(history_room, force)

    # Before the theft is known, a bundle made the same way is accepted: the stock-made bundle is sound.
    honest = stock_outcome_bundle(history_room, force, referral_id, "2026-11-19T09:00:00Z", Path("honest"))
    assert import_outcomes(officer, [honest]).imported == 1

    # The key is revoked, from an hour before that bundle was accepted.
    keys.revoke_key(officer, key_id, "force laptop stolen", NOW - timedelta(hours=1))
    (suspect,) = revocation.suspect_bundles(officer)
    assert suspect.bundle.file_name == honest.name and suspect.bundle.outcomes == 1
    assert referral_id in suspect.fed and "statistics" in suspect.fed
    held = officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    officer.close()

    # The attacker backdates: trusted comment and manifest claim a time weeks before the revocation.
    backdated = stock_outcome_bundle(history_room, force, referral_id, "2026-10-01T09:00:00Z", Path("stick"))
    monkeypatch.setattr("sys.stdin", io.StringIO("officer-demo-2026\n"))
    code = cli.main(["import", "--kind", "outcomes", "--workspace", str(history_room.workspace), "--user", "officer",
                     "--password-stdin", "--no-quarantine", str(backdated)])
    out = capsys.readouterr().out
    assert code == 1
    assert "refused" in out and "signer revoked" in out and "whatever time the bundle claims" in out
    assert "0 imported" in out

    officer = open_as(history_room, "officer")
    try:
        assert officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == held
        result = verify_file(officer, backdated)
        assert not result.ok and result.verdict.startswith("REFUSED at signer revoked")
        assert result.signature_valid  # the signature is good: the key is what is refused
        again = verify_file(officer, honest)
        assert not again.ok and any(line.name == "accepted earlier" and "SUSPECT" in line.detail for line in again.lines)
    finally:
        officer.close()
