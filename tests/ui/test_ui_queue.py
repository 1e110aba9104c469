"""The queue (search, filters, sort, open) and the report view (contact details hidden, reveal)."""

from __future__ import annotations

from textual.widgets import Input, Select, Static
from uikit import SIZE, first_with_contact, open_queue, settle, shown, table_lines, type_text

from hotline_tui.screens.triage.queue_screen import QueueScreen
from hotline_tui.screens.triage.report_screen import ReportScreen, RevealScreen
from hotline_tui.services.sealed import contact
from hotline_tui.services.triage.queue import QueueView, report_detail
from hotline_tui.store import audit as audit_store
from hotline_tui.store.queue import QueueFilter
from hotline_tui.widgets.paged_table import PagedTable


def count_label(screen: QueueScreen) -> str:
    return shown(screen.query_one("#queue-count", Static))


def rows(screen: QueueScreen) -> list[str]:
    return table_lines(screen.query_one(PagedTable))[1:]


async def test_search_narrows_the_queue(imported_room, make_app):
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        assert count_label(screen) == "360 reports"
        expected = QueueView(app.session, QueueFilter(search="bruises")).count()
        assert 0 < expected < 360
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#search", Input)
        await type_text(pilot, "bruises")
        await settle(pilot)
        assert count_label(screen) == f"{expected} report{'s' if expected != 1 else ''}"
        assert screen.query_one(PagedTable).row_count == expected
        # FTS syntax typed by a user is only ever text: no error, just no match.
        await type_text(pilot, ' "* OR')
        await settle(pilot)
        assert count_label(screen) == "0 reports"
        assert app.is_running


async def test_enter_in_the_search_takes_the_keys_to_the_results(imported_room, make_app):
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        expected = QueueView(app.session, QueueFilter(search="bruises")).count()
        await pilot.press("slash")
        await type_text(pilot, "bruises")
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one(PagedTable)
        assert screen.focused is table
        await pilot.press("s")  # a key for the results now, not a letter of the search
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "bruises"
        assert count_label(screen) == f"{expected} report{'s' if expected != 1 else ''}"
        assert table.sorted_by == "channel"


async def test_channel_and_status_filters(imported_room, make_app):
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        phone = QueueView(app.session, QueueFilter(channel="phone")).count()
        assert 0 < phone < 360
        await pilot.press("f")  # the status filter
        assert screen.focused is screen.query_one("#status", Select)
        await pilot.press("enter", "down", "enter")  # open, past "Any status" to "new", choose
        await settle(pilot)
        assert screen.query_one("#status", Select).value == "new"
        assert count_label(screen) == "360 reports"  # every imported report is new
        await pilot.press("tab")  # the channel filter
        assert screen.focused is screen.query_one("#channel", Select)
        await pilot.press("enter", "down", "enter")  # "phone"
        await settle(pilot)
        assert screen.query_one("#channel", Select).value == "phone"
        assert count_label(screen) == f"{phone} reports"
        assert all(" phone " in row for row in rows(screen) if row)
        await pilot.press("shift+tab", "enter", "down", "enter")  # status "in assessment": none yet
        await settle(pilot)
        assert screen.query_one("#status", Select).value == "in_assessment"
        assert count_label(screen) == "0 reports"


async def test_s_sorts_and_enter_opens_the_row_under_the_cursor(imported_room, make_app):
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        table = screen.query_one(PagedTable)
        before = rows(screen)
        assert "Received ▼" in table_lines(table)[0]
        newest = QueueView(app.session).page(0, 1)[0]
        assert before[0].startswith(newest.reference)
        await pilot.press("s")
        await settle(pilot)
        assert (screen.sort, screen.descending) == ("channel", False)
        assert "Chann ▲" in table_lines(table)[0]
        after = rows(screen)
        assert after != before
        channels = [row.split()[3] for row in after if row]
        assert channels == sorted(channels) and channels[0] == "online"
        await pilot.press("S")  # reverse
        await settle(pilot)
        assert "Chann ▼" in table_lines(table)[0]
        assert rows(screen)[0].split()[3] == "phone"

        await pilot.press("down", "down")
        reference = rows(screen)[2].split()[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert app.screen.detail.document["reference"] == reference
        assert shown(app.screen.query_one("#report-header", Static)).startswith(f"Reference  {reference}")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert table.cursor == 2 and rows(screen)[2].split()[0] == reference


def screen_text(screen) -> str:
    return "\n".join(shown(widget) for widget in screen.query(Static) if not isinstance(widget, Input))


async def test_contact_details_hidden_until_revealed_with_a_reason(imported_room, make_app):
    app = make_app(imported_room)
    async with app.run_test(size=SIZE) as pilot:
        queue = await open_queue(pilot)
        session = app.session
        queue.query_one(PagedTable).cursor = first_with_contact(session)
        await pilot.press("enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert report.detail.has_contact and not set(report.detail.document["reporter"]) & {"name", "phone", "email"}
        _, received = contact.full_document(session, report.detail.key) or ("", {})  # the store's copy
        reporter = received["reporter"]
        secrets = [str(reporter[k]) for k in ("name", "phone", "email") if reporter.get(k)]
        assert secrets
        assert shown(report.query_one("#reporter", Static)).startswith("Contact details were given and are hidden.")
        assert not any(secret in screen_text(report) for secret in secrets)

        def revealed_entries() -> list[audit_store.AuditRow]:
            return [row for row in audit_store.iterate(session.conn) if row.action == "report.contact_revealed"]

        # Too short a reason: refused in the question, which stays open with it; nothing shown, nothing logged.
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RevealScreen)
        await type_text(pilot, "short")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RevealScreen)
        assert shown(app.screen.query_one("#reveal-problem", Static)) == (
            "Say why you need the reporter's details (at least 10 characters); it goes to the audit log."
        )
        assert app.screen.query_one("#reason", Input).value == "short"
        assert not any(secret in screen_text(report) for secret in secrets)
        assert revealed_entries() == []
        await pilot.press("escape")
        await settle(pilot)

        # Escape on the question: nothing happens either.
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is report and revealed_entries() == []

        reason = "Safety check"
        await pilot.press("v")
        await settle(pilot)
        await type_text(pilot, reason)
        await pilot.press("enter")
        await settle(pilot)
        text = shown(report.query_one("#reporter", Static))
        assert text.startswith("Revealed (recorded in the audit log):")
        assert all(secret in text for secret in secrets)
        [entry] = revealed_entries()
        assert (entry.actor, entry.reason) == ("ana", reason)
        assert entry.object == f"report {report.detail.document['reference']}"

        # An anonymous report: nothing to reveal, nothing asked.
        await pilot.press("escape")
        await settle(pilot)
        anonymous = next(
            i for i, row in enumerate(QueueView(session).page(0, 360)) if not report_detail(session, row.key).has_contact
        )
        queue.query_one(PagedTable).cursor = anonymous
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app.screen.query_one("#reporter", Static)) == "Anonymous: no contact details were given."
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert [n.message for n in app._notifications][-1] == "This report has no contact details."
        assert len(revealed_entries()) == 1


async def test_search_shows_where_the_words_matched(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        assert not screen.query_one("#match", Static).display  # no search: no line
        await pilot.press("slash")
        await type_text(pilot, "car park")
        await pilot.press("enter")
        await settle(pilot)
        line = screen.query_one("#match", Static)
        text = str(line.visual)
        assert line.display and text.split(":")[0] in ("narrative", "subjects", "handler's notes")
        assert "car" in text.lower() or "park" in text.lower()  # the first match is shown, marked


async def test_escape_in_the_search_leaves_the_field_not_the_screen(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("slash")
        await type_text(pilot, "car")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen and screen.focused is screen.query_one("#queue")
        assert screen.query_one("#search", Input).value == "car"  # the search stays applied
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is not screen  # a second escape goes back


async def test_at_100_columns_every_value_is_whole_or_in_the_line_below(imported_room, make_app):
    """At 100x30: the status, priority, flags and assignee in full, each force by a name
    that fits (never cut), the received date; the behaviours, which have no room, and the
    force's full name in the line under the table for the highlighted report."""
    app = make_app(imported_room)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        header, *lines = table_lines(screen.query_one(PagedTable))
        assert header.split()[:4] == ["Reference", "Received", "▼", "Force"]
        assert ["Status", "Priority", "Flags", "Assigned"] == header.split()[-4:]
        assert lines and not any("…" in line for line in lines)
        first = screen.query_one(PagedTable).row_at(0)
        assert first is not None
        force, short = first.cells[3]
        assert short in lines[0] and force.removeprefix("≈ ") in shown(screen.query_one("#detail", Static))
        assert str(first.cells[4]) in shown(screen.query_one("#detail", Static))
        await pilot.press("down")
        second = screen.query_one(PagedTable).row_at(1)
        assert second is not None and second.cells[0] in shown(screen.query_one("#detail", Static))


async def test_every_status_filter_reads_whole_at_100_and_160_columns(imported_room, make_app):
    """The status box shows each choice whole, not "escalated…", at both sizes."""
    from uikit import rendered

    from hotline_tui.services.triage.queue import STATUS_CHOICES

    for size in ((100, 30), (160, 48)):
        async with make_app(imported_room).run_test(size=size) as pilot:
            screen = await open_queue(pilot)
            status = screen.query_one("#status", Select)
            for label, value in STATUS_CHOICES:
                status.value = value
                await settle(pilot)
                assert rendered(status.query_one("SelectCurrent #label")).strip() == label, size
            for box in screen.query("SelectCurrent #label"):  # and every prompt beside it whole
                assert "…" not in rendered(box), size


async def test_a_search_that_finds_nothing_says_so_and_offers_no_open(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("slash")
        await type_text(pilot, "[bold]zzqx")
        await pilot.press("enter")
        await settle(pilot)
        assert count_label(screen) == "0 reports"
        assert shown(screen.query_one("#detail", Static)) == "No report matches the search and filters."
        assert "enter" not in [key.key for key in screen.query("FooterKey") if key.display]
