"""Importing report bundles from removable media into the store.

Each bundle goes through every check of the bundle reader and is then stored wholly, or
not at all. Nothing is ever written to the media. The UI and the headless
``hotline-tui import`` both call ``import_bundles``. ``run_imports`` (the loop,
with progress and cancellation) and ``refuse_bundle`` (audit, quarantine) serve every
kind of incoming bundle: forces' outcomes go through them too (services/referrals/outcomes.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake.batches import BatchedCommits
from hotline_tui.services.intake.reading import ReadContext, read_bundles
from hotline_tui.services.intake.rows import PreparedBundle, prepare_reports
from hotline_tui.services.keyring.keys import build_keyring
from hotline_tui.services.permissions import Action, require, require_any
from hotline_tui.services.redflags.index import identifier_row, index_bundle
from hotline_tui.services.redflags.indexing import IndexProgress, index_pending
from hotline_tui.services.revocation import refuse_if_revoked
from hotline_tui.services.sealed import rolekeys
from hotline_tui.services.sealed.contact import contact_sealer
from hotline_tui.services.session import Session
from hotline_tui.store import identifiers as identifier_store
from hotline_tui.store import keyring as keyring_store
from hotline_tui.store import reports as store
from hotline_tui.store import subjects as index_store
from hotline_tui.store.connection import BackgroundCheckpoints, transaction
from hotline_tui.store.turns import TurnTaker
from import_export import agekeys
from import_export.bundle import PAYLOAD_SUFFIX, ROOM_LABEL, Keyring, signature_path
from import_export.errors import AlreadyImported, BundleRefused
from import_export.minisign import Signature, SignatureError
from import_export.reader import Bundle, read_bundle, verify_outer
from import_export.wording import counted

# A commit writes every page its bundles changed; some indexes (report id, surname) change
# pages all over the store, so fewer, larger commits write far less (bench/import.py).
COMMIT_EVERY_REPORTS = 25_000
COMMIT_EVERY_SECONDS = 5.0
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
    quarantined: bool = False  # refused, and these very bytes are held in quarantine

    @property
    def state(self) -> str:
        return "imported" if self.imported else "quarantined" if self.quarantined else "new"


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


def room_identity_texts(session: Session) -> tuple[str, ...]:
    """Every age identity the room ever had, as key text: bundles made for a retired key still open."""
    require_any(session, Action.IMPORT_BUNDLES, Action.IMPORT_OUTCOMES, Action.VERIFY_BUNDLE)
    return tuple(rolekeys.room_secret(session, row) for row in keyring_store.room_keys(session.conn, "age"))


def room_identities(session: Session) -> list[pyrage.x25519.Identity]:
    return [identity for text in room_identity_texts(session) for identity in agekeys.parse_identities(text)]


def find_bundles(paths: Sequence[Path]) -> list[Path]:
    """Bundle payloads named directly, or inside the folders given (one level deep)."""
    from hotline_tui.services.intake.media import bundle_files

    found: list[Path] = []
    for path in map(Path, paths):
        found += bundle_files(path) if path.is_dir() else [path]
    return found


def list_bundles(session: Session, folder: Path, kind: str = "reports") -> list[BundleListing]:
    """The bundles of ``kind`` on a medium with their outer-signature verdict, and those
    whose signature did not verify (their kind cannot be known); nothing decrypted."""
    require(session, IMPORT_PERMISSION[kind])
    keyring = build_keyring(session)
    held = store.held_file_names(session.conn)
    listings = [_listing(session, keyring, path, held) for path in find_bundles([folder])]
    return [listing for listing in listings if listing.kind in ("", kind)]


def _quarantined(session: Session, path: Path, held: frozenset[str]) -> bool:
    try:  # by name first: only a bundle whose name is held has its bytes compared
        return path.name in held and store.quarantine_holds(session.conn, path.read_bytes())
    except OSError:
        return False


def _claimed_key_id(path: Path) -> str:
    """The key id the signature file names (for a refusal that names a known signer)."""
    try:
        return Signature.from_text(signature_path(path).read_text("utf-8")).key_id
    except (OSError, UnicodeDecodeError, SignatureError):
        return ""


def _listing(session: Session, keyring: Keyring, path: Path, held: frozenset[str]) -> BundleListing:
    size = path.stat().st_size if path.exists() else 0
    try:
        outer = verify_outer(path, keyring)
    except BundleRefused as exc:
        known = keyring.get(_claimed_key_id(path)) if exc.check == "signer revoked" else None
        return BundleListing(path, size, known.name if known else "unknown", known.key_id if known else "", "", None,
                             exc.detail, False, False, quarantined=_quarantined(session, path, held))
    comment = outer.comment
    imported = store.bundle_imported(session.conn, comment.bundle_id)
    verdict = "signature valid" + (f"; {outer.warnings[0]}" if outer.warnings else "")
    return BundleListing(
        path, size, outer.signer.name, outer.signer.key_id, outer.comment.render(),
        comment.count, verdict, True, imported, comment.kind, not imported and _quarantined(session, path, held),
    )


def store_report_bundle(session: Session, bundle: Bundle, path: Path) -> int:
    """Store a reports bundle the reader accepted in one transaction (a savepoint if one
    is open); returns the reports added. The quarantine's release uses it."""
    return _store_prepared(session, prepare_reports(bundle, contact_sealer(session)), path)


def _store_prepared(session: Session, bundle: PreparedBundle, path: Path) -> int:
    with transaction(session.conn):
        first, added = _write_prepared(session, bundle, path)
        if added:
            index_bundle(session.conn, first, first + added - 1)  # one bundle: its red flags at once
        return added


def _write_prepared(session: Session, bundle: PreparedBundle, path: Path) -> tuple[int, int]:
    """Write a bundle into the open transaction: (its first report's key, how many).
    Every check that can refuse it comes before its first write, so a refusal leaves
    nothing to undo; any other failure rolls the whole transaction back
    (``BatchedCommits``). Its red-flag rows are made after the import has committed
    (services/redflags/indexing.py): here only its reports' range is marked pending."""
    conn = session.conn
    at = session.now()
    reports = bundle.reports
    if store.bundle_imported(conn, bundle.bundle_id):  # the same bundle twice on the media
        raise AlreadyImported(bundle.bundle_id)
    refuse_if_revoked(conn, bundle.signer_key_id)
    clash = store.existing_report_ids(conn, [report_id for report_id, *_ in reports])
    if clash:
        raise BundleRefused(
            "documents", f"report {clash[0]} was already imported from another bundle; ask the intake system",
            member="reports.jsonl", field="report_id",
        )
    store.insert_bundle(
        conn, bundle.bundle_id, bundle.kind, bundle.signer_key_id, bundle.signer_name,
        bundle.created, len(reports), path.name, at, session.user.name,
    )
    first = store.insert_reports(conn, reports, bundle.search, at, contacts=bundle.contacts, subjects_indexed=True)
    store.insert_attachments(conn, bundle.attachments)
    if reports:
        index_store.narratives_pending(conn, first, first + len(reports) - 1)
        identifier_store.insert_many(conn, [identifier_row(first + at, item) for at, item in bundle.identifiers])
    audit.record(
        conn, session.user.name, "bundle.imported", f"bundle {bundle.bundle_id}",
        f"{len(reports)} reports from {path.name}, signed by {bundle.signer_name} ({bundle.signer_key_id})", at=at,
    )
    return first, len(reports)


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

    def read_and_store() -> int:
        bundle = read_bundle(
            path, keyring, identities, kind=kind, recipient=ROOM_LABEL,
            already_imported=lambda bundle_id: store.bundle_imported(session.conn, bundle_id),
        )
        return store_bundle(session, bundle, path)

    return _settle(session, path, quarantine, read_and_store)


def _settle(session: Session, path: Path, quarantine: bool, store_it: Callable[[], int]) -> BundleResult:
    """The result of ``store_it``: imported, skipped as already imported, or refused."""
    try:
        added = store_it()
    except AlreadyImported as exc:
        return BundleResult(path, "skipped", exc.detail)
    except BundleRefused as exc:
        return refuse_bundle(session, path, exc, quarantine)
    return BundleResult(path, "imported", "", added)


def import_bundles(
    session: Session,
    paths: Sequence[Path],
    *,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    quarantine: bool = True,
    commit_every: int = COMMIT_EVERY_REPORTS,
    index: bool = True,
    indexing: Callable[[IndexProgress], None] | None = None,
) -> ImportSummary:
    """Import each report bundle in turn; cancellation takes effect between bundles.

    Bundles are read ahead (services/intake/reading.py) and stored several to a
    transaction (a commit every ``commit_every`` reports or ``COMMIT_EVERY_SECONDS``; the
    log is copied into the store in the background after each): each bundle is in the
    store wholly or not at all, and all are committed before this returns.

    Red flags come after: each bundle's reports are stored pending, and with ``index``
    their red-flag rows are made here once every bundle is committed, in small
    transactions (``indexing`` hears how far it is). Without it the caller has them made
    (the app, in the background: services/redflags/indexing.py); a reader that needs a
    report's rows first makes them at once."""
    require(session, Action.IMPORT_BUNDLES)
    found = find_bundles(paths)
    context = ReadContext(build_keyring(session), room_identity_texts(session), store.imported_bundle_ids(session.conn),
                          contact_sealer(session))
    readings = read_bundles(found, context)

    def import_next(path: Path) -> BundleResult:
        read_path, outcome = next(readings)
        assert read_path == path, "bundles are read in the order they are imported"
        result = _store_outcome(session, path, outcome, quarantine)
        commits.stored(result.reports_added)
        return result

    checkpoints = BackgroundCheckpoints(session.conn, session.settings.store_path, session.store_key, session.alone)
    batches = BatchedCommits(session.conn, commit_every, checkpoints.committed, TurnTaker(session.settings.store_path),
                             COMMIT_EVERY_SECONDS)
    with closing(readings), checkpoints:
        with batches as commits:
            summary = run_imports(found, import_next, progress=progress, cancelled=cancelled)
        if index:
            def indexed(step: IndexProgress) -> None:
                checkpoints.committed()  # each indexing transaction's log is copied in the background too
                if indexing is not None:
                    indexing(step)

            index_pending(session.conn, session.settings.store_path, progress=indexed, should_stop=cancelled)
    return summary


def _store_outcome(session: Session, path: Path, outcome: PreparedBundle | BundleRefused, quarantine: bool) -> BundleResult:
    def store_it() -> int:
        if isinstance(outcome, BundleRefused):
            raise outcome
        return _write_prepared(session, outcome, path)[1]

    return _settle(session, path, quarantine, store_it)


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
        return f"imported  {name}: {counted(result.reports_added, 'reports')}"
    if result.status == "skipped":
        return f"skipped   {name}: {result.reason}"
    held = " (kept in quarantine)" if result.quarantined else ""
    return f"refused   {name}: {result.reason}{held}"
