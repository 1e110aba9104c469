"""Supervisors: referrals awaiting approval, and the review of one of them."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static, TextArea

from hotline_tui.errors import HotlineError
from hotline_tui.screens.report_screen import report_header, subject_lines
from hotline_tui.screens.resume import Reopen
from hotline_tui.services.approval import (
    PendingReferral,
    ReferralReview,
    approval_queue,
    approve,
    check_may_approve,
    review,
)
from hotline_tui.services.assessment import return_to_analyst
from hotline_tui.services.outcomes import history_text, referrals_outcomes
from hotline_tui.services.session import Session
from hotline_tui.services.users import unlock_personal_key
from hotline_tui.widgets.safe_text import SafeText, safe, safe_cell
from import_export.minisign import SecretKey


class ApprovalQueueScreen(Screen[None]):
    """Awaiting approval by force and priority, oldest first. The supervisor's personal
    key, once unlocked, is held here for this approval session only, never stored."""
    PURPOSE = (
        "Referrals waiting for a supervisor's approval, by force and priority, oldest first. Open one to "
        "review it exactly as the force will read it, then approve (signed with your personal key) or return "
        "it with comments. You never approve your own."
    )

    CSS_PATH = "approval_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Review", id="approvals.review"),
        Binding("escape", "back", "Back", id="approvals.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.personal_key: SecretKey | None = None
        self.pending: list[PendingReferral] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Referrals awaiting your approval", classes="panel-title")
        yield DataTable(id="approvals", cursor_type="row", zebra_stripes=True)
        yield Static("", id="approvals-count", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Force", "Priority", "Submitted", "Reference", "Analyst", "Note")
        self.reload()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if not self.session.closed:
            self.reload()

    def reload(self) -> None:
        self.pending = approval_queue(self.session)
        table = self.query_one(DataTable)
        table.clear()
        for item in self.pending:
            table.add_row(safe_cell(item.force_name, 30), Text(item.priority), Text(item.submitted_at[:16].replace("T", " ")),
                          Text(item.reference), safe_cell(item.analyst, 20), Text(item.note, style="bold"))
        self.query_one("#approvals-count", Static).update(safe(self._count()))

    def _count(self) -> str:
        if not self.pending:
            return "Nothing awaits approval."
        own = sum(item.own for item in self.pending)
        mine = f" {own} your own, for another supervisor to approve." if own else ""
        return f"{len(self.pending)} awaiting approval.{mine}"

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.pending and table.cursor_row < len(self.pending):
            self.app.push_screen(ReviewScreen(self, self.pending[table.cursor_row].referral_id))

    def before_lock(self) -> None:
        self.personal_key = None

    def on_unmount(self) -> None:
        self.personal_key = None

    def action_back(self) -> None:
        self.app.pop_screen()


class PasswordPrompt(ModalScreen[str | None]):
    PURPOSE = (
        "Your password unlocks your personal signing key for this approval session only; it is never stored."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    DEFAULT_CSS = """
    PasswordPrompt { align: center middle; }
    #prompt-box { width: 70; height: auto; }
    #prompt-box Input { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="panel"):
            yield Label("Your password unlocks your personal signing key", classes="panel-title")
            yield Static("It is asked once for this approval session and never stored.", classes="hint")
            yield Input(password=True, placeholder="Password", id="prompt-password")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self) -> None:
        self.dismiss(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReturnPrompt(ModalScreen[str | None]):
    PURPOSE = (
        "Say what the analyst must change; the comment goes back with the referral and to the audit log."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Return", id="return.send"),
        Binding("escape", "cancel", "Cancel", id="return.cancel"),
    ]
    DEFAULT_CSS = """
    ReturnPrompt { align: center middle; }
    #return-box { width: 80; height: auto; }
    #return-comments { height: 8; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="return-box", classes="panel"):
            yield Label("Return to the analyst", classes="panel-title")
            yield Static("Say what must change (required). ctrl+s sends it back.", classes="hint")
            yield TextArea(id="return-comments")
            yield Button("Return (ctrl+s)", id="return-send", variant="warning")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#return-send")
    def action_send(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewScreen(Screen[None]):
    """The referral exactly as the force will read it, beside the original report."""
    PURPOSE = (
        "One referral exactly as the force will read it, beside the original report. Approve it (signed with "
        "your personal key) or return it to the analyst with comments."
    )

    CSS_PATH = "approval_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve and sign", id="review.approve"),
        Binding("r", "return", "Return with comments", id="review.return"),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    def __init__(self, queue: ApprovalQueueScreen, referral_id: str) -> None:
        super().__init__()
        self.queue = queue
        self.session = queue.session
        self.review: ReferralReview = review(self.session, referral_id)

    def reopen(self) -> Reopen:
        """After the unlock: the same referral, reviewed from the approval list rebuilt below."""
        referral_id = self.review.pending.referral_id
        return lambda _session, below: ReviewScreen(below, referral_id)  # type: ignore[arg-type]

    def compose(self) -> ComposeResult:
        item, report = self.review.pending, self.review.report
        yield Header()
        with Horizontal(id="review-columns"):
            with VerticalScroll(id="review-original", classes="panel"):
                yield Label("Original report (stays in the room)", classes="panel-title")
                yield SafeText(report_header(report))
                yield SafeText("Subjects named\n" + subject_lines(report.document.get("subjects") or []))
                yield SafeText(report.document.get("narrative", ""))
            with VerticalScroll(id="review-referral", classes="panel"):
                yield Label(f"What {item.force_name} will receive", classes="panel-title")
                yield SafeText(self.review.text, id="rendering")
                yield Label("Sanitisation checks", classes="panel-title")
                yield SafeText(self._checks(), id="review-flags")
                earlier = referrals_outcomes(self.session, self.review.document.get("linked_referrals") or [])
                if earlier:  # red flags already with a force: what became of them
                    yield Label("Earlier referrals about this subject, and their outcomes", classes="panel-title")
                    yield SafeText("\n\n".join(history_text(r) for r in earlier), id="review-outcomes")
        yield Footer()

    def _checks(self) -> str:
        lines = [("✘ " if f.blocking else "⚠ ") + f"{f.message}: “{f.text}”" for f in self.review.flags]
        lines += [f"✘ {leak}" for leak in self.review.leaks]
        linked = self.review.document.get("linked_referrals") or []
        lines.append(f"Red-flag links carried: {len(linked)}")
        lines.append(f"Assessed by {self.review.pending.analyst}; submitted {self.review.pending.submitted_at}")
        if self.review.pending.own:
            lines.append(f"✘ {self.review.pending.note}")
        return "\n".join(lines if lines else ["✔ No reporter details found."])

    def action_approve(self) -> None:
        try:  # refused before any password is asked: one's own referral, say
            check_may_approve(self.session, self.review.pending.referral_id)
        except HotlineError as exc:
            self.notify(str(exc), title="Not approved", severity="error", markup=False)
            return
        if self.queue.personal_key is None:
            self.app.push_screen(PasswordPrompt(), self._unlock_key)
            return
        self._approve(self.queue.personal_key)

    def _unlock_key(self, password: str | None) -> None:
        if password:
            self._unlock(password)

    @work(thread=True, exclusive=True, group="personal-key", exit_on_error=False)
    def _unlock(self, password: str) -> None:
        try:
            key = unlock_personal_key(self.session, password)
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._key_ready, key)

    def _key_ready(self, key: SecretKey) -> None:
        self.queue.personal_key = key
        self._approve(key)

    def _approve(self, key: SecretKey) -> None:
        try:
            approve(self.session, self.review.pending.referral_id, key)
        except HotlineError as exc:
            self.notify(str(exc), title="Not approved", severity="error", markup=False)
            return
        self.notify(f"Approved and signed: {self.review.pending.reference}.", markup=False)
        self.app.pop_screen()

    def action_return(self) -> None:
        def send(comments: str | None) -> None:
            if comments is None:
                return
            try:
                return_to_analyst(self.session, self.review.pending.referral_id, comments)
            except HotlineError as exc:
                self.notify(str(exc), title="Not returned", severity="error", markup=False)
                return
            self.notify(f"Returned to {self.review.pending.analyst}.", markup=False)
            self.app.pop_screen()

        self.app.push_screen(ReturnPrompt(), send)

    def action_back(self) -> None:
        self.app.pop_screen()
