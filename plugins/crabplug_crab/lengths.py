"""The paper's length constraints in four forms (``crab:length_*``): bounds rounded to tens, inside
:data:`LENGTH_RANGE` (the lengths a person asks for: 50 to 1,000 words)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from crabplug import Example
from crabplug_crab.measures import ceil10 as _ceil10
from crabplug_crab.measures import floor10 as _floor10
from crabplug_crab.measures import pick as _pick
from crabplug_crab.measures import word_count

#: natural range of every word-count bound
LENGTH_RANGE = (50, 1000)
#: "words" in the languages the requests come in, after a number ("1000-word", "300 words", "500 palabras")
_WORDS = r"\s*(?:-\s*|\s)?(?:words?|palabras|mots|слов\w*|palavras|wörter\w*|parole)\b"
#: a word count the request names: "a 1000-word scene", "in 300 words", "1 000 слов", "500 palabras"
_ASKED = re.compile(r"(?<![\d.,])(\d{1,2}(?:[ ,]\d{3})+|\d{2,5})" + _WORDS, re.I)
#: a range of words the request names: "800-1000 words", "between 300 and 400 words", "200 to 250 words"
_ASKED_RANGE = re.compile(r"(?<![\d.,])(\d{2,5})\s*(?:-|–|to|and)\s*(\d{2,5})" + _WORDS, re.I)


def asked_range(instruction: str) -> tuple[int, int] | None:
    """The first range of words the request names ("a scene of 800-1000 words": (800, 1000)), or None."""
    m = _ASKED_RANGE.search(instruction)
    return (int(m.group(1)), int(m.group(2))) if m and int(m.group(1)) < int(m.group(2)) else None


def asked_words(instruction: str) -> tuple[int, ...]:
    """The word counts the request names, in its order ("Write a 1000-word scene": (1000,))."""
    return tuple(int(re.sub(r"[ ,]", "", m)) for m in _ASKED.findall(instruction))


#: a bound's word just before the request's number: "at least 1300 words", "не более 200 слов", "under 500 words"
_FLOOR_WORD = re.compile(
    r"\b(?:at least|minimum(?: of)?|no (?:less|fewer) than|more than|over|upwards of|не менее|минимум|больше|"
    r"más de|al menos|mínimo(?: de)?|au moins|plus de|mindestens|almeno|pelo menos|ít nhất)\s*$",
    re.I,
)
_CEILING_WORD = re.compile(
    r"\b(?:at most|maximum(?: of)?|max\.?|no more than|not more than|less than|fewer than|under|up to|within|below|"
    r"не более|максимум|до|меньше|menos de|como máximo|máximo(?: de)?|au plus|moins de|höchstens|maximal|"
    r"al massimo|no máximo|tối đa|không quá)\s*$",
    re.I,
)


def asked_bound(instruction: str) -> str | None:
    """Which side the request's first named word count bounds: "floor" ("at least 1300 words"), "ceiling" ("under
    500 words"), or None where it names a target ("a 300 word transcript", "write 500 words") or no count."""
    m = _ASKED.search(instruction)
    if m is None:
        return None
    before = instruction[max(0, m.start() - 30) : m.start()]
    if _FLOOR_WORD.search(before):
        return "floor"
    return "ceiling" if _CEILING_WORD.search(before) else None


def _asked(example: Example, fits) -> int | None:
    """The first word count the request names that ``fits(n)`` accepts: the line then says the request's number
    ("around 1000 words" for a 954-word answer to "a 1000-word scene", not "around 950")."""
    return next((n for n in asked_words(example.instruction) if fits(n)), None)


def check_length_range(response: str, *, min_words: int, max_words: int) -> bool:
    return min_words <= word_count(response) <= max_words


def derive_length_range(example: Example, rng: random.Random) -> dict[str, int] | None:
    n = word_count(example.response)
    asked = asked_range(example.instruction)
    if asked is not None and asked[0] <= n <= asked[1]:
        return {"min_words": asked[0], "max_words": asked[1]}  # the request's own range
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
    asked = _asked(example, lambda a: a <= word_count(example.response))
    if asked is not None:
        return {"min_words": asked}
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
    asked = _asked(example, lambda a: a >= n)
    if asked is not None:
        return {"max_words": asked}
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


def around_tolerance(num_words: int) -> int:
    """How far from N an answer of "about N words" may be: a tenth of N, at least 10."""
    return max(10, round(num_words * 0.1))


def check_length_around(response: str, *, num_words: int) -> bool:
    return abs(word_count(response) - num_words) <= around_tolerance(num_words)


def derive_length_around(example: Example, rng: random.Random) -> dict[str, int] | None:
    n = word_count(example.response)
    asked = _asked(example, lambda a: abs(n - a) <= around_tolerance(a))
    if asked is not None:
        return {"num_words": asked}
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
