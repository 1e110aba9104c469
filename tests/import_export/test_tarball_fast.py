"""``build_tar`` writes exactly the bytes ``tarfile`` writes, by its fast path or not."""

from __future__ import annotations

import random

from import_export.bundle import Limits
from import_export.tarball import _build_with_tarfile, build_tar, read_tar


def test_the_fast_headers_are_the_bytes_tarfile_writes() -> None:
    rng = random.Random(7)
    for trial in range(200):
        members = {}
        for _ in range(rng.randint(1, 20)):
            name = "".join(rng.choice("abcXYZ019._-/") for _ in range(rng.randint(1, 100))).strip("/") or "x"
            members[name] = rng.randbytes(rng.choice([0, 1, 511, 512, 513, rng.randint(0, 3000)]))
        mtime = rng.randint(0, 2**33 - 1)
        assert build_tar(members, mtime) == _build_with_tarfile(members, mtime), trial


def test_long_or_non_ascii_names_go_to_tarfile() -> None:
    odd = {"caf\u00e9/x.txt": b"non-ascii", "plain.json": b"{}"}
    assert build_tar(odd, 1_700_000_000) == _build_with_tarfile(odd, 1_700_000_000)
    members = {"a" * 150: b"long name", "plain.json": b"{}"}
    data = build_tar(members, 1_700_000_000)
    assert data == _build_with_tarfile(members, 1_700_000_000)
    assert read_tar(data, Limits()) == members
