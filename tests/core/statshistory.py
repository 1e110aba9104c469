"""A small hand-built history for the statistics' answer, whose figures the tests work out
by hand (the comments carry the working). Seven reports, January to March 2026, the room's
clock at 2026-03-14:

    R1 phone  01-05 kent  theft_and_fraud    sealed 01-10  received 01-12, investigation 01-20,
                                                            misconduct 02-01, dismissed 02-25
    R2 online 01-08 kent  sexual_misconduct  sealed 01-15  received 01-16, investigation 02-04,
                          (reporter: sexual misconduct)     resigned or retired 03-01
    R3 phone  02-02 kent  theft_and_fraud    sealed 02-06  received 02-09
    R4 online 02-10 essex abuse_of_authority sealed 02-11  nothing (essex silent 31 days)
    R5 phone  03-01 kent  no further action
    R6 online 03-02 kent  new
    R7 phone  01-20 essex theft_and_fraud    sealed 01-22  received 01-30, investigation 02-10,
                                                            criminal 02-20, dismissed 03-10

Confirmed red-flag links: R1-R3, R2-R7, R5-R6; so four people: P1 {R1, R3}, P2 {R2, R7},
P4 {R4}, P5 {R5, R6}.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from hotline_tui.demo.bulk import ReportPlan, build
from hotline_tui.services.session import Session
from hotline_tui.services.statistics import Period
from hotline_tui.store import assessments as assessments_store
from hotline_tui.store.connection import transaction

QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))
LINKS = ((1, 3), (2, 7), (5, 6))


def _day(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text}T10:00:00+00:00").astimezone(UTC)


def _referred(channel: str, received: str, force: str, category: str, sealed: str,
              outcomes: list[tuple[str, str]], behaviour: str = "corruption") -> ReportPlan:
    return ReportPlan(channel, _day(received), "referred", force, categories=[category], sealed_at=_day(sealed),
                      outcomes=[(status, f"2026-{when}") for status, when in outcomes], behaviour=behaviour)


def plans() -> list[ReportPlan]:
    return [
        _referred("phone", "01-05", "kent", "theft_and_fraud", "01-10", [
            ("received", "01-12"), ("investigation_opened", "01-20"), ("misconduct_proceedings", "02-01"),
            ("dismissed", "02-25")]),
        _referred("online", "01-08", "kent", "sexual_misconduct", "01-15", [
            ("received", "01-16"), ("investigation_opened", "02-04"), ("resigned_or_retired", "03-01")],
            behaviour="sexual_misconduct"),
        _referred("phone", "02-02", "kent", "theft_and_fraud", "02-06", [("received", "02-09")]),
        _referred("online", "02-10", "essex", "abuse_of_authority", "02-11", []),
        ReportPlan("phone", _day("03-01"), "no_further_action", "kent", nfa_reason="insufficient_detail"),
        ReportPlan("online", _day("03-02"), "new", "kent"),
        _referred("phone", "01-20", "essex", "theft_and_fraud", "01-22", [
            ("received", "01-30"), ("investigation_opened", "02-10"), ("criminal_proceedings", "02-20"),
            ("dismissed", "03-10")]),
    ]


def build_history(session: Session) -> None:
    build(session.conn, plans(), now=datetime(2026, 3, 14, tzinfo=UTC))
    with transaction(session.conn) as conn:
        for a, b in LINKS:
            assessments_store.set_link(conn, a, b, True, "ann", "2026-03-10T10:00:00Z")
            assessments_store.refresh_red_flag_count(conn, a)
            assessments_store.refresh_red_flag_count(conn, b)
