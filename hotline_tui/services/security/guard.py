"""The unlock guard: repeated wrong passwords for a user slow further tries, then hold
the user for a period (held across restarts, in the workspace) that a security officer
can lift. The failed tries wait there as events for the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hotline_tui.config import Settings
from hotline_tui.errors import UnlockFailed
from hotline_tui.services.people.workspace_locks import guard_lock
from hotline_tui.services.session import timestamp
from import_export.atomic import write_atomic

GUARD_FILE = "unlock-guard.json"
FREE_TRIES = 3  # wrong passwords in a row before each further try must wait
HOLD_AFTER = 8  # wrong passwords in a row that hold the user
HOLD = timedelta(minutes=30)
MAX_WAIT = timedelta(seconds=60)
MAX_EVENTS = 1000
UNKNOWN = ""  # the user of an event for a name the room does not know (never written)


class UnlockHeld(UnlockFailed):
    """Too many wrong passwords for this user: wait, or ask a security officer to lift it."""


@dataclass(frozen=True)
class Hold:
    user: str
    failures: int
    held_until: str  # '' when only slowed
    next_try: str


def _path(settings: Settings) -> Path:
    return Path(settings.workspace) / GUARD_FILE


def _load(settings: Settings) -> dict[str, Any]:
    try:
        data = json.loads(_path(settings).read_text("utf-8"))
    except FileNotFoundError:
        return {"users": {}, "events": []}
    except (OSError, ValueError):  # unreadable: start again rather than lock everyone out
        return {"users": {}, "events": [], "damaged": True}
    if not isinstance(data, dict):
        return {"users": {}, "events": []}
    data.setdefault("users", {})
    data.setdefault("events", [])
    return data


def _save(settings: Settings, data: dict[str, Any]) -> None:
    data.pop("damaged", None)
    write_atomic(_path(settings), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _short(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S UTC")


def check(settings: Settings, name: str, now: datetime) -> None:
    """Refuse before any key derivation if ``name`` is held or must still wait."""
    with guard_lock(settings):
        data = _load(settings)
        entry = data["users"].get(name)
        if not entry:
            return
        held, next_try = _parse(entry.get("held_until")), _parse(entry.get("next_try"))
        refusal = None
        if held and now < held:
            refusal = (f"{name} is held after {entry['failures']} wrong passwords in a row, until {_short(held)}. "
                       "A security officer can lift the hold now (Users).")
        elif next_try and now < next_try:
            seconds = int((next_try - now).total_seconds()) + 1
            refusal = (f"{entry['failures']} wrong passwords in a row for {name}: wait {seconds} s before the next try. "
                       f"After {HOLD_AFTER} the user is held for {int(HOLD.total_seconds() // 60)} minutes.")
        if refusal:
            _event(data, now, name, "refused while held" if held and now < held else "refused: tried too soon")
            _save(settings, data)
            raise UnlockHeld(refusal)


def _event(data: dict[str, Any], now: datetime, user: str, what: str) -> None:
    events = data["events"]
    events.append({"at": timestamp(now), "user": user, "what": what})
    if len(events) > MAX_EVENTS:
        data["dropped"] = int(data.get("dropped", 0)) + len(events) - MAX_EVENTS
        del events[: len(events) - MAX_EVENTS]


def note_failure(settings: Settings, name: str | None, what: str, now: datetime) -> str:
    """Count a failed unlock (``name`` None: a name the room does not know) and keep it as an
    event for the audit log; returns what the user should be told next, or ''."""
    with guard_lock(settings):
        data = _load(settings)
        _event(data, now, name or UNKNOWN, what)
        said = ""
        if name is not None and what == "wrong password":
            entry = data["users"].setdefault(name, {"failures": 0})
            entry["failures"] = failures = int(entry.get("failures", 0)) + 1
            if failures >= HOLD_AFTER:
                until = now + HOLD
                entry["held_until"] = timestamp(until)
                held = f"{until.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
                _event(data, now, name, f"held until {held} after {failures} wrong passwords")
                said = f" {name} is now held until {_short(until)}; a security officer can lift it."
            elif failures >= FREE_TRIES:
                wait = min(timedelta(seconds=5 * 2 ** (failures - FREE_TRIES)), MAX_WAIT)
                entry["next_try"] = timestamp(now + wait)
                said = (f" {failures} wrong in a row: wait {int(wait.total_seconds())} s before the next try;"
                        f" after {HOLD_AFTER} the user is held.")
        _save(settings, data)
        return said


def note_success(settings: Settings, name: str) -> None:
    with guard_lock(settings):
        data = _load(settings)
        if data["users"].pop(name, None) is not None or data.get("damaged"):
            _save(settings, data)


def pending_events(settings: Settings) -> tuple[list[dict[str, str]], int]:
    """The events waiting for the audit log, oldest first, and how many older ones were
    dropped (over MAX_EVENTS) before an unlock could record them."""
    data = _load(settings)
    return list(data["events"]), int(data.get("dropped", 0))


def clear_events(settings: Settings, count: int) -> None:
    """After they are committed to the audit log: drop the first ``count`` events."""
    with guard_lock(settings):
        data = _load(settings)
        del data["events"][:count]
        data.pop("dropped", None)
        _save(settings, data)


def holds(settings: Settings, now: datetime) -> list[Hold]:
    """Users held or slowed now."""
    found = []
    for user, entry in sorted(_load(settings)["users"].items()):
        held, next_try = _parse(entry.get("held_until")), _parse(entry.get("next_try"))
        if (held and now < held) or (next_try and now < next_try):
            found.append(Hold(user, int(entry.get("failures", 0)), entry.get("held_until") or "",
                              entry.get("next_try") or ""))
    return found


def lift_hold(settings: Settings, name: str) -> bool:
    """Forget ``name``'s failed tries; True if there were any."""
    with guard_lock(settings):
        data = _load(settings)
        lifted = data["users"].pop(name, None) is not None
        if lifted:
            _save(settings, data)
        return lifted
