"""JSON parsing that refuses what a hostile sender could use against the reader."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


class JsonRefused(ValueError):
    """Not acceptable JSON; the message says why."""


@dataclass(frozen=True)
class JsonLimits:
    max_depth: int = 16
    max_string: int = 200_000
    max_number_digits: int = 30


# A lone surrogate can only come from a \u escape (the UTF-8 decoder refuses encoded
# ones); text without any escape of D800-DFFF cannot hold one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; a key seen twice leaves the dict shorter than the pairs
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonRefused(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _no_constants(name: str) -> Any:
    raise JsonRefused(f"{name} is not a JSON number")


def loads(data: bytes, limits: JsonLimits = JsonLimits()) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonRefused(f"invalid UTF-8 at byte {exc.start}") from exc

    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.max_number_digits:
            raise JsonRefused("number too large")
        return int(digits)

    def parse_float(digits: str) -> float:
        if len(digits) > limits.max_number_digits:
            raise JsonRefused("number too long")
        value = float(digits)
        if value in (float("inf"), float("-inf")):
            raise JsonRefused("number out of range")
        return value

    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=parse_int,
            parse_float=parse_float,
        )
    except RecursionError as exc:
        raise JsonRefused("nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if _may_break_limits(text, limits):
        _check_shape(value, limits, 0)
    return value


def _may_break_limits(text: str, limits: JsonLimits) -> bool:
    """False when the text alone proves every value is within the limits, so the walk
    over every value can be skipped: no string is longer than the whole text, no value
    is nested in more containers than the text has brackets, and no surrogate escape."""
    return (
        len(text) > limits.max_string
        or text.count("[") + text.count("{") > limits.max_depth
        or _SURROGATE_ESCAPE.search(text) is not None
    )


def _check_shape(value: Any, limits: JsonLimits, depth: int) -> None:
    if depth > limits.max_depth:
        raise JsonRefused(f"nested deeper than {limits.max_depth} levels")
    if isinstance(value, str):
        _check_string(value, limits)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_string(key, limits)
            _check_shape(item, limits, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_shape(item, limits, depth + 1)


def _check_string(value: str, limits: JsonLimits) -> None:
    if len(value) > limits.max_string:
        raise JsonRefused(f"a string is longer than {limits.max_string} characters")
    # Lone surrogates (from \ud800 escapes) are not valid Unicode text.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise JsonRefused("a string holds an unpaired surrogate (not valid Unicode)") from exc


def dumps(value: Any) -> bytes:
    """Canonical-ish JSON for documents we write: UTF-8, sorted keys, no NaN."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False).encode("utf-8")
