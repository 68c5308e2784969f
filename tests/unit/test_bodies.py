"""The one JSON reader every route uses: depth and number bounds, clear refusals."""

from __future__ import annotations

import json
import time

import pytest

from server.bodies import loads, nesting_depth_exceeds, parse_json
from server.errors import ApiError
from server.limits import MAX_DEPTH


def nested(depth: int, open_: str = "[", close: str = "]") -> bytes:
    return (open_ * depth + close * depth).encode()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100, 7_000, 200_000])
def test_deep_nesting_is_a_400_that_says_why(depth: int) -> None:
    for body in (
        nested(depth),
        b'{"a":' * depth + b"1" + b"}" * depth,
        b'{"ops": ' + nested(depth) + b"}",
    ):
        with pytest.raises(ApiError) as caught:
            parse_json(body)
        assert caught.value.status == 400
        assert caught.value.code == "malformed_json"
        assert f"more than {MAX_DEPTH} levels deep" in caught.value.message


def test_depth_up_to_the_limit_parses() -> None:
    assert loads(nested(MAX_DEPTH)) is not None
    body = {"ops": [{"op": "patch", "edits": [{"start": 0, "end": 1, "text": "[[[[{{{{"}]}]}
    assert parse_json(json.dumps(body).encode()) == body


def test_brackets_inside_strings_do_not_count_and_cannot_hide_depth() -> None:
    inside = json.dumps({"text": "[" * 10_000 + "{" * 10_000}).encode()
    assert not nesting_depth_exceeds(inside)
    assert loads(inside)["text"].startswith("[[[")
    # Closing brackets in strings between real openers do not make it look shallow.
    hidden = ('["]",' * 100 + "1" + "]" * 100).encode()
    assert nesting_depth_exceeds(hidden)
    escaped = ('["\\"]",' * 100 + "1" + "]" * 100).encode()
    assert nesting_depth_exceeds(escaped)


def test_unbalanced_or_unterminated_input_is_malformed_not_deep() -> None:
    for raw in (b"[" * 5 + b"]" * 9, b'["' + b'\\"' * 1000, b"]]]][[[["):
        with pytest.raises(ApiError) as caught:
            loads(raw)
        assert caught.value.status == 400 and "not valid JSON" in caught.value.message


def test_the_scan_stays_linear_on_hostile_shapes() -> None:
    for raw in (
        b'"\\"' * 500_000,
        b'"' * 1_000_000,
        b"[[]," * 500_000 + b"[]]",
        (b"[" * 32 + b"]" * 32 + b",") * 30_000,
    ):
        started = time.perf_counter()
        nesting_depth_exceeds(raw)
        assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("digits", [41, 4_301, 100_000])
def test_huge_integers_are_refused_in_plain_words(digits: int) -> None:
    for raw in (b"9" * digits, b'{"base_version": -' + b"9" * digits + b"}"):
        with pytest.raises(ApiError) as caught:
            loads(raw)
        message = caught.value.message
        assert caught.value.status == 400 and f"a number with {digits} digits" in message
        assert "set_int_max_str_digits" not in message and "4300" not in message


def test_numbers_that_fit_parse() -> None:
    assert loads(b'{"a": 4611686018427387903, "b": -1, "c": 1.5e300}') == {
        "a": 2**62 - 1,
        "b": -1,
        "c": 1.5e300,
    }
