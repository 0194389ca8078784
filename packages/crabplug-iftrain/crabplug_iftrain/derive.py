"""Rule back-translation for IFTrain: kwargs a response already satisfies, inside the natural ranges.

``derive(example, rng)`` returns kwargs for which the type's check passes on ``example.response``, or None
when the response does not meet the type in a way a person would ask for (a one-sentence answer trivially
"starts every sentence with" its first word; a count of 900 lowercase words is no instruction). Counts are
moved onto a small grid inside :data:`RANGES` in the direction that keeps them true, or dropped.
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from crabplug import Example, shared_reading
from crabplug_iftrain import checks
from crabplug_iftrain.text import content_words, split_into_sentences, stopwords, word_tokens

#: type id -> kwarg -> (lowest, highest) value a person would ask for
RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "copy:repeat_phrase": {"small_n": (2, 3)},
    "copy:copying_multiple": {"N": (2, 3)},
    "keywords:word_count_different_numbers": {"frequency": (1, 5)},
    "count:lowercase_counting": {"N": (2, 50)},
    "letters:letter_counting": {"N": (10, 2000)},
    "letters:letter_counting2": {"let_frequency": (1, 10)},
    "count:counting_composition": {"n_sent": (1, 5), "n_words": (2, 20)},
    "keywords:keyword_specific_position": {"n": (1, 10), "m": (1, 15)},
}
_LOWER_GRID = (2, 3, 5, 10, 15, 20, 25, 30, 40, 50)
_LETTER_GRID = (*range(10, 100, 10), *range(100, 500, 50), *range(500, 2001, 100))
_WORD_END = re.compile(r"[A-Za-z]+[.!?)\"'”’]*")
_MIN_WORDS = 5
# the only non-ASCII characters that re.IGNORECASE matches to an ASCII letter, or that lower() turns into one
# (ı, ſ, İ, the Kelvin sign): without them, str.count on lowercased text counts what the regex counts
_FOLDS_TO_ASCII = frozenset("\u0131\u017f\u0130\u212a")

Derive = Callable[[Example, random.Random], "dict[str, Any] | None"]


def _count(word: str, response: str) -> int:
    """How often ``checks`` counts a plain word: case-insensitive regex matches (``str.count`` on ASCII text)."""
    lowered = _lowered(response)
    if lowered is not None:
        return lowered.count(word.lower())
    return len(re.findall(word, response, flags=re.IGNORECASE))


@functools.lru_cache(maxsize=8)
def _lowered(response: str) -> str | None:
    # once per response, not per word counted (hundreds per answer): None when the regex must count
    return None if _FOLDS_TO_ASCII.intersection(response) else response.lower()


def _if(check: Callable[[str], bool], *, min_words: int = _MIN_WORDS, needs: str = "") -> Derive:
    """A derive for types without kwargs: ``{}`` when the check passes on a response of some length."""

    def derive(example: Example, rng: random.Random) -> dict[str, Any] | None:
        response = example.response
        if len(response.split()) < min_words or (needs and needs not in response):
            return None
        return {} if check(response) else None

    return derive


@shared_reading
def _content_counts(response: str) -> tuple[tuple[str, int], ...]:
    """Each content word of ``response`` with its count by :func:`_count` (three types ask the same)."""
    return tuple((w, _count(w, response)) for w in content_words(response))


def word_once(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """A content word that occurs exactly once."""
    found = [w for w, n in _content_counts(example.response) if n == 1]
    return {"keyword": rng.choice(found)} if found else None


def word_count_different_numbers(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """A content word's count, as ``at least`` a lower bound or ``less than`` an upper one, within 1..5."""
    low, high = RANGES["keywords:word_count_different_numbers"]["frequency"]
    options = []
    for word, count in _content_counts(example.response):
        if count >= 2:
            options.append({"keyword": word, "frequency": min(count, high), "relation": "at least"})
        if count + 1 <= high:
            options.append(
                {"keyword": word, "frequency": rng.randint(max(count + 1, 2), high), "relation": "less than"}
            )
    if not options:
        return None
    kwargs = rng.choice(options)
    if kwargs["relation"] == "at least":
        kwargs["frequency"] = rng.randint(max(low, 2), kwargs["frequency"])
    return kwargs


def exclude_word_harder(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """A content word of the request that the answer does not use at all."""
    answer = example.response.lower()
    found = [w for w in content_words(example.instruction) if w not in answer]
    return {"keyword": rng.choice(found)} if found else None


def _sentences_start(example: Example, rng: random.Random) -> dict[str, Any] | None:
    sentences = split_into_sentences(example.response)
    if len(sentences) < 2 or not sentences[0].split():
        return None
    word = sentences[0].split()[0]
    return (
        {"first_word": word} if word.isalpha() and checks.first_word_sent(example.response, first_word=word) else None
    )


def first_word_answer(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """The answer's first token, when it is a plain word."""
    tokens = example.response.split()
    return {"first_word": tokens[0]} if tokens and tokens[0].isalpha() else None


def _sentences_end(example: Example, rng: random.Random) -> dict[str, Any] | None:
    sentences = split_into_sentences(example.response)
    if len(sentences) < 2 or not sentences[0].split() or not _WORD_END.fullmatch(sentences[0].split()[-1]):
        return None
    word = re.sub(r"[^\w\s]", "", sentences[0].split()[-1])
    return {"last_word": word} if checks.last_word_sent(example.response, last_word=word) else None


def last_word_answer(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """The answer's last token without its closing punctuation, when it is a plain word."""
    tokens = example.response.split()
    if not tokens or not _WORD_END.fullmatch(tokens[-1]):
        return None
    return {"last_word": re.sub(r"[^\w\s]", "", tokens[-1])}


_ASCII_LETTER = re.compile("[A-Za-z]")


def _latin(text: str) -> bool:
    """Written mostly in ASCII letters: letter counts say nothing natural about a Chinese or Russian answer."""
    latin = len(_ASCII_LETTER.findall(text))  # the characters that are both ASCII and letters
    if text.isascii():
        return latin > 0
    letters = sum(map(str.isalpha, text))
    return letters > 0 and latin >= 0.9 * letters


def lowercase_counting(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """An upper bound (at most 50) on the all-lowercase words of an answer mostly in capitalized words."""
    words = re.findall(r"\b[A-Za-z]+\b", example.response)
    count = len(re.findall(r"\b[a-z]+\b", example.response))
    if len(words) < _MIN_WORDS or count * 3 > len(words) or not _latin(example.response):
        return None
    bound = next((n for n in _LOWER_GRID if n >= count), None)
    return {"N": bound} if bound is not None else None


def letter_counting(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """The ASCII letter count, rounded down for ``at least`` or up for ``less than`` (10..2000)."""
    if not _latin(example.response):
        return None
    count = len(re.findall(r"[a-zA-Z]", example.response))
    options = []
    below = [n for n in _LETTER_GRID if n <= count]
    above = [n for n in _LETTER_GRID if n > count]
    if below:
        options.append({"N": below[-1], "relation": "at least"})
    if above:
        options.append({"N": above[0], "relation": "less than"})
    return rng.choice(options) if options else None


def letter_counting2(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """A letter's count, ``at least`` up to 10 for frequent letters or ``less than`` up to 10 for rare ones."""
    if not _latin(example.response):
        return None
    counts = Counter(example.response.lower())
    low, high = RANGES["letters:letter_counting2"]["let_frequency"]
    options = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        count = counts[letter]
        if count >= 2:
            options.append(
                {"letter": letter, "let_frequency": rng.randint(2, min(count, high)), "let_relation": "at least"}
            )
        if count < high:
            frequency = rng.randint(max(count + 1, 2), high)
            options.append({"letter": letter, "let_frequency": frequency, "let_relation": "less than"})
    return rng.choice(options) if options and len(example.response.split()) >= _MIN_WORDS else None


def count_increment_word(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """A content word that occurs once and another that occurs twice."""
    counts = _content_counts(example.response)
    once = [w for w, n in counts if n == 1]
    twice = [w for w, n in counts if n == 2]
    if not once or not twice:
        return None
    return {"keyword1": rng.choice(once), "keyword2": rng.choice(twice)}


def palindrome(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """``{}`` when the answer holds a palindromic word of five letters or more (``level``, ``radar``); trivial
    rule: "did", "eye" or "I" satisfy the check but no reader takes them for the palindrome asked for."""
    found = any(len(w) >= 5 and w.isalpha() and w == w[::-1] for w in example.response.split())
    return {} if found else None


def keyword_specific_position(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """A content word's place: its sentence (up to the 10th) and its position (up to the 15th word)."""
    limits = RANGES["keywords:keyword_specific_position"]
    options = []
    for n, sentence in enumerate(split_into_sentences(example.response)[: limits["n"][1]], start=1):
        tokens = word_tokens(sentence)
        for m, token in enumerate(tokens[: limits["m"][1]], start=1):
            if not token.isalpha():
                break  # "the m-th word" must count words only: stop at the first punctuation token
            if len(token) >= 4 and token.isascii() and token.lower() not in stopwords():
                options.append({"keyword": token, "n": n, "m": m})
    return rng.choice(options) if options else None


def _copy(example: Example, rng: random.Random) -> dict[str, Any] | None:
    ok = checks.copy(example.response, prompt_to_repeat=example.instruction)
    return {"prompt_to_repeat": example.instruction} if ok and example.response.strip() else None


def _answered(derive: Derive) -> Derive:
    """An empty answer meets no constraint (the core never passes one)."""

    def wrapped(example: Example, rng: random.Random) -> dict[str, Any] | None:
        return derive(example, rng) if example.response.strip() else None

    wrapped.__doc__ = derive.__doc__
    return wrapped


def derivers() -> dict[str, Derive]:
    """type id -> derive, for every type a response can meet naturally."""
    return {k: _answered(v) for k, v in _DERIVERS.items()}


_DERIVERS: dict[str, Derive] = {
    "copy:copy": _copy,
    "copy:copying_simple": _copy,
    "detectable_format:sentence_hyphens": _if(checks.sentence_hyphens, min_words=2, needs="-"),
    "keywords:no_adjacent_consecutive": _if(checks.no_adjacent_consecutive),
    "detectable_format:square_brackets": _if(checks.square_brackets, min_words=2),
    "keywords:word_once": word_once,
    "keywords:word_count_different_numbers": word_count_different_numbers,
    "keywords:exclude_word_harder": exclude_word_harder,
    "paragraphs:paragraphs": _if(checks.paragraphs),
    "paragraphs:paragraphs2": _if(checks.paragraphs2),
    "first_word:first_word_sent": _sentences_start,
    "first_word:first_word_answer": first_word_answer,
    "last_word:last_word_sent": _sentences_end,
    "last_word:last_word_answer": last_word_answer,
    "detectable_format:bigram_wrapping": _if(checks.bigram_wrapping, min_words=4, needs="<<"),
    "punctuation:punctuation_dot": _if(checks.punctuation_dot),
    "punctuation:punctuation_exclamation": _if(checks.punctuation_exclamation),
    "count:lowercase_counting": lowercase_counting,
    "letters:letter_counting": letter_counting,
    "letters:letter_counting2": letter_counting2,
    "count:count_unique": _if(checks.count_unique, min_words=3),
    "count:count_increment_word": count_increment_word,
    "keywords:palindrome": palindrome,
    "keywords:keyword_specific_position": keyword_specific_position,
    "keywords:start_end": _if(checks.start_end, min_words=3),
}
