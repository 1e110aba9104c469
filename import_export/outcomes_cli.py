"""``hotline-bundle outcomes``: a force tells the room what became of its referrals.

Point it at the folder 'hotline-bundle open --out' wrote into. Without outcomes it lists
each referral (reference, when sealed, the summary's first line, what was already sent);
--received acknowledges every referral not yet acknowledged (or those of one opened
bundle) in one go; --outcome REF STATUS DATE [NOTE] adds a step; -i asks on the
terminal instead. Before anything is written the outcomes are checked by the rules the
room's import applies, so what the room would refuse is refused here,
naming the outcome and the rule; then one signed bundle, encrypted to the room, is
written and the outcomes are added to outcomes-sent.jsonl beside the referrals.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import agekeys
from .bundle import ROOM_LABEL
from .cli_support import OK, USAGE, CommandFailed, existing_path, load_secret_key, say
from .documents import OUTCOME_STATUSES, validate_outcome
from .errors import BundleRefused, DocumentInvalid, KeyFileError
from .force_referrals import LEDGER, NotReferrals, OpenedReferral, load_referrals, record_sent
from .outcome_rules import check_outcomes
from .wording import counted, outcome_words
from .writer import outcome_members, write_bundle

STATUS_LABELS = {
    "received": "Received (acknowledged)",
    "assessed_no_further_action": "Assessed: no further action (no case to answer)",
    "investigation_opened": "Investigation opened",
    "misconduct_proceedings": "Misconduct proceedings (case to answer)",
    "criminal_proceedings": "Criminal proceedings",
    "dismissed": "Dismissed (dismissal without notice)",
    "resigned_or_retired": "Resigned or retired while under investigation",
    "other_outcome": "Other outcome (another sanction)",
    "closed": "Closed",
}


def clock() -> datetime:
    """The force's clock (a function, so a test can set it)."""
    return datetime.now(UTC)


@dataclass
class Desk:
    """The referrals on hand and the outcomes chosen so far, each checked as it is added."""

    referrals: list[OpenedReferral]
    force: str
    now: datetime
    chosen: list[dict[str, Any]] = field(default_factory=list)

    def find(self, text: str) -> OpenedReferral:
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.referrals):
            return self.referrals[int(text) - 1]
        for referral in self.referrals:
            if text in (referral.reference, referral.referral_id):
                return referral
        raise CommandFailed(f"{text!r} is not one of the referrals listed (give its number, reference or id)")

    def add(self, referral: OpenedReferral, status: str, when: str, note: str) -> dict[str, Any]:
        """Add an outcome, or raise CommandFailed saying which rule it breaks; nothing is added then."""
        doc: dict[str, Any] = {"referral_id": referral.referral_id, "status": status,
                               "date": self.now.date().isoformat() if when in ("", "today") else when}
        if note.strip():
            doc["note"] = note.strip()
        try:
            validate_outcome(doc)
            facts = {r.referral_id: r.facts() for r in self.referrals}
            check_outcomes([*self.chosen, doc], facts, force=self.force, now=self.now,
                           unknown="not among the referrals you opened")
        except DocumentInvalid as exc:
            raise CommandFailed(f"{referral.reference}: {exc.field} {exc.message}") from exc
        except BundleRefused as exc:
            raise CommandFailed(exc.message) from exc
        self.chosen.append(doc)
        return doc

    def acknowledge(self, bundle: str | None) -> int:
        """'received', dated today, for every referral (of one opened bundle) not yet acknowledged."""
        added = 0
        pending = {d["referral_id"] for d in self.chosen if d["status"] == "received"}
        for referral in self.referrals:
            if bundle and referral.bundle != bundle:
                continue
            if referral.referral_id in pending or any(h.status == "received" for h in referral.sent):
                continue
            self.add(referral, "received", "today", "")
            added += 1
        if bundle and not any(r.bundle == bundle for r in self.referrals):
            raise CommandFailed(f"no opened bundle named {bundle!r}; the opened bundles are: "
                                + ", ".join(sorted({r.bundle for r in self.referrals})))
        return added


def _force_of(referrals: Sequence[OpenedReferral], given: str | None) -> str:
    forces = sorted({r.force for r in referrals})
    if given and given not in forces:
        raise CommandFailed(f"no opened referral for {given!r} here: the referrals are for {', '.join(forces)}", USAGE)
    if given:
        return given
    if len(forces) != 1:
        raise CommandFailed(f"the referrals are for {', '.join(forces)}: say which force you are with --force", USAGE)
    return forces[0]


def list_referrals(referrals: Sequence[OpenedReferral]) -> None:
    bundle = None
    for number, referral in enumerate(referrals, 1):
        if referral.bundle != bundle:
            bundle = referral.bundle
            say(f"{bundle} (sealed {referral.sealed_at[:10]})")
        say(f"  {number:>3}  {referral.reference:<16} {referral.summary_line}")
        say(f"       already sent: {referral.reported}")


def list_statuses() -> None:
    say("Outcomes (FORMATS.md):")
    for number, status in enumerate(OUTCOME_STATUSES, 1):
        say(f"  {number}  {status:<27} {STATUS_LABELS[status]}")


def _status(text: str) -> str:
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= len(OUTCOME_STATUSES):
        return OUTCOME_STATUSES[int(text) - 1]
    if text in OUTCOME_STATUSES:
        return text
    raise CommandFailed(f"{text!r} is not an outcome: give its number or one of {', '.join(OUTCOME_STATUSES)}")


def _ask(desk: Desk, ask: Callable[[str], str]) -> bool:
    """The terminal dialogue; True to pack what was chosen."""
    list_referrals(desk.referrals)
    say('Give a referral\'s number or reference; "r" acknowledges every referral not yet acknowledged;')
    say('"p" packs what you chose; "q" leaves without writing anything.')
    while True:
        answer = ask("referral> ").strip()
        if answer == "q":
            return False
        if answer == "p":
            return bool(desk.chosen) and ask(f"Pack {counted(len(desk.chosen), 'outcomes')} for the room? [y/N] ").strip() in "yY"
        try:
            if answer == "r":
                say(f"  {counted(desk.acknowledge(None), 'referrals')} acknowledged as received today")
                continue
            referral = desk.find(answer)
            say(f"  {referral.reference}: {referral.summary_line}; already sent: {referral.reported}")
            list_statuses()
            status = _status(ask("outcome> "))
            when = ask(f"date (YYYY-MM-DD) [{desk.now.date().isoformat()}]> ")
            note = ask("note (what happened; why, if it reopens a closed case)> ")
            doc = desk.add(referral, status, when.strip(), note)
            say(f"  added: {referral.reference} {outcome_words(doc['status'])} {doc['date']}")
        except CommandFailed as exc:
            say(f"  not added: {exc}")


def _from_arguments(desk: Desk, args: argparse.Namespace) -> None:
    if args.received is not None:
        desk.acknowledge(args.received or None)
    for given in args.outcome or []:
        if not 3 <= len(given) <= 4:
            raise CommandFailed("--outcome takes REFERENCE STATUS DATE and an optional NOTE", USAGE)
        desk.add(desk.find(given[0]), _status(given[1]), given[2], given[3] if len(given) == 4 else "")


def _pack(desk: Desk, args: argparse.Namespace, folder: Path) -> int:
    missing = [flag for flag, value in (("--key", args.key), ("--to", args.to), ("--out", args.out)) if not value]
    if missing:
        raise CommandFailed(f"to pack the outcomes give {', '.join(missing)}", USAGE)
    try:
        recipients = [r for value in args.to for r in agekeys.load_recipients(value)]
    except KeyFileError as exc:
        raise CommandFailed(f"--to: {exc}", USAGE) from exc
    signer = args.signer or load_secret_key(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = write_bundle(out, kind="outcomes", members=outcome_members(desk.chosen), count=len(desk.chosen),
                           signer=signer, recipients=recipients, recipient_label=ROOM_LABEL, created=desk.now)
    record_sent(folder, desk.chosen, written.bundle_id, desk.now)
    say(f"wrote {written.path}")
    say(f"      {written.signature_path}")
    say(f"{counted(written.count, 'outcomes')} for the room, signed by {written.signer_key_id}; noted in {LEDGER}")
    return OK


def cmd_outcomes(args: argparse.Namespace) -> int:
    folder = existing_path(args.referrals, "folder")
    if not folder.is_dir():
        raise CommandFailed(f"{folder} is a file: give the folder 'hotline-bundle open --out' wrote into", USAGE)
    if args.key:  # a wrong path is a usage error before anything is asked or chosen
        existing_path(args.key, "--key")
    try:
        referrals = load_referrals(folder)
    except NotReferrals as exc:
        raise CommandFailed(str(exc)) from exc
    force = _force_of(referrals, args.force)
    referrals = [r for r in referrals if r.force == force]  # the force's own, in a folder shared with others
    desk = Desk(referrals, force, clock())
    args.signer = None
    if args.interactive:
        if args.key:  # a wrong password fails now, not after the questions
            args.signer = load_secret_key(args)
        if not _ask(desk, input):
            say("nothing written")
            return OK
    else:
        _from_arguments(desk, args)
    if not desk.chosen:
        list_referrals(referrals)
        if args.received is not None or args.outcome:
            say("nothing to send: every referral asked for was already acknowledged")
        return OK
    return _pack(desk, args, folder)


def add_command(commands: Any) -> None:
    """Register ``outcomes`` (called from cli._parser)."""
    parser = commands.add_parser(
        "outcomes", help="a force: list its opened referrals and send the room what became of them",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("referrals", metavar="FOLDER", help="the folder 'hotline-bundle open --out' wrote into")
    parser.add_argument("--received", nargs="?", const="", metavar="BUNDLE",
                        help="acknowledge, dated today, every referral not yet acknowledged (or those of one opened bundle)")
    parser.add_argument("--outcome", action="append", nargs="+", metavar="FIELD",
                        help="REF STATUS DATE [NOTE]: one step of a referral (REF: its number, reference or id;"
                             f" STATUS: {', '.join(OUTCOME_STATUSES)}; DATE: YYYY-MM-DD or today); repeatable")
    parser.add_argument("-i", "--interactive", action="store_true", help="choose the outcomes on the terminal")
    parser.add_argument("--force", help="your force's code (when the folder holds referrals for more than one)")
    parser.add_argument("--key", help="your force's minisign secret key file")
    parser.add_argument("--to", action="append", help="the room's age recipient (age1...) or a file of them")
    parser.add_argument("--out", help="folder to write the outcome bundle to (the media for the room)")
    parser.add_argument("--password-stdin", action="store_true", help="read the key's password from standard input")
    parser.set_defaults(run=cmd_outcomes)

