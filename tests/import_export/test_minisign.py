"""minisign.py: key files, signatures, and interop with the stock ``minisign``."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import bundlekit
import nacl.signing
import pytest
from bundlekit import FAST_SCRYPT

from import_export.errors import KeyFileError, WrongPassword
from import_export.minisign import (
    PublicKey,
    SecretKey,
    Signature,
    SignatureError,
    format_key_id,
    parse_key_id,
    prehash,
    prehash_stream,
)

COMMENT = (
    "hotline-bundle/1 kind=reports id=00000000-0000-4000-8000-000000000000 created=2026-03-14T09:26:53Z count=1 to=triage-room"
)


@pytest.fixture(scope="module")
def key() -> SecretKey:
    return SecretKey.generate()


def legacy_signature(key: SecretKey, message: bytes, comment: str) -> str:
    """A legacy ('Ed', not prehashed) signature, as ``minisign -S -l`` makes."""
    signature = key.sign_raw(message)
    global_sig = key.sign_raw(signature + comment.encode())
    return (
        "untrusted comment: legacy\n"
        f"{base64.b64encode(b'Ed' + key.key_id_raw + signature).decode()}\n"
        f"trusted comment: {comment}\n{base64.b64encode(global_sig).decode()}\n"
    )


class TestKeyFiles:
    def test_key_id_is_printed_little_endian_as_minisign_does(self) -> None:
        raw = bytes.fromhex("0102030405060708")
        assert format_key_id(raw) == "0807060504030201"
        assert parse_key_id("0807060504030201") == raw

    @pytest.mark.parametrize("text", ["123", "zz" * 8, "01" * 9])
    def test_bad_key_id(self, text: str) -> None:
        with pytest.raises(KeyFileError):
            parse_key_id(text)

    def test_unencrypted_secret_key_round_trips(self, key: SecretKey) -> None:
        text = key.to_text(None)
        assert not SecretKey.is_encrypted_text(text)
        assert SecretKey.from_text(text) == key

    def test_encrypted_secret_key_round_trips(self, key: SecretKey) -> None:
        text = key.to_text("correct horse", **FAST_SCRYPT)
        assert SecretKey.is_encrypted_text(text)
        assert SecretKey.from_text(text, "correct horse") == key

    def test_wrong_password(self, key: SecretKey) -> None:
        text = key.to_text("correct horse", **FAST_SCRYPT)
        with pytest.raises(WrongPassword):
            SecretKey.from_text(text, "battery staple")

    def test_no_password_for_an_encrypted_key(self, key: SecretKey) -> None:
        with pytest.raises(WrongPassword):
            SecretKey.from_text(key.to_text("pw", **FAST_SCRYPT))

    def test_damaged_unencrypted_key_is_refused(self, key: SecretKey) -> None:
        lines = key.to_text(None).splitlines()
        raw = bytearray(base64.b64decode(lines[1]))
        raw[60] ^= 1  # inside the secret key, covered by the checksum
        with pytest.raises(KeyFileError, match="checksum"):
            SecretKey.from_text(f"{lines[0]}\n{base64.b64encode(bytes(raw)).decode()}\n")

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "hello\n",
            "untrusted comment: x\nnot base64!\n",
            "untrusted comment: x\n" + base64.b64encode(b"Ed" + bytes(10)).decode(),
        ],
    )
    def test_malformed_secret_key(self, text: str) -> None:
        with pytest.raises(KeyFileError):
            SecretKey.from_text(text)

    @pytest.mark.parametrize(
        ("offset", "value", "match"), [(2, b"Xx", "key derivation"), (0, b"XX", "algorithm"), (4, b"Z9", "algorithm")]
    )
    def test_unknown_algorithms_in_secret_key(self, key: SecretKey, offset: int, value: bytes, match: str) -> None:
        lines = key.to_text(None).splitlines()
        raw = bytearray(base64.b64decode(lines[1]))
        raw[offset : offset + 2] = value
        with pytest.raises(KeyFileError, match=match):
            SecretKey.from_text(f"{lines[0]}\n{base64.b64encode(bytes(raw)).decode()}\n")

    def test_public_key_file_and_bare_line(self, key: SecretKey) -> None:
        text = key.public_key.to_text()
        assert text.startswith(f"untrusted comment: minisign public key {key.key_id}\n")
        assert PublicKey.from_text(text) == key.public_key
        assert PublicKey.from_text(key.public_key.base64()) == key.public_key

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "untrusted comment: x\n!!!\n",
            base64.b64encode(b"Ed" + bytes(20)).decode(),
            base64.b64encode(b"XX" + bytes(40)).decode(),
        ],
    )
    def test_malformed_public_key(self, text: str) -> None:
        with pytest.raises(KeyFileError):
            PublicKey.from_text(text)

    def test_missing_files(self, tmp_path: Path) -> None:
        with pytest.raises(KeyFileError):
            PublicKey.load(tmp_path / "none.pub")
        with pytest.raises(KeyFileError):
            SecretKey.load(tmp_path / "none.key")


class TestSignatures:
    def test_sign_and_verify(self, key: SecretKey) -> None:
        text = key.sign(b"message", COMMENT)
        signature = Signature.from_text(text)
        assert signature.algorithm == b"ED"
        assert signature.key_id == key.key_id
        assert signature.trusted_comment == COMMENT
        signature.verify(key.public_key, b"message")

    def test_prehash_stream_matches(self, tmp_path: Path) -> None:
        data = bytes(range(256)) * 9000  # more than one read chunk
        path = tmp_path / "f"
        path.write_bytes(data)
        with path.open("rb") as handle:
            assert prehash_stream(handle) == prehash(data)

    def test_altered_message(self, key: SecretKey) -> None:
        with pytest.raises(SignatureError, match="does not match"):
            Signature.from_text(key.sign(b"message", COMMENT)).verify(key.public_key, b"messagf")

    def test_altered_trusted_comment(self, key: SecretKey) -> None:
        text = key.sign(b"message", COMMENT).replace("count=1", "count=2")
        with pytest.raises(SignatureError, match="trusted comment"):
            Signature.from_text(text).verify(key.public_key, b"message")

    def test_other_key(self, key: SecretKey) -> None:
        with pytest.raises(SignatureError, match="expected"):
            Signature.from_text(key.sign(b"m", COMMENT)).verify(SecretKey.generate().public_key, b"m")

    def test_same_key_id_other_key(self, key: SecretKey) -> None:
        impostor = SecretKey(key.key_id_raw, SecretKey.generate().secret)
        with pytest.raises(SignatureError):
            Signature.from_text(impostor.sign(b"m", COMMENT)).verify(key.public_key, b"m")

    def test_legacy_signature_is_refused(self, key: SecretKey) -> None:
        with pytest.raises(SignatureError, match="legacy"):
            Signature.from_text(legacy_signature(key, b"m", COMMENT))

    def test_legacy_construction_is_plain_ed25519(self, key: SecretKey) -> None:
        raw = base64.b64decode(legacy_signature(key, b"m", COMMENT).splitlines()[1])
        nacl.signing.VerifyKey(key.public_key.key).verify(b"m", raw[10:])

    def test_trusted_comment_is_one_line(self, key: SecretKey) -> None:
        with pytest.raises(ValueError):
            key.sign(b"m", "two\nlines")

    @pytest.mark.parametrize(
        "mangle",
        [
            lambda t: "",
            lambda t: "\n".join(t.splitlines()[:3]),
            lambda t: t + "extra line\n",
            lambda t: t.replace("untrusted comment:", "comment:"),
            lambda t: t.replace("\ntrusted comment: ", "\nTrusted: "),
            lambda t: t.replace(t.splitlines()[1], "@@@@"),
            lambda t: t.replace(t.splitlines()[1], t.splitlines()[1][:-8] + "===="),
            lambda t: t.replace(t.splitlines()[3], base64.b64encode(bytes(63)).decode()),
            lambda t: t.replace(t.splitlines()[1], base64.b64encode(b"XX" + bytes(72)).decode()),
        ],
        ids=[
            "empty",
            "three-lines",
            "five-lines",
            "no-untrusted",
            "no-trusted",
            "not-base64",
            "short",
            "short-global",
            "unknown-alg",
        ],
    )
    def test_malformed_signature_files(self, key: SecretKey, mangle) -> None:
        with pytest.raises(SignatureError):
            Signature.from_text(mangle(key.sign(b"m", COMMENT)))

    def test_crlf_signature_file_is_read(self, key: SecretKey) -> None:
        Signature.from_text(key.sign(b"m", COMMENT).replace("\n", "\r\n")).verify(key.public_key, b"m")


# --- the stock minisign ------------------------------------------------------------


@pytest.fixture(scope="module")
def minisign() -> str:
    return bundlekit.require_tools("minisign")["minisign"]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120)


@pytest.mark.interop
class TestStockMinisign:
    def test_our_unencrypted_key_signs_with_stock_minisign(self, tmp_path: Path, key: SecretKey, minisign: str) -> None:
        (tmp_path / "k.key").write_text(key.to_text(None))
        (tmp_path / "f").write_bytes(b"payload")
        result = run(minisign, "-S", "-s", str(tmp_path / "k.key"), "-m", str(tmp_path / "f"), "-t", COMMENT)
        assert result.returncode == 0, result.stderr
        signature = Signature.from_text((tmp_path / "f.minisig").read_text())
        signature.verify(key.public_key, b"payload")
        assert signature.trusted_comment == COMMENT

    def test_our_encrypted_key_signs_with_stock_minisign(self, tmp_path: Path, key: SecretKey, minisign: str) -> None:
        (tmp_path / "k.key").write_text(key.to_text("s3cret pass", **FAST_SCRYPT))
        (tmp_path / "f").write_bytes(b"payload")
        result = run(
            minisign, "-S", "-s", str(tmp_path / "k.key"), "-m", str(tmp_path / "f"), "-t", COMMENT, stdin="s3cret pass\n"
        )
        assert result.returncode == 0, result.stderr
        Signature.from_text((tmp_path / "f.minisig").read_text()).verify(key.public_key, b"payload")

    def test_our_signatures_verify_with_stock_minisign(self, tmp_path: Path, key: SecretKey, minisign: str) -> None:
        (tmp_path / "k.pub").write_text(key.public_key.to_text())
        (tmp_path / "f").write_bytes(b"payload")
        (tmp_path / "f.minisig").write_text(key.sign(b"payload", COMMENT))
        # -H: require the prehashed algorithm, the only one we make.
        result = run(minisign, "-V", "-H", "-p", str(tmp_path / "k.pub"), "-m", str(tmp_path / "f"))
        assert result.returncode == 0, result.stderr
        assert f"Trusted comment: {COMMENT}" in result.stdout
        (tmp_path / "f").write_bytes(b"paylOad")
        assert run(minisign, "-V", "-p", str(tmp_path / "k.pub"), "-m", str(tmp_path / "f")).returncode != 0

    def test_stock_unencrypted_key_is_loadable(self, tmp_path: Path, minisign: str) -> None:
        pub, sec = tmp_path / "w.pub", tmp_path / "w.key"
        result = run(minisign, "-G", "-W", "-p", str(pub), "-s", str(sec))
        assert result.returncode == 0, result.stderr
        key = SecretKey.load(sec)
        assert key.public_key == PublicKey.load(pub)
        # minisign prints the id without leading zeros ("%" PRIX64); we always print 16 digits.
        printed = pub.read_text().splitlines()[0].rsplit(" ", 1)[1]
        assert int(printed, 16) == int(key.key_id, 16)
        (tmp_path / "f").write_bytes(b"x")
        (tmp_path / "f.minisig").write_text(key.sign(b"x", COMMENT))
        assert run(minisign, "-V", "-p", str(pub), "-m", str(tmp_path / "f")).returncode == 0

    def test_stock_encrypted_key_is_loadable(self, tmp_path: Path, minisign: str) -> None:
        """minisign's own scrypt cost (1 GiB): the slowest test here, a few seconds."""
        pub, sec = tmp_path / "e.pub", tmp_path / "e.key"
        result = run(minisign, "-G", "-p", str(pub), "-s", str(sec), stdin="pass word\npass word\n")
        assert result.returncode == 0, result.stderr
        assert SecretKey.is_encrypted_text(sec.read_text())
        key = SecretKey.load(sec, "pass word")
        assert key.public_key == PublicKey.load(pub)

    def test_stock_signature_verifies_here(self, tmp_path: Path, key: SecretKey, minisign: str) -> None:
        (tmp_path / "k.key").write_text(key.to_text(None))
        (tmp_path / "f").write_bytes(b"payload" * 1000)
        assert run(minisign, "-S", "-s", str(tmp_path / "k.key"), "-m", str(tmp_path / "f"), "-t", COMMENT).returncode == 0
        Signature.from_text((tmp_path / "f.minisig").read_text()).verify(key.public_key, b"payload" * 1000)

    def test_stock_legacy_signature_is_refused(self, tmp_path: Path, key: SecretKey, minisign: str) -> None:
        (tmp_path / "k.key").write_text(key.to_text(None))
        (tmp_path / "f").write_bytes(b"payload")
        result = run(minisign, "-S", "-l", "-s", str(tmp_path / "k.key"), "-m", str(tmp_path / "f"), "-t", COMMENT)
        assert result.returncode == 0, result.stderr
        text = (tmp_path / "f.minisig").read_text()
        assert base64.b64decode(text.splitlines()[1])[:2] == b"Ed"
        with pytest.raises(SignatureError, match="legacy"):
            Signature.from_text(text)
        # ... and our hand-made legacy signature is the same thing stock minisign makes.
        assert text.splitlines()[1] == legacy_signature(key, b"payload", COMMENT).splitlines()[1]
