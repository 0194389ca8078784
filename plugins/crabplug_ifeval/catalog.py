"""The 25 IFEval constraint types, assembled from their checks, phrasings, derivations and conflicts."""

from __future__ import annotations

import functools

from crabplug import KEYWORD_EXTRACTORS as EXTRACTORS
from crabplug import ConstraintType, TypeOption
from crabplug_ifeval import checks_format as fmt
from crabplug_ifeval import checks_words as words
from crabplug_ifeval import derive as dv
from crabplug_ifeval import phrasings_intl
from crabplug_ifeval.conflicts import CONFLICTS
from crabplug_ifeval.describe import describe
from crabplug_ifeval.parse import PARSERS
from crabplug_ifeval.transforms import TRANSFORMS

#: type id -> (check, derive, kwargs names, summary)
_SPECS = {
    "keywords:existence": (words.existence, dv.existence, ("keywords",), "includes given keywords"),
    "keywords:frequency": (
        words.frequency,
        dv.frequency,
        ("keyword", "frequency", "relation"),
        "a word appears N times (< or >=)",
    ),
    "keywords:forbidden_words": (words.forbidden_words, dv.forbidden_words, ("forbidden_words",), "avoids given words"),
    "keywords:letter_frequency": (
        words.letter_frequency,
        dv.letter_frequency,
        ("letter", "let_frequency", "let_relation"),
        "a letter appears N times (< or >=)",
    ),
    "language:response_language": (
        words.response_language,
        dv.response_language,
        ("language",),
        "written in a given language",
    ),
    "length_constraints:number_sentences": (
        words.number_sentences,
        dv.number_sentences,
        ("num_sentences", "relation"),
        "sentence count (< or >=)",
    ),
    "length_constraints:number_paragraphs": (
        fmt.number_paragraphs,
        dv.number_paragraphs,
        ("num_paragraphs",),
        "exactly N paragraphs split by ***",
    ),
    "length_constraints:number_words": (
        words.number_words,
        dv.number_words,
        ("num_words", "relation"),
        "word count (< or >=)",
    ),
    "length_constraints:nth_paragraph_first_word": (
        fmt.nth_paragraph_first_word,
        dv.nth_paragraph_first_word,
        ("num_paragraphs", "nth_paragraph", "first_word"),
        "N blank-line paragraphs, the nth starting with a word",
    ),
    "detectable_content:number_placeholders": (
        fmt.number_placeholders,
        dv.number_placeholders,
        ("num_placeholders",),
        "at least N [placeholders]",
    ),
    "detectable_content:postscript": (fmt.postscript, dv.postscript, ("postscript_marker",), "ends with a P.S."),
    "detectable_format:number_bullet_lists": (
        fmt.number_bullet_lists,
        dv.number_bullet_lists,
        ("num_bullets",),
        "exactly N markdown bullets",
    ),
    "detectable_format:constrained_response": (
        fmt.constrained_response,
        dv.when(fmt.constrained_response),
        (),
        "answers 'My answer is yes/no/maybe.'",
    ),
    "detectable_format:number_highlighted_sections": (
        fmt.number_highlighted_sections,
        dv.number_highlighted_sections,
        ("num_highlights",),
        "at least N *highlighted* sections",
    ),
    "detectable_format:multiple_sections": (
        fmt.multiple_sections,
        dv.multiple_sections,
        ("section_spliter", "num_sections"),
        "N sections marked 'Section X'",
    ),
    "detectable_format:json_format": (fmt.json_format, dv.when(fmt.json_format), (), "the whole answer is JSON"),
    "detectable_format:title": (fmt.title, dv.when(fmt.title), (), "has a <<title>>"),
    "combination:two_responses": (
        fmt.two_responses,
        dv.when(fmt.two_responses),
        (),
        "two different answers split by ******",
    ),
    "combination:repeat_prompt": (
        fmt.repeat_prompt,
        dv.repeat_prompt,
        ("prompt_to_repeat",),
        "repeats the request first",
    ),
    "startend:end_checker": (fmt.end_checker, dv.end_checker, ("end_phrase",), "ends with an exact phrase"),
    "change_case:capital_word_frequency": (
        words.capital_word_frequency,
        dv.capital_word_frequency,
        ("capital_frequency", "capital_relation"),
        "ALL-CAPS words appear N times (< or >=)",
    ),
    "change_case:english_capital": (
        words.english_capital,
        dv.when(words.english_capital),
        (),
        "English, all capital letters",
    ),
    "change_case:english_lowercase": (
        words.english_lowercase,
        dv.when(words.english_lowercase),
        (),
        "English, all lowercase letters",
    ),
    "punctuation:no_comma": (words.no_comma, dv.when(words.no_comma), (), "no commas"),
    "startend:quotation": (fmt.quotation, dv.when(fmt.quotation), (), "wrapped in double quotes"),
}


#: the keyword extractor is an option of the types that pick keywords from the response
KEYWORD_OPTIONS = {
    "extractor": TypeOption(
        default="fast",
        choices=EXTRACTORS,
        help="fast: one-pass content-keyword statistic (~5 ms a response); yake: YAKE, the paper's choice (~240 ms)",
    )
}
_OPTIONS = {"keywords:existence": KEYWORD_OPTIONS, "keywords:frequency": KEYWORD_OPTIONS}


def constraint_types() -> list[ConstraintType]:
    """Every IFEval type as a ``ConstraintType`` of family ``ifeval``, in IFEval's order."""
    return [
        ConstraintType(
            id=type_id,
            family="ifeval",
            check=check,
            describe=functools.partial(describe, type_id),
            derive=dv.guarded(derive),
            kwargs=kwargs,
            conflicts=CONFLICTS[type_id],
            summary=summary,
            ranges=dv.RANGES.get(type_id, {}),
            options=_OPTIONS.get(type_id, {}),
            transform=TRANSFORMS.get(type_id),
            parse=PARSERS.get(type_id),
            phrasings=phrasings_intl.phrasings(type_id),
        )
        for type_id, (check, derive, kwargs, summary) in _SPECS.items()
    ]
