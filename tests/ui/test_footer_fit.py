"""The footer: its keys come with the screen's first paint, and fit the terminal's width
with Help always among them."""

from __future__ import annotations

from textual.widgets._footer import FooterKey
from uikit import open_queue, settle

from hotline_tui.widgets import steady_footer
from hotline_tui.widgets.steady_footer import SteadyFooter, _Entry, _hidden


def test_what_gives_way_first_and_help_never():
    entries = [_Entry(("submit",), 11), _Entry(("add",), 16), _Entry(("default",), 20),
               _Entry(("f2", "f3"), 30, "Jump to section"), _Entry(("quit",), 9, None, steady_footer.QUIT),
               _Entry(("lock",), 9, None, steady_footer.LOCK), _Entry(("help",), 9, None, steady_footer.HELP)]
    assert _hidden(entries, 200) == set()
    assert _hidden(entries, 100) == {"quit"}
    assert _hidden(entries, 70) == {"quit", "f2", "f3"}
    assert _hidden(entries, 55) == {"f2", "f3", "default"}  # lock and quit fit again once default went
    assert "help" not in _hidden(entries, 10)


async def test_at_100_columns_every_key_shown_is_whole_and_help_is_there(imported_room, make_app):
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        screen = await open_queue(pilot)
        shown = [key for key in screen.query(FooterKey) if key.display and "-command-palette" not in key.classes]
        palette = screen.query_one("FooterKey.-command-palette")
        assert "f1" in [key.key for key in shown]
        assert all(key.region.right <= palette.region.x for key in shown)


async def test_the_assessment_footer_is_composed_with_its_keys(imported_room, make_app, monkeypatch):
    """Textual's footer composes empty and fills itself a refresh or two later: on the
    assessment form that was a second or more with no keys shown."""
    first: list[int] = []
    compose = SteadyFooter.compose

    def counting(self):
        children = list(compose(self))
        if type(self.screen).__name__ == "AssessmentScreen":
            first.append(len(children))
        return iter(children)

    monkeypatch.setattr(SteadyFooter, "compose", counting)
    async with make_app(imported_room).run_test(size=(100, 30)) as pilot:
        await open_queue(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "AssessmentScreen"
    assert first and first[0] > 5
