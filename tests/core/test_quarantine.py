"""The quarantine: refused bundles kept by import, inspected, re-verified after adding the
missing key, released for import from the stored bytes, or deleted; all audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from deskkit import BUILT, Demo, copy_demo

from hotline_tui.demo.room import DemoRoom
from hotline_tui.demo.synthetic import generate_reports
from hotline_tui.errors import PermissionDenied, Refused
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.intake import quarantine
from hotline_tui.services.intake.importing import import_bundles
from hotline_tui.services.keyring import keys
from hotline_tui.services.triage.overview import waiting_for
from hotline_tui.services.verifying.verification import FAIL
from hotline_tui.store.reports import count_reports
from import_export.minisign import SecretKey


@pytest.fixture
def demo(template: DemoRoom, tmp_path: Path) -> Demo:
    demo = copy_demo(template, tmp_path)
    ana = demo.unlock("ana")
    summary = import_bundles(ana, [demo.room.media])
    assert (summary.imported, summary.refused) == (7, 1)
    ana.close()
    return demo


def test_the_tampered_bundle_is_held_inspected_and_deleted(demo: Demo) -> None:
    session = demo.unlock()
    [item] = quarantine.items(session)
    assert item.check_name == "outer signature" and item.reason.startswith("outer signature: the signature does not match")
    assert item.refused_by == "ana" and item.has_signature and item.size > 0
    assert ("Bundles held in quarantine", 1) in waiting_for(session)
    result = quarantine.inspect(session, item.item_id)
    assert result.file_name == item.file_name and [(line.name, line.status) for line in result.lines] == [
        ("outer signature", FAIL)
    ]
    assert audit.read_log(session, 1)[0].object == f"quarantine #{item.item_id} {item.file_name}"
    with pytest.raises(Refused, match="Still refused"):
        quarantine.release(session, item.item_id)
    assert audit.read_log(session, 1)[0].action == "quarantine.release_refused"
    with pytest.raises(Refused, match="Say why"):
        quarantine.delete(session, item.item_id, "  ")
    quarantine.delete(session, item.item_id, "tampered in transit; intake asked to resend")
    assert quarantine.items(session) == []
    [done] = quarantine.items(session, include_done=True)
    assert (done.state, done.size, done.has_signature) == ("deleted", 0, False)
    entry = audit.read_log(session, 1)[0]
    assert (entry.action, entry.reason) == ("quarantine.deleted", "tampered in transit; intake asked to resend")
    with pytest.raises(Refused, match="already deleted"):
        quarantine.inspect(session, item.item_id)
    assert ("Bundles held in quarantine", 0) in waiting_for(session)


def test_a_bundle_from_an_unknown_sender_is_released_once_its_key_is_added(demo: Demo, tmp_path: Path) -> None:
    web = SecretKey.generate()
    (tmp_path / "intake-web.pub").write_text(web.public_key.to_text())
    reports = generate_reports(4, seed=41, start=BUILT - timedelta(days=2), end=BUILT - timedelta(days=1), hostile=False)
    written = demo.reports_bundle(tmp_path / "stick", reports, BUILT, signer=web)
    ana = demo.unlock("ana")
    assert import_bundles(ana, [written.path]).results[0].quarantined
    ana.close()

    session = demo.unlock()
    item = next(i for i in quarantine.items(session) if i.file_name == written.path.name)
    assert "not in the keyring" in item.reason
    assert quarantine.inspect(session, item.item_id).failed.name == "outer signature"
    keys.add_key_file(session, tmp_path / "intake-web.pub", "intake")
    again = quarantine.inspect(session, item.item_id)
    assert again.ok and again.contents_checked, again.verdict
    before = count_reports(session.conn)
    released = quarantine.release(session, item.item_id)
    assert released.reports_added == 4 and count_reports(session.conn) == before + 4
    assert [r.action for r in audit.read_log(session, 2)] == ["quarantine.released", "bundle.imported"]
    assert [i.file_name for i in quarantine.items(session)] != [written.path.name]
    with pytest.raises(Refused, match="already released"):
        quarantine.release(session, item.item_id)


def test_only_a_security_officer_handles_the_quarantine(demo: Demo) -> None:
    with pytest.raises(PermissionDenied):
        quarantine.items(demo.unlock("sam"))
