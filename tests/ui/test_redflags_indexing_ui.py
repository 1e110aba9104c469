"""The red-flag indexing the app runs in the background after an import, as the user sees it."""

from __future__ import annotations

import threading

from textual.widgets import Input, Static
from uikit import PASSWORDS, SIZE, open_session, settings_for, settle, shown

from hotline_tui.screens import home_screen
from hotline_tui.screens.assessment import AssessmentScreen
from hotline_tui.screens.home_screen import HomeScreen
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.redflags import index
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import transaction
from hotline_tui.widgets.indexing_line import IndexingLine


def _left_pending(room) -> None:  # type: ignore[no-untyped-def]
    """The room as an import the app was killed after leaves it: every report pending."""
    session = unlock(settings_for(room), "ana", PASSWORDS["ana"])
    try:
        with transaction(session.conn) as conn:
            first, last = conn.execute("SELECT min(id), max(id) FROM reports").fetchone()
            conn.execute("DELETE FROM subject_index WHERE source = 'report'")
            conn.execute("DELETE FROM identifiers WHERE field NOT IN ('reporter''s phone', 'reporter''s e-mail')")
            index_store.narratives_pending(conn, first, last)
    finally:
        session.close()


async def test_home_says_how_far_the_indexing_is_and_hides_the_line_once_done(imported_room, make_app, monkeypatch):
    _left_pending(imported_room)
    held, real = threading.Event(), index.rows_of_document

    def reads_when_let(document, hint):  # type: ignore[no-untyped-def]
        held.wait(30)  # outside the indexing's transactions: the user's own writes go on meanwhile
        return real(document, hint)

    monkeypatch.setattr(index, "rows_of_document", reads_when_let)
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#user", Input).value = "ana"
        app.screen.query_one("#password", Input).value = PASSWORDS["ana"]
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        said = ""
        for _ in range(200):  # not settle: it waits for the indexing, held here
            await pilot.pause(0.05)
            if isinstance(app.screen, HomeScreen):
                said = shown(app.screen.query_one(IndexingLine))
                if said.startswith("Red flags: indexing 0 of"):
                    break
        assert said == "Red flags: indexing 0 of 360 reports (candidates and escalations count each once indexed)"
        held.set()
        await settle(pilot)
        line = app.screen.query_one(IndexingLine)
        assert not line.display and shown(line) == ""
        assert app.session is not None and index_store.pending_count(app.session.conn) == 0


async def test_the_assessment_says_how_many_reports_its_red_flags_do_not_search_yet(imported_room, make_app, monkeypatch):
    _left_pending(imported_room)
    monkeypatch.setattr(index, "AT_ONCE", 0)  # as many pending as a large import leaves: only the one opened at once
    monkeypatch.setattr(home_screen, "start_indexing", lambda session: None)  # the background indexing not there yet
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        await open_session(pilot, "ana")
        await pilot.press("down", "enter")  # the report queue
        await settle(pilot)
        await pilot.press("a")  # take and assess the newest
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AssessmentScreen)
        note = screen.query_one("#redflag-indexing", Static)
        assert note.display and shown(note) == (
            "359 reports just imported are still being indexed for red flags: none of them is among these until it is "
            "(home says how far).")
