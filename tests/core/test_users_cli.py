"""``hotline-tui users ...``: the officer's user management headless, through the same
services as the Users screen, audited, and refused for other roles."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from corekit import PASSWORDS, Room

from hotline_tui import cli
from hotline_tui.config import KdfParams
from hotline_tui.errors import AccountDisabled, WrongPassword
from hotline_tui.services.people.users import list_users
from hotline_tui.store import audit as audit_store


@pytest.fixture(autouse=True)
def cheap_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command's settings derive new slots at production cost; tests use the cheap one.
    monkeypatch.setattr(KdfParams, "production", classmethod(lambda cls: KdfParams.for_tests()))


def run(room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], user: str,
        *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin if stdin is not None else PASSWORDS[user] + "\n"))
    code = cli.main(["users", args[0], "--workspace", str(room.settings.workspace), "--user", user,
                     "--password-stdin", *args[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_officer_adds_a_user_whose_one_time_password_is_printed_once_and_must_be_changed(
    room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(room, monkeypatch, capsys, "olivia", "add", "--role", "analyst", "--display-name", "Ada A", "ada")
    assert (code, err) == (0, "")
    password = re.search(r"one-time password for ada: (\S+)", out)
    assert password and out.count(password.group(1)) == 1
    session = room.unlock("ada", password.group(1))
    try:
        assert session.must_change_password and session.user.display_name == "Ada A"
        entries = [(e.actor, e.action, e.object) for e in audit_store.iterate(session.conn)]
    finally:
        session.close()
    assert ("olivia", "user.add", "ada") in entries


def test_list_reset_disable_enable_and_remove_headless(
    room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(room, monkeypatch, capsys, "olivia", "list")
    assert code == 0 and re.search(r"^ann +Analyst +active +Ann Analyst$", out, re.M)  # corekit: chosen

    given = PASSWORDS["olivia"] + "\nann-one-time-pass-2\n"
    code, out, _ = run(room, monkeypatch, capsys, "olivia", "reset", "--one-time-password-stdin", "ann", stdin=given)
    assert code == 0 and "ann-one-time-pass-2" not in out
    room.unlock("ann", "ann-one-time-pass-2").close()
    with pytest.raises(WrongPassword):
        room.unlock("ann")

    code, out, _ = run(room, monkeypatch, capsys, "olivia", "disable", "--reason", "on leave", "ann")
    assert code == 0 and "disabled ann" in out
    with pytest.raises((WrongPassword, AccountDisabled)):
        room.unlock("ann", "ann-one-time-pass-2")
    code, out, _ = run(room, monkeypatch, capsys, "olivia", "list")
    assert re.search(r"^ann +Analyst +disabled", out, re.M)

    code, out, _ = run(room, monkeypatch, capsys, "olivia", "enable", "--reason", "back", "ann")
    password = re.search(r"one-time password for ann: (\S+)", out)
    assert code == 0 and password
    room.unlock("ann", password.group(1)).close()

    code, out, _ = run(room, monkeypatch, capsys, "olivia", "remove", "--reason", "left the service", "sam")
    assert code == 0 and "removed sam" in out
    code, out, _ = run(room, monkeypatch, capsys, "olivia", "list", "--all")  # when, to the minute
    assert re.search(r"^sam +Supervisor +removed \d{4}-\d\d-\d\d \d\d:\d\d UTC +Sam", out, re.M), out
    with pytest.raises(WrongPassword):
        room.unlock("sam")
    officer = room.unlock("olivia")
    try:
        actions = [(e.action, e.object, e.reason) for e in audit_store.iterate(officer.conn) if e.actor == "olivia"]
        assert {infos.name for infos in list_users(officer)} == {"olivia", "ann"}
    finally:
        officer.close()
    for action in (("user.reset_password", "ann"), ("user.disable", "ann", "on leave"), ("user.enable", "ann", "back"),
                   ("user.remove", "sam", "left the service")):
        assert any(entry[: len(action)] == action for entry in actions), action


@pytest.mark.parametrize("user", ["ann", "sam"])
def test_other_roles_are_refused_and_nothing_changes(
    room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], user: str
) -> None:
    for args in (("list",), ("add", "--role", "security-officer", "eve"), ("disable", "olivia"), ("remove", "olivia"),
                 ("role", "--reason", "take over", user, "security-officer")):
        code, out, err = run(room, monkeypatch, capsys, user, *args)
        assert code == 1 and out == ""
        assert err.startswith("hotline-tui: ") and "may not manage users" in err and "Traceback" not in err
    officer = room.unlock("olivia")
    try:
        assert {info.name for info in list_users(officer)} == {"olivia", "ann", "sam"}
    finally:
        officer.close()


def test_a_wrong_officer_password_changes_nothing(
    room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(room, monkeypatch, capsys, "olivia", "add", "--role", "analyst", "eve", stdin="not-the-password\n")
    assert (code, out) == (1, "") and "Wrong user name or password" in err


def test_role_gives_another_role_says_what_follows_and_is_audited(
    room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(room, monkeypatch, capsys, "olivia", "role", "--reason", "promoted", "ann", "supervisor")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "changed the role of ann: Analyst → Supervisor."
    assert "  They are given the room's signing key (sealing referrals, managing keys) now." in out.splitlines()
    code, out, _ = run(room, monkeypatch, capsys, "olivia", "list")
    assert re.search(r"^ann +Supervisor +active", out, re.M)
    officer = room.unlock("olivia")
    try:
        entries = [(e.actor, e.action, e.object, e.reason) for e in audit_store.iterate(officer.conn)]
    finally:
        officer.close()
    assert ("olivia", "user.change_role", "ann", "analyst to supervisor: promoted") in entries


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--reason", "stepping down", "olivia", "analyst"), 1, "You cannot change the role of yourself"),
    (("ann", "supervisor"), 1, "Say why the user is given another role"),
    (("--reason", "no change", "ann", "analyst"), 1, "ann is already an analyst"),
    (("--reason", "gone", "zed", "analyst"), 1, "There is no user 'zed'."),
    (("--reason", "x", "ann", "chief"), 2, "invalid choice: 'chief'"),
])
def test_role_refusals_say_why_and_change_nothing(
    room: Room, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...], code: int, words: str
) -> None:
    usage_error = pytest.raises(SystemExit, match="^2$") if code == 2 else contextlib.nullcontext()
    with usage_error:
        got, out, err = run(room, monkeypatch, capsys, "olivia", "role", *args)
    if code == 2:
        assert words in capsys.readouterr().err
    else:
        assert (got, out) == (1, "") and err.startswith("hotline-tui: ") and words in err and "Traceback" not in err
    officer = room.unlock("olivia")
    try:
        assert {info.name: str(info.role) for info in list_users(officer)} == {
            "olivia": "security_officer", "ann": "analyst", "sam": "supervisor"}
    finally:
        officer.close()


def test_keys_export_makes_the_folder_it_is_given(room: Room, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """As hotline-bundle keygen --out and pack --out do; a file where the folder should be is a usage error."""
    out = tmp_path / "stick" / "for-forces"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["olivia"] + "\n"))
    code = cli.main(["keys", "export", "--workspace", str(room.settings.workspace), "--user", "olivia",
                     "--password-stdin", str(out)])
    assert code == 0 and sorted(p.name for p in out.iterdir()) == ["triage-room.age.txt", "triage-room.pub"]
    code = cli.main(["keys", "export", "--workspace", str(room.settings.workspace), "--user", "olivia",
                     str(out / "triage-room.pub")])  # no password given: never asked for
    assert code == 2 and "is a file, not a folder" in capsys.readouterr().err
