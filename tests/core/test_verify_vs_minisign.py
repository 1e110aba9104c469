"""The verification service's signature verdict is stock minisign's, bundle for bundle.

Each adversarial bundle is checked twice: by ``verify_file`` (its ``signature_valid``)
and by ``minisign -V -H`` with the public key an auditor holds for the sender. ``-H``
makes minisign require the prehashed algorithm, as FORMATS.md does; without it, stock
minisign accepts a legacy 'Ed' signature that the room refuses by design. Fails (not
skips) when minisign is missing and CI is set.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import nacl.signing
import pytest
from deskkit import BUILT, Demo, copy_demo, tampered

from hotline_tui.demo.room import DemoRoom
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.services.verifying.verification import verify_file
from import_export.bundle import signature_path
from import_export.minisign import PublicKey, SecretKey, Signature, SignatureError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "import_export"))
from bundlekit import require_tools  # noqa: E402  (the bundle tests' helper: fail under CI, skip elsewhere)


def _lines(path: Path) -> list[str]:
    return signature_path(path).read_text().split("\n")


def _write_lines(path: Path, lines: list[str]) -> None:
    signature_path(path).write_text("\n".join(lines))


def _tamper_byte(demo: Demo, path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x80
    path.write_bytes(bytes(data))


def _edit_comment(demo: Demo, path: Path) -> None:
    lines = _lines(path)
    lines[2] = lines[2].replace("count=1", "count=2")
    _write_lines(path, lines)


def _other_comment(demo: Demo, path: Path) -> None:
    lines, other = _lines(path), _lines(demo.bundles()[0])
    lines[2] = other[2]
    _write_lines(path, lines)


def _alter_global_signature(demo: Demo, path: Path) -> None:
    lines = _lines(path)
    raw = bytearray(base64.b64decode(lines[3]))
    raw[0] ^= 1
    lines[3] = base64.b64encode(bytes(raw)).decode()
    _write_lines(path, lines)


def _wrong_key(demo: Demo, path: Path) -> None:
    signature_path(path).write_text(SecretKey.generate().sign(path.read_bytes(), _lines(path)[2][17:]))


def _forged_key_id(demo: Demo, path: Path) -> None:
    """Another key signs, claiming the intake key's id."""
    impostor = SecretKey(demo.intake_key().key_id_raw, SecretKey.generate().secret)
    signature_path(path).write_text(impostor.sign(path.read_bytes(), _lines(path)[2][17:]))


def _legacy(demo: Demo, path: Path) -> None:
    """A legacy 'Ed' signature over the raw payload, as ``minisign -S -l`` makes."""
    key, comment = demo.intake_key(), _lines(path)[2][17:]
    signing = nacl.signing.SigningKey(key.secret[:32])
    signature = signing.sign(path.read_bytes()).signature
    global_signature = signing.sign(signature + comment.encode()).signature
    signature_path(path).write_text(
        "untrusted comment: legacy\n"
        f"{base64.b64encode(b'Ed' + key.key_id_raw + signature).decode()}\n"
        f"trusted comment: {comment}\n{base64.b64encode(global_signature).decode()}\n"
    )


def _truncated(demo: Demo, path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1])


def _untouched(demo: Demo, path: Path) -> None:
    pass


CASES: dict[str, Callable[[Demo, Path], None]] = {
    "untouched": _untouched,
    "tampered byte": _tamper_byte,
    "truncated payload": _truncated,
    "edited trusted comment": _edit_comment,
    "another bundle's comment": _other_comment,
    "altered comment signature": _alter_global_signature,
    "wrong key": _wrong_key,
    "forged key id": _forged_key_id,
    "legacy Ed signature": _legacy,
}


@pytest.mark.interop
@pytest.mark.parametrize("case", list(CASES))
def test_signature_verdict_equals_stock_minisign(case: str, template: DemoRoom, tmp_path: Path) -> None:
    minisign = require_tools("minisign")["minisign"]
    demo = copy_demo(template, tmp_path)
    reports = generate_reports(1, seed=11, start=BUILT - timedelta(days=2), end=BUILT - timedelta(days=1), hostile=False)
    path = demo.reports_bundle(tmp_path / "stick", reports, BUILT).path
    CASES[case](demo, path)
    result = verify_file(demo.unlock(), path)
    pub = demo.room.secrets / "intake" / "intake-online.pub"
    stock = subprocess.run(
        [minisign, "-V", "-H", "-p", str(pub), "-m", str(path)], capture_output=True, text=True, check=False
    )
    assert result.signature_valid == (stock.returncode == 0), (result.verdict, stock.stdout, stock.stderr)
    assert result.signature_valid == (case == "untouched")
    assert result.ok == (case == "untouched")


@pytest.mark.interop
def test_the_demo_media_agrees_with_stock_minisign(template: DemoRoom, tmp_path: Path) -> None:
    minisign = require_tools("minisign")["minisign"]
    demo = copy_demo(template, tmp_path)
    session, bad = demo.unlock(), tampered(demo)
    for path in demo.bundles():
        result = verify_file(session, path)
        pub = demo.room.secrets / "intake" / f"{result.signer.name}.pub"
        stock = subprocess.run([minisign, "-V", "-H", "-p", str(pub), "-m", str(path)], capture_output=True, check=False)
        assert result.signature_valid == (stock.returncode == 0) == (path != bad)


# Bits flipped in each byte of the untrusted comment line: the lowest, the one that turns a
# space into a NUL (and letters' case), and the top one (the byte is no longer UTF-8 text).
FLIPS = (0x01, 0x20, 0x80)


@pytest.mark.interop
def test_every_byte_of_the_untrusted_comment_line_gets_stock_minisigns_verdict(
    template: DemoRoom, tmp_path: Path
) -> None:
    minisign = require_tools("minisign")["minisign"]
    demo = copy_demo(template, tmp_path)
    reports = generate_reports(1, seed=12, start=BUILT - timedelta(days=2), end=BUILT - timedelta(days=1), hostile=False)
    path = demo.reports_bundle(tmp_path / "stick", reports, BUILT).path
    pub = demo.room.secrets / "intake" / "intake-online.pub"
    original = signature_path(path).read_bytes()
    session, payload = demo.unlock(), path.read_bytes()
    key = PublicKey.load(pub)
    line = original.index(b"\n")
    variants = [original[:i] + bytes([original[i] ^ flip]) + original[i + 1:] for i in range(line) for flip in FLIPS]
    long_comment = [b"untrusted comment: " + b"x" * (n - 19) + original[line:] for n in (1021, 1022, 1023, 1024)]
    verdicts = []
    for signature in (*variants, *long_comment):
        signature_path(path).write_bytes(signature)
        stock = subprocess.run([minisign, "-V", "-H", "-q", "-p", str(pub), "-m", str(path)], capture_output=True,
                               check=False).returncode == 0
        assert verify_file(session, path).signature_valid == stock, signature[:line + 1]
        assert _reader_accepts(signature, key, payload) == stock, signature[:line + 1]  # what import checks
        verdicts.append(stock)
    assert True in verdicts and False in verdicts  # both verdicts were reached


def _reader_accepts(signature: bytes, key: PublicKey, payload: bytes) -> bool:
    try:
        Signature.from_bytes(signature).verify(key, payload)
    except SignatureError:
        return False
    return True
