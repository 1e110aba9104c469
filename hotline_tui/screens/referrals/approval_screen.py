"""Supervisors: referrals awaiting approval, and the review of one of them.

Approving names what is signed and asks once more; the password is asked for each
approval unless the supervisor keeps the key open for a few minutes this sitting (said
on the list and the review). A review opens with the sanitiser's warnings and the
analyst's answers, which the supervisor confirms before approving.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from hotline_tui import wording
from hotline_tui.errors import HotlineError, WrongPassword
from hotline_tui.screens.referrals.approval_dialogs import (
    KEEP_KEY_MINUTES,
    ConfirmPrompt,
    KeyRequest,
    PasswordPrompt,
    ReturnPrompt,
)
from hotline_tui.screens.resume import Reopen
from hotline_tui.screens.triage.report_screen import report_header, subject_lines
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.referrals.approval import (
    PendingReferral,
    ReferralReview,
    approval_queue,
    approve,
    check_may_approve,
    review,
)
from hotline_tui.services.referrals.outcomes import history_text, referrals_outcomes
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import return_to_analyst
from hotline_tui.widgets.escalation_note import EscalationNote
from hotline_tui.widgets.safe_text import SafeText, safe, safe_cell
from hotline_tui.widgets.steady_footer import SteadyFooter
from import_export.minisign import SecretKey

# The note on one's own referral where the whole one has no room (at 100 columns);
# the line under the table says the rest: "1 your own, for another supervisor to approve."
OWN_WORK_SHORT = "your own"
WIDE_FROM = 130  # the app's -wide breakpoint

WRONG_PASSWORD = "Wrong password: your signing key stays locked and nothing was signed. Press a to try again."

__all__ = ["ApprovalQueueScreen", "PasswordPrompt", "ReturnPrompt", "ReviewScreen"]


class ApprovalTable(DataTable[Text]):
    """Enter opens the highlighted referral's review, and the footer says so."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Review", id="approvals.review")]


class ApprovalQueueScreen(Screen[None]):
    """Awaiting approval by force and priority, oldest first. The supervisor's personal
    key serves one approval or, if they chose so, a few minutes of this sitting; never stored."""

    PURPOSE = (
        "Referrals waiting for a supervisor's approval, by force and priority, oldest first. Open one to "
        "review it exactly as the force will read it, then approve (signed with your personal key) or return "
        "it with comments. You never approve your own."
    )
    CSS_PATH = "approval_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "close_key", "Close signing key", id="approvals.close_key"),
        Binding("escape", "back", "Back", id="approvals.back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.personal_key: SecretKey | None = None
        self.key_until: datetime | None = None
        self.pending: list[PendingReferral] = []
        self._wide: bool | None = None  # the width the rows were written for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Referrals awaiting your approval", classes="panel-title")
        yield ApprovalTable(id="approvals", cursor_type="row", zebra_stripes=True)
        yield Static("", id="approvals-count", classes="hint")
        yield Static("", id="approvals-key", classes="hint")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.set_interval(15, self._show_key)  # an open key closes when its minutes are up
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
        self._wide = self.app.size.width >= WIDE_FROM
        for item in self.pending:
            note = item.note if self._wide or not item.own else OWN_WORK_SHORT
            table.add_row(safe_cell(item.force_name, 30), Text(item.priority), Text(item.submitted_at[:16].replace("T", " ")),
                          Text(item.reference), safe_cell(item.analyst, 20), Text(note, style="bold"))
        self.query_one("#approvals-count", Static).update(safe(self._count()))
        self._show_key()

    def on_resize(self) -> None:
        """Made narrower or wider: the note in the form that fits, the cursor kept."""
        if self._wide is not None and self._wide != (self.app.size.width >= WIDE_FROM) and not self.session.closed:
            row = self.query_one(DataTable).cursor_row
            self.reload()
            self.query_one(DataTable).move_cursor(row=row)

    def _count(self) -> str:
        if not self.pending:
            return "Nothing awaits approval."
        own = sum(item.own for item in self.pending)
        mine = f" {own} your own, for another supervisor to approve." if own else ""
        return f"{len(self.pending)} awaiting approval.{mine}"

    @on(DataTable.RowSelected)
    def open_review(self) -> None:
        table = self.query_one(DataTable)
        if self.pending and table.cursor_row < len(self.pending):
            self.app.push_screen(ReviewScreen(self, self.pending[table.cursor_row].referral_id))

    # the signing key ---------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromisoformat(self.session.now().replace("Z", "+00:00"))

    def open_key(self) -> SecretKey | None:
        """The key, if the supervisor keeps it open and its minutes are not up."""
        if self.personal_key is not None and (self.key_until is None or self._now() >= self.key_until):
            self.action_close_key()
        return self.personal_key

    def keep_key(self, key: SecretKey) -> None:
        self.personal_key, self.key_until = key, self._now() + timedelta(minutes=KEEP_KEY_MINUTES)
        self._show_key()

    def key_words(self) -> str:
        if self.open_key() is None or self.key_until is None:
            return "Signing key closed: your password is asked for each approval."
        until = self.key_until.astimezone().strftime("%H:%M")
        return f"Signing key open until {until} this sitting: approvals ask no password (x on the list closes it)."

    def _show_key(self) -> None:
        if self.is_mounted and not self.session.closed:
            self.query_one("#approvals-key", Static).update(safe(self.key_words()))
            self.refresh_bindings()

    def action_close_key(self) -> None:
        self.personal_key, self.key_until = None, None
        self._show_key()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.personal_key is not None if action == "close_key" else True

    def before_lock(self) -> None:
        self.personal_key, self.key_until = None, None

    def on_unmount(self) -> None:
        self.personal_key, self.key_until = None, None

    def action_back(self) -> None:
        self.app.pop_screen()


class ReviewScreen(Screen[None]):
    """The referral exactly as the force will read it, beside the original report; the
    warnings and the analyst's answers first."""

    PURPOSE = (
        "One referral exactly as the force will read it, beside the original report, with the sanitiser's "
        "warnings and the analyst's answers at the top. Confirm those (c), then approve it (signed with your "
        "personal key) or return it to the analyst with comments."
    )
    CSS_PATH = "approval_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "confirm_warnings", "Confirm warnings", id="review.confirm_warnings"),
        Binding("a", "approve", "Approve and sign", id="review.approve"),
        # On one's own referral the footer offers no approval; the key still says why not.
        Binding("a", "refuse_own", "Approve", show=False, id="review.refuse_own"),
        Binding("r", "return", "Return with comments", id="review.return"),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    def __init__(self, queue: ApprovalQueueScreen, referral_id: str) -> None:
        super().__init__()
        self.queue = queue
        self.session = queue.session
        self.review: ReferralReview = review(self.session, referral_id)
        self.confirmed: frozenset[str] = frozenset()

    def reopen(self) -> Reopen:
        """After the unlock: the same referral, reviewed from the approval list rebuilt below."""
        referral_id = self.review.pending.referral_id
        return lambda _session, below: ReviewScreen(below, referral_id)  # type: ignore[arg-type]

    def compose(self) -> ComposeResult:
        item, report = self.review.pending, self.review.report
        yield Header()
        with VerticalScroll(id="review-warnings", classes="panel"):
            yield Label("Warnings and the analyst's answers", classes="panel-title")
            yield SafeText(self._warnings(), id="review-answers")
            yield Static("", id="review-key", classes="hint")
        with Horizontal(id="review-columns"):
            with VerticalScroll(id="review-original", classes="panel"):
                yield Label("Original report (stays in the room)", classes="panel-title")
                yield SafeText(report_header(report))
                yield SafeText("Subjects named\n" + subject_lines(report.document.get("subjects") or []))
                yield SafeText(report.document.get("narrative", ""))
            with VerticalScroll(id="review-referral", classes="panel"):
                yield EscalationNote(self.session, item.report_key, id="review-escalation")  # the pattern first
                yield Label(f"What {item.force_name} will receive", classes="panel-title")
                yield SafeText(self.review.text, id="rendering")
                yield Label("Sanitisation checks", classes="panel-title")
                yield SafeText(self._checks(), id="review-flags")
                earlier = referrals_outcomes(self.session, self.review.document.get("linked_referrals") or [])
                if earlier:  # red flags already with a force: what became of them
                    yield Label("Earlier referrals about this subject, and their outcomes", classes="panel-title")
                    yield SafeText("\n\n".join(history_text(r) for r in earlier), id="review-outcomes")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._show_key()

    def _show_key(self) -> None:
        self.query_one("#review-key", Static).update(safe(self.queue.key_words()))

    def _warnings(self) -> str:
        if not self.review.warnings:
            return "✔ No warnings on what the force will read: nothing to confirm."
        lines = []
        for warning, answer in self.review.warnings:
            lines.append(f"⚠ {warning.describe()}")
            if answer is None or not answer.settles:
                lines.append("    ✘ not answered by the analyst: return the referral")
            else:
                lines.append(f"    kept by {self.review.pending.analyst}: {answer.reason}")
        if self.review.warning_keys <= self.confirmed:
            lines.append("✔ You have confirmed these warnings and answers.")
        else:
            lines.append("Read each warning and answer, then press c to confirm them before approving.")
        return "\n".join(lines)

    def _checks(self) -> str:
        lines = [f"✘ {f.message}: “{f.text}”" for f in self.review.flags if f.blocking]
        lines += [f"✘ {leak}" for leak in self.review.leaks]
        count = len(self.review.warnings)
        lines.append(f"Warnings: {count}, listed at the top with the analyst's answers" if count else "Warnings: none")
        linked = self.review.document.get("linked_referrals") or []
        lines.append(f"Red-flag links carried: {len(linked)}")
        lines.append(f"Assessed by {self.review.pending.analyst}; submitted {wording.moment(self.review.pending.submitted_at)}")
        if self.review.pending.own:
            lines.append(f"✘ {self.review.pending.note}")
        return "\n".join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approve", "refuse_own"):  # approval is not offered on one's own referral
            return self.review.pending.own == (action == "refuse_own")
        if action == "confirm_warnings":
            return bool(self.review.warnings) and not self.review.warning_keys <= self.confirmed
        return True

    def action_confirm_warnings(self) -> None:
        self.confirmed = self.review.warning_keys
        self.query_one("#review-answers", SafeText).show(self._warnings())
        self.refresh_bindings()

    def _may_approve(self) -> bool:
        try:  # refused before any password is asked: one's own referral, say
            check_may_approve(self.session, self.review.pending.referral_id)
        except HotlineError as exc:
            self.notify(str(exc), title="Not approved", severity="error", markup=False)
            return False
        return True

    def action_refuse_own(self) -> None:
        self._may_approve()

    def action_approve(self) -> None:
        pending = self.review.pending
        if not self._may_approve():
            return
        if not self.review.warning_keys <= self.confirmed:
            self.notify("Confirm the warnings and the analyst's answers at the top first (c).", title="Not approved",
                        severity="error", markup=False)
            return
        summary = str(self.review.document.get("summary", "")).strip()
        first_line = summary.splitlines()[0] if summary else ""
        body = (f"Reference:  {pending.reference}\nForce:      {pending.force_name}\n"
                f"Summary:    {first_line[:160]}{'…' if len(first_line) > 160 else ''}\n\n"
                "Your signature says you checked it: the force will act on it.")
        self.app.push_screen(ConfirmPrompt("Approve and sign this referral?", body, "Approve and sign"), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        key = self.queue.open_key()
        if key is None:
            self.app.push_screen(PasswordPrompt(), self._unlock_key)
            return
        self._approve(key)

    def _unlock_key(self, request: KeyRequest | None) -> None:
        if request and request.password:
            self._unlock(request)

    @work(thread=True, exclusive=True, group="personal-key", exit_on_error=False)
    def _unlock(self, request: KeyRequest) -> None:
        try:
            key = unlock_personal_key(self.session, request.password)
        except WrongPassword:  # signed in already: only the password can be wrong
            self.app.call_from_thread(self.notify, WRONG_PASSWORD, title="Not approved", severity="error", markup=False)
            return
        except HotlineError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._key_ready, key, request.keep_open)

    def _key_ready(self, key: SecretKey, keep_open: bool) -> None:
        if keep_open:
            self.queue.keep_key(key)
        self._approve(key)

    def _approve(self, key: SecretKey) -> None:
        try:
            approve(self.session, self.review.pending.referral_id, key, self.confirmed)
        except HotlineError as exc:
            self.notify(str(exc), title="Not approved", severity="error", markup=False)
            return
        self.notify(f"Approved and signed: {self.review.pending.reference}.", markup=False)
        self.app.pop_screen()

    def action_return(self) -> None:
        def sent(comments: str | None) -> None:
            if comments is None:
                return
            self.notify(f"Returned to {self.review.pending.analyst}.", markup=False)
            self.app.pop_screen()

        prompt = ReturnPrompt(lambda comments: return_to_analyst(self.session, self.review.pending.referral_id, comments))
        self.app.push_screen(prompt, sent)

    def action_back(self) -> None:
        self.app.pop_screen()
