"""Months of the demo room's past, lived through the real services on a simulated clock.

Analysts import most of the report bundles on the demo media as they arrive, assess a
good share of the reports (every kind of decision), supervisors approve the referrals
with their personal keys, and each week the referrals are sealed to ``root/sent``. Then
the forces write outcome bundles (signed with their own keys, encrypted to the room):
the older ones the security officer has already imported, the latest are waiting on
``root/force-media``; two forces have never answered. What is left for the other demos:
two report bundles not yet imported, the tampered one, and plenty of new reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

from hotline_tui.config import Settings
from hotline_tui.demo.synthetic import generate_outcomes
from hotline_tui.errors import HotlineError
from hotline_tui.services import redflags
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.people.users import unlock_personal_key
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.referrals.approval import approve
from hotline_tui.services.referrals.outcomes import import_outcomes
from hotline_tui.services.referrals.sealing import seal, sealing_plan
from hotline_tui.services.session import Session
from hotline_tui.services.triage import assessment
from hotline_tui.services.triage.assessment import NFA_REASONS, AssessmentForm
from import_export import agekeys
from import_export.bundle import ROOM_LABEL, TrustedComment, signature_path
from import_export.minisign import SecretKey
from import_export.writer import WrittenBundle, outcome_members, write_bundle

SENT = "sent"
FORCE_MEDIA = "force-media"
ASSESSED_SHARE = 0.7
SILENT_FORCES = 2
OUTCOMES_WAITING_DAYS = 21  # outcomes newer than this are still on the forces' media
CONFIRMED_SCORE = 0.8  # a red flag the demo's analysts confirm: clearly the same person
SENT_ON = ("awaiting_approval", "approved", "referred")  # reports whose referral a later one can carry
CATEGORIES_FOR = {
    "corruption": ("disclosure_of_information", "inappropriate_association", "theft_and_fraud"),
    "sexual_misconduct": ("sexual_misconduct",),
    "abuse_or_control": ("abuse_of_authority", "vulnerability"),
    "discrimination": ("abuse_of_authority",),
    "other_criminality": ("controlled_drugs", "theft_and_fraud", "assisting_an_offender"),
    "other": ("other",),
}
SUMMARIES = {
    "disclosure_of_information": "The subject is said to have passed details from police systems to people outside "
                                 "the force over several months, in return for money.",
    "inappropriate_association": "The subject is said to associate with people known to be involved in crime and to "
                                 "have warned them of police interest.",
    "theft_and_fraud": "The subject is said to have kept property seized during searches and to have claimed "
                       "expenses for shifts not worked.",
    "sexual_misconduct": "The subject is said to have used contact made on duty to pursue a sexual relationship "
                         "with a vulnerable member of the public.",
    "abuse_of_authority": "The subject is said to have used their position to threaten and control a partner, "
                          "including checking police systems about them.",
    "vulnerability": "The subject is said to have targeted a person in crisis met on duty, visiting them off duty "
                     "and asking for favours.",
    "controlled_drugs": "The subject is said to use and supply controlled drugs socially, including to other "
                        "members of staff.",
    "assisting_an_offender": "The subject is said to have helped a relative avoid arrest by sharing the timing "
                             "of planned police operations.",
    "other": "The subject is said to have behaved in a way that may amount to misconduct; details are in the "
             "grading and categories.",
}


class SimulatedClock:
    """The clock every session of the build reads; moved on as the story goes."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@dataclass
class _Desk:
    settings: Settings
    clock: SimulatedClock
    passwords: dict[str, str]
    sessions: dict[str, Session]

    def session(self, name: str) -> Session:
        if name not in self.sessions:
            self.sessions[name] = unlock(self.settings, name, self.passwords[name], self.clock)
        return self.sessions[name]

    def at(self, moment: datetime) -> _Desk:
        self.clock.moment = max(self.clock.moment, moment)
        return self

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()


def _referral_form(report: dict[str, Any], rng: Random) -> AssessmentForm | None:
    """A complete referral from the report's own subjects and force, or None if it cannot be one."""
    form = assessment.starting_form(report)
    form.subjects = [s for s in form.subjects if s.identifying]
    force = form.force or ""
    if not form.subjects or not force or force == "other":
        return None
    codes = [c for b in form.behaviours or ["other"] for c in CATEGORIES_FOR.get(b, ("other",))]
    form.categories = sorted(set(rng.sample(codes, min(len(codes), 2))))
    form.source, form.intelligence, form.handling = assessment.anonymous_default_grading(report)
    form.priority = "high" if rng.random() < 0.15 else "normal"
    form.summary = SUMMARIES[form.categories[0]]
    form.decision = "refer"
    return form


def _closing_form(report: dict[str, Any], rng: Random, earlier: Sequence[str]) -> AssessmentForm:
    form = assessment.starting_form(report)
    roll = rng.random()
    if roll < 0.6 or not earlier:
        form.decision, form.nfa_reason = "no_further_action", rng.choice([code for code, _ in NFA_REASONS])
        form.decision_note = "Closed after checks; see the reason." if form.nfa_reason == "other" else ""
    elif roll < 0.8:
        form.decision, form.duplicate_of = "duplicate", rng.choice(list(earlier[-20:]))
    else:
        form.decision, form.decision_note = "information_only", "Kept on file as context for other reports."
    return form


def _confirm_red_flags(session: Session, key: int, form: AssessmentForm) -> None:
    """As an analyst does: an earlier report clearly about the same person, which went to a
    force, is confirmed, so this referral carries it (by reference, with its outcomes)."""
    for found in redflags.candidates(session, key, form.subjects, form.force):
        if found.relation == redflags.SAME_PERSON and found.score >= CONFIRMED_SCORE and found.status in SENT_ON:
            redflags.decide_link(session, key, found.key, True)


def _decide(session: Session, key: int, rng: Random, earlier: Sequence[str]) -> bool:
    """Take and decide one report; True if it went for approval."""
    report = assessment.take_report(session, key).document
    form = _referral_form(report, rng) if rng.random() < 0.55 else None
    if form is not None:
        _confirm_red_flags(session, key, form)
        try:
            assessment.submit(session, key, form)
            return True
        except HotlineError:
            pass  # the report's own words would travel: close it instead
    try:
        assessment.submit(session, key, _closing_form(report, rng, earlier))
    except HotlineError:
        assessment.release_report(session, key)  # left in the queue, as a real analyst might
    return False


def _approve_all(desk: _Desk, keys: dict[str, SecretKey]) -> None:
    rows = desk.session("sam").conn.execute(
        "SELECT referral_id, analyst FROM referrals WHERE state = 'awaiting_approval' ORDER BY submitted_at")
    for number, (referral_id, _analyst) in enumerate(rows.fetchall()):
        name = ("sam", "sue")[number % 2]
        try:
            approve(desk.session(name), referral_id, keys[name])
        except HotlineError:
            continue  # left for a supervisor to look at in the demo


def _seal_all(desk: _Desk, sent: Path) -> None:
    sam = desk.session("sam")
    forces = [batch.code for batch in sealing_plan(sam) if not batch.blocked_reason]
    if forces:
        seal(sam, sent, forces)


def _received(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _created(bundle: WrittenBundle) -> datetime:
    """When the intake system made the bundle (its signed comment says)."""
    for line in signature_path(bundle.path).read_text("utf-8").splitlines():
        if line.startswith("trusted comment: "):
            return _received(TrustedComment.parse(line.removeprefix("trusted comment: ")).created)
    raise ValueError(f"{bundle.path.name} has no trusted comment")


def left_for_import(bundles: Sequence[WrittenBundle]) -> list[WrittenBundle]:
    """The newest bundle of each intake system stays on the media for the import demo."""
    newest: dict[str, WrittenBundle] = {}
    for bundle in bundles:
        if bundle.signer_key_id not in newest or _created(bundle) > _created(newest[bundle.signer_key_id]):
            newest[bundle.signer_key_id] = bundle
    return list(newest.values())


def live_through(
    settings: Settings, media_bundles: Sequence[WrittenBundle], root: Path, now: datetime, passwords: dict[str, str],
    progress: Callable[[str], None],
) -> None:
    """Import, assess, approve and seal week by week, then the forces' outcomes."""
    waiting = left_for_import(media_bundles)
    arriving = sorted((b for b in media_bundles if b not in waiting), key=_created)
    desk = _Desk(settings, SimulatedClock(_created(arriving[0]) - timedelta(days=1)), passwords, {})
    try:
        keys = {name: unlock_personal_key(desk.session(name), passwords[name]) for name in ("sam", "sue")}
        (root / SENT).mkdir(parents=True, exist_ok=True)
        progress("living through the room's past: imports, assessments, approvals, weekly sealing")
        _weeks(desk, keys, arriving, root / SENT, now, Random(2026))
        progress("the forces write outcome bundles; the security officer imports the older ones")
        _outcomes(desk, root, now)
    finally:
        desk.close()


def _weeks(desk: _Desk, keys: dict[str, SecretKey], arriving: list[WrittenBundle], sent: Path, now: datetime,
           rng: Random) -> None:
    pending: list[tuple[int, str, str]] = []
    earlier: list[str] = []
    week = desk.clock.moment
    while week < now - timedelta(days=2):
        week = min(week + timedelta(days=7), now - timedelta(days=1))
        while arriving and _created(arriving[0]) < week - timedelta(days=1):
            bundle = arriving.pop(0)
            ana = desk.at(_created(bundle) + timedelta(hours=1)).session("ana")
            import_bundles(ana, [bundle.path], quarantine=False)
            pending += ana.conn.execute("SELECT id, received_at, reference FROM reports WHERE bundle_id = ?",
                                        (bundle.bundle_id,)).fetchall()
        for key, received_at, reference in sorted(pending, key=lambda r: r[1]):
            if _received(received_at) > week - timedelta(days=2):
                continue
            pending.remove((key, received_at, reference))
            if rng.random() > ASSESSED_SHARE:
                continue
            desk.at(week - timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 8)))
            _decide(desk.session(("ana", "ben")[key % 2]), key, rng, earlier)
            earlier.append(reference)
        _approve_all(desk.at(week - timedelta(days=1)), keys)
        _seal_all(desk.at(week - timedelta(hours=20)), sent)


def _outcomes(desk: _Desk, root: Path, now: datetime) -> None:
    officer = desk.session("officer")
    rows = officer.conn.execute(
        "SELECT referral_id, force_code, sealed_at FROM referrals WHERE state = 'sealed' ORDER BY sealed_at").fetchall()
    by_force: dict[str, list[tuple[str, str, datetime]]] = defaultdict(list)
    for referral_id, force, sealed_at in rows:
        by_force[force].append((referral_id, force, datetime.fromisoformat(sealed_at.replace("Z", "+00:00"))))
    silent = sorted(by_force, key=lambda f: (len(by_force[f]), f))[:SILENT_FORCES] if len(by_force) > 4 else []
    recipient = agekeys.parse_recipients((root / "secrets" / "triage-room.age.txt").read_text())[0]
    media, earlier = root / FORCE_MEDIA, root / FORCE_MEDIA / "earlier"
    earlier.mkdir(parents=True, exist_ok=True)
    cutoff = (now - timedelta(days=OUTCOMES_WAITING_DAYS)).date()
    first_round = []
    for number, force in enumerate(sorted(set(by_force) - set(silent))):
        documents = generate_outcomes(by_force[force], seed=number, today=now.date())
        signer = SecretKey.load(root / "secrets" / "forces" / f"{force}.key")
        for folder, docs, created in (
            (earlier, [d for d in documents if date.fromisoformat(d["date"]) <= cutoff], now - timedelta(days=20)),
            (media, [d for d in documents if date.fromisoformat(d["date"]) > cutoff], now - timedelta(hours=3)),
        ):
            if docs:
                written = write_bundle(folder, kind="outcomes", members=outcome_members(docs), count=len(docs),
                                       signer=signer, recipients=[recipient], recipient_label=ROOM_LABEL, created=created)
                if folder == earlier:
                    first_round.append(written.path)
    import_outcomes(desk.at(now - timedelta(days=19)).session("officer"), first_round)
