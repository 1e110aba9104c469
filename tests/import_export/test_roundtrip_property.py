"""Whatever a report says, writing a bundle and reading it back gives the same
documents and attachments, byte for byte and character for character."""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC
from pathlib import Path
from typing import Any

import bundlekit
from bundlekit import Parties
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from import_export.documents import BEHAVIOURS, CHANNELS, OUTCOME_STATUSES, RELATIONSHIPS, SUBJECT_ROLES
from import_export.reader import read_bundle

# Text a hostile or careless reporter might send: anything Unicode allows in a string
# (no lone surrogates, which are not text), plus markup and terminal sequences.
TRICKY = [
    "[@click=app.quit]",
    "[bold]",
    "[/]",
    "[link=https://example.org]x[/link]",
    "\x1b[2J",
    "\x1b]8;;http://evil\x07",
    "\x9b31m",
    "\u202e",
    "\ufeff",
    "\r\n",
    "\u2028",
    "\x00",
    '"}',
    "\\u0000",
]
text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=5), max_size=6).map("".join),
)
short = text.filter(lambda t: len(t) <= 100)
timestamps = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat().replace("+00:00", "Z"))
json_scalars = (
    st.none() | st.booleans() | st.integers(-(10**18), 10**18) | st.floats(allow_nan=False, allow_infinity=False) | text
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=8
)


@st.composite
def reports(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, bytes]]:
    report_id = str(draw(st.uuids()))
    names = draw(st.lists(st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}", fullmatch=True), max_size=3, unique=True))
    files = {name: draw(st.binary(max_size=300)) for name in names if name not in (".", "..")}
    report: dict[str, Any] = {
        "report_id": report_id,
        "reference": draw(short),
        "channel": draw(st.sampled_from(CHANNELS)),
        "received_at": draw(timestamps),
        "subjects": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"role": st.sampled_from(SUBJECT_ROLES)},
                    optional={"name": text, "rank": text, "collar_number": text, "station": text, "description": text},
                ),
                max_size=3,
            )
        ),
        "behaviours": draw(st.lists(st.sampled_from(BEHAVIOURS), max_size=6)),
        "narrative": draw(text),
        "attachments": [
            {
                "name": draw(text.filter(lambda t: len(t) <= 255)),
                "media_type": draw(text.filter(lambda t: len(t) <= 255)),
                "path": name,
            }
            for name in files
        ],
    }
    reporter = draw(
        st.none()
        | st.just({"anonymous": True})
        | st.fixed_dictionaries(
            {},
            optional={
                "name": text,
                "phone": text,
                "email": text,
                "relationship": st.sampled_from(RELATIONSHIPS),
                "consent_to_contact": st.booleans(),
            },
        )
    )
    if reporter is not None:
        report["reporter"] = reporter
    for field in ("force_hint", "when", "where", "handler_notes"):
        if draw(st.booleans()):
            report[field] = draw(text)
    report.update(draw(st.dictionaries(st.text(max_size=10).map(lambda k: "x_" + k), json_values, max_size=3)))
    return report, {f"attachments/{report_id}/{name}": data for name, data in files.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(reports(), min_size=1, max_size=4, unique_by=lambda r: r[0]["report_id"]))
def test_write_then_read_returns_the_same_reports(parties: Parties, drawn: list[tuple[dict[str, Any], dict[str, bytes]]]) -> None:
    documents = [report for report, _ in drawn]
    attachments = {member: data for _, files in drawn for member, data in files.items()}
    with tempfile.TemporaryDirectory() as folder:
        written = bundlekit.write_reports(Path(folder), parties, documents, attachments, bundle_id=str(uuid.uuid4()))
        bundle = read_bundle(written.path, parties.keyring, [parties.room_identity], kind="reports", recipient="triage-room")
    assert bundle.documents == documents
    for report in documents:
        for item in report["attachments"]:
            assert (
                bundle.attachment(report["report_id"], item["path"])
                == attachments[f"attachments/{report['report_id']}/{item['path']}"]
            )
    assert bundle.outer.comment.count == len(documents)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.fixed_dictionaries({"status": st.sampled_from(OUTCOME_STATUSES), "note": text}), min_size=1, max_size=3))
def test_outcomes_round_trip(parties: Parties, drawn: list[dict[str, Any]]) -> None:
    outcomes = [bundlekit.make_outcome(**fields) for fields in drawn]
    with tempfile.TemporaryDirectory() as folder:
        written = bundlekit.write_outcomes(Path(folder), parties, outcomes, bundle_id=str(uuid.uuid4()))
        bundle = read_bundle(written.path, parties.keyring, [parties.room_identity], kind="outcomes")
    assert bundle.documents == outcomes
