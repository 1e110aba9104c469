"""Approval and sealing on the demo room, through the services, then opened as a force would.

ana refers reports (two about the same repeat officer, the second linked to the first)
and sam refers one himself. Only another supervisor approves, with their own personal
key; a return needs comments and goes back to the analyst. Sealing writes one bundle per
force, encrypted to that force alone, and a force without a recipient in the keyring
waits. The force's side is ``hotline-bundle open`` and the stock ``minisign`` and
``age``; the stock-tool tests fail (not skip) under CI when the tools are missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path

import pyrage
import pytest
from assesskit import NOW, PASSWORDS, Clock, Demo, _settings, _template, repeat_officer_reports
from sealkit import (
    approve_each,
    decrypt_members,
    identity,
    refer,
    refer_each,
    reporter_details,
    room_keyring,
    secrets_of,
)

from hotline_tui.errors import PermissionDenied, Refused, WrongPassword
from hotline_tui.services import redflags
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.audit_trail import heads as audit_heads
from hotline_tui.services.audit_trail.chain import verify_chain
from hotline_tui.services.people.users import personal_public_key, unlock_personal_key
from hotline_tui.services.referrals.approval import OWN_WORK_NOTE, approval_queue, approve, check_may_approve, rendering, review
from hotline_tui.services.referrals.sealing import SealSummary, seal, sealing_plan, write_dispatch_note
from hotline_tui.services.sealed import contact
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import return_to_analyst, returned_comments, submit, take_report
from hotline_tui.store import outcomes as outcomes_store
from hotline_tui.store import reports as reports_store
from hotline_tui.store import sealing as sealing_store
from hotline_tui.store.connection import transaction
from import_export import cli
from import_export.bundle import signature_path
from import_export.minisign import PublicKey, Signature
from import_export.reader import read_bundle, verify_outer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "import_export"))
from bundlekit import require_tools  # noqa: E402  (fail under CI, skip elsewhere)

BLOCKED = "city-of-london"
RETURNED_COMMENTS = "The summary names the station twice; say only what the force needs."


class LaterClock(Clock):
    """One second a call, from ``hours`` after the demo room was made."""

    def __init__(self, hours: int) -> None:
        super().__init__()
        self._ticks = count()
        self._start = NOW + timedelta(hours=hours)

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=next(self._ticks))


@dataclass
class Submitted:
    """A workspace where referrals await approval."""

    workspace: Path
    linked: tuple[str, str]        # (earlier, later) referral ids about one repeat officer
    by_ana: dict[str, list[str]]   # force -> referral ids ana submitted
    by_sam: str                    # the referral sam assessed himself (to essex)
    returned: str                  # the one sam returns in the sealed flow (lancashire)
    report_keys: list[int]         # every referred report

    def copy(self, folder: Path, hours: int = 2) -> Demo:
        workspace = Path(shutil.copytree(self.workspace, folder / "workspace"))
        shutil.copytree(secrets_of(self.workspace), folder / "secrets")
        return Demo(_settings(workspace), LaterClock(hours))


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> Submitted:
    template = _template(tmp_path_factory.getbasetemp() / "assesskit")
    root = tmp_path_factory.mktemp("submitted")
    workspace = Path(shutil.copytree(template, root / "workspace"))
    shutil.copytree(secrets_of(template), root / "secrets")
    demo = Demo(_settings(workspace), LaterClock(1))
    ana = demo.unlock("ana")
    try:
        first, second = repeat_officer_reports(ana)["R01"][:2]
        earlier = refer(ana, first, "metropolitan")
        take_report(ana, second)
        redflags.decide_link(ana, second, first, confirmed=True)
        later = refer(ana, second, "metropolitan")
        made = refer_each(ana, ["kent", "essex", BLOCKED, "kent", "lancashire"])
    finally:
        ana.close()
    sam = demo.unlock("sam")
    try:
        [(sam_key, by_sam)] = refer_each(sam, ["essex"])
    finally:
        sam.close()
    by_ana: dict[str, list[str]] = {"metropolitan": [earlier, later]}
    for (_, referral_id), force in zip(made, ["kent", "essex", BLOCKED, "kent", "lancashire"], strict=True):
        by_ana.setdefault(force, []).append(referral_id)
    keys = [first, second, *(k for k, _ in made), sam_key]
    return Submitted(workspace, (earlier, later), by_ana, by_sam, by_ana["lancashire"][0], keys)


@pytest.fixture
def demo(submitted: Submitted, tmp_path: Path) -> Demo:
    return submitted.copy(tmp_path)


@pytest.fixture
def sam(demo: Demo) -> Iterator[Session]:
    session = demo.unlock("sam")
    yield session
    session.close()


def _state(session: Session, referral_id: str) -> str:
    return str(session.conn.execute("SELECT state FROM referrals WHERE referral_id = ?", (referral_id,)).fetchone()[0])


# -- approval ------------------------------------------------------------------------------------


def test_the_queue_lists_every_referral_awaiting_approval_by_force_and_priority(submitted: Submitted, sam: Session) -> None:
    queue = approval_queue(sam)
    expected = {r for ids in submitted.by_ana.values() for r in ids} | {submitted.by_sam}
    assert {p.referral_id for p in queue} == expected
    assert [p.force_name for p in queue] == sorted(p.force_name for p in queue)
    assert {p.analyst for p in queue} == {"ana", "sam"}
    item = review(sam, submitted.linked[1])
    assert "[2CP]" in item.text and "LINKED REFERRALS" in item.text and "not yet approved" in item.text
    assert item.leaks == []


def test_the_queue_marks_a_supervisors_own_referrals(demo: Demo, submitted: Submitted, sam: Session) -> None:
    """Listed for every supervisor, marked only for the one who assessed it, and refused
    to them before any key is unlocked."""
    own = {p.referral_id: p for p in approval_queue(sam) if p.own}
    assert list(own) == [submitted.by_sam]
    assert own[submitted.by_sam].note == OWN_WORK_NOTE == "your own — another supervisor must approve"
    with pytest.raises(PermissionDenied, match="another supervisor must approve it"):
        check_may_approve(sam, submitted.by_sam)
    assert check_may_approve(sam, submitted.by_ana["kent"][0]).own is False
    sue = demo.unlock("sue")
    try:
        queue = approval_queue(sue)
        assert not any(p.own for p in queue) and all(p.note == "" for p in queue)
        assert check_may_approve(sue, submitted.by_sam).analyst == "sam"
    finally:
        sue.close()


def test_only_another_supervisor_approves_whatever_the_screen_shows(demo: Demo, submitted: Submitted, sam: Session) -> None:
    target = submitted.by_ana["kent"][0]
    for name in ("ana", "ben"):
        analyst = demo.unlock(name)
        try:
            own_key = unlock_personal_key(analyst, PASSWORDS[name])
            with pytest.raises(PermissionDenied):
                approve(analyst, target, own_key)
            with pytest.raises(PermissionDenied):
                return_to_analyst(analyst, target, "an analyst cannot return")
        finally:
            analyst.close()
    sam_key = unlock_personal_key(sam, PASSWORDS["sam"])
    with pytest.raises(PermissionDenied, match=r"You \(sam\) assessed referral HTR-\S+ yourself.*another supervisor"):
        approve(sam, submitted.by_sam, sam_key)
    sue = demo.unlock("sue")
    try:
        sue_key = unlock_personal_key(sue, PASSWORDS["sue"])
        with pytest.raises(PermissionDenied, match="not your personal key"):
            approve(sam, target, sue_key)  # a key that is not sam's own
        assert (_state(sam, submitted.by_sam), _state(sam, target)) == ("awaiting_approval", "awaiting_approval")
        approve(sue, submitted.by_sam, sue_key)
    finally:
        sue.close()
    approve(sam, target, sam_key)
    assert (_state(sam, submitted.by_sam), _state(sam, target)) == ("approved", "approved")
    actions = list(sam.conn.execute("SELECT actor FROM audit WHERE action = 'referral.approved' ORDER BY seq"))
    assert actions == [("sue",), ("sam",)]


def test_a_wrong_password_for_the_signing_key_says_the_password_is_wrong(sam: Session) -> None:
    """Signed in already: the name is known, so the message never says 'user name or password'."""
    with pytest.raises(WrongPassword) as refused:
        unlock_personal_key(sam, "not " + PASSWORDS["sam"])
    assert str(refused.value).startswith("Wrong password") and "user name" not in str(refused.value)


def test_approval_signs_the_exact_bytes_the_force_receives(submitted: Submitted, sam: Session) -> None:
    earlier, later = submitted.linked
    approve_each(sam, [earlier, later])
    public = personal_public_key(sam, "sam")
    for referral_id in (earlier, later):
        document, signature = sam.conn.execute(
            "SELECT signed_document, approval_signature FROM referrals WHERE referral_id = ?", (referral_id,)
        ).fetchone()
        Signature.from_text(signature).verify(public, document)
        signed = json.loads(document)
        assert signed["approved_by"] == {"name": "sam", "key_id": sam.user.personal_key_id}
        assert signed["approved_at"]
    assert json.loads(sam.conn.execute(
        "SELECT signed_document FROM referrals WHERE referral_id = ?", (later,)).fetchone()[0])["linked_referrals"] == [earlier]


def test_a_referral_carries_its_linked_referrals_by_reference_and_date_with_their_outcomes(
    submitted: Submitted, sam: Session
) -> None:
    """The earlier referral was sealed and its force answered before the later one was approved."""
    earlier, later = submitted.linked
    approve_each(sam, [earlier])
    with transaction(sam.conn):
        sealing_store.mark_sealed(sam.conn, [earlier], "bundle-1", "2026-03-02T09:00:00Z")
        reports_store.insert_bundle(sam.conn, "b", "outcomes", "0" * 16, "met", "2026-03-20T00:00:00Z", 2,
                                    "outcomes.tar.age", "2026-03-21T00:00:00Z", "officer")
        outcomes_store.insert_outcomes(sam.conn, [
            outcomes_store.OutcomeRow(earlier, "metropolitan", status, date, "words of the force", "b", "{}", date)
            for status, date in (("received", "2026-03-03"), ("investigation_opened", "2026-03-20"))])
    reference = sam.conn.execute("SELECT reference FROM referrals WHERE referral_id = ?", (earlier,)).fetchone()[0]
    assert f"{reference} (Metropolitan Police Service), sent 2026-03-02" in review(sam, later).text
    approve_each(sam, [later])
    signed = json.loads(sam.conn.execute(
        "SELECT signed_document FROM referrals WHERE referral_id = ?", (later,)).fetchone()[0])
    assert signed["linked_referrals"] == [earlier]
    assert signed["linked_referral_details"] == [{
        "referral_id": earlier, "reference": reference, "force": "metropolitan", "date": "2026-03-02",
        "outcomes": [{"status": "received", "date": "2026-03-03"}, {"status": "investigation_opened", "date": "2026-03-20"}],
    }]
    text = rendering(signed)
    assert f"  {reference} (Metropolitan Police Service), sent 2026-03-02\n     2026-03-03  Received\n" in text
    assert "Investigation opened" in text and "words of the force" not in text


def test_a_return_needs_comments_and_goes_back_to_the_analyst(demo: Demo, submitted: Submitted, sam: Session) -> None:
    target = submitted.returned
    for empty in ("", "   \n\t "):
        with pytest.raises(Refused, match="comments are required"):
            return_to_analyst(sam, target, empty)
    assert _state(sam, target) == "awaiting_approval"
    return_to_analyst(sam, target, RETURNED_COMMENTS)
    assert _state(sam, target) == "returned"
    assert target not in {p.referral_id for p in approval_queue(sam)}
    with pytest.raises(Refused, match="no longer awaiting approval"):
        approve(sam, target, unlock_personal_key(sam, PASSWORDS["sam"]))
    key = next(k for k in submitted.report_keys if sam.conn.execute(
        "SELECT 1 FROM referrals f JOIN reports r ON r.report_id = f.report_id WHERE r.id = ? AND f.referral_id = ?",
        (k, target)).fetchone())
    assert sam.conn.execute("SELECT status, assigned_to FROM reports WHERE id = ?", (key,)).fetchone() == ("in_assessment", "ana")
    assert list(sam.conn.execute("SELECT actor, reason FROM audit WHERE action = 'referral.returned'")) == [
        ("sam", RETURNED_COMMENTS)]
    ana = demo.unlock("ana")
    try:
        assert returned_comments(ana, key) == RETURNED_COMMENTS
        assessment = take_report(ana, key)
        assert submit(ana, key, assessment.form) == "awaiting_approval"  # resubmitted as it was
    finally:
        ana.close()
    assert _state(sam, target) == "awaiting_approval"


# -- sealing -------------------------------------------------------------------------------------


@dataclass
class Sealed:
    demo: Demo
    media: Path
    secrets: Path
    summary: SealSummary
    bundles: dict[str, Path]       # force -> bundle on the media
    referrals: dict[str, list[str]]  # force -> referral ids sealed to it
    submitted: Submitted


@pytest.fixture(scope="module")
def sealed(submitted: Submitted, tmp_path_factory: pytest.TempPathFactory) -> Sealed:
    """sam returns the Lancashire referral, approves the rest of ana's, sue approves
    sam's own, and sam seals every force with approved referrals (one is blocked)."""
    folder = tmp_path_factory.mktemp("sealed")
    demo = submitted.copy(folder)
    media = folder / "stick"
    media.mkdir()
    sam = demo.unlock("sam")
    try:
        return_to_analyst(sam, submitted.returned, RETURNED_COMMENTS)
        approve_each(sam, [r for f, ids in submitted.by_ana.items() if f != "lancashire" for r in ids])
        sue = demo.unlock("sue")
        try:
            approve_each(sue, [submitted.by_sam])
        finally:
            sue.close()
        plan = sealing_plan(sam)
        summary = seal(sam, media, [b.code for b in plan])
    finally:
        sam.close()
    referrals = {f: list(ids) for f, ids in submitted.by_ana.items() if f not in ("lancashire", BLOCKED)}
    referrals["essex"].append(submitted.by_sam)
    bundles = {b.force_code: b.path for b in summary.sealed}
    return Sealed(demo, media, folder / "secrets", summary, bundles, referrals, submitted)


def test_one_bundle_per_force_encrypted_to_that_force_alone(sealed: Sealed) -> None:
    assert set(sealed.bundles) == set(sealed.referrals) == {"metropolitan", "kent", "essex"}
    assert sorted(p.name for p in sealed.media.iterdir()) == sorted(
        n for p in sealed.bundles.values() for n in (p.name, signature_path(p).name))
    keyring = room_keyring(sealed.secrets)
    for force, path in sealed.bundles.items():
        bundle = read_bundle(path, keyring, identity(sealed.secrets, force), kind="referrals", recipient=force)
        assert sorted(d["referral_id"] for d in bundle.documents) == sorted(sealed.referrals[force])
        assert bundle.manifest["audit_head"]["seq"] > 0
        for other in sealed.bundles:
            if other != force:
                with pytest.raises(pyrage.DecryptError):
                    pyrage.decrypt(path.read_bytes(), identity(sealed.secrets, other))
        stanzas = path.read_bytes().split(b"\n---", 1)[0].count(b"\n-> X25519 ")
        assert stanzas == 1
    for bundle in sealed.summary.sealed:
        assert bundle.count == len(sealed.referrals[bundle.force_code])
        assert verify_outer(bundle.path, keyring).signer.key_id == bundle.room_key_id


def test_sealed_referrals_are_marked_and_their_reports_referred(sealed: Sealed) -> None:
    sam = sealed.demo.unlock("sam")
    try:
        for force, ids in sealed.referrals.items():
            comment = verify_outer(sealed.bundles[force], room_keyring(sealed.secrets)).comment
            for referral_id in ids:
                state, bundle_id, status = sam.conn.execute(
                    "SELECT f.state, f.sealed_bundle_id, r.status FROM referrals f JOIN reports r ON r.report_id = f.report_id"
                    " WHERE f.referral_id = ?", (referral_id,)).fetchone()
                assert (state, bundle_id, status) == ("sealed", comment.bundle_id, "referred")
        assert [b.code for b in sealing_plan(sam)] == [BLOCKED]
        assert seal(sam, sealed.media, ["kent"]).failed == [("kent", "Kent Police has no approved referrals waiting.")]
        assert verify_chain(sam.conn).ok
        note = write_dispatch_note(sam, sealed.summary)
        text = note.read_text()
        assert note.parent == sealed.media
        for bundle in sealed.summary.sealed:
            count = f"{bundle.count} referral{'s' if bundle.count != 1 else ''}"
            assert f"{bundle.path.name}  {bundle.force_name} ({bundle.force_code})  {count}  " \
                   f"room key {bundle.room_key_id}" in text
        assert "City of London Police (city-of-london): " in text
        note.unlink()
    finally:
        sam.close()


def test_the_dispatch_note_names_the_audit_head_sealed_into_the_bundles(sealed: Sealed, tmp_path: Path) -> None:
    """The room cannot read its bundles back: the note is its copy of the head they carry,
    and an officer can verify the log against the line as it stands in the note."""
    keyring = room_keyring(sealed.secrets)
    heads = {force: read_bundle(path, keyring, identity(sealed.secrets, force), kind="referrals",
                                recipient=force).manifest["audit_head"] for force, path in sealed.bundles.items()}
    [head] = {(h["seq"], h["sha256"]) for h in heads.values()}  # one head for the run
    assert {b.audit_head for b in sealed.summary.sealed} == {head}
    sam = sealed.demo.unlock("sam")
    try:
        note = write_dispatch_note(sam, sealed.summary, tmp_path)
    finally:
        sam.close()
    lines = note.read_text().splitlines()
    line = f"Audit log head sealed into these bundles: entry {head[0]}, sha256 {head[1]}"
    assert line in lines and lines[lines.index(line) + 1].startswith("File this note: a security officer can check")
    officer = sealed.demo.unlock("officer")
    try:
        anchor = audit.parse_head(line)
        assert anchor == head and audit.verify(officer, anchor).ok
        # The note is signed by the room's key: the head is read from it, never typed.
        assert audit_heads.head_from_note(officer, note) == head
        assert audit_heads.verify_against_note(officer, note).verdict.ok
        note.write_text(note.read_text().replace(head[1], "0" * 64))
        with pytest.raises(Refused, match="does not match its signature"):
            audit_heads.head_from_note(officer, note)
    finally:
        officer.close()


def test_a_blocked_force_is_reported_and_its_referrals_wait(sealed: Sealed) -> None:
    [(code, why)] = sealed.summary.failed
    assert code == BLOCKED and "blocked: no age recipient" in why
    sam = sealed.demo.unlock("sam")
    try:
        [plan] = sealing_plan(sam)
        assert (plan.code, plan.count) == (BLOCKED, 1)
        assert plan.blocked_reason and "security officer must add" in plan.blocked_reason
        assert f"--force {BLOCKED}" in plan.blocked_reason
        assert _state(sam, sealed.submitted.by_ana[BLOCKED][0]) == "approved"
    finally:
        sam.close()
    assert not list(sealed.media.glob(f"*{BLOCKED}*"))


def _keyring_dir(sealed: Sealed, folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(sealed.secrets / "triage-room.pub", folder / "triage-room.pub")
    return folder


def test_a_force_opens_its_bundle_with_hotline_bundle_open(sealed: Sealed, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keyring = _keyring_dir(sealed, tmp_path / "keyring")
    for force, path in sealed.bundles.items():
        out = tmp_path / "opened"
        code = cli.main(["open", "--identity", str(sealed.secrets / "forces" / f"{force}.age"), "--keyring", str(keyring),
                         "--force", force, "--out", str(out), str(path)])
        printed = capsys.readouterr()
        assert code == 0, printed.err
        folder = out / path.name.removesuffix(".tar.age")
        for referral_id in sealed.referrals[force]:
            document = json.loads((folder / "referrals" / f"{referral_id}.json").read_text())
            assert document["force"] == force and document["referral_id"] == referral_id
            text = (folder / "referrals" / f"{referral_id}.txt").read_text()
            assert document["reference"] in text
            # The force finds each referral under the room's reference, not its id.
            assert (folder / f"{document['reference']}.txt").read_text() == text
            assert f"  {document['reference']}.txt  approved by" in printed.out
        # Another force's identity opens nothing and writes nothing.
        other = next(f for f in sealed.bundles if f != force)
        refused = cli.main(["open", "--identity", str(sealed.secrets / "forces" / f"{other}.age"), "--keyring", str(keyring),
                            "--out", str(tmp_path / "wrong"), str(path)])
        assert refused == 1 and "decrypt" in capsys.readouterr().err
        assert not (tmp_path / "wrong").exists() or not any((tmp_path / "wrong").iterdir())


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), input=stdin, capture_output=True, check=False, timeout=60)


@pytest.mark.interop
def test_stock_minisign_and_age_open_and_verify_every_part(sealed: Sealed, tmp_path: Path) -> None:
    tools = require_tools("minisign", "age", "tar")
    room_pub = sealed.secrets / "triage-room.pub"
    for force, path in sealed.bundles.items():
        outer = _run(tools["minisign"], "-V", "-p", str(room_pub), "-m", str(path))
        assert outer.returncode == 0, outer.stderr
        assert "kind=referrals" in outer.stdout.decode() and f"to={force}" in outer.stdout.decode()
        plain = _run(tools["age"], "-d", "-i", str(sealed.secrets / "forces" / f"{force}.age"), str(path))
        assert plain.returncode == 0, plain.stderr
        inside = tmp_path / force
        inside.mkdir()
        untar = subprocess.run([tools["tar"], "-x", "-C", str(inside)], input=plain.stdout, capture_output=True, check=False)
        assert untar.returncode == 0, untar.stderr
        wrong = next(f for f in sealed.bundles if f != force)
        assert _run(tools["age"], "-d", "-i", str(sealed.secrets / "forces" / f"{wrong}.age"), str(path)).returncode != 0

        def verify(public: Path, member: str, inside: Path = inside) -> str:
            done = _run(tools["minisign"], "-V", "-p", str(public), "-m", str(inside / member))
            assert done.returncode == 0, (member, done.stderr)
            return done.stdout.decode()

        assert "kind=referrals" in verify(room_pub, "manifest.json")
        keys = sorted((inside / "keys").glob("*.pub"))
        assert [k.stem for k in keys] == sorted({json.loads((inside / "referrals" / f"{r}.json").read_text())
                                                 ["approved_by"]["key_id"] for r in sealed.referrals[force]})
        for key in keys:
            assert f"key_id={key.stem}" in verify(room_pub, f"keys/{key.name}")
        for referral_id in sealed.referrals[force]:
            document = json.loads((inside / "referrals" / f"{referral_id}.json").read_text())
            key_file = inside / "keys" / f"{document['approved_by']['key_id']}.pub"
            assert f"id={referral_id}" in verify(key_file, f"referrals/{referral_id}.json")
            _check_rendering((inside / "referrals" / f"{referral_id}.txt").read_text(), document, sealed)


def _check_rendering(text: str, document: dict, sealed: Sealed) -> None:  # type: ignore[type-arg]
    grading = document["grading"]
    approved = document["approved_by"]
    assert f"Reference:            {document['reference']}" in text
    assert "Force:                " in text and f"({document['force']})" in text
    assert f"Date:                 {document['created']}" in text
    assert f"Grading:              [{grading['source']}{grading['intelligence']}{grading['handling']}]" in text
    assert "[2CP]" in text
    assert "Handling conditions:  none" in text
    assert "Categories:           Disclosure of information" in text
    for subject in document["subjects"]:
        if subject.get("name"):
            assert subject["name"] in text
    assert "SUMMARY" in text and "sold details from police" in text
    earlier, later = sealed.submitted.linked
    linked = text.split("LINKED REFERRALS\n", 1)[1].split("\n\n", 1)[0]
    if document["referral_id"] == later:  # by reference, never by a bare id: the two were approved together
        [detail] = document["linked_referral_details"]
        assert detail["referral_id"] == earlier and earlier not in text
        assert linked == f"  {detail['reference']} (Metropolitan Police Service)\n     no outcome reported yet"
    else:
        assert linked == "  none"
    assert "Behaviours:           Corruption" in text
    assert f"Approved by:          {approved['name']} (key {approved['key_id']})" in text
    # Times to the second, in the JSON and the text; the grading's letters in words.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["approved_at"])
    assert f"Approved at:          {document['approved_at']}\n" in text
    assert "  source:             2  Untested\n  intelligence:       C  Known indirectly to the source\n" in text
    assert max(len(line) for line in text.splitlines()) <= 78


# -- nothing of the reporter -------------------------------------------------------------------------


def test_no_reporter_value_is_in_any_byte_of_any_bundle(sealed: Sealed) -> None:
    """Every member of every bundle, decrypted with the force's identity, and the files on
    the media themselves, hold none of the referred reports' reporter values, in any case,
    as UTF-8 or as JSON escapes."""
    sam = sealed.demo.unlock("sam")
    try:
        # The documents as received: their sealed contact details opened with sam's key.
        keys = [key for (key,) in sam.conn.execute("SELECT id FROM reports").fetchall()]
        documents = [doc for key in keys for _, doc in [contact.full_document(sam, key) or ("", {})]]
        bundle_ids = [b for (b,) in sam.conn.execute("SELECT bundle_id FROM import_bundles")]
    finally:
        sam.close()
    values = {v for d in documents for v in reporter_details(d)} | set(bundle_ids)
    referred_ids = _referred_report_ids(sealed)
    referred = {v for d in documents if d["report_id"] in referred_ids for v in reporter_details(d)}
    assert len(referred) >= 20  # the referred reports left names, phones and e-mails to look for
    for document in documents:  # the scan finds what it looks for where it is
        if document["report_id"] in referred_ids:
            raw = json.dumps(document, ensure_ascii=False).encode().lower()
            assert all(json.dumps(document[k]).strip('"').encode().lower() in raw for k in ("reference", "report_id"))
            email = (document.get("reporter") or {}).get("email")
            assert not email or email.lower().encode() in raw
    needles = {n.lower() for v in values for n in (v.encode(), json.dumps(v).strip('"').encode())}
    blobs: dict[str, bytes] = {}
    for force, path in sealed.bundles.items():
        blobs[path.name] = path.read_bytes()
        blobs[signature_path(path).name] = signature_path(path).read_bytes()
        for member, data in decrypt_members(path, identity(sealed.secrets, force)).items():
            blobs[f"{path.name}:{member}"] = data
            if member.endswith(".json"):
                blobs[f"{path.name}:{member} (strings)"] = json.dumps(json.loads(data), ensure_ascii=False).encode()
    assert sum(1 for name in blobs if name.endswith(".txt")) == sum(map(len, sealed.referrals.values()))
    lowered = {name: data.lower() for name, data in blobs.items()}
    found = [(name, needle) for name, data in lowered.items() for needle in needles if needle in data]
    assert found == []


def _referred_report_ids(sealed: Sealed) -> set[str]:
    sam = sealed.demo.unlock("sam")
    try:
        ids = [r for rs in sealed.referrals.values() for r in rs]
        rows = sam.conn.execute(f"SELECT report_id FROM referrals WHERE referral_id IN ({','.join('?' * len(ids))})", ids)
        return {r for (r,) in rows}
    finally:
        sam.close()


def test_the_room_public_key_a_force_holds_is_the_signer(sealed: Sealed) -> None:
    room = PublicKey.load(sealed.secrets / "triage-room.pub")
    assert {b.room_key_id for b in sealed.summary.sealed} == {room.key_id}
