"""The paper's length constraints in four forms (``crab:length_*``): bounds rounded to tens, inside
:data:`LENGTH_RANGE` (the lengths a person asks for: 50 to 1,000 words)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from crabplug import Example
from crabplug_crab.measures import ceil10 as _ceil10
from crabplug_crab.measures import floor10 as _floor10
from crabplug_crab.measures import pick as _pick
from crabplug_crab.measures import word_count

#: natural range of every word-count bound
LENGTH_RANGE = (50, 1000)


def check_length_range(response: str, *, min_words: int, max_words: int) -> bool:
    return min_words <= word_count(response) <= max_words


def derive_length_range(example: Example, rng: random.Random) -> dict[str, int] | None:
    n = word_count(example.response)
    low, high = LENGTH_RANGE
    if not low <= n <= high:
        return None
    lo = max(low, _floor10(n) - 10 * rng.randint(0, 3))
    hi = min(high, max(_ceil10(n) + 10 * rng.randint(0, 3), lo + 10))
    return {"min_words": lo, "max_words": hi}


def describe_length_range(kw: Mapping[str, Any], rng: random.Random) -> str:
    return _pick(
        rng,
        [
            "Your answer should be between {lo} and {hi} words long.",
            "Keep the response within {lo} to {hi} words.",
            "Write no fewer than {lo} and no more than {hi} words.",
            "The length of your reply must fall in the range of {lo}-{hi} words.",
        ],
        lo=kw["min_words"],
        hi=kw["max_words"],
    )


def check_length_at_least(response: str, *, min_words: int) -> bool:
    return word_count(response) >= min_words


def derive_length_at_least(example: Example, rng: random.Random) -> dict[str, int] | None:
    n = min(_floor10(word_count(example.response)) - 10 * rng.randint(0, 2), LENGTH_RANGE[1])
    return {"min_words": n} if n >= LENGTH_RANGE[0] else None


def describe_length_at_least(kw: Mapping[str, Any], rng: random.Random) -> str:
    return _pick(
        rng,
        [
            "Your answer should contain at least {n} words.",
            "Write a response of no fewer than {n} words.",
            "Make sure the reply is {n} words long or longer.",
            "Use a minimum of {n} words.",
        ],
        n=kw["min_words"],
    )


def check_length_at_most(response: str, *, max_words: int) -> bool:
    return word_count(response) <= max_words


def derive_length_at_most(example: Example, rng: random.Random) -> dict[str, int] | None:
    n = word_count(example.response)
    if n < 5:
        return None
    bound = max(LENGTH_RANGE[0], _ceil10(n) + 10 * rng.randint(0, 2))
    return {"max_words": bound} if bound <= LENGTH_RANGE[1] else None


def describe_length_at_most(kw: Mapping[str, Any], rng: random.Random) -> str:
    return _pick(
        rng,
        [
            "Keep your answer under {n} words.",
            "Your response must not exceed {n} words.",
            "Use at most {n} words.",
            "Limit the reply to a maximum of {n} words.",
        ],
        n=kw["max_words"],
    )


def _around_tolerance(num_words: int) -> int:
    return max(10, round(num_words * 0.1))


def check_length_around(response: str, *, num_words: int) -> bool:
    return abs(word_count(response) - num_words) <= _around_tolerance(num_words)


def derive_length_around(example: Example, rng: random.Random) -> dict[str, int] | None:
    n = word_count(example.response)
    target = int(round(n / 10) * 10)  # |n - target| <= 5 <= tolerance
    return {"num_words": target} if LENGTH_RANGE[0] <= target <= LENGTH_RANGE[1] else None


def describe_length_around(kw: Mapping[str, Any], rng: random.Random) -> str:
    return _pick(
        rng,
        [
            "Write around {n} words.",
            "Your answer should be roughly {n} words long.",
            "Aim for approximately {n} words in your response.",
            "The reply should have about {n} words.",
        ],
        n=kw["num_words"],
    )
