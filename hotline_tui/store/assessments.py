"""Assessments (the analyst's drafts and decisions), referrals and red-flag links.

The draft of an assessment is JSON in ``assessments.form``: inside the encrypted store,
saved on every change so nothing typed is lost on lock or crash. A referral is the
sanitised document for a force, with the room's own reference (``HTR-2026-000123``,
numbered per year); it never holds the reporter object or the intake reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.store.connection import Connection

SCHEMA = """
CREATE TABLE assessments (
    report_key INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    form TEXT NOT NULL,                    -- the analyst's draft, then the submitted form (JSON)
    taken_by TEXT,
    taken_at TEXT,
    draft_saved_at TEXT,
    draft_logged INTEGER NOT NULL DEFAULT 0 CHECK (draft_logged IN (0, 1)),  -- this take's first save is audited
    decision TEXT,                         -- refer, no_further_action, duplicate, information_only
    decided_by TEXT,
    decided_at TEXT
) STRICT;

-- state: awaiting_approval, returned, withdrawn; the approval issue adds its own states.
CREATE TABLE referrals (
    referral_id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,        -- the room's reference, HTR-<year>-<number>
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    report_id TEXT NOT NULL UNIQUE REFERENCES reports (report_id),
    force_code TEXT NOT NULL,
    analyst TEXT NOT NULL,
    document TEXT NOT NULL,                -- the referral as FORMATS.md 'referral' (JSON)
    state TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    returned_by TEXT,
    returned_at TEXT,
    returned_comments TEXT,
    approved_by TEXT,
    approved_at TEXT,
    UNIQUE (year, number)
) STRICT;
CREATE INDEX referrals_state ON referrals (state, submitted_at);
CREATE INDEX referrals_force ON referrals (force_code, state);

CREATE TABLE red_flag_links (
    report_a INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    report_b INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (report_a, report_b),
    CHECK (report_a < report_b)
) STRICT;
CREATE INDEX red_flag_links_b ON red_flag_links (report_b);
"""


@dataclass(frozen=True)
class ReportHead:
    """What an assessment needs of the reports row."""

    key: int
    report_id: str
    reference: str
    status: str
    assigned_to: str | None
    document: str


@dataclass(frozen=True)
class DraftRow:
    form: str
    taken_by: str | None
    draft_saved_at: str | None
    draft_logged: bool
    decision: str | None


@dataclass(frozen=True)
class ReferralRow:
    referral_id: str
    reference: str
    report_id: str
    force_code: str
    analyst: str
    document: str
    state: str
    submitted_at: str
    returned_comments: str | None


_REFERRAL_COLUMNS = (
    "referral_id, reference, report_id, force_code, analyst, document, state, submitted_at, returned_comments"
)


def report_head(conn: Connection, key: int) -> ReportHead | None:
    row = conn.execute(
        "SELECT id, report_id, reference, status, assigned_to, document FROM reports WHERE id = ?", (key,)
    ).fetchone()
    return ReportHead(*row) if row else None


def report_key_by_reference(conn: Connection, reference: str) -> int | None:
    row = conn.execute("SELECT id FROM reports WHERE reference = ? ORDER BY id LIMIT 1", (reference,)).fetchone()
    return int(row[0]) if row else None


def report_key_of(conn: Connection, report_id: str) -> int:
    return int(conn.execute("SELECT id FROM reports WHERE report_id = ?", (report_id,)).fetchone()[0])


def set_report_state(
    conn: Connection, key: int, status: str, assigned_to: str | None,
    force_code: str | None = None, priority: str | None = None,
) -> None:
    conn.execute(
        "UPDATE reports SET status = ?, assigned_to = ?, force_code = coalesce(?, force_code),"
        " priority = coalesce(?, priority) WHERE id = ?",
        (status, assigned_to, force_code, priority, key),
    )


def draft(conn: Connection, key: int) -> DraftRow | None:
    row = conn.execute(
        "SELECT form, taken_by, draft_saved_at, draft_logged, decision FROM assessments WHERE report_key = ?", (key,)
    ).fetchone()
    return DraftRow(row[0], row[1], row[2], bool(row[3]), row[4]) if row else None


def start_take(conn: Connection, key: int, form: str, user: str, at: str) -> None:
    """The user takes the report: a new take, whose first draft save will be audited."""
    conn.execute(
        "INSERT INTO assessments (report_key, form, taken_by, taken_at, draft_logged) VALUES (?, ?, ?, ?, 0)"
        " ON CONFLICT (report_key) DO UPDATE SET taken_by = excluded.taken_by, taken_at = excluded.taken_at,"
        " draft_logged = 0",
        (key, form, user, at),
    )


def reopen(conn: Connection, key: int, user: str, at: str) -> None:
    """A returned referral: the assessment is the analyst's again and undecided."""
    conn.execute(
        "UPDATE assessments SET taken_by = ?, taken_at = ?, draft_logged = 0, decision = NULL, decided_by = NULL,"
        " decided_at = NULL WHERE report_key = ?",
        (user, at, key),
    )


def save_form(conn: Connection, key: int, form: str, at: str) -> None:
    conn.execute(
        "UPDATE assessments SET form = ?, draft_saved_at = ?, draft_logged = 1 WHERE report_key = ?", (form, at, key)
    )


def record_decision(conn: Connection, key: int, form: str, decision: str, user: str, at: str) -> None:
    conn.execute(
        "UPDATE assessments SET form = ?, decision = ?, decided_by = ?, decided_at = ?, draft_saved_at = ?"
        " WHERE report_key = ?",
        (form, decision, user, at, at, key),
    )


# -- referrals ----------------------------------------------------------------------------


def referral_of_report(conn: Connection, report_id: str) -> ReferralRow | None:
    row = conn.execute(f"SELECT {_REFERRAL_COLUMNS} FROM referrals WHERE report_id = ?", (report_id,)).fetchone()
    return ReferralRow(*row) if row else None


def referral(conn: Connection, referral_id: str) -> ReferralRow | None:
    row = conn.execute(f"SELECT {_REFERRAL_COLUMNS} FROM referrals WHERE referral_id = ?", (referral_id,)).fetchone()
    return ReferralRow(*row) if row else None


def next_referral_number(conn: Connection, year: int) -> int:
    row = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM referrals WHERE year = ?", (year,)).fetchone()
    return int(row[0])


def insert_referral(
    conn: Connection, referral_id: str, reference: str, year: int, number: int, report_id: str,
    force_code: str, analyst: str, document: str, at: str,
) -> None:
    conn.execute(
        "INSERT INTO referrals (referral_id, reference, year, number, report_id, force_code, analyst, document, state,"
        " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'awaiting_approval', ?)",
        (referral_id, reference, year, number, report_id, force_code, analyst, document, at),
    )


def resubmit_referral(conn: Connection, referral_id: str, force_code: str, analyst: str, document: str, at: str) -> None:
    conn.execute(
        "UPDATE referrals SET force_code = ?, analyst = ?, document = ?, state = 'awaiting_approval', submitted_at = ?"
        " WHERE referral_id = ?",
        (force_code, analyst, document, at, referral_id),
    )


def set_referral_state(conn: Connection, referral_id: str, state: str) -> None:
    conn.execute("UPDATE referrals SET state = ? WHERE referral_id = ?", (state, referral_id))


def return_referral(conn: Connection, referral_id: str, by: str, at: str, comments: str) -> None:
    conn.execute(
        "UPDATE referrals SET state = 'returned', returned_by = ?, returned_at = ?, returned_comments = ?"
        " WHERE referral_id = ?",
        (by, at, comments, referral_id),
    )


@dataclass(frozen=True)
class ReturnNote:
    """A supervisor's return of a referral: who, when (RFC 3339) and what to change."""

    by: str
    at: str
    comments: str

    @property
    def heading(self) -> str:
        """"Returned by sam on 2026-03-14 09:26 UTC": to the minute, as a person reads it."""
        return f"Returned by {self.by} on {self.at[:16].replace('T', ' ')} UTC"


def return_note(conn: Connection, report_id: str) -> ReturnNote | None:
    """The return of this report's referral, while it stands returned."""
    row = conn.execute(
        "SELECT returned_by, returned_at, returned_comments FROM referrals WHERE report_id = ? AND state = 'returned'",
        (report_id,),
    ).fetchone()
    return ReturnNote(row[0] or "", row[1] or "", row[2] or "") if row else None


def set_draft_priority(conn: Connection, key: int, priority: str) -> None:
    """The priority a draft says reaches the report at once: the queue and home's urgent
    count see an urgent report while it is still being assessed."""
    conn.execute("UPDATE reports SET priority = ? WHERE id = ? AND priority != ?", (priority, key, priority))


# Migration: a report whose referral is approved says so ('approved') until it is sealed
# ('referred'); before, it still said 'awaiting_approval' after the approval.
APPROVED_STATUS = """
UPDATE reports SET status = 'approved'
 WHERE status = 'awaiting_approval' AND report_id IN (SELECT report_id FROM referrals WHERE state = 'approved');
"""


def returned_comments(conn: Connection, report_id: str) -> str | None:
    row = conn.execute(
        "SELECT returned_comments FROM referrals WHERE report_id = ? AND state = 'returned'", (report_id,)
    ).fetchone()
    return row[0] if row else None


def referral_ids_of_reports(conn: Connection, keys: list[int]) -> list[str]:
    """Referral ids of these reports, oldest first, leaving out withdrawn ones."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return [
        r[0]
        for r in conn.execute(
            f"SELECT f.referral_id FROM referrals f JOIN reports r ON r.report_id = f.report_id"
            f" WHERE r.id IN ({marks}) AND f.state != 'withdrawn' ORDER BY f.submitted_at, f.referral_id",
            keys,
        )
    ]


# -- red-flag links -------------------------------------------------------------------------


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def set_link(conn: Connection, a: int, b: int, confirmed: bool, by: str, at: str) -> None:
    low, high = _pair(a, b)
    conn.execute(
        "INSERT INTO red_flag_links (report_a, report_b, confirmed, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (report_a, report_b) DO UPDATE SET confirmed = excluded.confirmed,"
        " decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        (low, high, int(confirmed), by, at),
    )


def links_of(conn: Connection, key: int) -> dict[int, bool]:
    """Every decided link of a report: the other report's key -> confirmed."""
    rows = conn.execute(
        "SELECT report_b, confirmed FROM red_flag_links WHERE report_a = ?"
        " UNION ALL SELECT report_a, confirmed FROM red_flag_links WHERE report_b = ?",
        (key, key),
    )
    return {int(other): bool(confirmed) for other, confirmed in rows}


def refresh_red_flag_count(conn: Connection, key: int) -> int:
    count = sum(1 for confirmed in links_of(conn, key).values() if confirmed)
    conn.execute("UPDATE reports SET red_flags = ? WHERE id = ?", (count, key))
    return count


def held_by(conn: Connection, user: str) -> list[int]:
    """The reports ``user`` has taken to assess and not yet decided or given back."""
    return [key for (key,) in conn.execute(
        "SELECT id FROM reports WHERE assigned_to = ? AND status = 'in_assessment' ORDER BY id", (user,))]
