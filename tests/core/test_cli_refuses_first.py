"""Every headless command checks the role before printing anything, and no failure prints
a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from deskkit import PASSWORDS, Demo

from hotline_tui import cli


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], user: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS[user] + "\n"))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", [
    ["keys", "list"], ["keys", "export", "OUT"], ["keys", "add", "--kind", "intake", "KEY"],
    ["import", "--kind", "outcomes", "MEDIA"], ["users", "list"], ["backup", "OUT"],
])
def test_an_analyst_gets_a_refusal_and_nothing_else(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    key = tmp_path / "intake.pub"
    key.write_text("untrusted comment: x\nRWQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    paths = {"OUT": str(out_dir), "KEY": str(key), "MEDIA": str(demo.room.media)}
    argv = [paths.get(part, part) for part in command]
    depth = 2 if argv[0] in ("keys", "users") else 1
    code, out, err = _run(monkeypatch, capsys, "ana", *argv[:depth], "--workspace", str(demo.room.workspace),
                          "--user", "ana", "--password-stdin", *argv[depth:])
    assert code == 1
    assert out == ""  # not one key id, not one bundle line before the refusal
    assert "may not" in err and "Traceback" not in err
    assert list(out_dir.iterdir()) == []


def test_an_unexpected_failure_prints_its_kind_only(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        secret = "the-room-secret-value"
        raise RuntimeError(secret)

    monkeypatch.setattr("hotline_tui.services.keyring.keys.list_keys", broken)
    code, out, err = _run(monkeypatch, capsys, "officer", "keys", "list", "--workspace", str(demo.room.workspace),
                          "--user", "officer", "--password-stdin")
    assert code == 1 and out == ""
    assert "failed (RuntimeError)" in err and "the-room-secret-value" not in err and "Traceback" not in err
