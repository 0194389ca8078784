"""The 29 IFTrain constraint types: id, kwargs, check, phrasings, derive, conflicts, summary, example."""

from __future__ import annotations

from crabplug import ConstraintType
from crabplug_iftrain import checks
from crabplug_iftrain.conflicts import CONFLICTS
from crabplug_iftrain.derive import RANGES, derivers
from crabplug_iftrain.phrasings import describer
from crabplug_iftrain.phrasings_intl import phrasings
from crabplug_iftrain.transforms import TRANSFORMS

FAMILY = "iftrain"
_REQUEST = "Write a haiku about autumn."

# id -> (check, kwargs, summary, example kwargs); ids are open-instruct's, verbatim
SPECS = {
    "copy:repeat_phrase": (checks.repeat_phrase, ("phrase", "small_n"),
        "a phrase repeated N times, one inner word changed each time",
        {"phrase": "The early bird catches the worm", "small_n": 2}),
    "copy:copy": (checks.copy, ("prompt_to_repeat",), "the request copied verbatim instead of answered",
        {"prompt_to_repeat": _REQUEST}),
    "new:copy_span_idx": (checks.copy_span_idx, ("prompt_to_repeat", "n_start", "n_end"),
        "only the characters [n_start:n_end] of the request", {"prompt_to_repeat": _REQUEST, "n_start": 8,
        "n_end": 26}),
    "detectable_format:sentence_hyphens": (checks.sentence_hyphens, (), "sentences joined by hyphens, no spaces",
        {}),
    "keywords:no_adjacent_consecutive": (checks.no_adjacent_consecutive, (),
        "no two neighbouring words start with consecutive letters", {}),
    "detectable_format:square_brackets": (checks.square_brackets, (), "every word in [square brackets]", {}),
    "keywords:word_once": (checks.word_once, ("keyword",), "a keyword exactly once", {"keyword": "harvest"}),
    "keywords:word_count_different_numbers": (checks.word_count_different_numbers,
        ("keyword", "frequency", "relation"), "a keyword at least / less than N times",
        {"keyword": "light", "frequency": 3, "relation": "at least"}),
    "keywords:exclude_word_harder": (checks.exclude_word_harder, ("keyword", "instruction"),
        "a word of the request never used", {"keyword": "autumn"}),
    "paragraphs:paragraphs": (checks.paragraphs, (), "exactly 2 paragraphs divided by ***", {}),
    "paragraphs:paragraphs2": (checks.paragraphs2, (), "exactly 2 paragraphs divided by one blank line", {}),
    "first_word:first_word_sent": (checks.first_word_sent, ("first_word",), "every sentence starts with a word",
        {"first_word": "Leaves"}),
    "first_word:first_word_answer": (checks.first_word_answer, ("first_word",), "the answer starts with a word",
        {"first_word": "Autumn"}),
    "last_word:last_word_sent": (checks.last_word_sent, ("last_word",), "every sentence ends with a word",
        {"last_word": "again"}),
    "last_word:last_word_answer": (checks.last_word_answer, ("last_word",), "the answer ends with a word",
        {"last_word": "home"}),
    "detectable_format:bigram_wrapping": (checks.bigram_wrapping, (), "every word pair in <<double brackets>>",
        {}),
    "copy:copying_simple": (checks.copy, ("prompt_to_repeat",), "the request repeated instead of answered",
        {"prompt_to_repeat": _REQUEST}),
    "copy:copying_multiple": (checks.copying_multiple, ("prompt_to_repeat", "N"),
        "the request repeated N times, separated by ******", {"prompt_to_repeat": _REQUEST, "N": 2}),
    "punctuation:punctuation_dot": (checks.punctuation_dot, (), "no . anywhere", {}),
    "punctuation:punctuation_exclamation": (checks.punctuation_exclamation, (), "no ! anywhere", {}),
    "count:lowercase_counting": (checks.lowercase_counting, ("N",), "at most N all-lowercase words", {"N": 3}),
    "letters:letter_counting": (checks.letter_counting, ("N", "relation"), "at least / less than N letters",
        {"N": 300, "relation": "less than"}),
    "letters:letter_counting2": (checks.letter_counting2, ("letter", "let_frequency", "let_relation"),
        "a letter at least / less than N times", {"letter": "z", "let_frequency": 2, "let_relation": "less than"}),
    "count:counting_composition": (checks.counting_composition, ("n_sent", "n_words"),
        "3 paragraphs of N sentences of M tokens each", {"n_sent": 2, "n_words": 6}),
    "count:count_unique": (checks.count_unique, (), "no word or punctuation mark repeated", {}),
    "count:count_increment_word": (checks.count_increment_word, ("keyword1", "keyword2"),
        "one keyword once, another twice", {"keyword1": "moon", "keyword2": "leaf"}),
    "keywords:palindrome": (checks.palindrome, (), "a palindrome somewhere", {}),
    "keywords:keyword_specific_position": (checks.keyword_specific_position, ("keyword", "n", "m"),
        "a keyword as the m-th word of the n-th sentence", {"keyword": "maple", "n": 2, "m": 3}),
    "keywords:start_end": (checks.start_end, (), "the same first and last word, nothing after it", {}),
}  # fmt: skip


def constraint_types() -> list[ConstraintType]:
    """The 29 types, in open-instruct's registry order."""
    derive = derivers()
    return [
        ConstraintType(
            id=type_id,
            family=FAMILY,
            check=check,
            describe=describer(type_id),
            derive=derive.get(type_id),
            kwargs=kwargs,
            conflicts=CONFLICTS[type_id],
            summary=summary,
            example=example,
            ranges=RANGES.get(type_id, {}),
            transform=TRANSFORMS.get(type_id),
            phrasings=phrasings(type_id),
        )
        for type_id, (check, kwargs, summary, example) in SPECS.items()
    ]
