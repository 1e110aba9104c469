"""The import's shortcuts refuse exactly what the long way refuses.

strictjson skips its walk over every value when the text alone proves the limits hold;
these tests hold the shortcut to the walk on the inputs at its edges.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from import_export import strictjson
from import_export.strictjson import JsonLimits, JsonRefused


def walked(data: bytes, limits: JsonLimits = JsonLimits()) -> Any:
    """strictjson.loads with the walk always taken: the reference behaviour."""
    value = strictjson.loads(data, JsonLimits(max_depth=10**6, max_string=10**9, max_number_digits=limits.max_number_digits))
    strictjson._check_shape(value, limits, 0)
    return value


def same_verdict(data: bytes, limits: JsonLimits = JsonLimits()) -> None:
    try:
        expected: Any = walked(data, limits)
    except (JsonRefused, RecursionError) as exc:
        expected = type(exc)
    try:
        got: Any = strictjson.loads(data, limits)
    except JsonRefused as exc:
        got = type(exc)
    assert got == expected, data[:80]


@pytest.mark.parametrize(
    "data",
    [
        b'["\\ud83d\\ude00"]',           # a surrogate pair: one valid character, accepted
        b'["\\\\ud800"]',                # an escaped backslash then text: no surrogate at all
        b'["\\ud800"]',                  # a lone surrogate: refused
        b'["\\uDBFF"]',
        b'{"\\udc00x": 1}',
        b'["\\ud7ff", "\\ue000"]',       # either side of the surrogates
        b"[" * 16 + b"1" + b"]" * 16,    # 16 levels: the limit, accepted
        b"[" * 17 + b"1" + b"]" * 17,    # 17: refused
        b'{"a": [{"b": [{"c": [[[[[[[[[[1]]]]]]]]]]}]}]}',
        b'["[[[[[[[[[[[[[[[[[[[[["]',       # brackets inside a string only make it take the walk
        b'{"a": 1, "b": 2, "a": 3}',
        b'{"a": {"x": 1, "x": 1}, "b": 2}',
    ],
)
def test_the_shortcut_agrees_with_the_walk(data: bytes) -> None:
    same_verdict(data)


def test_string_length_at_the_limit() -> None:
    limits = JsonLimits(max_string=10)
    for data in (b'["0123456789"]', b'["0123456789a"]', b'{"0123456789a": 1}', b'["\\u00e90123456789"]', b'["ab"]'):
        same_verdict(data, limits)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.text(st.characters(exclude_categories=()), max_size=30),  # surrogates too
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(1, 8), st.integers(1, 40))
def test_random_documents_get_the_same_verdict(value: Any, depth: int, length: int) -> None:
    same_verdict(json.dumps(value).encode(), JsonLimits(max_depth=depth, max_string=length))
    same_verdict(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"), JsonLimits(max_depth=depth))
