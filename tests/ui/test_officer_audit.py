"""The audit log from the keyboard: filters, the chain check naming an entry edited
behind the app's back, and a signed export of a date range."""

from __future__ import annotations

import json
from pathlib import Path

from officer_kit import (
    SIZE,
    make_app,
    open_officer_screen,
    pilot_test,
    settle,
    still,
    text_of,
    type_text,
)
from textual.widgets import Input

from hotline_tui.demo.room import DemoRoom
from hotline_tui.screens.officer.audit_screen import AuditScreen
from hotline_tui.screens.officer_modals import FormScreen
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.keyring import keys
from hotline_tui.store.connection import open_store
from hotline_tui.widgets.paged_table import PagedTable
from import_export.minisign import PublicKey, Signature


def _tamper(officer_room: DemoRoom, store_key: bytes, sql: str) -> None:
    """Change the store with a connection of our own, as someone with the key could."""
    conn = open_store(officer_room.workspace / "store.db", store_key)
    try:
        conn.execute(sql)
    finally:
        conn.close()


@pilot_test
async def test_filters(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Audit log", AuditScreen)
        total = app.screen.query_one(PagedTable).row_count
        assert text_of(app, "#audit-count") == f"{total:,} entries"
        await pilot.press("f", "tab")
        await type_text(pilot, "keyring")
        await pilot.press("tab")
        await type_text(pilot, "kent")
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#audit-count") == "2 entries"
        assert app.focused is app.screen.query_one(PagedTable)
        await pilot.press("f", "tab", "tab")
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press("tab")
        await type_text(pilot, "2026-03-20")
        await pilot.press("tab")
        await type_text(pilot, "2026-03-20")
        await settle(pilot)
        assert text_of(app, "#audit-count") == "0 entries"  # keyring entries were all made on the 14th
        app.screen.query_one("#action").value = ""
        await settle(pilot)
        assert text_of(app, "#audit-count") == "2 entries"  # this session's unlock and its store check
        await pilot.press("escape")
        await pilot.press("enter")  # every entry about the same object as the newest, the store check
        await settle(pilot)
        assert app.screen.query_one("#text").value == "store.db"


@pilot_test
async def test_an_entry_edited_behind_the_apps_back_is_named(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Audit log", AuditScreen)
        await pilot.press("v")
        await settle(pilot)
        entries = app.screen.query_one(PagedTable).row_count - 1
        assert text_of(app, "#audit-chain") == f"✔ Chain intact: {entries:,} entries verified."
        _tamper(officer_room, app.session.store_key, "UPDATE audit SET reason = 'nothing happened' WHERE seq = 12")
        await pilot.press("v")
        await settle(pilot)
        assert text_of(app, "#audit-chain") == (
            "✘ Chain BROKEN at entry 12: entry 12 was altered: its contents no longer match its hash"
        )
        assert app.screen.query_one("#audit-chain").has_class("error")


async def _verify_against(pilot, entry: str, digest: str = "") -> None:
    """h, then the head as typed or pasted into the form's two fields."""
    await pilot.press("h")
    await settle(pilot)
    await type_text(pilot, entry)
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, digest)
    await pilot.press("enter")
    await settle(pilot)


@pilot_test
async def test_verify_against_a_published_head_catches_a_cut_tail(officer_room: DemoRoom) -> None:
    """The head as a dispatch note prints it passes; a typo is explained in the form; once
    the tail after it is deleted behind the app's back, the same head is missing."""
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Audit log", AuditScreen)
        seq, digest = audit.head(app.session.conn)
        await _verify_against(pilot, str(seq), digest[:60])
        assert isinstance(app.screen, FormScreen)
        assert text_of(app, "#form-problem") == "The hash is not 64 hex digits: it has 60."
        app.screen.query_one("#field-hash", Input).value = ""
        app.screen.query_one("#field-entry", Input).value = ""
        app.screen.query_one("#field-entry", Input).focus()
        await type_text(pilot, f"entry {seq}, sha256 {digest}")  # the dispatch note's words
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert text_of(app, "#audit-chain") == (
            f"✔ Chain intact and it holds the head you typed, entry {seq}: {seq:,} entries verified.")
        newest = audit.read_log(app.session, 1)[0]
        assert (newest.action, newest.reason) == (
            "audit.verify", f"intact; holds the typed head entry {seq}, sha256 {digest}")
        # A signed dispatch note naming that head (as sealing writes one), on the medium.
        note = officer_room.media / "dispatch-note-2026-03-20T100000.txt"
        text = f"Dispatch note\n\nAudit log head sealed into kent.tar.age: {audit.format_head(seq, digest)}\n"
        note.write_text(text)
        signing = keys.room_signing_key(app.session)
        Path(f"{note}.minisig").write_text(signing.sign(text.encode(), "dispatch note"))

        # One digit mistyped: a question about the typing, not a broken chain.
        typo = digest[:10] + ("0" if digest[10] != "0" else "1") + digest[11:]
        await _verify_against(pilot, f"{seq}:{typo}")
        assert text_of(app, "#audit-chain") == (
            f"? The chain is intact ({seq + 1:,} entries), but entry {seq} does not match what you typed; "
            "check it against the signed note (n).")
        reason = audit.read_log(app.session, 1)[0].reason
        assert "BROKEN" not in reason and "does not match" in reason

        _tamper(officer_room, app.session.store_key, f"DELETE FROM audit WHERE seq >= {seq - 2}")
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#field-path", Input).value == str(note)  # found on the medium
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app, "#audit-chain") == (
            f"✘ Chain BROKEN at entry {seq - 2}: the log ends at entry {seq - 3} but entry {seq} was published: truncated"
        )
        assert app.screen.query_one("#audit-chain").has_class("error")
        newest = audit.read_log(app.session, 1)[0].reason
        assert newest.startswith(f"BROKEN at {seq - 2}") and note.name in newest

        # A note changed after signing is refused, not believed.
        note.write_text(text.replace(digest, typo))
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "does not match its signature" in text_of(app, "#audit-chain")


@pilot_test
async def test_export_a_range_to_the_medium(officer_room: DemoRoom) -> None:
    app = make_app(officer_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_officer_screen(pilot, "Audit log", AuditScreen)
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "2026-03-14")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "2026-03-20")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # room/media
        await settle(pilot)
    path = officer_room.media / "audit-2026-03-14-2026-03-20.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["seq"] == 1 and [line["action"] for line in lines[-2:]] == ["session.unlock", "store.check"]
    signature = Signature.from_text(path.with_name(path.name + ".minisig").read_text())
    signature.verify(PublicKey.load(officer_room.secrets / "triage-room.pub"), path.read_bytes())
    assert signature.trusted_comment.startswith(f"hotline-audit/1 from=2026-03-14 to=2026-03-20 count={len(lines)} first=1 ")


@pilot_test
async def test_every_filter_shows_its_whole_placeholder_at_100_columns(officer_room: DemoRoom) -> None:
    from uikit import rendered

    app = make_app(officer_room)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_officer_screen(pilot, "Audit log", AuditScreen)
        for field in app.screen.query("#audit-filters Input").results(Input):
            assert field.placeholder in rendered(field), field.placeholder  # "From YYYY-MM-D" was cut


class TestAuditScreen:
    def test_broken_chain(self, officer_room: DemoRoom, snap_compare) -> None:
        """An entry edited behind the app's back: the check names it; the newest entries first."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Audit log", AuditScreen)
            _tamper(officer_room, pilot.app.session.store_key, "UPDATE audit SET actor = 'mallory' WHERE seq = 12")
            await pilot.press("v")
            await settle(pilot)
            still(pilot)
            assert "BROKEN at entry 12" in text_of(pilot.app, "#audit-chain")

        assert snap_compare(make_app(officer_room), terminal_size=SIZE, run_before=run_before)

    def test_filtered(self, officer_room: DemoRoom, snap_compare) -> None:
        """Filtered on the action 'user': the demo's users added and their passwords accepted."""

        async def run_before(pilot) -> None:
            await open_officer_screen(pilot, "Audit log", AuditScreen)
            await pilot.press("f", "tab")
            await type_text(pilot, "user")
            await pilot.press("enter")
            await settle(pilot)
            still(pilot)

        assert snap_compare(make_app(officer_room), terminal_size=SIZE, run_before=run_before)
