"""Importing report bundles from removable media into the store.

Each bundle goes through every check of the bundle reader and is then stored in one
transaction, or not at all. Nothing is ever written to the media. The UI and the
headless ``hotline-tui import`` both call ``import_bundles``. ``run_imports`` (the loop,
with progress and cancellation) and ``refuse_bundle`` (audit, quarantine) serve every
kind of incoming bundle: forces' outcomes go through them too (services/outcomes.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
import sqlcipher3

from hotline_tui.services import audit
from hotline_tui.services.force_hints import match_force_hint
from hotline_tui.services.keys import build_keyring
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.redflags import _report_rows as report_index_rows
from hotline_tui.services.redflags import index_new_reports
from hotline_tui.services.session import Session
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store import reports as store
from hotline_tui.store import subjects as subject_store
from hotline_tui.store.connection import Connection, transaction
from import_export import agekeys
from import_export.bundle import PAYLOAD_SUFFIX, ROOM_LABEL, Keyring, signature_path
from import_export.documents import BEHAVIOURS, REPORTER_TEXT_FIELDS, attachment_member
from import_export.errors import AlreadyImported, BundleRefused
from import_export.reader import Bundle, read_bundle, verify_outer

BEHAVIOUR_BITS = {code: 1 << index for index, code in enumerate(BEHAVIOURS)}
# Who may list and import each kind of incoming bundle.
IMPORT_PERMISSION = {"reports": Action.IMPORT_BUNDLES, "outcomes": Action.IMPORT_OUTCOMES}


@dataclass(frozen=True)
class BundleListing:
    """What can be known of a bundle on the media before importing it."""

    path: Path
    size: int
    signer: str
    key_id: str
    comment: str
    count: int | None
    verdict: str
    signature_ok: bool
    imported: bool
    kind: str = ""  # from the verified trusted comment; "" when the signature did not verify


@dataclass(frozen=True)
class BundleResult:
    path: Path
    status: str  # 'imported', 'skipped' or 'refused'
    reason: str = ""
    reports_added: int = 0
    quarantined: bool = False


@dataclass(frozen=True)
class ImportProgress:
    bundles_done: int
    bundles_total: int
    reports_done: int
    reports_expected: int
    elapsed: float
    current: str

    @property
    def rate(self) -> float:
        return self.reports_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        if not self.rate or self.reports_expected <= self.reports_done:
            return None
        return (self.reports_expected - self.reports_done) / self.rate


@dataclass
class ImportSummary:
    results: list[BundleResult] = field(default_factory=list)
    cancelled: bool = False

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def imported(self) -> int:
        return self._count("imported")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def refused(self) -> int:
        return self._count("refused")

    @property
    def reports_added(self) -> int:
        return sum(r.reports_added for r in self.results)


def room_identities(session: Session) -> list[pyrage.x25519.Identity]:
    """Every age identity the room ever had: bundles made for a retired key still open."""
    rows = keyring_store.room_keys(session.conn, "age")
    return [identity for row in rows for identity in agekeys.parse_identities(row.secret_text)]


def find_bundles(paths: Sequence[Path]) -> list[Path]:
    """Bundle payloads named directly, or inside the folders given (one level deep)."""
    from hotline_tui.services.media import bundle_files

    found: list[Path] = []
    for path in map(Path, paths):
        found += bundle_files(path) if path.is_dir() else [path]
    return found


def list_bundles(session: Session, folder: Path, kind: str = "reports") -> list[BundleListing]:
    """The bundles of ``kind`` on a medium with their outer-signature verdict, and those
    whose signature did not verify (their kind cannot be known); nothing decrypted."""
    require(session, IMPORT_PERMISSION[kind])
    keyring = build_keyring(session)
    listings = [_listing(session, keyring, path) for path in find_bundles([folder])]
    return [listing for listing in listings if listing.kind in ("", kind)]


def _listing(session: Session, keyring: Keyring, path: Path) -> BundleListing:
    size = path.stat().st_size if path.exists() else 0
    try:
        outer = verify_outer(path, keyring)
    except BundleRefused as exc:
        return BundleListing(path, size, "unknown", "", "", None, exc.detail, False, False)
    comment = outer.comment
    imported = store.bundle_imported(session.conn, comment.bundle_id)
    verdict = "signature valid" + (f"; {outer.warnings[0]}" if outer.warnings else "")
    return BundleListing(
        path, size, outer.signer.name, outer.signer.key_id, outer.comment.render(),
        comment.count, verdict, True, imported, comment.kind,
    )


_SUBJECT_TEXT = ("name", "rank", "collar_number", "station", "force_hint", "description")


def _subjects_text(report: dict[str, Any]) -> str:
    parts = [str(subject.get(k, "")) for subject in report.get("subjects", []) for k in _SUBJECT_TEXT]
    return " ".join(p for p in parts if p)


def _has_contact(report: dict[str, Any]) -> bool:
    reporter = report.get("reporter") or {}
    return any(reporter.get(k) for k in REPORTER_TEXT_FIELDS)


def _rows(bundle: Bundle, at: str) -> tuple[list[store.ReportRow], list[store.SearchRow], list[store.AttachmentRow]]:
    reports, search, attachments = [], [], []
    bundle_id = bundle.bundle_id
    # The document is stored as the line it came in (the reader parsed and checked it);
    # writing it out again would cost as much as parsing it.
    sources = bundle.sources or [json.dumps(doc, ensure_ascii=False).encode("utf-8") for doc in bundle.documents]
    for doc, source in zip(bundle.documents, sources, strict=True):
        behaviours = [b for b in doc["behaviours"] if b in BEHAVIOUR_BITS]
        mask = 0
        for code in behaviours:
            mask |= BEHAVIOUR_BITS[code]
        hint = doc.get("force_hint") or ""
        reports.append(
            store.ReportRow(
                doc["report_id"], doc["reference"], bundle_id, doc["channel"], doc["received_at"],
                hint, match_force_hint(hint), ",".join(behaviours), mask, _has_contact(doc), source.decode("utf-8"), at,
            )
        )
        search.append(store.SearchRow(doc["narrative"], _subjects_text(doc), doc.get("handler_notes") or ""))
        for item in doc["attachments"]:
            member = attachment_member(doc["report_id"], item["path"])
            attachments.append(
                store.AttachmentRow(doc["report_id"], item["name"], item["media_type"], member, bundle.members[member])
            )
    return reports, search, attachments


def _store_bundle(session: Session, bundle: Bundle, path: Path) -> int:
    conn = session.conn
    at = session.now()
    reports, search, attachments = _rows(bundle, at)
    with transaction(conn):
        clash = store.existing_report_ids(conn, [r.report_id for r in reports])
        if clash:
            raise BundleRefused(
                "documents", f"report {clash[0]} was already imported from another bundle; ask the intake system",
                member="reports.jsonl", field="report_id",
            )
        outer = bundle.outer
        store.insert_bundle(
            conn, bundle.bundle_id, bundle.kind, outer.signer.key_id, outer.signer.name,
            outer.comment.created, len(reports), path.name, at, session.user.name,
        )
        first = store.insert_reports(conn, reports, search, subjects_indexed=True)
        store.insert_attachments(conn, attachments)
        # Red-flag matching sees the new subjects at once: their index rows come from the
        # documents already parsed, in this transaction (not read back and parsed again).
        subject_store.insert_many(conn, [
            (first + i, "report", *row)
            for i, (doc, report) in enumerate(zip(bundle.documents, reports, strict=True))
            for row in report_index_rows(doc, report.hint_code)
        ])
        index_new_reports(conn)  # reports stored before the index existed, if any
        audit.record(
            conn, session.user.name, "bundle.imported", f"bundle {bundle.bundle_id}",
            f"{len(reports)} reports from {path.name}, signed by {outer.signer.name} ({outer.signer.key_id})", at=at,
        )
    return len(reports)


def refuse_bundle(session: Session, path: Path, exc: BundleRefused, quarantine: bool) -> BundleResult:
    """Record a refused bundle in the audit log (and keep a copy in quarantine)."""
    held = False
    at = session.now()
    with transaction(session.conn):
        if quarantine:
            held = _quarantine(session, path, exc, at)
        audit.record(
            session.conn, session.user.name, "bundle.refused", f"file {path.name}",
            exc.reason + (" (copied to quarantine)" if held else ""), at=at,
        )
    return BundleResult(path, "refused", exc.reason, 0, held)


def _quarantine(session: Session, path: Path, exc: BundleRefused, at: str) -> bool:
    try:
        payload = path.read_bytes()
    except OSError:
        return False
    if store.quarantine_holds(session.conn, payload):
        return True
    try:
        signature: bytes | None = signature_path(path).read_bytes()
    except OSError:
        signature = None
    store.insert_quarantine(session.conn, path.name, payload, signature, exc.check, exc.reason, at, session.user.name)
    return True


def import_kind(
    session: Session,
    keyring: Keyring,
    identities: Sequence[pyrage.x25519.Identity],
    path: Path,
    kind: str,
    store_bundle: Callable[[Session, Bundle, Path], int],
    quarantine: bool = True,
) -> BundleResult:
    """Read one bundle of ``kind`` with every check, store it with ``store_bundle`` (one
    transaction), or skip it as already imported, or refuse it (audited, quarantined)."""
    try:
        bundle = read_bundle(
            path, keyring, identities, kind=kind, recipient=ROOM_LABEL,
            already_imported=lambda bundle_id: store.bundle_imported(session.conn, bundle_id),
        )
        added = store_bundle(session, bundle, path)
    except AlreadyImported as exc:
        return BundleResult(path, "skipped", exc.detail)
    except BundleRefused as exc:
        return refuse_bundle(session, path, exc, quarantine)
    return BundleResult(path, "imported", "", added)


def import_one(
    session: Session, keyring: Keyring, identities: Sequence[pyrage.x25519.Identity], path: Path, quarantine: bool = True
) -> BundleResult:
    return import_kind(session, keyring, identities, path, "reports", _store_bundle, quarantine)


def import_bundles(
    session: Session,
    paths: Sequence[Path],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    quarantine: bool = True,
) -> ImportSummary:
    """Import each report bundle in turn; cancellation takes effect between bundles."""
    require(session, Action.IMPORT_BUNDLES)
    keyring = build_keyring(session)
    identities = room_identities(session)
    with _checkpoints_deferred(session.conn):
        return run_imports(
            find_bundles(paths), lambda path: import_one(session, keyring, identities, path, quarantine),
            progress=progress, cancelled=cancelled,
        )


@contextmanager
def _checkpoints_deferred(conn: Connection, pages: int = 16_384) -> Iterator[None]:
    """Copy the write-ahead log into the store every 64 MiB rather than every 4 MiB while
    importing. Each bundle's commit is still synced to the log, so nothing is less durable;
    but pages that every bundle changes (index interiors, the full-text index's structure)
    are copied once a batch rather than once a bundle. One checkpoint at the end."""
    before = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
    try:
        yield
    finally:
        with suppress(sqlcipher3.Error):  # the session may have been locked (closed) meanwhile
            conn.execute(f"PRAGMA wal_autocheckpoint = {before}")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_imports(
    paths: Sequence[Path],
    import_one_fn: Callable[[Path], BundleResult],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ImportSummary:
    """``import_one_fn`` on each bundle in turn, with progress; cancellation takes effect
    between bundles. The caller has checked permissions and found the bundles."""
    bundles = list(paths)
    expected = sum(_expected_count(p) for p in bundles)
    summary = ImportSummary()
    started = time.monotonic()
    reports_done = 0
    for index, path in enumerate(bundles):
        if cancelled():
            summary.cancelled = True
            break
        if progress:
            progress(ImportProgress(index, len(bundles), reports_done, expected, time.monotonic() - started, path.name))
        result = import_one_fn(path)
        summary.results.append(result)
        reports_done += result.reports_added
    if progress:
        done = len(summary.results)
        progress(ImportProgress(done, len(bundles), reports_done, expected, time.monotonic() - started, ""))
    return summary


def _expected_count(path: Path) -> int:
    """The count the (not yet verified) trusted comment announces, for the progress bar only."""
    try:
        for line in signature_path(path).read_text("utf-8").splitlines():
            if line.startswith("trusted comment: "):
                for part in line.split(" "):
                    if part.startswith("count=") and part[6:].isdigit():
                        return int(part[6:])
    except (OSError, UnicodeDecodeError):
        pass
    return 0


def describe(result: BundleResult) -> str:
    """One line per bundle for the headless command and the summary."""
    name = result.path.name.removesuffix(PAYLOAD_SUFFIX)
    if result.status == "imported":
        return f"imported  {name}: {result.reports_added} reports"
    if result.status == "skipped":
        return f"skipped   {name}: {result.reason}"
    held = " (kept in quarantine)" if result.quarantined else ""
    return f"refused   {name}: {result.reason}{held}"
