"""The keyring: every key the room holds or trusts, by kind; add a key from the media
after comparing its id, revoke one, rotate the room's own keys and export them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from hotline_tui import wording
from hotline_tui.errors import HotlineError, KeyRefused
from hotline_tui.reference import force_by_code
from hotline_tui.screens.officer.keyring_modals import ROTATIONS, AddKeyScreen, KeyChoice, RotateScreen, SuspectsScreen
from hotline_tui.screens.officer_modals import ChooseMediumScreen, ConfirmScreen, Field, FormScreen
from hotline_tui.services import revocation
from hotline_tui.services.intake.media import media_for
from hotline_tui.services.keyring import keys
from hotline_tui.services.keyring.desk import KeyEntry, key_files_on_media, keyring_entries
from hotline_tui.services.people import accounts
from hotline_tui.services.revocation.personal import personal_key_consequences, revoke_personal_key
from hotline_tui.services.revocation.room import revoke_room_key, room_key_consequences
from hotline_tui.services.session import Session
from hotline_tui.widgets.safe_text import safe, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter

STATE_STYLES = {"revoked": "bold red", "retired": "dim", "removed": "dim"}


def parse_when(text: str) -> datetime | None:
    """'YYYY-MM-DD', 'YYYY-MM-DD HH:MM' (UTC) or empty for now; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _new_password_problem(values: dict[str, str]) -> str:
    """What is wrong with the one-time password typed twice, or ''."""
    if values["password"] != values["again"]:
        return "The two passwords differ."
    try:
        accounts.check_password(values["password"])
    except HotlineError as exc:
        return str(exc)
    return ""


class KeyringScreen(Screen[None]):
    PURPOSE = (
        "The keys the room trusts, by kind: add intake and force keys from media (after comparing the key id "
        "aloud), revoke a key, rotate the room's own keys and export its public keys."
    )
    CSS_PATH = "keyring_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add key from media", id="keyring.add"),
        Binding("v", "revoke", "Revoke", id="keyring.revoke"),
        Binding("s", "suspects", "Suspect bundles", id="keyring.suspects"),
        Binding("r", "rotate", "Rotate room keys", id="keyring.rotate"),
        Binding("e", "export", "Export room public keys", id="keyring.export"),
        Binding("escape", "back", "Back", id="keyring.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.entries: list[KeyEntry] = []
        self._revocation: tuple[datetime | None, revocation.Consequences] | None = None  # checked by the form

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="keyring-summary", classes="panel")
        yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
        yield Static("", id="key-detail", classes="panel")
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        # The state beside the owner, the long age recipient last: at 100 columns it runs
        # off the edge (the panel below gives it whole), never the state.
        for label, width in (("Kind", 11), ("Owner", 28), ("State", 8), ("Added", 10), ("Key id or age recipient", 62)):
            table.add_column(label, width=width)
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.entries = keyring_entries(self.session)
        table = self.query_one("#keys", DataTable)
        row = table.cursor_row
        table.clear()
        for entry in self.entries:
            style = STATE_STYLES.get(entry.state.split(" ")[0], "")
            table.add_row(
                Text(f"{entry.section} {'age' if entry.key_type == 'age' else 'sign'}"), safe_cell(entry.owner, 28),
                Text(entry.state.split(" ")[0], style=style), Text(entry.added_at[:10]), Text(entry.key_id),
            )
        table.move_cursor(row=min(row, max(len(self.entries) - 1, 0)))
        trusted = sum(1 for e in self.entries if e.state == "trusted")
        revoked = sum(1 for e in self.entries if e.state.startswith("revoked"))
        room = [e for e in self.entries if e.section == "room" and e.state == "active"]
        active = " · ".join(f"room {e.key_type} {e.key_id}" for e in room)
        self.query_one("#keyring-summary", Static).update(
            Content(f"{trusted} trusted keys, {revoked} revoked · {active}")
        )
        self._detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revoke":  # offered on a key that can be revoked
            entry = self._current()
            return entry is not None and entry.revocable
        return True

    @on(DataTable.RowHighlighted, "#keys")
    def _detail(self) -> None:
        self.refresh_bindings()
        entry = self._current()
        if entry is None:
            return
        added = (f"added by {entry.added_by} at {wording.moment(entry.added_at)}" if entry.added_by
                 else f"made {wording.moment(entry.added_at)}")
        owner = f"{entry.owner} ({entry.force})" if entry.force else entry.owner
        self.query_one("#key-detail", Static).update(safe(
            f"{owner} · {entry.key_type} · {entry.use}\n{entry.key_id}\n{added} · {entry.state}"
        ))

    def _current(self) -> KeyEntry | None:
        row = self.query_one("#keys", DataTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _failed(self, exc: Exception) -> None:
        self.notify(str(exc), severity="error", markup=False)

    # adding -------------------------------------------------------------------------

    def action_add(self) -> None:
        media = media_for(self.session.settings)
        files = key_files_on_media(self.session.settings)

        def shown(path: Path) -> str:
            for medium in media:
                if path.is_relative_to(medium.path):
                    return f"{medium.label}/{path.relative_to(medium.path)}"
            return str(path)

        self.app.push_screen(AddKeyScreen(files, [shown(p) for p in files], self._preview), self._key_chosen)

    def _preview(self, choice: KeyChoice) -> list[tuple[str, str]]:
        """Run by the dialog before the key id is read aloud: a key already trusted, or of
        the wrong kind, is refused there, not after the comparison."""
        return keys.preview_key_file(self.session, choice.path, choice.kind, choice.force, choice.name)

    def _key_chosen(self, choice: KeyChoice | None) -> None:
        if choice is None:
            return
        try:
            found = keys.preview_key_file(self.session, choice.path)
        except HotlineError as exc:
            self._failed(exc)
            return
        force = force_by_code(choice.force or "")
        owner = f"Force: {force.name} ({force.code})" if force else f"Intake system: {choice.name or choice.path.stem}"
        lines = [f"File      {choice.path.name}", f"For       {owner}"]
        for key_type, key_id in found:
            if key_type == "minisign":
                grouped = " ".join(key_id[i:i + 4] for i in range(0, len(key_id), 4))
                lines += ["Type      minisign signing key", f"Key id    {key_id}   (read out: {grouped})"]
            else:
                lines += ["Type      age recipient (what referrals are encrypted to)", f"Recipient {key_id}"]
        lines.append("\nRead this to the sender over another channel (phone, in person) and add the key only if it "
                     "is exactly the id they gave you.")
        question = ConfirmScreen("Does the key id match?", "\n".join(lines), "It matches: add the key")
        self.app.push_screen(question, lambda yes: self._add(choice) if yes else None)

    def _add(self, choice: KeyChoice) -> None:
        try:
            rows = keys.add_key_file(self.session, choice.path, choice.kind, choice.force, choice.name)
        except HotlineError as exc:
            self._failed(exc)
            return
        self.notify(", ".join(f"Added {r.key_type} key {r.key_id} ({r.name})." for r in rows), markup=False)
        self.reload()

    # revoking -----------------------------------------------------------------------

    def action_revoke(self) -> None:
        entry = self._current()
        if entry is None or not entry.revocable:
            self.notify("This key cannot be revoked here (revoked already, or a user's personal key).",
                        severity="warning")
            return
        if entry.section == "user":
            self._revoke_compromised(
                f"Revoke {entry.owner}'s personal key {entry.key_id} as compromised",
                "They get a new key and a new one-time password; what it approved and is not sealed goes back for "
                "approval again. What it does is shown before anything changes.",
                [Field("reason", "Why (recorded in the audit log)"),
                 Field("password", "Their one-time password (at least 12 characters)", password=True),
                 Field("again", "The same again", password=True)],
                check=_new_password_problem, consequences=lambda: personal_key_consequences(self.session, entry.owner),
                revoke=lambda values: self._personal_revoked(entry, values))
            return
        if entry.section == "room":
            self._revoke_compromised(
                f"Revoke the room's key {entry.key_id} as compromised",
                "For a room key that may be in someone else's hands. What it does is shown before anything changes.",
                [Field("reason", "Why (recorded in the audit log)")], check=lambda values: "",
                consequences=lambda: room_key_consequences(self.session, entry.key_id),
                revoke=lambda values: self._room_revoked(entry, values["reason"]))
            return
        form = FormScreen(
            f"Revoke {entry.key_id}",
            f"{entry.owner}: {entry.use}. Once revoked, every bundle it signed that the room has not already "
            "accepted is refused, whatever time the bundle claims. 'From when' marks which bundles accepted "
            "earlier become suspect. What it would do is shown before anything changes.",
            [Field("reason", "Why (recorded in the audit log)"),
             Field("when", "From when, UTC: YYYY-MM-DD HH:MM (empty: now)")],
            "Revoke",
            act=lambda values: self._check_revoke(entry, values),
        )
        self.app.push_screen(form, lambda values: self._confirm_revoke(entry, values) if values else None)

    def _check_revoke(self, entry: KeyEntry, values: dict[str, str]) -> None:
        """Run by the form: what is wrong is shown there, with the reason still typed."""
        try:
            when = parse_when(values["when"])
        except ValueError:
            raise KeyRefused("Write the time as YYYY-MM-DD HH:MM (UTC), or leave it empty for now.") from None
        if not values["reason"].strip():
            raise KeyRefused("Say why the key is revoked.")
        self._revocation = (when, revocation.consequences(self.session, entry.key_id, when or self.session.clock()))

    def _confirm_revoke(self, entry: KeyEntry, values: dict[str, str]) -> None:
        assert self._revocation is not None  # the form's check set it
        when, effect = self._revocation
        body = "\n".join(effect.lines + [revocation.suspect_line(s) for s in effect.suspects[:8]])
        question = ConfirmScreen(f"Revoke {entry.key_id} ({entry.owner})?", body, "Revoke", warning=True)
        self.app.push_screen(question, lambda yes: self._do_revoke(entry, values["reason"], when) if yes else None)

    def _revoke_compromised(self, title: str, hint: str, fields: list[Field], *,
                            check: Callable[[dict[str, str]], str], consequences: Callable[[], list[str]],
                            revoke: Callable[[dict[str, str]], str]) -> None:
        """A room or personal key revoked as compromised: the form (a refusal is shown there,
        with everything typed), what it would do, a confirmation, then ``revoke`` (which
        returns what to say)."""
        said: list[str] = []

        def checked(values: dict[str, str]) -> str:
            return check(values) or ("" if values["reason"].strip() else "Say why the key is revoked.")

        form = FormScreen(title, hint, fields, "Next", check=checked,
                          act=lambda values: said.extend(consequences()))
        self.app.push_screen(form, lambda values: self._confirm_compromised(f"{title}?", said, values, revoke)
                             if values else None)

    def _confirm_compromised(self, question_text: str, said: list[str], values: dict[str, str],
                             revoke: Callable[[dict[str, str]], str]) -> None:
        question = ConfirmScreen(question_text, "\n".join(said), "Revoke", warning=True)
        self.app.push_screen(question, lambda yes: self._revoke_now(values, revoke) if yes else None)

    def _revoke_now(self, values: dict[str, str], revoke: Callable[[dict[str, str]], str]) -> None:
        try:
            message = revoke(values)
        except HotlineError as exc:
            self._failed(exc)
            return
        self.notify(message, markup=False)
        self.reload()

    def _personal_revoked(self, entry: KeyEntry, values: dict[str, str]) -> str:
        new = revoke_personal_key(self.session, entry.owner, values["password"], values["reason"])
        return f"Revoked {entry.key_id}: {entry.owner}'s new personal key is {new}."

    def _room_revoked(self, entry: KeyEntry, reason: str) -> str:
        revoke_room_key(self.session, entry.key_id, reason)
        return f"Revoked the room's key {entry.key_id}; a new one replaces it. Export it (e)."

    def _do_revoke(self, entry: KeyEntry, reason: str, when: datetime | None) -> None:
        try:
            keys.revoke_key(self.session, entry.key_id, reason, when)
        except HotlineError as exc:
            self._failed(exc)
            return
        self.notify(f"Revoked {entry.key_id}.", markup=False)
        self.reload()
        if revocation.suspect_bundles(self.session, entry.key_id):
            self.action_suspects()

    def action_suspects(self) -> None:
        """Bundles accepted from revoked keys on or after their "from" time, with what they fed."""
        suspects = revocation.suspect_bundles(self.session)
        if not suspects:
            self.notify("No bundle accepted from a revoked key is suspect.", markup=False)
            return
        self.app.push_screen(SuspectsScreen([
            f"{revocation.suspect_line(s)} [key revoked from {s.revoked_from[:16].replace('T', ' ')}: {s.revoked_reason}]"
            for s in suspects
        ]))

    # the room's keys ----------------------------------------------------------------

    def action_rotate(self) -> None:
        self.app.push_screen(RotateScreen(self._rotate), lambda answer: self._rotated(answer[0]) if answer else None)

    def _rotate(self, which: str, reason: str) -> None:
        """Run by the dialog: a refusal is shown there, with the reason still typed."""
        if not reason.strip():
            raise KeyRefused("Say why the keys are rotated.")
        if which in ("both", "signing"):
            keys.rotate_room_signing_key(self.session, reason)
        if which in ("both", "age"):
            keys.rotate_room_identity(self.session, reason)

    def _rotated(self, which: str) -> None:
        self.reload()
        self.notify(f"Rotated: {ROTATIONS[which].lower()}. The old keys are kept, retired.")
        self._ask_export("Export the new public keys to…")

    def action_export(self) -> None:
        self._ask_export("Export the room's public keys to…")

    def _ask_export(self, title: str) -> None:
        hint = "triage-room.pub and triage-room.age.txt, for intake systems and forces. Escape: not now (e exports later)."
        self.app.push_screen(ChooseMediumScreen(title, media_for(self.session.settings), hint), self._export)

    def _export(self, folder: Path | None) -> None:
        if folder is None:
            return
        try:
            written = keys.export_public_keys(self.session, folder)
        except HotlineError as exc:
            self._failed(exc)
            return
        self.notify(f"Wrote {', '.join(p.name for p in written)} to {folder}.", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
