"""``hotline-bundle`` and ``hotline-tui``'s headless commands as a person at a terminal
meets them: a folder made when asked for, a missing path is a usage error (2), an empty
folder says so and fails, and a refusal says what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import bundlekit
import pytest
from bundlekit import FORCE, Parties

from hotline_tui import cli as tui_cli
from import_export import cli
from import_export.agekeys import identity_text


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_pack_makes_the_out_folder_it_is_given(tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "documents"
    source.mkdir()
    (source / "reports.jsonl").write_text(json.dumps(bundlekit.make_report()) + "\n")
    (tmp_path / "intake.key").write_text(parties.intake.to_text(None))
    out = tmp_path / "not" / "yet"
    code, stdout, err = _run(["pack", "--kind", "reports", "--key", str(tmp_path / "intake.key"),
                              "--to", str(parties.room_identity.to_public()), "--out", str(out), str(source)], capsys)
    assert (code, err) == (cli.OK, "")
    assert len(list(out.glob("*.tar.age"))) == 1 and "wrote" in stdout
    assert "1 report for triage-room, bundle " in stdout and "kind=" not in stdout


def test_inspect_prints_each_comment_field_once(tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]) -> None:
    written = bundlekit.write_reports(tmp_path, parties, [bundlekit.make_report()])
    code, stdout, _ = _run(["inspect", str(written.path)], capsys)
    assert code == cli.OK
    assert stdout.count(written.bundle_id) == 1
    assert "kind:       reports" in stdout and "items:      1" in stdout and "to:         triage-room" in stdout


def test_inspect_of_a_folder_shows_each_bundle_and_of_an_empty_one_says_so(
    tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "stick").mkdir()
    first = bundlekit.write_reports(tmp_path / "stick", parties, [bundlekit.make_report()])
    second = bundlekit.write_reports(tmp_path / "stick", parties, [bundlekit.make_report(), bundlekit.make_report()])
    code, stdout, _ = _run(["inspect", str(tmp_path / "stick")], capsys)
    assert code == cli.OK and first.bundle_id in stdout and second.bundle_id in stdout
    assert "recipients: 1 stanza: X25519" in stdout and "stanza(s)" not in stdout
    (tmp_path / "empty").mkdir()
    code, stdout, err = _run(["inspect", str(tmp_path / "empty")], capsys)
    assert (code, stdout) == (cli.FAILED, "") and "no bundles (*.tar.age) in" in err and "nothing was inspected" in err


def test_opening_counts_in_words(tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]) -> None:
    """'1 referral', never '1 referrals'."""
    members, count = bundlekit.referral_bundle_members(parties, [bundlekit.make_referral(parties.supervisors[0])])
    written = bundlekit.write_referrals(tmp_path, parties, members, count)
    keyring = tmp_path / "keyring"
    keyring.mkdir()
    (keyring / "triage-room.pub").write_text(parties.room.public_key.to_text())
    (tmp_path / "force.age").write_text(identity_text(parties.force_identity))
    code, stdout, _ = _run(["open", "--identity", str(tmp_path / "force.age"), "--keyring", str(keyring),
                            "--out", str(tmp_path / "opened"), str(written.path)], capsys)
    assert code == cli.OK
    assert "documents: 1 referral valid" in stdout and "opened 1 referral into" in stdout


def test_opening_with_another_forces_key_says_whose_bundle_it_is(
    tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]
) -> None:
    written = bundlekit.write_referrals(tmp_path, parties)
    keyring = tmp_path / "keyring"
    keyring.mkdir()
    (keyring / "triage-room.pub").write_text(parties.room.public_key.to_text())
    (tmp_path / "other.age").write_text(identity_text(parties.room_identity))  # not the force's identity
    code, _, err = _run(["open", "--identity", str(tmp_path / "other.age"), "--keyring", str(keyring),
                         "--out", str(tmp_path / "opened"), str(written.path)], capsys)
    assert code == cli.FAILED
    assert f"addressed to {FORCE}" in err and "nothing written" in err
    assert not (tmp_path / "opened").exists()


@pytest.mark.parametrize("command", [
    ["inspect", "{missing}"],
    ["verify", "--pubkey", "{pub}", "{missing}"],
    ["verify", "--pubkey", "{missing}", "{pub}"],
    ["open", "--identity", "{missing}", "--keyring", "{tmp}", "--out", "{tmp}/o", "{pub}"],
    ["open", "--identity", "{age}", "--keyring", "{tmp}", "--out", "{tmp}/o", "{missing}"],
    ["pack", "--kind", "reports", "--key", "{missing}", "--to", "{recipient}", "--out", "{tmp}", "{tmp}"],
    ["pack", "--kind", "reports", "--key", "{pub}", "--to", "{recipient}", "--out", "{tmp}", "{missing}"],
    ["outcomes", "{missing}"],
    ["outcomes", "--received", "--key", "{missing}", "--to", "{recipient}", "--out", "{tmp}/o", "{tmp}"],
])
def test_a_missing_path_is_a_usage_error(
    command: list[str], tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "room.pub").write_text(parties.room.public_key.to_text())
    (tmp_path / "room.age").write_text(identity_text(parties.room_identity))
    values = {"missing": str(tmp_path / "no-such-file"), "pub": str(tmp_path / "room.pub"), "tmp": str(tmp_path),
              "age": str(tmp_path / "room.age"),
              "recipient": str(parties.room_identity.to_public())}
    code, _, err = _run([part.format(**values) for part in command], capsys)
    assert code == cli.USAGE
    assert "no-such-file does not exist" in err and "Errno" not in err


def test_verify_of_an_empty_folder_says_so_and_fails(
    tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "room.pub").write_text(parties.room.public_key.to_text())
    (tmp_path / "empty").mkdir()
    code, _, err = _run(["verify", "--pubkey", str(tmp_path / "room.pub"), str(tmp_path / "empty")], capsys)
    assert code == cli.FAILED and "no bundles (*.tar.age) in" in err


def test_verify_of_a_folder_checks_the_bundles_in_it(
    tmp_path: Path, parties: Parties, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "stick").mkdir()
    written = bundlekit.write_reports(tmp_path / "stick", parties, [bundlekit.make_report()])
    (tmp_path / "intake.pub").write_text(parties.intake.public_key.to_text())
    code, stdout, _ = _run(["verify", "--pubkey", str(tmp_path / "intake.pub"), str(tmp_path / "stick")], capsys)
    assert code == cli.OK and str(written.path) in stdout and "OUTER SIGNATURE VERIFIED" in stdout


def _tui(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = tui_cli.main(argv)
    return code, capsys.readouterr().err


def test_tui_keys_add_force_without_a_force_code_is_a_usage_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kent.pub").write_text("untrusted comment: x\nRWQ\n")
    code, err = _tui(["keys", "add", "--workspace", str(tmp_path), "--user", "sec", "--kind", "force",
                      str(tmp_path / "kent.pub")], capsys)
    assert code == cli.USAGE and "--kind force needs --force CODE" in err and "None" not in err


@pytest.mark.parametrize(("given", "said"), [
    ("Kent Police", "did you mean kent?"), ("kentt", "did you mean kent?"),
    ("nowhere", "(codes look like kent, metropolitan, police-scotland)"),
])
def test_tui_keys_add_of_an_unknown_force_is_a_usage_error_that_suggests_the_code(
    given: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "kent.pub").write_text("untrusted comment: x\nRWQ\n")
    code, err = _tui(["keys", "add", "--workspace", str(tmp_path), "--user", "sec", "--kind", "force", "--force", given,
                      str(tmp_path / "kent.pub")], capsys)  # no password given: never asked for
    assert code == cli.USAGE and f"'{given}' is not the code of one of the 48 forces" in err and said in err


def test_tui_import_of_a_missing_path_or_an_empty_folder_fails_before_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    session = ["import", "--workspace", str(tmp_path), "--user", "ann"]  # no password given: never asked for
    gone = tmp_path / "gone"
    assert _tui([*session, str(gone)], capsys) == (cli.USAGE, f"hotline-tui: bundle or folder {gone} does not exist\n")
    code, err = _tui([*session, str(tmp_path / "empty")], capsys)
    assert code == cli.FAILED and "no bundles (*.tar.age) in" in err and "nothing was imported" in err


@pytest.mark.parametrize("command", [
    ["keys", "list", "--workspace", "{missing}", "--user", "officer"],
    ["users", "list", "--workspace", "{missing}", "--user", "officer"],
    ["backup", "--workspace", "{missing}", "--user", "officer", "{tmp}"],
    ["restore", "--workspace", "{tmp}", "{missing}"],
    ["--workspace", "{missing}"],
])
def test_tui_a_missing_workspace_or_backup_is_a_usage_error_before_any_password(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = {"missing": str(tmp_path / "no-such-folder"), "tmp": str(tmp_path)}
    code, err = _tui([part.format(**values) for part in command], capsys)
    assert code == cli.USAGE and "no-such-folder does not exist" in err
