"""The sealing run the crash test kills: unlock as the supervisor, say so, seal.

    python seal_child.py WORKSPACE MEDIA USER [KILL_AT]

The password comes on standard input. ``ready`` is printed (and flushed) just before
``seal`` starts, so the parent can time its SIGKILL from there. ``KILL_AT`` makes the
process SIGKILL itself at one chosen point instead: ``temp:N`` after the N-th hidden
temporary file is written and synced, ``rename:N`` after the N-th rename onto a final
name (the payload is renamed before its signature, so ``rename:1`` leaves a payload
without its signature), ``finish:1`` when every bundle was written and read back and
their referrals are about to be marked sealed.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from hotline_tui.config import KdfParams, Settings
from hotline_tui.services.people.workspace import unlock
from hotline_tui.services.referrals import sealing
from import_export import atomic, writer


def _kill_at(point: str) -> None:
    kind, _, nth = point.partition(":")
    seen = {"n": 0}

    def hit() -> None:
        seen["n"] += 1
        if seen["n"] == int(nth):
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(module: object, name: str, before: bool = False) -> None:
        original = getattr(module, name)

        def wrapped(*args: object, **kwargs: object) -> object:
            if before:
                hit()
            result = original(*args, **kwargs)
            if not before:
                hit()
            return result

        setattr(module, name, wrapped)

    if kind == "temp":
        wrap(writer, "write_temp")
    elif kind == "rename":
        wrap(atomic.os, "replace")
    elif kind == "finish":
        wrap(sealing, "_record_sealed", before=True)
    else:
        raise SystemExit(f"unknown kill point {point!r}")


def main() -> None:
    workspace, media, user = sys.argv[1:4]
    settings = Settings(Path(workspace), kdf=KdfParams.for_tests(), scan_mounts=False)
    session = unlock(settings, user, sys.stdin.readline().rstrip("\n"))
    if len(sys.argv) > 4:
        _kill_at(sys.argv[4])
    forces = [batch.code for batch in sealing.sealing_plan(session) if not batch.blocked_reason]
    print("ready", flush=True)
    summary = sealing.seal(session, Path(media), forces)
    session.close()
    print(f"sealed {len(summary.sealed)} failed {len(summary.failed)}", flush=True)


if __name__ == "__main__":
    main()
