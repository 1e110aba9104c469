"""Rules for user names, display names and passwords, shared by workspace and users."""

from __future__ import annotations

import re
import secrets
import unicodedata

from hotline_tui.errors import PasswordRejected, Refused

NAME = re.compile(r"[a-z][a-z0-9._-]{0,31}")
MIN_PASSWORD_LENGTH = 12  # NCSC's "three random words" comfortably clears it
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME = 100


def normalise_name(name: str) -> str:
    """User names are case-insensitive at the keyboard and stored lower-case."""
    return name.strip().lower()


def check_name(name: str) -> str:
    name = normalise_name(name)
    if not NAME.fullmatch(name):
        raise Refused("A user name is 1 to 32 characters: a letter, then letters, digits, '.', '_' or '-'.")
    return name


def check_display_name(display_name: str) -> str:
    display_name = display_name.strip()
    if not display_name or len(display_name) > MAX_DISPLAY_NAME:
        raise Refused(f"A display name is 1 to {MAX_DISPLAY_NAME} characters.")
    if any(unicodedata.category(ch).startswith("C") for ch in display_name):
        raise Refused("A display name cannot contain control or invisible format characters.")
    return display_name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordRejected(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordRejected(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")
    if password != password.strip():
        raise PasswordRejected("A password cannot begin or end with a space.")


# No 0/O, 1/l/I: read aloud or copied from paper without doubt. 16 of 56 symbols: 92 bits.
_ONE_TIME_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


def one_time_password() -> str:
    """A random password a security officer hands over for one first unlock (four groups of four)."""
    symbols = "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(16))
    return "-".join(symbols[i : i + 4] for i in range(0, 16, 4))
