"""The keyring as a security officer sees it: every key by kind, and key files on media.

Kinds, in order: intake systems, forces (each force's signing key and age recipients),
the room's own keys (active and retired), and users' personal keys. Changing the
keyring goes through ``services/keyring/keys.py``; this module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hotline_tui.config import Settings
from hotline_tui.reference import force_by_code, forces
from hotline_tui.services.intake.media import media_for
from hotline_tui.services.permissions import Action, require
from hotline_tui.services.session import Session
from hotline_tui.store import keyring as queries
from hotline_tui.store import users as user_queries
from hotline_tui.wording import moment

SECTIONS = ("intake", "force", "room", "user")
SECTION_LABELS = {"intake": "Intake system", "force": "Force", "room": "The room", "user": "User"}
KEY_FILE_PATTERNS = ("*.pub", "*.age.txt")


@dataclass(frozen=True)
class KeyEntry:
    section: str  # one of SECTIONS
    owner: str  # intake system's name, force name, 'triage room', user name
    key_type: str  # 'minisign' or 'age'
    use: str  # what the room trusts the key for
    key_id: str  # minisign key id (16 hex digits) or age recipient
    added_by: str
    added_at: str
    state: str  # 'trusted', 'active', 'retired <when>', 'revoked <when>: <reason>', 'removed'
    revocable: bool
    force: str | None = None


def _force_name(code: str | None) -> str:
    force = force_by_code(code or "")
    return force.name if force else code or ""


def _keyring(session: Session) -> list[KeyEntry]:
    entries = []
    for row in queries.trusted(session.conn):
        if row.kind == "intake":
            use = "signs report bundles"
        else:
            use = "signs outcomes" if row.key_type == "minisign" else "referrals are sealed to it"
        state = f"revoked {moment(row.revoked_at)}: {row.revoked_reason}" if row.revoked_at else "trusted"
        owner = row.name if row.kind == "intake" else _force_name(row.force)
        entries.append(KeyEntry(row.kind, owner, row.key_type, use, row.key_id, row.added_by, row.added_at, state,
                                not row.revoked_at, row.force))
    entries.sort(key=lambda e: (SECTIONS.index(e.section), e.owner, e.key_type != "minisign", e.key_id))
    return entries


def _room(session: Session) -> list[KeyEntry]:
    entries = []
    uses = (("signing", "minisign", "signs referrals, certificates, exports"), ("age", "age", "opens bundles sent here"))
    compromised = queries.room_revocations(session.conn)
    for kind, key_type, use in uses:
        for row in queries.room_keys(session.conn, kind):
            state = "active" if row.active else f"retired {moment(row.retired_at)}"
            if row.key_id in compromised:
                at, why = compromised[row.key_id]
                state = f"revoked {moment(at)}: {why}"
            entries.append(KeyEntry("room", "triage room", key_type, use, row.key_id, "", row.created_at, state,
                                    row.key_id not in compromised))
    return entries


def _users(session: Session) -> list[KeyEntry]:
    return [
        KeyEntry("user", row.name, "minisign", "personal key (approvals)" if row.role == "supervisor" else "personal key",
                 row.personal_key_id, "", row.created_at, "removed" if row.removed_at else "current",
                 not row.removed_at)
        for row in user_queries.all_users(session.conn, include_removed=True)
    ]


def keyring_entries(session: Session) -> list[KeyEntry]:
    """Every key the room holds or trusts, by kind."""
    require(session, Action.MANAGE_KEYS)
    return _keyring(session) + _room(session) + _users(session)


def forces_without_recipient(session: Session) -> list[str]:
    """Force codes the keyring holds no unrevoked age recipient for: referrals wait."""
    have = {row.force for row in queries.trusted(session.conn) if row.key_type == "age" and not row.revoked_at}
    return [force.code for force in forces() if force.code not in have]


def key_files_on_media(settings: Settings) -> list[Path]:
    """Public key files on the media (top level and one folder down), for adding."""
    found: set[Path] = set()
    for medium in media_for(settings):
        for pattern in KEY_FILE_PATTERNS:
            for depth in ("", "*/"):
                try:
                    found.update(p for p in medium.path.glob(depth + pattern) if p.is_file())
                except OSError:
                    continue
    return sorted(p for p in found if not any(part.startswith(".") for part in p.parts[-2:]))


def guess_force(path: Path) -> str | None:
    """The force a key file is named after (``city-of-london.age.pub`` -> city-of-london)."""
    stem = path.name.split(".")[0]
    return stem if force_by_code(stem) else None
