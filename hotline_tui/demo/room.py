"""The demo room: a complete workspace, its keyring, and removable media full of bundles.

Everything is made through the same services and bundle writer a real room uses. The
demo accounts' passwords are fixed here (they protect synthetic data only) and are
shown on the unlock screen in demo mode, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.demo.synthetic import generate_attachments, generate_reports
from hotline_tui.services.keyring.keys import add_key_file, export_public_keys
from hotline_tui.services.people.users import add_user
from hotline_tui.services.people.workspace import create_workspace
from hotline_tui.services.session import Session
from import_export import agekeys
from import_export.atomic import write_atomic
from import_export.bundle import ROOM_LABEL
from import_export.minisign import SecretKey
from import_export.writer import WrittenBundle, report_members, write_bundle


@dataclass(frozen=True)
class DemoCredential:
    name: str
    role: str
    password: str


DEMO_ACCOUNTS: tuple[DemoCredential, ...] = (
    DemoCredential("officer", "security officer", "officer-demo-2026"),
    DemoCredential("ana", "analyst", "ana-demo-2026!"),
    DemoCredential("ben", "analyst", "ben-demo-2026!"),
    DemoCredential("sam", "supervisor", "sam-demo-2026!"),
    DemoCredential("sue", "supervisor", "sue-demo-2026!"),
)
ROLE_CODES = {"security officer": "security_officer", "analyst": "analyst", "supervisor": "supervisor"}
INTAKE_SYSTEMS = ("intake-online", "intake-phone")
# A force whose keys are on the demo media but not yet in the keyring: the security
# officer adds them (and until then its referrals wait, shown as blocked).
FORCE_NOT_IN_KEYRING = "city-of-london"
REPORT_COUNT = 360
REPORTS_PER_BUNDLE = 60
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoRoom:
    root: Path
    workspace: Path
    media: Path
    secrets: Path

    @property
    def force_media(self) -> Path:
        """With history: the forces' outcome bundles not yet imported (a second medium)."""
        return self.root / "force-media"

    @property
    def sent(self) -> Path:
        """With history: the referral bundles sealed to the forces."""
        return self.root / "sent"


def _layout(root: Path) -> DemoRoom:
    return DemoRoom(root, root / "workspace", root / "media", root / "secrets")


def _make_keys(folder: Path, name: str) -> tuple[SecretKey, Path, Path]:
    """A minisign key pair and an age identity, as ``hotline-bundle keygen --no-password`` makes."""
    folder.mkdir(parents=True, exist_ok=True)
    key = SecretKey.generate()
    identity = agekeys.generate_identity()
    write_atomic(folder / f"{name}.key", key.to_text(None).encode())
    write_atomic(folder / f"{name}.pub", key.public_key.to_text(f"minisign public key {key.key_id} of {name}").encode())
    write_atomic(folder / f"{name}.age", agekeys.identity_text(identity).encode())
    write_atomic(folder / f"{name}.age.pub", f"# age recipient of {name}\n{identity.to_public()}\n".encode())
    return key, folder / f"{name}.pub", folder / f"{name}.age.pub"


def _forces(session: Session, room: DemoRoom) -> None:
    from hotline_tui.reference import forces

    for force in forces():
        _, pub, recipient = _make_keys(room.secrets / "forces", force.code)
        if force.code == FORCE_NOT_IN_KEYRING:
            keys_on_media = room.media / "keys"
            keys_on_media.mkdir(parents=True, exist_ok=True)
            for path in (pub, recipient):
                write_atomic(keys_on_media / path.name, path.read_bytes())
            continue
        add_key_file(session, pub, "force", force.code)
        add_key_file(session, recipient, "force", force.code)


def _report_bundles(room: DemoRoom, intake: dict[str, SecretKey], recipient: str, now: datetime) -> list[WrittenBundle]:
    reports = generate_reports(REPORT_COUNT, seed=DEMO_SEED, start=now - timedelta(days=120), end=now - timedelta(hours=2))
    attachments = generate_attachments(reports)
    written = []
    for channel, system in (("online", "intake-online"), ("phone", "intake-phone")):
        batch = sorted((r for r in reports if r["channel"] == channel), key=lambda r: r["received_at"])
        for start in range(0, len(batch), REPORTS_PER_BUNDLE):
            chunk = batch[start : start + REPORTS_PER_BUNDLE]
            members = report_members(chunk, attachments)
            written.append(write_bundle(
                room.media, kind="reports", members=members, count=len(chunk), signer=intake[system],
                recipients=[agekeys.parse_recipient(recipient)], recipient_label=ROOM_LABEL,
                created=datetime.fromisoformat(chunk[-1]["received_at"].replace("Z", "+00:00")) + timedelta(minutes=5),
            ))
    return written


def _tampered_bundle(room: DemoRoom, intake: SecretKey, recipient: str, now: datetime) -> Path:
    """A valid bundle with one byte of its payload changed after signing."""
    reports = generate_reports(5, seed=DEMO_SEED + 1, start=now - timedelta(days=3), end=now - timedelta(days=1), hostile=False)
    written = write_bundle(
        room.media, kind="reports", members=report_members(reports, generate_attachments(reports)), count=len(reports),
        signer=intake, recipients=[agekeys.parse_recipient(recipient)], recipient_label=ROOM_LABEL,
    )
    data = bytearray(written.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    write_atomic(written.path, bytes(data))
    return written.path


def build_demo_room(
    root: Path, *, kdf: KdfParams | None = None, progress: Callable[[str], None] = lambda _: None,
    now: datetime | None = None, history: bool = False,
) -> DemoRoom:
    """Make a demo room in ``root``, which must not exist or be empty.

    By default the store holds no reports and the media holds the report bundles (the
    tests rely on exactly that). ``history``: the room has also lived through months of
    work (see demo/history.py), so every screen, the statistics above all, shows
    real-looking figures the first time it is opened."""
    room = _layout(Path(root))
    if room.root.exists() and any(room.root.iterdir()):
        raise FileExistsError(f"{room.root} is not empty; the demo room needs a fresh folder")
    now = now or datetime.now(UTC).replace(microsecond=0)
    settings = Settings(workspace=room.workspace, kdf=kdf or KdfParams.production())
    officer = DEMO_ACCOUNTS[0]
    progress("creating the workspace and the room's keys")
    session = create_workspace(settings, officer.name, officer.password, "Olu Officer")
    try:
        for account in DEMO_ACCOUNTS[1:]:
            add_user(session, account.name, ROLE_CODES[account.role], account.password, account.name.title())
        _mark_demo_passwords_chosen(session)
        room.media.mkdir(parents=True, exist_ok=True)
        progress("making keys for the intake systems and the 48 forces")
        intake = {}
        for system in INTAKE_SYSTEMS:
            key, pub, _ = _make_keys(room.secrets / "intake", system)
            add_key_file(session, pub, "intake")
            intake[system] = key
        _forces(session, room)
        exported = export_public_keys(session, room.secrets)
        recipient = agekeys.parse_recipients(exported[1].read_text())[0]
        progress("writing report bundles to the demo media")
        written = _report_bundles(room, intake, str(recipient), now)
        _tampered_bundle(room, intake["intake-online"], str(recipient), now)
    finally:
        session.close()
    if history:
        from hotline_tui.demo.history import live_through

        passwords = {account.name: account.password for account in DEMO_ACCOUNTS}
        live_through(settings, written, room.root, now, passwords, progress)
    return room


def _mark_demo_passwords_chosen(session: Session) -> None:
    """Demo users may start work at once: their fixed passwords count as their own."""
    passwords_chosen(session, [account.name for account in DEMO_ACCOUNTS], "demo account")


def passwords_chosen(session: Session, names: Sequence[str], why: str) -> None:
    """The named users' one-time passwords count as their own, audited: for demo rooms,
    benches and tests only (a room's users choose their own at first unlock)."""
    from hotline_tui.services.audit_trail.chain import record
    from hotline_tui.store import users as user_store
    from hotline_tui.store.connection import transaction

    with transaction(session.conn) as conn:
        for name in names:
            user_store.set_must_change_password(conn, name, False)
            record(conn, session.user.name, "user.password_accepted", name, why, session.now())


def ensure_demo_room(root: Path, **kwargs: object) -> DemoRoom:
    """The demo room in ``root``, made first if it is not there yet."""
    room = _layout(Path(root))
    if (room.workspace / "slots.json").exists():
        return room
    return build_demo_room(root, **kwargs)  # type: ignore[arg-type]
