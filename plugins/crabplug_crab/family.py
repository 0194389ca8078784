"""The paper's Python (rule) constraint types as the ``crab`` family: check, derive, describe, conflicts.

Every measure is computed by one function used by both ``derive`` and ``check``, and every derived bound is
rounded in the direction that keeps the response inside it: derive-then-check cannot fail (the property
test in tests/plugins/crab/test_crab_rules.py runs this over every registered type). The public code's defects (a
characters-per-word constraint nothing satisfies, sentences-per-paragraph bounds the response breaks) are
exactly what this guards against.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType, Example, TypeOption, shared_reading, whole_word_count
from crabplug_crab.lengths import (
    LENGTH_RANGE,
    check_length_around,
    check_length_at_least,
    check_length_at_most,
    check_length_range,
    derive_length_around,
    derive_length_at_least,
    derive_length_at_most,
    derive_length_range,
    describe_length_around,
    describe_length_at_least,
    describe_length_at_most,
    describe_length_range,
)
from crabplug_crab.measures import paragraph_sentences, sentence_lengths, word_count
from crabplug_crab.measures import pick as _pick
from crabplug_crab.phrasings_intl import phrasings

_ALPHA = re.compile(r"[^\W\d_]+")
#: marks ``crab:no_punctuation`` may forbid (only those the response never uses are picked)
MARKS = (";", "!", "?", ":", "(", '"', "—", "-", "&", "…", "/", "*", "#", "%")
_MARK_NAMES = {
    ";": "semicolons",
    "!": "exclamation marks",
    "?": "question marks",
    ":": "colons",
    "(": "parentheses",
    '"': "double quotation marks",
    "—": "em dashes (—)",
    "-": "hyphens or dashes (-)",
    "&": "ampersands (&)",
    "…": "ellipsis characters (…)",
    "/": "slashes (/)",
    "*": "asterisks (*)",
    "#": "hash signs (#)",
    "%": "percent signs (%)",
}


# -- words per sentence, characters per word, sentences per paragraph -------------------------------------


def check_words_per_sentence(response: str, *, max_words: int) -> bool:
    return all(n <= max_words for n in sentence_lengths(response))


def derive_words_per_sentence(example: Example, rng: random.Random) -> dict[str, int] | None:
    lengths = sentence_lengths(example.response)
    if len(lengths) < 3:
        return None
    bound = -(-max(lengths) // 5) * 5 + 5 * rng.randint(0, 1)
    return {"max_words": bound} if bound <= 60 else None


def describe_words_per_sentence(kw: Mapping[str, Any], rng: random.Random) -> str:
    return _pick(
        rng,
        [
            "No sentence may be longer than {n} words.",
            "Keep every sentence to at most {n} words.",
            "Each sentence should contain {n} words or fewer.",
            "Write short sentences: none over {n} words.",
        ],
        n=kw["max_words"],
    )


@shared_reading
def _alpha_runs(response: str) -> tuple[int, int]:
    """(how many runs of letters, the longest one's length)."""
    found = _ALPHA.findall(response)
    return len(found), max(map(len, found), default=0)


def check_chars_per_word(response: str, *, max_chars: int) -> bool:
    return _alpha_runs(response)[1] <= max_chars


def derive_chars_per_word(example: Example, rng: random.Random) -> dict[str, int] | None:
    found, longest = _alpha_runs(example.response)
    if found < 10:
        return None
    low, high = RANGES["crab:chars_per_word"]["max_chars"]
    bound = max(low, longest + rng.randint(0, 2))  # "no word over 3 letters" is not natural
    return {"max_chars": bound} if bound <= high else None


def describe_chars_per_word(kw: Mapping[str, Any], rng: random.Random) -> str:
    return _pick(
        rng,
        [
            "Do not use any word longer than {n} letters.",
            "Every word in your answer should have at most {n} letters.",
            "Avoid long words: no word may exceed {n} letters.",
        ],
        n=kw["max_chars"],
    )


def check_sentences_per_paragraph(response: str, *, max_sentences: int) -> bool:
    return all(n <= max_sentences for n in paragraph_sentences(response))


def derive_sentences_per_paragraph(example: Example, rng: random.Random) -> dict[str, int] | None:
    counts = paragraph_sentences(example.response)
    if len(counts) < 2:
        return None
    bound = max(counts) + rng.randint(0, 1)
    return {"max_sentences": bound} if bound <= RANGES["crab:sentences_per_paragraph"]["max_sentences"][1] else None


def describe_sentences_per_paragraph(kw: Mapping[str, Any], rng: random.Random) -> str:
    n = kw["max_sentences"]
    return _pick(
        rng,
        [
            "Each paragraph should have no more than {n} sentence{s}.",
            "Keep paragraphs short: at most {n} sentence{s} each.",
            "No paragraph may contain more than {n} sentence{s}.",
        ],
        n=n,
        s="" if n == 1 else "s",
    )


# -- keywords (YAKE) and an absent punctuation mark ----------------------------------------------------------


def check_keywords(response: str, *, keywords: list[str]) -> bool:
    # whole words, case-insensitive: (?<!\w)keyword(?!\w) with re.I
    return bool(keywords) and all(whole_word_count(response, k, stop=1) for k in keywords)


def derive_keywords(example: Example, rng: random.Random, *, extractor: str = "fast") -> dict[str, list[str]] | None:
    from crabplug import extract_keywords

    if word_count(example.response) < 30:
        return None
    found = [
        k
        for k in extract_keywords(example.response, extractor=extractor, instruction=example.instruction)
        if k.strip() and check_keywords(example.response, keywords=[k])
    ]
    if not found:
        return None
    picked = rng.sample(found[:6], min(len(found[:6]), rng.randint(1, 3)))
    return {"keywords": picked}


def describe_keywords(kw: Mapping[str, Any], rng: random.Random) -> str:
    keys = list(kw["keywords"])
    quoted = ", ".join(f'"{k}"' for k in keys)
    if len(keys) == 1:
        return _pick(
            rng,
            [
                "Include the keyword {q} in your answer.",
                "Make sure the phrase {q} appears in the response.",
                "Your reply must mention {q}.",
            ],
            q=quoted,
        )
    return _pick(
        rng,
        [
            "Include the keywords {q} in your answer.",
            "Make sure each of these phrases appears in the response: {q}.",
            "Your reply must mention all of the following: {q}.",
        ],
        q=quoted,
    )


def check_no_punctuation(response: str, *, mark: str) -> bool:
    return bool(mark) and mark not in response


def derive_no_punctuation(example: Example, rng: random.Random) -> dict[str, str] | None:
    absent = [m for m in MARKS if m not in example.response]
    return {"mark": rng.choice(absent)} if absent else None


def describe_no_punctuation(kw: Mapping[str, Any], rng: random.Random) -> str:
    name = _MARK_NAMES.get(kw["mark"], f'the character "{kw["mark"]}"')
    return _pick(
        rng,
        [
            "Do not use any {m} in your response.",
            "Your answer must not contain {m}.",
            "Avoid {m} entirely.",
            "Write the reply without using {m}.",
        ],
        m=name,
    )


# -- the family ------------------------------------------------------------------------------------------

#: natural range (inclusive) of every numeric kwarg
RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "crab:length_range": {"min_words": LENGTH_RANGE, "max_words": LENGTH_RANGE},
    "crab:length_at_least": {"min_words": LENGTH_RANGE},
    "crab:length_at_most": {"max_words": LENGTH_RANGE},
    "crab:length_around": {"num_words": LENGTH_RANGE},
    "crab:words_per_sentence": {"max_words": (5, 60)},
    "crab:chars_per_word": {"max_chars": (5, 16)},
    "crab:sentences_per_paragraph": {"max_sentences": (1, 10)},
}
KEYWORD_OPTIONS = {
    "extractor": TypeOption(
        default="fast",
        choices=("fast", "yake"),
        help="fast: one-pass content-keyword statistic (~5 ms a response); yake: YAKE, the paper's choice (~240 ms)",
    )
}

_LENGTH = ("crab:length_range", "crab:length_at_least", "crab:length_at_most", "crab:length_around")
#: other families' types saying the same thing (combining both would be redundant)
_SAME_AS = {
    "length": ("length_constraints:number_words",),
    "crab:words_per_sentence": (),
    "crab:keywords": ("keywords:existence",),
    "crab:sentences_per_paragraph": (),
}


def constraint_types() -> list[ConstraintType]:
    """The nine ``crab:*`` types."""
    length_conflicts = frozenset(_LENGTH) | frozenset(_SAME_AS["length"])

    def make(name, check, derive, describe, kwargs, summary, example, conflicts=frozenset()):
        tid = f"crab:{name}"
        return ConstraintType(
            id=tid,
            family="crab",
            check=check,
            derive=derive,
            describe=describe,
            kwargs=kwargs,
            conflicts=frozenset(conflicts) - {tid},
            summary=summary,
            example=example,
            ranges=RANGES.get(tid, {}),
            options=KEYWORD_OPTIONS if name == "keywords" else {},
            phrasings=phrasings(tid),
        )

    return [
        make(
            "length_range",
            check_length_range,
            derive_length_range,
            describe_length_range,
            ("min_words", "max_words"),
            "total words within a range (bounds rounded to tens)",
            {"min_words": 100, "max_words": 150},
            length_conflicts,
        ),
        make(
            "length_at_least",
            check_length_at_least,
            derive_length_at_least,
            describe_length_at_least,
            ("min_words",),
            "at least N words (N a multiple of ten)",
            {"min_words": 200},
            length_conflicts,
        ),
        make(
            "length_at_most",
            check_length_at_most,
            derive_length_at_most,
            describe_length_at_most,
            ("max_words",),
            "at most N words (N a multiple of ten)",
            {"max_words": 300},
            length_conflicts,
        ),
        make(
            "length_around",
            check_length_around,
            derive_length_around,
            describe_length_around,
            ("num_words",),
            "about N words (N rounded to tens; within max(10, 10%))",
            {"num_words": 250},
            length_conflicts,
        ),
        make(
            "words_per_sentence",
            check_words_per_sentence,
            derive_words_per_sentence,
            describe_words_per_sentence,
            ("max_words",),
            "no sentence longer than N words",
            {"max_words": 25},
        ),
        make(
            "chars_per_word",
            check_chars_per_word,
            derive_chars_per_word,
            describe_chars_per_word,
            ("max_chars",),
            "no word longer than N letters",
            {"max_chars": 12},
        ),
        make(
            "sentences_per_paragraph",
            check_sentences_per_paragraph,
            derive_sentences_per_paragraph,
            describe_sentences_per_paragraph,
            ("max_sentences",),
            "no paragraph with more than N sentences",
            {"max_sentences": 4},
        ),
        make(
            "keywords",
            check_keywords,
            derive_keywords,
            describe_keywords,
            ("keywords",),
            "contains given content keywords (extractor option: fast or yake)",
            {"keywords": ["boredom", "attention"]},
            _SAME_AS["crab:keywords"],
        ),
        make(
            "no_punctuation",
            check_no_punctuation,
            derive_no_punctuation,
            describe_no_punctuation,
            ("mark",),
            "never uses a given punctuation mark",
            {"mark": ";"},
        ),
    ]
