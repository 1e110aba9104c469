"""Large stores for the statistics benchmark and tests, written straight through the store
functions (no bundles, no services): reports, decisions, referrals sealed to forces,
outcomes and red-flag links, as a plan says.

``seed_plans`` follows the published figures (Met, Nov 2022 to Feb 2024): 1,988 calls and
890 online reports, 867 pieces of intelligence passed on, 728 of them to the Met and 139
to other forces. ``scaled_plans`` makes any number of reports in like proportions.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random

from hotline_tui.reference import CATEGORIES, forces
from hotline_tui.services.intake.rows import BEHAVIOUR_BITS
from hotline_tui.store import assessments as assessments_store
from hotline_tui.store import outcomes as outcomes_store
from hotline_tui.store import reports as reports_store
from hotline_tui.store import sealing as sealing_store
from hotline_tui.store.connection import Connection, transaction

NFA_CODES = ("insufficient_detail", "not_police_conduct", "already_known", "malicious_or_false", "outside_remit", "other")
OTHER_STATUSES = ("new", "in_assessment", "duplicate", "information_only")
OUTCOME_PATHS = (
    ("received", "assessed_no_further_action"),
    ("received", "investigation_opened", "closed"),
    ("received", "investigation_opened", "misconduct_proceedings", "dismissed"),
    ("received", "investigation_opened", "resigned_or_retired"),
    ("received", "investigation_opened", "criminal_proceedings", "dismissed"),
)
_FILLER = ("The reporter describes what they saw over several weeks near the station and who else was there. " * 12)


@dataclass
class ReportPlan:
    channel: str
    received_at: datetime
    status: str = "new"
    force: str | None = None
    nfa_reason: str = ""
    categories: list[str] = field(default_factory=list)
    sealed_at: datetime | None = None
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (status, date)
    red_flag: bool = False  # confirmed link to the report planned before it
    behaviour: str = "corruption"  # the reporter's choice


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _report_row(plan: ReportPlan, index: int, bundle_id: str, rng: Random) -> reports_store.ReportRow:
    report_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    reference = f"PAC-{plan.received_at.year}-{index:06d}"
    doc = {
        "report_id": report_id, "reference": reference, "channel": plan.channel, "received_at": _iso(plan.received_at),
        "subjects": [{"role": "officer"}], "behaviours": [plan.behaviour], "narrative": _FILLER, "attachments": [],
    }
    return (
        report_id, reference, bundle_id, plan.channel, _iso(plan.received_at), "", plan.force, plan.behaviour,
        BEHAVIOUR_BITS[plan.behaviour], False, json.dumps(doc),
    )


def _form(plan: ReportPlan) -> str:
    decision = {"referred": "refer", "awaiting_approval": "refer"}.get(plan.status, plan.status)
    return json.dumps({"force": plan.force, "decision": decision, "nfa_reason": plan.nfa_reason or None,
                       "categories": plan.categories})


def _decide(conn: Connection, key: int, plan: ReportPlan, report_id: str, number: int, rng: Random) -> str | None:
    """The decision, and the referral sealed for a referred report; returns its id."""
    decided = plan.received_at + timedelta(days=1)
    form = _form(plan)
    assessments_store.start_take(conn, key, form, "analyst", _iso(plan.received_at))
    assessments_store.record_decision(conn, key, form, json.loads(form)["decision"], "analyst", _iso(decided))
    assessments_store.set_report_state(conn, key, plan.status, "analyst", plan.force)
    if plan.status != "referred" or plan.sealed_at is None or plan.force is None:
        return None
    referral_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    year = plan.received_at.year
    document = json.dumps({"referral_id": referral_id, "force": plan.force, "categories": plan.categories})
    assessments_store.insert_referral(conn, referral_id, f"HTR-{year}-{number:06d}", year, number, report_id,
                                      plan.force, "analyst", document, _iso(decided))
    sealing_store.record_approval(conn, referral_id, "supervisor", "0" * 16, _iso(decided), document.encode(), "sig")
    sealing_store.mark_sealed(conn, [referral_id], f"sealed-{plan.force}", _iso(plan.sealed_at))
    return referral_id


def build(conn: Connection, plans: Sequence[ReportPlan], *, seed: int = 1, now: datetime | None = None) -> None:
    """Write the plans into the store in one transaction."""
    rng = Random(seed)
    bundle_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    at = _iso(now or datetime.now(UTC))
    rows = [_report_row(plan, i + 1, bundle_id, rng) for i, plan in enumerate(plans)]
    search: list[reports_store.SearchRow] = [(_FILLER, "", "") for _ in rows]
    with transaction(conn):
        reports_store.insert_bundle(conn, bundle_id, "reports", "0" * 16, "bulk", at, len(rows), "bulk.tar.age", at, "bulk")
        outcome_bundle = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        reports_store.insert_bundle(conn, outcome_bundle, "outcomes", "1" * 16, "bulk", at, 0, "bulk-o.tar.age", at, "bulk")
        first = reports_store.insert_reports(conn, rows, search, at, subjects_indexed=True)
        # Each report came in on the day it was received, for the history to read true.
        conn.execute("UPDATE reports SET imported_at = received_at WHERE bundle_id = ?", (bundle_id,))
        outcomes: list[outcomes_store.OutcomeRow] = []
        for i, (plan, (report_id, *_)) in enumerate(zip(plans, rows, strict=True)):
            key = first + i
            if plan.status not in ("new", "in_assessment"):
                referral_id = _decide(conn, key, plan, report_id, i + 1, rng)
                outcomes += [outcomes_store.OutcomeRow(referral_id, plan.force or "", status, day, "", outcome_bundle, "{}", at)
                             for status, day in plan.outcomes if referral_id]
            if plan.red_flag and i:
                assessments_store.set_link(conn, key - 1, key, True, "analyst", at)
                assessments_store.refresh_red_flag_count(conn, key)
                assessments_store.refresh_red_flag_count(conn, key - 1)
        outcomes_store.insert_outcomes(conn, outcomes)


# -- plans ----------------------------------------------------------------------------------

SEED_PHONE, SEED_ONLINE, SEED_REFERRED, SEED_MET = 1988, 890, 867, 728
SEED_START = datetime(2022, 11, 1, tzinfo=UTC)
SEED_END = datetime(2024, 2, 29, 23, 0, tzinfo=UTC)


def _outcomes(rng: Random, sealed: datetime, today: datetime) -> list[tuple[str, str]]:
    path = OUTCOME_PATHS[rng.randrange(len(OUTCOME_PATHS))]
    day, found = sealed, []
    for status in path[: rng.randint(1, len(path))]:
        day += timedelta(days=rng.randint(3, 60))
        if day > today:
            break
        found.append((status, day.date().isoformat()))
    return found


def plans_for(
    phone: int, online: int, referred: int, to_main: int, *, start: datetime, end: datetime, seed: int = 7,
    main_force: str = "metropolitan", outcome_share: float = 0.6,
) -> list[ReportPlan]:
    """Reports in time order, ``referred`` of them sealed (``to_main`` to ``main_force``, the
    rest spread over the other forces), a third of the others closed with no further action."""
    rng = Random(seed)
    others = [f.code for f in forces() if f.code != main_force]
    span = (end - start).total_seconds()
    channels = ["phone"] * phone + ["online"] * online
    rng.shuffle(channels)
    times = sorted(start + timedelta(seconds=rng.random() * span) for _ in channels)
    plans = [ReportPlan(channel, moment) for channel, moment in zip(channels, times, strict=True)]
    chosen = rng.sample(range(len(plans)), referred)
    main = set(rng.sample(chosen, to_main))
    for index in chosen:
        plan = plans[index]
        plan.status, plan.force = "referred", main_force if index in main else rng.choice(others)
        plan.categories = rng.sample([c.code for c in CATEGORIES], rng.randint(1, 2))
        plan.sealed_at = plan.received_at + timedelta(days=rng.randint(2, 40), hours=1)
        if rng.random() < outcome_share:
            plan.outcomes = _outcomes(rng, plan.sealed_at, end + timedelta(days=400))
    rest = [p for p in plans if p.status == "new"]
    for plan in rest:
        roll = rng.random()
        plan.force = rng.choice([main_force, *others[:6]])
        if roll < 0.45:
            plan.status, plan.nfa_reason = "no_further_action", rng.choice(NFA_CODES)
        elif roll < 0.75:
            plan.status = rng.choice(OTHER_STATUSES)
        plan.red_flag = rng.random() < 0.03
    return plans


def seed_plans() -> list[ReportPlan]:
    return plans_for(SEED_PHONE, SEED_ONLINE, SEED_REFERRED, SEED_MET, start=SEED_START, end=SEED_END)


def scaled_plans(reports: int, outcomes_wanted: int, *, seed: int = 11) -> list[ReportPlan]:
    """``reports`` reports over three years with enough referrals for about ``outcomes_wanted`` outcomes."""
    phone = round(reports * SEED_PHONE / (SEED_PHONE + SEED_ONLINE))
    referred = min(reports // 3, max(round(outcomes_wanted / 1.8), 1))  # 1.8 outcomes a referral, on average
    start = datetime(2023, 1, 1, tzinfo=UTC)
    return plans_for(phone, reports - phone, referred, round(referred * SEED_MET / SEED_REFERRED), start=start,
                     end=start + timedelta(days=3 * 365), seed=seed, outcome_share=0.85)
