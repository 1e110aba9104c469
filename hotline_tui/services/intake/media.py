"""Removable media: where they are mounted and which bundles they carry.

Only ever reads: listing a medium never writes to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hotline_tui.config import Settings
from import_export.bundle import bundle_files

# The usual Linux places a stick is mounted: /media/USER/LABEL, /run/media/USER/LABEL, /mnt/LABEL.
MOUNT_ROOTS: tuple[tuple[Path, int], ...] = ((Path("/media"), 2), (Path("/run/media"), 2), (Path("/mnt"), 1))


@dataclass(frozen=True)
class Medium:
    path: Path
    label: str
    bundle_count: int
    given: bool  # named with --media rather than found mounted


def _children(root: Path, depth: int) -> Iterable[Path]:
    level = [root]
    for _ in range(depth):
        nxt: list[Path] = []
        for folder in level:
            try:
                nxt.extend(sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")))
            except OSError:
                continue
        level = nxt
    return level


def media_for(settings: Settings) -> list[Medium]:
    """The media folders given with --media, then whatever is mounted (if scanning)."""
    return removable_media(settings.media_dirs, MOUNT_ROOTS if settings.scan_mounts else ())


def removable_media(given: Sequence[Path] = (), roots: Sequence[tuple[Path, int]] = MOUNT_ROOTS) -> list[Medium]:
    media = [Medium(Path(p), Path(p).name or str(p), len(bundle_files(Path(p))), True) for p in given if Path(p).is_dir()]
    seen = {m.path.resolve() for m in media}
    for root, depth in roots:
        for folder in _children(root, depth):
            if folder.resolve() in seen:
                continue
            seen.add(folder.resolve())
            media.append(Medium(folder, folder.name, len(bundle_files(folder)), False))
    return media
