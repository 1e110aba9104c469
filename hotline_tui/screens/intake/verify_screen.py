"""Verify any bundle: pick one on the media (or type a path), see every check in order,
and write the result to media as a report signed by the room's key."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.errors import HotlineError
from hotline_tui.screens.officer_modals import ChooseMediumScreen, ConfirmScreen
from hotline_tui.services.intake.media import Medium, bundle_files, media_for
from hotline_tui.services.session import Session
from hotline_tui.services.verifying.report import write_report
from hotline_tui.services.verifying.verification import Verification, verify_file
from hotline_tui.widgets.menu import Menu
from hotline_tui.widgets.safe_text import safe
from hotline_tui.widgets.steady_footer import SteadyFooter
from hotline_tui.widgets.verification_view import VerificationView

HELP = (
    "Enter verifies the highlighted bundle · p types a path · w writes the result to the medium, signed by the room's key. "
    "Bundles the room sealed for a force cannot be decrypted here: only their outer signature is checked."
)


class VerifyScreen(Screen[None]):
    PURPOSE = (
        "Check any bundle on the media without importing it: every check, in order, and a signed report of "
        "the result."
    )
    CSS_PATH = "verify_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "path", "Type a path", id="verify.path"),
        Binding("w", "write", "Write report to media", id="verify.write"),
        Binding("escape", "back", "Back", id="verify.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.media: list[Medium] = []
        self.bundles: list[Path] = []
        self.result: Verification | None = None
        self.verified_path: Path | None = None  # the bundle the result is about

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="verify-top"):
            with Vertical(id="verify-media", classes="panel"):
                yield Label("Media", classes="panel-title")
                yield Menu(id="media-list")
            with Vertical(id="verify-bundles", classes="panel"):
                yield Label("Bundles on this medium", classes="panel-title")
                yield Menu(id="bundle-list")
                yield Input(placeholder="…or a bundle's path (NAME.tar.age), then Enter", id="path")
        with Vertical(id="verify-result", classes="panel"):
            yield Label("Checks, in order", classes="panel-title")
            yield VerificationView(id="verification")
        yield Static(Content(HELP), id="verify-help", classes="hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(VerificationView).say("Choose a bundle and press Enter.")
        self.media = media_for(self.session.settings)
        options = self.query_one("#media-list", OptionList)
        options.add_options([Option(safe(f"{m.label} ({m.bundle_count})"), id=str(i)) for i, m in enumerate(self.media)])
        if self.media:
            options.highlighted = 0
            self._list(self.media[0])
        self.query_one("#bundle-list", OptionList).focus()

    def _medium(self) -> Medium | None:
        index = self.query_one("#media-list", OptionList).highlighted
        return self.media[index] if index is not None and self.media else None

    @on(OptionList.OptionHighlighted, "#media-list")
    def _medium_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._list(self.media[int(event.option.id or 0)])

    def _list(self, medium: Medium) -> None:
        self.bundles = bundle_files(medium.path)
        bundles = self.query_one("#bundle-list", OptionList)
        bundles.clear_options()
        bundles.add_options([Option(safe(str(p.relative_to(medium.path))), id=str(i)) for i, p in enumerate(self.bundles)])
        if self.bundles:
            bundles.highlighted = 0

    @on(OptionList.OptionSelected, "#bundle-list")
    def _bundle_chosen(self, event: OptionList.OptionSelected) -> None:
        self._verify(self.bundles[int(event.option.id or 0)])

    @on(Input.Submitted, "#path")
    def _path_given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._verify(Path(event.value.strip()).expanduser())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":  # offered once there is a result to write
            return self.result is not None
        return True

    def _verify(self, path: Path) -> None:
        self.result = None
        self.refresh_bindings()
        self.verified_path = path
        self.query_one(VerificationView).say(f"Verifying {path.name}…")
        self._run(path)

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _run(self, path: Path) -> None:
        try:
            result = verify_file(self.session, path)
        except HotlineError as exc:
            self.app.call_from_thread(self.query_one(VerificationView).say, str(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _show(self, result: Verification) -> None:
        self.result = result
        self.query_one(VerificationView).show(result)
        self.refresh_bindings()

    def action_path(self) -> None:
        self.query_one("#path", Input).focus()

    def action_write(self) -> None:
        """The report goes to another medium than the suspect bundle's own: writing onto the
        stick under examination would change it. Only if no other is attached, and the
        officer says so, does it go onto that stick."""
        result, bundle = self.result, self.verified_path
        if result is None:
            self.notify("Verify a bundle first.", severity="warning")
            return
        media = media_for(self.session.settings)
        own = [m for m in media if bundle is not None and bundle.resolve().is_relative_to(m.path.resolve())]
        others = [m for m in media if m not in own]
        if others:
            hint = "Not the medium the bundle is on: a suspect stick is left as it came." if own else ""
            self.app.push_screen(ChooseMediumScreen("Write the verification report to…", others, hint),
                                 lambda folder: self._write(result, folder) if folder else None)
        elif own:
            question = ConfirmScreen(
                "Write onto the bundle's own medium?",
                f"Only {own[0].path} is attached, the medium the bundle came on. Writing the report there changes "
                "a suspect stick. Attach another medium and press w again, or write here anyway.",
                "Write here anyway", warning=True)
            self.app.push_screen(question, lambda yes: self._write(result, own[0].path) if yes else None)
        else:
            self.notify("No removable media to write to.", severity="warning")

    @work(thread=True, exclusive=True, group="verify-write", exit_on_error=False)
    def _write(self, result: Verification, folder: Path) -> None:
        try:
            written = write_report(self.session, result, folder)
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        message = f"Wrote {written.path.name} and its .minisig (room key {written.room_key_id}) to {folder}."
        self.app.call_from_thread(self.notify, message, title="Report written", markup=False)

    def action_back(self) -> None:
        if self.focused is self.query_one("#path", Input):
            self.query_one("#bundle-list", OptionList).focus()
            return
        self.app.pop_screen()
