"""A verification as people read it: who signed, the trusted comment, every check in
order with its mark, and the verdict. The verify and quarantine screens both show one.

Everything here came from outside (file names, comments, details naming members), so
it is shown literally: ``safe``/``safe_cell``, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from hotline_tui.services.verifying.verification import FAIL, NOTE, PASS, WARN, Verification, comment_fields
from hotline_tui.widgets.safe_text import safe, safe_cell

STYLES = {PASS: "bold green", FAIL: "bold red", NOTE: "dim", WARN: "bold yellow"}


def summary_text(result: Verification) -> str:
    signer = result.signer
    if signer is None:
        who = "the signature file is missing or unreadable"
    else:
        revoked = signer.revoked or "not revoked"
        who = f"{signer.name or '(unknown)'} · {signer.role} · key {signer.key_id} · {revoked}"
    fields = comment_fields(result.comment)
    comment = "  ".join(f"{k}={v}" for k, v in fields.items()) if fields else (result.comment or "(none)")
    return "\n".join([
        f"File     {result.file_name}",
        f"Signer   {who}",
        f"Comment  {comment}" + ("" if result.signature_valid else "  (not verified)"),
    ])


class VerificationView(Vertical):
    """Summary, verdict and the checks table; ``show`` a result or ``say`` a message."""

    DEFAULT_CSS = """
    VerificationView { height: 1fr; }
    VerificationView > #verification-summary { height: auto; }
    VerificationView > #verification-verdict { height: auto; margin: 1 0; text-style: bold; }
    VerificationView > #verification-verdict.ok { color: $success; }
    VerificationView > #verification-checks { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="verification-summary")
        yield Static("", id="verification-verdict")
        yield DataTable(id="verification-checks", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(" ", "Check", "Result")

    def say(self, text: str) -> None:
        self.query_one("#verification-summary", Static).update(safe(text))
        verdict = self.query_one("#verification-verdict", Static)
        verdict.update("")
        verdict.remove_class("ok", "error")
        self.query_one(DataTable).clear()

    def show(self, result: Verification) -> None:
        self.query_one("#verification-summary", Static).update(safe(summary_text(result)))
        verdict = self.query_one("#verification-verdict", Static)
        verdict.update(safe(("✔ " if result.ok else "✘ ") + result.verdict))
        verdict.set_class(result.ok, "ok")
        verdict.set_class(not result.ok, "error")
        table = self.query_one(DataTable)
        table.clear()
        for line in result.lines:
            table.add_row(Text(line.mark, style=STYLES[line.status]), safe_cell(line.name, 26), safe_cell(line.detail, 240))
