"""Errors that carry a reason a person can act on."""

from __future__ import annotations

from typing import Any


class KeyFileError(ValueError):
    """A key file could not be read or used (wrong format, wrong password)."""


class WrongPassword(KeyFileError):
    """The password does not unlock the secret key."""


class BundleRefused(Exception):
    """A bundle was refused as a whole.

    ``check`` names the step of the reader that failed (FORMATS.md, "What a reader
    does, in order"); ``member`` and ``field`` narrow it down where they apply.
    """

    def __init__(
        self,
        check: str,
        message: str,
        *,
        member: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.check = check
        self.message = message
        self.member = member
        self.field = field
        self.line = line
        super().__init__(self.reason)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its fields, not from ``args`` (which hold only the reason): a
        # refusal crosses from the import's reading process as a pickle.
        return (_rebuild_refusal, (type(self), dict(self.__dict__)))

    @property
    def reason(self) -> str:
        return f"{self.check}: {self.detail}"

    @property
    def detail(self) -> str:
        """The message and where it applies, without the name of the check."""
        where = []
        if self.member:
            where.append(f"member {self.member}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field {self.field}")
        location = f" ({', '.join(where)})" if where else ""
        return f"{self.message}{location}"


def _rebuild_refusal(cls: type[BundleRefused], fields: dict[str, Any]) -> BundleRefused:
    refusal = cls.__new__(cls)
    refusal.__dict__.update(fields)
    Exception.__init__(refusal, refusal.reason)
    return refusal


class AlreadyImported(BundleRefused):
    """The bundle id was seen before: skipped, never imported twice."""

    def __init__(self, bundle_id: str) -> None:
        super().__init__("replay", f"bundle {bundle_id} was already imported; skipped")
        self.bundle_id = bundle_id


class DocumentInvalid(ValueError):
    """A document failed validation; names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def why_unreadable(exc: BaseException) -> str:
    """Why a file could not be read, in words ("No such file or directory"), not a repr."""
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
