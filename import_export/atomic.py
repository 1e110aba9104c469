"""Writing files so that a crash or a pulled stick never leaves a partial file
under its final name: temporary hidden name, flush, fsync, rename, fsync folder."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def sync_path(path: Path) -> None:
    """fsync a file, or a folder (so the names renamed into it last)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_sync_dir = sync_path


def write_temp(directory: Path, final_name: str, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``final_name`` and sync it."""
    temp = directory / f".{final_name}.{secrets.token_hex(4)}.partial"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return temp


def publish(pairs: list[tuple[Path, Path]]) -> None:
    """Rename each temporary file to its final name, in order, then sync the folder."""
    for temp, final in pairs:
        os.replace(temp, final)
    for directory in {final.parent for _, final in pairs}:
        _sync_dir(directory)


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    temp = write_temp(path.parent, path.name, data)
    try:
        publish([(temp, path)])
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_tree(target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative member paths) as the folder ``target``, all or nothing:
    each file synced inside a hidden folder beside it, which is then renamed into place."""
    target = Path(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        for name, data in files.items():
            destination = staging / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            publish([(write_temp(destination.parent, destination.name, data), destination)])
        staging.rename(target)  # refused if a non-empty folder took the name meanwhile: no merge
        _sync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
