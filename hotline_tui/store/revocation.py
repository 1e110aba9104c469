"""Queries for revocation: bundles a key signed that the room accepted, and what they fed."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_tui.store.connection import Connection


@dataclass(frozen=True)
class AcceptedBundle:
    bundle_id: str
    kind: str
    file_name: str
    signer_key_id: str
    signer_name: str
    created: str  # what the bundle claimed
    imported_at: str  # when the room accepted it: the only time that decides
    imported_by: str
    reports: int  # reports it brought in (reports bundles)
    decided: int  # of those, assessed or further (they fed referrals)
    outcomes: int  # outcomes it brought in (outcomes bundles): they feed the statistics
    referrals: tuple[str, ...]  # the referrals its outcomes are about


def accepted_since(conn: Connection, key_id: str, since: str) -> list[AcceptedBundle]:
    """Bundles signed by ``key_id`` the room accepted at or after ``since`` (store time text)."""
    rows = conn.execute(
        "SELECT bundle_id, kind, file_name, signer_key_id, signer_name, created, imported_at, imported_by "
        "FROM import_bundles WHERE signer_key_id = ? AND imported_at >= ? ORDER BY imported_at, bundle_id",
        (key_id, since),
    ).fetchall()
    found = []
    for row in rows:
        bundle_id = row[0]
        reports, decided = conn.execute(
            "SELECT count(*), coalesce(sum(status NOT IN ('new', 'in_assessment')), 0) FROM reports WHERE bundle_id = ?",
            (bundle_id,),
        ).fetchone()
        referrals = tuple(r for (r,) in conn.execute(
            "SELECT DISTINCT referral_id FROM outcomes WHERE bundle_id = ? ORDER BY referral_id", (bundle_id,)))
        outcomes = conn.execute("SELECT count(*) FROM outcomes WHERE bundle_id = ?", (bundle_id,)).fetchone()[0]
        bundle_id, kind, file_name, key_id, name, created, imported_at, imported_by = row
        found.append(AcceptedBundle(bundle_id, kind, file_name, key_id, name, created, imported_at, imported_by,
                                    int(reports), int(decided), int(outcomes), referrals))
    return found
