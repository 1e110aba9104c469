"""Bundle figures: outer-signature verification of a ~100 MB bundle against stock
``minisign -V`` on the same file, and read throughput of a 1,000-report bundle.

    python bench/bundles.py [--size-mb 100] [--reports 1000]

Prints figures; asserts nothing about time (the goal for (a) is a ratio of at most 1.2).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pyrage

from import_export.bundle import ROOM_LABEL, Keyring, TrustedKey
from import_export.minisign import SecretKey
from import_export.reader import read_bundle, verify_outer
from import_export.writer import report_members, write_bundle


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def report(number: int, attachment: str | None = None) -> dict:
    report_id = str(uuid.uuid4())
    return {
        "report_id": report_id,
        "reference": f"PAC-2026-{number:06d}",
        "channel": "online" if number % 2 else "phone",
        "received_at": "2026-03-14T09:12:00Z",
        "reporter": {"anonymous": True},
        "subjects": [{"role": "officer", "name": f"PC {number}", "force_hint": "Kent"}],
        "behaviours": ["corruption"],
        "narrative": "He sells police checks to a local garage. " * 20,
        "attachments": [{"name": attachment, "media_type": "application/octet-stream", "path": attachment}] if attachment else [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()

    signer = SecretKey.generate()
    identity = pyrage.x25519.Identity.generate()
    keyring = Keyring([TrustedKey(signer.public_key, "intake", frozenset({"reports"}))])

    def write(folder: Path, reports: list[dict], attachments: dict[str, bytes]) -> Path:
        return write_bundle(
            folder,
            kind="reports",
            members=report_members(reports, attachments),
            count=len(reports),
            signer=signer,
            recipients=[identity.to_public()],
            recipient_label=ROOM_LABEL,
        ).path

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)

        # (a) the outer signature of a ~100 MB bundle, ours against stock minisign
        big = report(0, "recording.bin")
        data = os.urandom(args.size_mb * 1024 * 1024)
        path = write(folder, [big], {f"attachments/{big['report_id']}/recording.bin": data})
        del data
        size = path.stat().st_size
        minisign = shutil.which("minisign")
        pub = folder / "intake.pub"
        pub.write_text(signer.public_key.to_text())
        command = [minisign or "minisign", "-V", "-q", "-p", str(pub), "-m", str(path)]
        # Interleaved, so that both see the same load on a shared machine.
        ours, stock = float("inf"), float("inf")
        for _ in range(3):
            ours = min(ours, best_of(1, lambda: verify_outer(path, keyring)))
            if minisign:
                stock = min(stock, best_of(1, lambda: subprocess.run(command, check=True)))
        print(f"(a) outer signature of a {size / 1e6:.1f} MB bundle, best of 3 (interleaved)")
        print(f"    verify_outer      {ours * 1000:8.1f} ms  ({size / ours / 1e6:,.0f} MB/s)")
        if minisign:
            print(f"    minisign -V       {stock * 1000:8.1f} ms  ({size / stock / 1e6:,.0f} MB/s)")
            print(f"    ratio             {ours / stock:8.2f}x  (goal <= 1.2x)")
        else:
            print("    minisign -V       not installed; no comparison")
        path.unlink()

        # (b) reading a bundle of many reports: every check, every document
        reports = [report(number) for number in range(1, args.reports + 1)]
        path = write(folder, reports, {})
        size = path.stat().st_size
        elapsed = best_of(3, lambda: read_bundle(path, keyring, [identity]))
        print(f"(b) read_bundle of {args.reports:,} reports ({size / 1e6:.1f} MB), best of 3")
        print(f"    {elapsed * 1000:8.1f} ms  = {args.reports / elapsed:,.0f} reports/s")


if __name__ == "__main__":
    main()
