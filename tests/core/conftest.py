"""Fixtures for the core tests (helpers live in corekit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corekit import Room, fill_late_pages, flip_byte, make_room
from deskkit import Demo, build_template, copy_demo

from hotline_tui.demo.room import DemoRoom
from hotline_tui.services.session import Session


@pytest.fixture
def room(tmp_path: Path) -> Room:
    return make_room(tmp_path / "room")


@pytest.fixture
def officer(room: Room) -> Iterator[Session]:
    session = room.unlock("olivia")
    yield session
    session.close()


@pytest.fixture
def damaged(room: Room, officer: Session) -> Room:
    """The room with one flipped byte in a late page (not page 1, not one unlock reads)."""
    page = fill_late_pages(officer)
    assert page > 8
    flip_byte(room.settings.store_path, page)
    return room


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> DemoRoom:
    """The demo room as built (media full of bundles, nothing imported), once a run;
    each test works on its own copy (``demo``)."""
    return build_template(tmp_path_factory.mktemp("demo-template") / "room")


@pytest.fixture
def demo(template: DemoRoom, tmp_path: Path) -> Demo:
    return copy_demo(template, tmp_path)


@pytest.fixture
def ana(demo: Demo) -> Iterator[Session]:
    session = demo.unlock("ana")
    yield session
    session.close()
