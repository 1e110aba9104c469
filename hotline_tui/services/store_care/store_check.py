"""The store's two whole-store checks, run beside an open session instead of at unlock.

Unlock checks only the key (page 1 and the schema). SQLCipher verifies each page's HMAC
whenever it reads that page, so a damaged page is never silently used; what the whole-
store checks add is finding damage in pages nobody has read yet, and at 100,000 reports
they take several seconds. So the app runs them after unlock, in a worker thread, on a
read-only connection of their own (same raw key; WAL lets it read beside the session's
writer); a headless command runs them before it writes anything (``check_before_writing``).

Both outcomes go to the audit log. A failure is also written to a plain file beside the
store: the damaged store may not take the entry, and restoring it from a backup would
drop the entry with it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlcipher3

from hotline_tui.config import Settings
from hotline_tui.errors import StoreDamaged
from hotline_tui.services.audit_trail.chain import record
from hotline_tui.services.permissions import Action, can
from hotline_tui.services.session import Session, timestamp, utc_now
from hotline_tui.store.connection import Connection, check_integrity, open_reader, transaction
from import_export.bundle import to_the_second

AUDIT_ACTION = "store.check"
FAILURE_FILE = "store-check-failures.log"
# SQLite asks whether to stop every this many steps of the structure check: a lock or a
# quit stops it within milliseconds (the HMAC pass cannot be stopped; ~2 s at 100k reports).
_PROGRESS_STEPS = 1000

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class StoreCheckOutcome:
    passed: bool
    finished: datetime
    seconds: float
    problem: str = ""  # what StoreDamaged said; never report text, only counts and the file name


def check_store(
    path: Path, key: bytes, cancel: threading.Event | None = None, clock: Clock = utc_now
) -> StoreCheckOutcome | None:
    """Both checks on a reader of their own, from any thread; None if ``cancel`` was set
    before they finished (an interrupted check says nothing about the store)."""
    stop = cancel or threading.Event()
    started = time.perf_counter()
    problem = ""
    try:
        conn = open_reader(path, key)
        try:
            conn.set_progress_handler(stop.is_set, _PROGRESS_STEPS)
            _check_one_snapshot(conn, path)
        finally:
            conn.close()
    except StoreDamaged as exc:
        problem = str(exc)
    if stop.is_set():
        return None
    return StoreCheckOutcome(not problem, clock(), time.perf_counter() - started, problem)


def _check_one_snapshot(conn: Connection, path: Path) -> None:
    # cipher_integrity_check reads the file itself, not through the WAL. Holding one read
    # transaction stops the writer's checkpoints from copying in pages newer than this
    # snapshot meanwhile (a removal's rekey would otherwise look like every page damaged).
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the snapshot
        check_integrity(conn, path)
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def record_outcome(session: Session, outcome: StoreCheckOutcome) -> None:
    """Audit the outcome, on the session's own thread. A failure also goes beside the store,
    and a failure the store cannot take into its audit log is not raised: it is on file."""
    if not outcome.passed:
        note_failure(session.settings, session.user.name, outcome.finished, outcome.problem)
    reason = "passed" if outcome.passed else f"FAILED: {outcome.problem}"
    try:
        with transaction(session.conn):
            record(session.conn, session.user.name, AUDIT_ACTION, session.settings.store_path.name, reason,
                   outcome.finished)
    except sqlcipher3.DatabaseError:
        if outcome.passed:
            raise


def run_check(session: Session, cancel: threading.Event | None = None) -> StoreCheckOutcome | None:
    """Check and record in one thread: for tests, benches and scripts."""
    session.check_open()
    outcome = check_store(session.settings.store_path, session.store_key, cancel, session.clock)
    if outcome is not None:
        record_outcome(session, outcome)
    return outcome


def may_check_on_demand(session: Session) -> bool:
    """The check runs for everyone after unlock; running it again is the officer's, who
    also checks the audit chain."""
    return can(session, Action.VIEW_AUDIT)


def check_before_writing(conn: Connection, settings: Settings, user: str, clock: Clock = utc_now) -> None:
    """A headless command's check, on its own connection, before it writes anything."""
    try:
        check_integrity(conn, settings.store_path)
    except StoreDamaged as exc:
        note_failure(settings, user, clock(), str(exc))
        raise


def note_failure(settings: Settings, user: str, at: datetime, problem: str) -> None:
    """One line a failure in a plain file in the workspace: time, user, what the check said."""
    line = f"{to_the_second(timestamp(at))}  {user}  {' '.join(problem.split())}\n"
    fd = os.open(Path(settings.workspace) / FAILURE_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as file:
        file.write(line)
