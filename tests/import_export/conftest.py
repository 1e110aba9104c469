"""Fixtures for the bundle tests: keys, identities, sample reports, writing and reading."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import bundlekit
import pytest

from import_export.reader import Bundle, read_bundle
from import_export.writer import WrittenBundle


@pytest.fixture(scope="session")
def parties() -> bundlekit.Parties:
    return bundlekit.make_parties()


@pytest.fixture
def report() -> Callable[..., dict[str, Any]]:
    """``report(field=value, other=...)``: a valid report, fields replaced or removed."""
    return bundlekit.make_report


@pytest.fixture
def write_reports(tmp_path: Path, parties: bundlekit.Parties) -> Callable[..., WrittenBundle]:
    def write(
        reports: Sequence[Mapping[str, Any]], attachments: Mapping[str, bytes] | None = None, **options: Any
    ) -> WrittenBundle:
        return bundlekit.write_reports(tmp_path, parties, reports, attachments, **options)

    return write


@pytest.fixture
def read(parties: bundlekit.Parties) -> Callable[..., Bundle]:
    """``read(path, **options)`` as the room reads: its keyring and its identity."""

    def read(path: Path, **options: Any) -> Bundle:
        keyring = options.pop("keyring", parties.keyring)
        identities = options.pop("identities", [parties.room_identity])
        return read_bundle(path, keyring, identities, **options)

    return read
