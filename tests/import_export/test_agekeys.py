"""agekeys.py: age identities and recipients in the files ``age-keygen`` writes."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import bundlekit
import pyrage
import pytest

from import_export import agekeys
from import_export.errors import KeyFileError


def test_identity_file_round_trips() -> None:
    identity = agekeys.generate_identity()
    text = agekeys.identity_text(identity, datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC))
    assert text.splitlines()[:2] == ["# created: 2026-01-02T03:04:05Z", f"# public key: {identity.to_public()}"]
    (parsed,) = agekeys.parse_identities(text)
    assert str(parsed) == str(identity)


def test_several_identities_and_comments() -> None:
    first, second = agekeys.generate_identity(), agekeys.generate_identity()
    parsed = agekeys.parse_identities(f"# one\n\n{first}\n  {second}  \n")
    assert [str(i) for i in parsed] == [str(first), str(second)]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "age1notasecret\n"])
def test_no_identity(text: str) -> None:
    with pytest.raises(KeyFileError):
        agekeys.parse_identities(text)


def test_bad_identity_line_is_named() -> None:
    with pytest.raises(KeyFileError, match="line 2"):
        agekeys.parse_identities(f"{agekeys.generate_identity()}\nAGE-SECRET-KEY-1NOTREALLY\n")


def test_recipients(tmp_path: Path) -> None:
    identity = agekeys.generate_identity()
    recipient = str(identity.to_public())
    assert [str(r) for r in agekeys.load_recipients(recipient)] == [recipient]
    listed = tmp_path / "recipients.txt"
    listed.write_text(f"# the force\n{recipient}\n\n")
    assert [str(r) for r in agekeys.load_recipients(str(listed))] == [recipient]
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(agekeys.identity_text(identity))
    assert [str(r) for r in agekeys.load_recipients(str(keyfile))] == [recipient]
    assert [str(i) for i in agekeys.load_identities(keyfile)] == [str(identity)]


@pytest.mark.parametrize("text", ["age1", "age1qqqq", "ssh-ed25519 AAAA", "AGE-SECRET-KEY-1X"])
def test_bad_recipient(text: str) -> None:
    with pytest.raises(KeyFileError):
        agekeys.parse_recipient(text)


def test_missing_or_empty_files(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError):
        agekeys.load_identities(tmp_path / "none")
    with pytest.raises(KeyFileError):
        agekeys.load_recipients(str(tmp_path / "none"))
    (tmp_path / "empty").write_text("# nothing\n")
    with pytest.raises(KeyFileError):
        agekeys.load_recipients(str(tmp_path / "empty"))


@pytest.mark.interop
def test_age_keygen_files_work_both_ways(tmp_path: Path) -> None:
    tools = bundlekit.require_tools("age", "age-keygen")
    keyfile = tmp_path / "room.key"
    subprocess.run([tools["age-keygen"], "-o", str(keyfile)], check=True, capture_output=True)
    (identity,) = agekeys.load_identities(keyfile)
    recipient = agekeys.load_recipients(str(keyfile))[0]
    # pyrage encrypts to the age-keygen key, stock age decrypts ...
    (tmp_path / "ours.age").write_bytes(pyrage.encrypt(b"from us", [recipient]))
    out = subprocess.run([tools["age"], "-d", "-i", str(keyfile), str(tmp_path / "ours.age")], check=True, capture_output=True)
    assert out.stdout == b"from us"
    # ... and stock age encrypts to it, we decrypt.
    subprocess.run([tools["age"], "-r", str(recipient), "-o", str(tmp_path / "theirs.age")], input=b"from age", check=True)
    assert pyrage.decrypt((tmp_path / "theirs.age").read_bytes(), [identity]) == b"from age"
    # our identity file is one stock age reads.
    ours = tmp_path / "ours.key"
    ours.write_text(agekeys.identity_text(identity))
    out = subprocess.run([tools["age"], "-d", "-i", str(ours), str(tmp_path / "ours.age")], check=True, capture_output=True)
    assert out.stdout == b"from us"
