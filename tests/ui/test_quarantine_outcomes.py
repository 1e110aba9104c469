"""Issue 13.5: a refused outcome bundle in quarantine is inspected and released as an
outcome bundle, with every check of its import, saying what the import said."""

from __future__ import annotations

from pathlib import Path

import pytest
from statskit import history_room, history_template, open_as, sealed_referrals, write_outcomes

from hotline_tui.demo.room import DemoRoom
from hotline_tui.errors import Refused
from hotline_tui.services.intake import quarantine
from hotline_tui.services.keyring import keys
from hotline_tui.services.referrals.outcomes import import_outcomes
from import_export.minisign import SecretKey

__all__ = ["history_room", "history_template"]  # fixtures


def test_an_outcome_bundle_for_another_forces_referral_says_what_the_import_said(history_room: DemoRoom) -> None:
    officer = open_as(history_room, "officer")
    referral_id, force = sealed_referrals(officer)[-1]
    other = next(f for _, f in sealed_referrals(officer) if f != force)
    write_outcomes(history_room, other, [{"referral_id": referral_id, "status": "closed", "date": "2026-11-19"}],
                   Path("stick"))
    (result,) = import_outcomes(officer, [Path("stick")]).results
    assert result.status == "refused"
    (item,) = quarantine.items(officer)
    inspected = quarantine.inspect(officer, item.item_id)
    assert not inspected.ok and "VERIFIED" not in inspected.verdict
    assert inspected.failed.name == "import" and inspected.failed.detail == result.reason
    with pytest.raises(Refused) as refusal:
        quarantine.release(officer, item.item_id)
    assert result.reason in str(refusal.value) and "not reports" not in str(refusal.value)
    assert [i.item_id for i in quarantine.items(officer)] == [item.item_id]  # still held
    officer.close()


def test_an_outcome_bundle_released_once_its_key_is_trusted(history_room: DemoRoom, tmp_path: Path) -> None:
    officer = open_as(history_room, "officer")
    referral_id, force = sealed_referrals(officer)[-1]
    new_key = SecretKey.generate()  # the force's new signing key, not yet in the keyring
    key_file = tmp_path / f"{force}.pub"
    key_file.write_text(new_key.public_key.to_text("new signing key"))
    (history_room.secrets / "forces" / f"{force}.key").write_text(new_key.to_text(None))
    write_outcomes(history_room, force, [{"referral_id": referral_id, "status": "investigation_opened",
                                          "date": "2026-11-19", "note": "opened"}], Path("stick"))
    before = officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    assert import_outcomes(officer, [Path("stick")]).refused == 1
    (item,) = quarantine.items(officer)
    assert quarantine.inspect(officer, item.item_id).failed.name == "outer signature"
    keys.add_key_file(officer, key_file, "force", force=force)
    inspected = quarantine.inspect(officer, item.item_id)
    assert inspected.ok
    assert inspected.lines[-1].detail == "every check of importing this outcomes bundle passes: it would add 1 outcome"
    assert officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == before  # inspecting stored nothing
    released = quarantine.release(officer, item.item_id)
    assert (released.kind, released.reports_added) == ("outcomes", 1)
    assert officer.conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == before + 1
    assert quarantine.items(officer) == []
    officer.close()
