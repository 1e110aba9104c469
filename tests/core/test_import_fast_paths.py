"""The import's shortcuts do exactly what the long way did.

strictjson skips its walk over every value when the text alone proves the limits hold;
these tests hold the shortcut to the walk on the inputs at its edges. A report is stored
as the line it came in rather than written out again, and its subject index is made
from the documents already parsed.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from deskkit import BUILT, build_template, copy_demo
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.redflags import index_new_reports
from hotline_tui.services.sealed import contact
from hotline_tui.store.connection import transaction
from import_export import strictjson
from import_export.strictjson import JsonLimits, JsonRefused
from import_export.writer import jsonl


def walked(data: bytes, limits: JsonLimits = JsonLimits()) -> Any:
    """strictjson.loads with the walk always taken: the reference behaviour."""
    value = strictjson.loads(data, JsonLimits(max_depth=10**6, max_string=10**9, max_number_digits=limits.max_number_digits))
    strictjson._check_shape(value, limits, 0)
    return value


def same_verdict(data: bytes, limits: JsonLimits = JsonLimits()) -> None:
    try:
        expected: Any = walked(data, limits)
    except (JsonRefused, RecursionError) as exc:
        expected = type(exc)
    try:
        got: Any = strictjson.loads(data, limits)
    except JsonRefused as exc:
        got = type(exc)
    assert got == expected, data[:80]


@pytest.mark.parametrize(
    "data",
    [
        b'["\\ud83d\\ude00"]',           # a surrogate pair: one valid character, accepted
        b'["\\\\ud800"]',                # an escaped backslash then text: no surrogate at all
        b'["\\ud800"]',                  # a lone surrogate: refused
        b'["\\uDBFF"]',
        b'{"\\udc00x": 1}',
        b'["\\ud7ff", "\\ue000"]',       # either side of the surrogates
        b"[" * 16 + b"1" + b"]" * 16,    # 16 levels: the limit, accepted
        b"[" * 17 + b"1" + b"]" * 17,    # 17: refused
        b'{"a": [{"b": [{"c": [[[[[[[[[[1]]]]]]]]]]}]}]}',
        b'["[[[[[[[[[[[[[[[[[[[[["]',       # brackets inside a string only make it take the walk
        b'{"a": 1, "b": 2, "a": 3}',
        b'{"a": {"x": 1, "x": 1}, "b": 2}',
    ],
)
def test_the_shortcut_agrees_with_the_walk(data: bytes) -> None:
    same_verdict(data)


def test_string_length_at_the_limit() -> None:
    limits = JsonLimits(max_string=10)
    for data in (b'["0123456789"]', b'["0123456789a"]', b'{"0123456789a": 1}', b'["\\u00e90123456789"]', b'["ab"]'):
        same_verdict(data, limits)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.text(st.characters(exclude_categories=()), max_size=30),  # surrogates too
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(1, 8), st.integers(1, 40))
def test_random_documents_get_the_same_verdict(value: Any, depth: int, length: int) -> None:
    same_verdict(json.dumps(value).encode(), JsonLimits(max_depth=depth, max_string=length))
    same_verdict(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"), JsonLimits(max_depth=depth))


def test_a_report_is_stored_as_the_line_it_came_in(tmp_path: Path) -> None:
    demo = copy_demo(build_template(tmp_path / "template"), tmp_path / "copy")
    reports = generate_reports(40, seed=12, start=BUILT - timedelta(days=3), end=BUILT)  # hostile ones among them
    for report in reports:
        report["attachments"] = []
    lines = jsonl(reports).split(b"\n")[:-1]
    written = demo.reports_bundle(tmp_path / "stick", reports, BUILT)
    session = demo.unlock("ana")
    try:
        assert import_bundles(session, [written.path]).reports_added == len(reports)
        stored = dict(session.conn.execute("SELECT report_id, document FROM reports"))
        received = {doc["report_id"]: doc for key, in session.conn.execute("SELECT id FROM reports").fetchall()
                    for _, doc in [contact.full_document(session, key) or ("", {})]}
    finally:
        session.close()
    sealed = 0
    for report, line in zip(reports, lines, strict=True):
        if contact.has_contact(report):  # written out again without the contact details, which are sealed
            assert json.loads(stored[report["report_id"]]) == contact.without_contact(report)
            sealed += 1
        else:
            assert stored[report["report_id"]].encode("utf-8") == line
        assert received[report["report_id"]] == report
    assert 0 < sealed < len(reports)


def test_the_subject_index_made_at_import_is_what_indexing_later_makes(tmp_path: Path) -> None:
    demo = copy_demo(build_template(tmp_path / "template"), tmp_path / "copy")
    session = demo.unlock("ana")
    try:
        import_bundles(session, [demo.room.media])
        columns = "report_key, source, surname, forename, forename_key, initial, collar, station, force"
        at_import = sorted(session.conn.execute(f"SELECT {columns} FROM subject_index"))
        assert len(at_import) > 300
        assert session.conn.execute("SELECT count(*) FROM reports WHERE subjects_indexed = 0").fetchone()[0] == 0
        with transaction(session.conn) as conn:
            conn.execute("DELETE FROM subject_index")
            conn.execute("UPDATE reports SET subjects_indexed = 0")
            assert index_new_reports(conn) == 360
        assert sorted(session.conn.execute(f"SELECT {columns} FROM subject_index")) == at_import
    finally:
        session.close()
