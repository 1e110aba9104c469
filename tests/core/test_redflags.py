"""Red flags: the subject index, fuzzy candidates with reasons, and the analyst's links."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from assesskit import Demo, demo, referral_form, repeat_officer_reports

from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services import redflags
from hotline_tui.services.redflags.commonness import NameStats
from hotline_tui.services.redflags.names import PersonKey, forenames_match, initial_fits, person_key, split_name
from hotline_tui.services.session import Session
from hotline_tui.services.triage.assessment import SubjectEntry, load_assessment, submit, take_report
from hotline_tui.services.triage.queue import QueueView
from hotline_tui.store.queue import QueueFilter
from hotline_tui.store.subjects import IndexRow

__all__ = ["demo"]


@pytest.fixture
def ana(demo: Demo) -> Iterator[Session]:
    session = demo.unlock("ana")
    yield session
    session.close()


def _found(session: Session, key: int) -> list[redflags.Candidate]:
    form = load_assessment(session, key).form
    return redflags.candidates(session, key, form.subjects, form.force)


# -- names ---------------------------------------------------------------------------------


def test_names_split_with_titles_initials_and_commas() -> None:
    assert split_name("PC Dave Whitfield") == ("whitfield", "dave", "d")
    assert split_name("D. Whitfield") == ("whitfield", "", "d")
    assert split_name("Whitfield, David") == ("whitfield", "david", "d")
    assert split_name("Whitfield") == ("whitfield", "", "")
    assert split_name("Dave") == ("", "dave", "d")
    assert split_name("Siobhán O'Brien") == ("obrien", "siobhan", "s")
    assert person_key(collar="sc 0418", station="Lewisham Police Station") == person_key(collar="SC418", station="lewisham")


def test_nicknames_and_initials() -> None:
    assert forenames_match("dave", "david") and forenames_match("bob", "robert") and forenames_match("bill", "william")
    assert forenames_match("liz", "elizabeth") and forenames_match("chris", "christine")
    assert not forenames_match("david", "daniel")
    assert initial_fits("b", "robert") and initial_fits("d", "dave") and not initial_fits("k", "robert")


def _row(name: str = "", collar: str = "", station: str = "", force: str = "") -> IndexRow:
    key = person_key(name, collar, station)
    return IndexRow(1, key.surname, key.forename, key.initial, key.collar, key.station, force)


@pytest.mark.parametrize(
    ("query", "row", "reason"),
    [
        (person_key("J. Smith"), _row("John Smith", force="kent"), "initial J. fits John"),
        (person_key("Dave Whitfeld"), _row("David Whitfield", force="kent"), "nickname David = Dave"),
        (person_key("Dave Whitfeld"), _row("David Whitfield", force="kent"), "similar surname Whitfield ~ Whitfeld"),
        (person_key("Bob Marsden", station="Medway nick"), _row("Robert Marsden", station="Medway", force="kent"),
         "same station Medway"),
        (person_key(collar="4512"), _row("Anyone", collar="4512", force="kent"), "same collar number 4512 and force"),
    ],
)
def test_pairs_that_match_say_why(query: PersonKey, row: IndexRow, reason: str) -> None:
    score, reasons = redflags.score_pair(query, "kent", row, NameStats())
    assert score >= redflags.THRESHOLD
    assert reason in reasons


@pytest.mark.parametrize(
    ("query", "row"),
    [
        (person_key("David Whitfield"), _row("Daniel Whitfield", force="kent")),
        (person_key("David Whitfield"), _row("David Holbrook", force="kent")),
        (person_key(collar="4512"), _row("Anyone", collar="4512", force="essex")),
        (person_key(station="Medway"), _row(station="Medway", force="kent")),
    ],
)
def test_pairs_that_do_not_match(query: PersonKey, row: IndexRow) -> None:
    score, _reasons = redflags.score_pair(query, "kent", row, NameStats())
    assert score < redflags.THRESHOLD


# -- the index -------------------------------------------------------------------------------


def test_import_indexes_every_report(ana: Session) -> None:
    assert ana.conn.execute("SELECT count(*) FROM reports WHERE subjects_indexed = 0").fetchone()[0] == 0
    assert ana.conn.execute("SELECT count(DISTINCT report_key) FROM subject_index").fetchone()[0] > 250  # not those naming nobody


def test_reports_a_migration_marks_are_indexed_after_and_an_opened_one_at_once(
    ana: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotline_tui.services.redflags import index
    from hotline_tui.services.redflags.indexing import index_pending
    from hotline_tui.store.subjects import pending_count

    monkeypatch.setattr(index, "AT_ONCE", 100)  # more pending than a reader makes at once
    officers = repeat_officer_reports(ana)
    first, second = officers["R01"][:2]
    ana.conn.execute("DELETE FROM subject_index")
    ana.conn.execute("UPDATE reports SET subjects_indexed = 0")
    total = pending_count(ana.conn)
    found = {c.key for c in _found(ana, first)}  # the report opened is indexed on its own, at once
    assert second in found and pending_count(ana.conn) == total - 1
    assert index_pending(ana.conn, ana.settings.store_path) == total - 1
    assert ana.conn.execute("SELECT count(*) FROM reports WHERE subjects_indexed = 0").fetchone()[0] == 0
    assert found <= {c.key for c in _found(ana, first)}


# -- candidates ---------------------------------------------------------------------------------


def test_repeat_officers_reports_find_each_other_with_reasons(ana: Session) -> None:
    officers = repeat_officer_reports(ana)
    found_any = 0
    for keys in officers.values():
        for key in keys:
            candidates = _found(ana, key)
            assert key not in {c.key for c in candidates}
            mine = [c for c in candidates if c.key in keys]
            found_any += bool(mine)
            assert all(c.reasons and c.score >= redflags.THRESHOLD for c in mine)
            assert all(c.reference.startswith("PAC-") and c.received_at and c.status == "new" for c in mine)
    assert found_any >= sum(len(keys) for keys in officers.values()) * 0.8


def test_candidates_follow_what_the_analyst_types(ana: Session) -> None:
    keys = repeat_officer_reports(ana)["R01"]
    typed = [SubjectEntry("officer", "Dave Whitfeld", "PC", "", "Lewisham")]
    found = redflags.candidates(ana, 1, typed, "metropolitan")
    assert set(keys) - {1} <= {c.key for c in found}
    reasons = {why for c in found for why in c.reasons}
    assert any(why.startswith("nickname") or why.startswith("same forename") for why in reasons)
    collar = redflags.candidates(ana, 1, [SubjectEntry("officer", collar_number="4417")], "metropolitan")
    assert {c.key for c in collar} & set(keys)
    assert all("same collar number 4417 and force" in c.reasons for c in collar)


def test_the_security_officer_sees_no_candidates(demo: Demo) -> None:
    officer = demo.unlock("officer")
    try:
        with pytest.raises(PermissionDenied):
            redflags.candidates(officer, 1, [SubjectEntry(name="Dave Whitfield")], None)
    finally:
        officer.close()


# -- links ---------------------------------------------------------------------------------------


def _red_flags(session: Session, *keys: int) -> list[int]:
    return [session.conn.execute("SELECT red_flags FROM reports WHERE id = ?", (k,)).fetchone()[0] for k in keys]


def test_confirm_a_link_counts_on_both_reports_and_travels_with_a_later_referral(ana: Session) -> None:
    first, second = repeat_officer_reports(ana)["R01"][:2]
    take_report(ana, first)
    submit(ana, first, referral_form())
    earlier = ana.conn.execute("SELECT referral_id FROM referrals").fetchone()[0]
    take_report(ana, second)
    candidate = next(c for c in _found(ana, second) if c.key == first)
    assert candidate.outcome == "referral awaiting approval" and candidate.link is None
    redflags.decide_link(ana, second, first, confirmed=True)
    assert _red_flags(ana, first, second) == [1, 1]
    assert next(c for c in _found(ana, second) if c.key == first).link == "confirmed"
    rows = QueueView(ana, QueueFilter(status="awaiting_approval")).page(0, 10)
    assert [(r.key, r.red_flags) for r in rows] == [(first, 1)]
    submit(ana, second, referral_form())
    row = ana.conn.execute("SELECT document FROM referrals WHERE referral_id != ?", (earlier,)).fetchone()
    assert json.loads(row[0])["linked_referrals"] == [earlier]
    actions = [r[0] for r in ana.conn.execute("SELECT action FROM audit WHERE action LIKE 'redflag.%'")]
    assert actions == ["redflag.confirmed"]


def test_reject_a_link_after_confirming_it(ana: Session) -> None:
    first, second = repeat_officer_reports(ana)["R02"][:2]
    take_report(ana, second)
    redflags.decide_link(ana, second, first, confirmed=True)
    redflags.decide_link(ana, second, first, confirmed=False)
    assert _red_flags(ana, first, second) == [0, 0]
    assert next(c for c in _found(ana, second) if c.key == first).link == "rejected"


def test_a_decided_link_stays_listed_when_the_names_change(ana: Session) -> None:
    first, second = repeat_officer_reports(ana)["R03"][:2]
    take_report(ana, second)
    redflags.decide_link(ana, second, first, confirmed=True)
    found = redflags.candidates(ana, second, [SubjectEntry(name="Nobody Atall")], None)
    assert [(c.key, c.link) for c in found] == [(first, "confirmed")]


def test_only_the_analyst_holding_the_report_decides_its_links(demo: Demo, ana: Session) -> None:
    first, second = repeat_officer_reports(ana)["R04"][:2]
    with pytest.raises(Refused, match="Take report"):
        redflags.decide_link(ana, second, first, confirmed=True)
    take_report(ana, second)
    with pytest.raises(Refused, match="itself"):
        redflags.decide_link(ana, second, second, confirmed=True)
    ben = demo.unlock("ben")
    try:
        with pytest.raises(Refused):
            redflags.decide_link(ben, second, first, confirmed=True)
    finally:
        ben.close()


# -- identifiers said in the narrative -------------------------------------------------------


def _store(session: Session, *docs: dict[str, object]) -> list[int]:
    """Reports stored as an import would store them (identifiers read on first use)."""
    from hotline_tui.services.intake.rows import report_rows
    from hotline_tui.store import reports as report_store
    from hotline_tui.store.connection import transaction

    at = session.now()
    bundle = f"test-bundle-{docs[0]['report_id']}"
    pairs = [report_rows(doc, json.dumps(doc), bundle) for doc in docs]
    with transaction(session.conn):
        report_store.insert_bundle(session.conn, bundle, "reports", "0" * 16, "t", at, len(docs), "t", at, "t")
        first = report_store.insert_reports(session.conn, [p[0] for p in pairs], [p[1] for p in pairs], at)
    return list(range(first, first + len(docs)))


def _doc(number: int, narrative: str, **extra: object) -> dict[str, object]:
    return {"report_id": f"00000000-0000-4000-8000-{number:012d}", "reference": f"PAC-T{number:07d}", "channel": "web",
            "received_at": "2026-01-05T10:00:00Z", "behaviours": [], "subjects": [{"role": "unknown"}],
            "narrative": narrative, "attachments": [], **extra}


def test_reports_that_name_nobody_join_on_a_registration_quoting_both(ana: Session) -> None:
    first, second, other = _store(
        ana,
        _doc(1, "He follows women home in his silver Ford Focus, reg AB12 CDE.", force_hint="Kent Police"),
        _doc(2, "The same car again: ab12cde, parked outside the school.", force_hint="Essex Police"),
        _doc(3, "My own car AB12 CDE was scratched and the officer did nothing."),
    )
    found = redflags.candidates(ana, second, [], None)
    match = next(c for c in found if c.key == first)
    assert match.relation == redflags.SAME_PERSON and match.score >= redflags.THRESHOLD
    why = "; ".join(match.reasons)
    assert "same registration AB12CDE" in why and "silver Ford Focus" in why
    assert "ab12cde, parked outside" in why and "reg AB12 CDE" in why
    assert other not in {c.key for c in found if c.relation == redflags.SAME_PERSON}  # the reporter's own car


def test_the_reporters_own_phone_joins_reports_as_the_same_reporter_without_showing_it(ana: Session) -> None:
    first, second = _store(
        ana,
        _doc(11, "He shouted at me in the street.", reporter={"phone": "07700 900456"}),
        _doc(12, "Another thing he did last week.", reporter={"phone": "+44 7700 900456"}),
    )
    found = redflags.candidates(ana, second, [], None)
    assert [(c.key, c.relation) for c in found] == [(first, redflags.SAME_REPORTER)]
    assert "900456" not in "; ".join(found[0].reasons) and "reveal" in found[0].reasons[0]


def test_a_collar_number_said_aloud_joins_within_a_force_only(ana: Session) -> None:
    first, second, elsewhere = _store(
        ana,
        _doc(21, "PC 4521 threatened my brother.", force_hint="Kent Police"),
        _doc(22, "I didn't get his name but his number was four five two one.", force_hint="Kent"),
        _doc(23, "PC 4521 was rude to me.", force_hint="Essex Police"),
    )
    found = {c.key: c for c in redflags.candidates(ana, second, [], None)}
    assert first in found and elsewhere not in found
    assert "his number was four five two one" in "; ".join(found[first].reasons)


def test_a_deleted_report_still_matches_through_its_tokens_and_nothing_readable_stays(ana: Session) -> None:
    from hotline_tui.services.redflags.tokens import disposed_matches, keep_tokens
    from hotline_tui.store import retention as retention_store
    from hotline_tui.store.connection import transaction

    (old,) = _store(ana, _doc(31, "PC Gareth Prothero drives a black BMW, reg KX65 ABC.", force_hint="Kent Police",
                              subjects=[{"role": "officer", "name": "Gareth Prothero", "rank": "PC"}]))
    redflags.ensure_indexed(ana)
    reference = ana.conn.execute("SELECT reference FROM reports WHERE id = ?", (old,)).fetchone()[0]
    with transaction(ana.conn) as conn:
        assert keep_tokens(conn, [old], "2026-03-01") >= 2
        retention_store.delete_reports(conn, [old])
    (new,) = _store(ana, _doc(32, "Same man again in the car kx65abc."))
    found = [m.describe() for m in disposed_matches(ana, new)]
    assert found == [f"Same registration as a report disposed of on 2026-03-01 ({reference}, Kent Police, new)"]
    by_name = disposed_matches(ana, new, [SubjectEntry("officer", "Gaz Prothero")])
    assert {m.what for m in by_name} == {"registration", "name"}
    kept = " ".join(str(v) for row in ana.conn.execute("SELECT * FROM disposed_tokens") for v in row).lower()
    assert "kx65" not in kept and "prothero" not in kept and "bmw" not in kept


def test_independent_reports_sharing_a_registration_escalate_but_one_reporter_counts_once(ana: Session) -> None:
    from hotline_tui.services.redflags.escalation import escalation_of, escalations
    from hotline_tui.services.triage.overview import waiting_items

    said = "He was in his white Vauxhall Astra, reg YT19 KLM."
    keys = _store(ana, _doc(41, said, reporter={"phone": "07700 900111"}),
                  _doc(42, said, reporter={"phone": "07700 900111"}), _doc(43, said, channel="phone"))
    redflags.ensure_indexed(ana)
    before = escalations(ana)
    assert not any(set(e.reports) & set(keys) for e in before)  # two reporters so far: the first one twice
    (fourth,) = _store(ana, _doc(44, "Again the Astra yt19klm outside the school.", force_hint="Kent"))
    redflags.ensure_indexed(ana)
    found = escalation_of(ana, fourth)
    assert found is not None and set(found.reports) == {*keys, fourth} and found.independent == 3
    assert "the same registration YT19KLM" in found.describe()
    reports_before = sum(len(e.reports) for e in before)
    assert any(item.label.startswith("Reports on people reported 3+ times") and item.count == reports_before + 4
               for item in waiting_items(ana))


def test_a_name_and_the_station_both_reports_name_join_quoting_both(ana: Session) -> None:
    first, second, elsewhere = _store(
        ana,
        _doc(31, "pc dave prothero-quayle stopped me again. He works out of Longsight police station.", force_hint="GMP"),
        _doc(32, "It was PC David Prothero-Quayle. I think he is based at Longsight.", force_hint="Greater Manchester"),
        _doc(33, "PC Dave Prothero-Quayle was rude to me.", force_hint="Kent Police"),
    )
    found = {c.key: c for c in redflags.candidates(ana, second, [], None)}
    why = "; ".join(found[first].reasons)
    assert "nickname Dave = David" in why and "same station or unit Longsight" in why
    assert "works out of Longsight police station" in why and "based at Longsight" in why
    assert "pc dave prothero-quayle stopped me" in why  # the words of both reports, as typed
    assert elsewhere not in found or found[elsewhere].score < found[first].score


def test_an_officer_said_to_have_moved_force_joins_quoting_where_he_came_from(ana: Session) -> None:
    kent, essex = _store(
        ana,
        _doc(41, "It was PC Dave Quennell-Hartop, number 4417.", force_hint="Kent Police"),
        _doc(42, "PC David Quennell-Hartop, 118, stopped me. He said he used to be in Kent Police.", force_hint="Essex"),
    )
    found = {c.key: c for c in redflags.candidates(ana, essex, [], None)}
    why = "; ".join(found[kent].reasons)
    assert "different force (Kent Police, now Essex Police): may have moved" in why
    assert "said to have moved (this report)" in why and "used to be in Kent Police" in why
