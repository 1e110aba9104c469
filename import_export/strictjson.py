"""JSON parsing that refuses what a hostile sender could use against the reader."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class JsonRefused(ValueError):
    """Not acceptable JSON; the message says why."""


@dataclass(frozen=True)
class JsonLimits:
    max_depth: int = 16
    max_string: int = 200_000
    max_number_digits: int = 30


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonRefused(f"duplicate key {key!r}")
        result[key] = value
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
    _check_shape(value, limits, 0)
    return value


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
