"""The seal lock: while one session seals, another's seal and recovery are refused and
touch nothing; the lock is free again after a seal, after a failure, and after its
holder is killed."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from corekit import Room

from hotline_tui.errors import SealingBusy
from hotline_tui.services.audit_trail import chain as audit
from hotline_tui.services.people.workspace_locks import BUSY, seal_lock
from hotline_tui.services.referrals import sealing
from hotline_tui.services.session import Session
from hotline_tui.store import sealing as store
from hotline_tui.store.connection import transaction

FILE_NAME = "referrals-xx-20260314T090000Z-0000abcd.tar.age"


@pytest.fixture
def sam(room: Room) -> Iterator[Session]:
    session = room.unlock("sam")
    yield session
    session.close()


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    media = tmp_path / "stick"
    media.mkdir()
    return media


def _live_batch(session: Session, media: Path) -> Path:
    """What a session in the middle of sealing has: a 'writing' batch and its file."""
    batch = store.SealBatch("bundle-live", "xx", FILE_NAME, str(media), "0" * 64, "[]", "key", "writing")
    with transaction(session.conn) as conn:
        store.start_batch(conn, batch, session.now(), session.user.name)
    path = media / FILE_NAME
    path.write_bytes(b"half a bundle")
    return path


def _lock_is_free(room: Room) -> bool:
    try:
        with seal_lock(room.settings):
            return True
    except SealingBusy:
        return False


def test_a_second_session_is_refused_and_touches_nothing(room: Room, sam: Session, stick: Path) -> None:
    path = _live_batch(sam, stick)
    other = room.unlock("sam")
    head = audit.head(other.conn)
    try:
        with seal_lock(room.settings):  # the first session is sealing
            with pytest.raises(SealingBusy) as refused:
                sealing.seal(other, stick, ["xx"])
            assert str(refused.value) == BUSY
            with pytest.raises(SealingBusy):
                sealing.recover(other)
        assert [b.bundle_id for b in store.unfinished_batches(other.conn)] == ["bundle-live"]
        assert path.read_bytes() == b"half a bundle"
        assert audit.head(other.conn) == head
    finally:
        other.close()


def test_the_holder_settles_an_interrupted_batch(room: Room, sam: Session, stick: Path) -> None:
    """Without a live holder, the same batch is an interrupted one and is recovered."""
    path = _live_batch(sam, stick)
    done = sealing.recover(sam)
    assert done and "incomplete, removed" in done[0]
    assert store.unfinished_batches(sam.conn) == [] and not path.exists()
    assert _lock_is_free(room)


def test_the_lock_is_free_after_a_seal(room: Room, sam: Session, stick: Path) -> None:
    summary = sealing.seal(sam, stick, ["xx"])
    assert summary.failed and not summary.sealed  # no approved referrals: refused per force
    assert _lock_is_free(room)


def test_the_lock_is_free_after_a_failure(room: Room, sam: Session, stick: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(session: Session) -> object:
        raise OSError("the stick was pulled")

    monkeypatch.setattr(sealing, "build_keyring", broken)
    with pytest.raises(OSError, match="pulled"):
        sealing.seal(sam, stick, ["xx"])
    with pytest.raises(OSError, match="pulled"):
        sealing.recover(sam)
    assert _lock_is_free(room)


def test_a_killed_holder_leaves_no_stale_lock(room: Room) -> None:
    """The OS releases a flock when its process dies: a crash never blocks sealing."""
    code = (
        "import sys, time; from pathlib import Path\n"
        "from hotline_tui.config import Settings\n"
        "from hotline_tui.services.people.workspace_locks import seal_lock\n"
        "with seal_lock(Settings(Path(sys.argv[1]))):\n"
        "    print('locked', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(room.settings.workspace)], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"locked\n"
        assert not _lock_is_free(room)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert _lock_is_free(room)
