"""A stick of report bundles for import tests, and the check that each bundle is in the
store wholly or not at all (a killed import, a backup taken during one)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from deskkit import BUILT, PASSWORDS, Demo

from hotline_tui.demo.synthetic import generate_attachments, generate_reports
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.session import Session
from import_export import agekeys
from import_export.bundle import ROOM_LABEL
from import_export.writer import report_members, write_bundle

BUNDLES = 20
PER_BUNDLE = 100


def make_stick(
    demo: Demo, stick: Path, bundles: int = BUNDLES, per_bundle: int = PER_BUNDLE
) -> tuple[dict[str, int], str]:
    """``bundles`` bundles of reports, one tampered; returns {bundle_id: count} of the good ones and the tampered name."""
    stick.mkdir()
    reports = generate_reports(bundles * per_bundle, seed=31, start=BUILT - timedelta(days=60), end=BUILT)
    files = generate_attachments(reports)
    good: dict[str, int] = {}
    tampered = ""
    recipient = agekeys.parse_recipient(demo.room_recipient())
    for number in range(bundles):
        chunk = reports[number * per_bundle : (number + 1) * per_bundle - number % 3]  # counts differ a little
        written = write_bundle(
            stick, kind="reports", members=report_members(chunk, files), count=len(chunk),
            signer=demo.intake_key("intake-online" if number % 2 else "intake-phone"), recipients=[recipient],
            recipient_label=ROOM_LABEL, created=BUILT + timedelta(minutes=number),
        )
        if number == bundles // 2:
            data = bytearray(written.path.read_bytes())
            data[-10] ^= 0x40
            written.path.write_bytes(bytes(data))
            tampered = written.path.name
        else:
            good[written.bundle_id] = len(chunk)
    return good, tampered


def scalar(session: Session, sql: str, *params: object) -> int:
    return int(session.conn.execute(sql, params).fetchone()[0])


def check_whole_or_absent(session: Session, good: dict[str, int], tampered: str, imports: int = 1) -> int:
    """Every bundle wholly stored or wholly absent; returns how many are stored."""
    stored = 0
    for bundle_id, count in good.items():
        reports = scalar(session, "SELECT count(*) FROM reports WHERE bundle_id = ?", bundle_id)
        listed = session.conn.execute("SELECT item_count FROM import_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()
        entries = scalar(session, "SELECT count(*) FROM audit WHERE action = 'bundle.imported' AND object = ?",
                          f"bundle {bundle_id}")
        if listed is None:
            assert (reports, entries) == (0, 0), f"bundle {bundle_id}: {reports} reports, {entries} audit entries, not listed"
        else:
            assert (listed[0], reports, entries) == (count, count, 1), f"bundle {bundle_id} is half there"
            stored += 1
    assert scalar(session, "SELECT count(*) FROM reports") == sum(
        count for bundle_id, count in good.items()
        if session.conn.execute("SELECT 1 FROM import_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()
    )
    # The full-text index and the attachments follow their reports exactly.
    assert scalar(session, "SELECT count(*) FROM report_search") == scalar(session, "SELECT count(*) FROM reports")
    assert scalar(session, "SELECT count(*) FROM report_search WHERE rowid NOT IN (SELECT id FROM reports)") == 0
    assert scalar(session, "SELECT count(*) FROM report_attachments WHERE report_id NOT IN (SELECT report_id FROM reports)") == 0
    # A refusal's quarantine copy and its audit entry are one transaction; a second
    # refusal of the same bytes is audited but not held twice.
    refusals = scalar(session, "SELECT count(*) FROM audit WHERE action = 'bundle.refused' AND object = ?", f"file {tampered}")
    assert refusals <= imports
    assert scalar(session, "SELECT count(*) FROM quarantine") == min(refusals, 1)
    assert audit.verify_chain(session.conn).ok
    return stored


def red_flag_rows(session: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every report's red-flag rows by report id (a reporter's own value is a token under a
    key each store draws: compared without it)."""
    identifiers = session.conn.execute(
        "SELECT r.report_id, i.kind, CASE WHEN i.whose = 'subject' THEN i.value ELSE '' END, i.whose, i.field, i.quote,"
        " i.detail, i.force FROM identifiers i JOIN reports r ON r.id = i.report_key")
    people = session.conn.execute(
        "SELECT r.report_id, s.surname, s.forename, s.forename_key, s.initial, s.collar, s.station, s.force, s.rank,"
        " s.field, s.quote FROM subject_index s JOIN reports r ON r.id = s.report_key WHERE s.source = 'report'")
    return sorted(identifiers), sorted(people)


REPO = Path(__file__).resolve().parents[2]
SLOW_IMPORT = """
import sys, time
from pathlib import Path
from hotline_tui.config import KdfParams, Settings
from hotline_tui.services.intake import importing
from hotline_tui.services.people.workspace import unlock

write = importing._write_prepared
def slow_write(*args):
    added = write(*args)
    print("stored", flush=True)
    time.sleep(float(sys.argv[3]))  # a bundle that takes a while
    return added
importing._write_prepared = slow_write
importing.COMMIT_EVERY_SECONDS = 3600.0  # batches by count only
settings = Settings(Path(sys.argv[1]), kdf=KdfParams.for_tests())
session = unlock(settings, "ana", sys.stdin.readline().rstrip("\\n"))
summary = importing.import_bundles(session, [Path(sys.argv[2])], commit_every=int(sys.argv[4]))
print("done", summary.imported, summary.refused, flush=True)
session.close()
"""


def start_slow_import(demo: Demo, stick: Path, pause: float = 0.3, commit_every: int = 10**9) -> subprocess.Popen[str]:
    """A real second process importing ``stick`` as ana, pausing ``pause`` seconds after
    each bundle it stores (printing "stored"), committing every ``commit_every`` reports;
    returns once the first bundle is stored (its transaction open)."""
    password = stick.with_name("password")
    password.write_text(PASSWORDS["ana"] + "\n")
    with password.open("rb") as stdin:
        proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_IMPORT, str(demo.room.workspace), str(stick), str(pause), str(commit_every)],
            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "stored\n"  # the import's batch is open and holds the lock
    return proc
