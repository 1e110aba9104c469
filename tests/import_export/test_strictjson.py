"""strictjson.py: JSON that a hostile sender cannot use against the reader."""

from __future__ import annotations

import math

import pytest

from import_export.strictjson import JsonLimits, JsonRefused, dumps, loads


def test_plain_json_is_read() -> None:
    assert loads(b'{"a": [1, 2.5, "x", true, null], "b": {"c": "\\u00e9"}}') == {"a": [1, 2.5, "x", True, None], "b": {"c": "é"}}


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b'{"a": 1, "a": 2}', "duplicate key 'a'"),
        (b'{"o": {"k": 1, "k": 1}}', "duplicate key 'k'"),
        (b'{"a": NaN}', "NaN"),
        (b"[Infinity]", "Infinity"),
        (b"[-Infinity]", "Infinity"),
        (b"[1e999]", "out of range"),
        (b"[-1e999]", "out of range"),
        (b"[" + b"9" * 31 + b"]", "too large"),
        (b"[-" + b"9" * 31 + b"]", "too large"),
        (b"[0." + b"1" * 40 + b"]", "too long"),
        (b'["\xff"]', "invalid UTF-8 at byte 2"),
        (b'["\xc3"]', "invalid UTF-8"),
        (b'["\xed\xa0\x80"]', "invalid UTF-8"),  # an encoded surrogate
        (b'["\\ud800"]', "surrogate"),
        (b'{"\\udfff": 1}', "surrogate"),
        (b"[" * 17 + b"[1]" + b"]" * 17, "nested deeper"),  # 1 is 18 levels down
        (b"[" * 100_000 + b"]" * 100_000, "nested"),
        (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, "nested"),
        (b"{'a': 1}", "not valid JSON"),
        (b'{"a": 1} x', "not valid JSON"),
        (b"", "not valid JSON"),
        (b'["a\x01b"]', "not valid JSON"),  # raw control character in a string
    ],
)
def test_refused(data: bytes, match: str) -> None:
    with pytest.raises(JsonRefused, match=match):
        loads(data)


def test_limits_are_applied() -> None:
    limits = JsonLimits(max_depth=2, max_string=5, max_number_digits=3)
    assert loads(b'[[1, "abcde"]]', limits) == [[1, "abcde"]]
    for data in (b"[[[1]]]", b'["abcdef"]', b'{"abcdef": 1}', b"[1234]", b"[1.234]"):
        with pytest.raises(JsonRefused):
            loads(data, limits)


def test_numbers_at_the_limit() -> None:
    assert loads(b"[" + b"9" * 30 + b"]") == [int("9" * 30)]
    assert loads(b"[-1.5e300]") == [-1.5e300]


def test_dumps_is_canonical_utf8() -> None:
    assert dumps({"b": 1, "a": "é\n"}) == '{"a": "é\\n", "b": 1}'.encode()
    assert loads(dumps({"t": "\x1b[31m\u2028"})) == {"t": "\x1b[31m\u2028"}


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_dumps_refuses_non_numbers(value: float) -> None:
    with pytest.raises(ValueError):
        dumps({"x": value})
