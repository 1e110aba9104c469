"""Another session writing for longer than a person's write may wait (an import's bundle,
a seal): the app says the store is busy and keeps the person where they were, never
SQLite's "database is locked" and never a traceback; once the store is free, the same
key works."""

from __future__ import annotations

import sqlcipher3
from uikit import open_queue, settle

from hotline_tui.screens.assessment import AssessmentScreen
from hotline_tui.store import connection


def notes(pilot) -> list[str]:
    return [n.message for n in pilot.app._notifications]


async def test_assess_while_another_session_holds_the_store_says_busy_then_works(imported_room, make_app, monkeypatch):
    monkeypatch.setattr(connection, "WRITE_WAIT_SECONDS", 0.3)
    app = make_app(imported_room)
    async with app.run_test(size=(160, 50)) as pilot:
        queue = await open_queue(pilot)
        blocker = sqlcipher3.connect(str(imported_room.workspace / "store.db"), isolation_level=None)
        blocker.execute(f"PRAGMA key = \"x'{app.session.store_key.hex()}'\"")
        blocker.execute("BEGIN IMMEDIATE")  # another process's write in progress
        try:
            await pilot.press("a")
            await settle(pilot)
            assert pilot.app.screen is queue
            assert notes(pilot)[-1].startswith("The store stayed busy for 0 seconds: another session")
            assert "Nothing was changed" in notes(pilot)[-1] and not any("locked" in n for n in notes(pilot))
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AssessmentScreen)
