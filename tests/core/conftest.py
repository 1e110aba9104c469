"""Fixtures for the core tests (helpers live in corekit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corekit import Room, make_room

from hotline_tui.services.session import Session


@pytest.fixture
def room(tmp_path: Path) -> Room:
    return make_room(tmp_path / "room")


@pytest.fixture
def officer(room: Room) -> Iterator[Session]:
    session = room.unlock("olivia")
    yield session
    session.close()
