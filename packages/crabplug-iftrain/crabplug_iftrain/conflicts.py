"""Which types must not be asked for together: open-instruct's conflict table for the IFTrain types, closed.

open-instruct states its table one-sided and closes it (every type conflicts with itself, the relation is
symmetric). crabplug's combiner treats a pair as conflicting when either type lists the other, so only the
IFTrain rows are needed here; they include the IFEval types whose rows list IFTrain types ("everything
conflicts with a JSON answer"). A few pairs open-instruct misses are added, each with its reason.
"""

from __future__ import annotations

IFEVAL = (
    "keywords:existence", "keywords:frequency", "keywords:forbidden_words", "keywords:letter_frequency",
    "language:response_language", "length_constraints:number_sentences", "length_constraints:number_paragraphs",
    "length_constraints:number_words", "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders", "detectable_content:postscript", "detectable_format:number_bullet_lists",
    "detectable_format:constrained_response", "detectable_format:number_highlighted_sections",
    "detectable_format:multiple_sections", "detectable_format:json_format", "detectable_format:title",
    "combination:two_responses", "combination:repeat_prompt", "startend:end_checker",
    "change_case:capital_word_frequency", "change_case:english_capital", "change_case:english_lowercase",
    "punctuation:no_comma", "startend:quotation",
)  # fmt: skip
IFTRAIN = (
    "copy:repeat_phrase", "copy:copy", "new:copy_span_idx", "detectable_format:sentence_hyphens",
    "keywords:no_adjacent_consecutive", "detectable_format:square_brackets", "keywords:word_once",
    "keywords:word_count_different_numbers", "keywords:exclude_word_harder", "paragraphs:paragraphs",
    "paragraphs:paragraphs2", "first_word:first_word_sent", "first_word:first_word_answer", "last_word:last_word_sent",
    "last_word:last_word_answer", "detectable_format:bigram_wrapping", "copy:copying_simple", "copy:copying_multiple",
    "punctuation:punctuation_dot", "punctuation:punctuation_exclamation", "count:lowercase_counting",
    "letters:letter_counting", "letters:letter_counting2", "count:counting_composition", "count:count_unique",
    "count:count_increment_word", "keywords:palindrome", "keywords:keyword_specific_position", "keywords:start_end",
)  # fmt: skip
_ALL = frozenset(IFEVAL + IFTRAIN)

# An answer that is only a copy of the request, or only "My answer is yes.", or only JSON, or two answers,
# or the request repeated first: each of these rows lists every type (open-instruct's INSTRUCTION_DICT).
_WITH_EVERYTHING = ("copy:copy", "new:copy_span_idx", "copy:copying_simple", "copy:copying_multiple",
                    "detectable_format:constrained_response", "detectable_format:json_format",
                    "combination:two_responses", "combination:repeat_prompt")  # fmt: skip

_STATED: dict[str, frozenset[str]] = {
    "paragraphs:paragraphs": frozenset({"paragraphs:paragraphs2"}),
    "first_word:first_word_sent": frozenset({"first_word:first_word_answer"}),
    "count:counting_composition": frozenset({
        "count:count_unique", "count:count_increment_word", "paragraphs:paragraphs", "paragraphs:paragraphs2",
        "keywords:letter_frequency", "keywords:frequency",
    }),  # fmt: skip
}

#: pairs open-instruct does not list, added because both cannot hold (or say the same thing twice)
EXTRA: dict[str, frozenset[str]] = {
    # every word in [..] and every pair in <<..>> cannot both hold
    "detectable_format:square_brackets": frozenset({"detectable_format:bigram_wrapping"}),
    # both fix what the answer ends with
    "last_word:last_word_answer": frozenset({"startend:end_checker"}),
    "keywords:start_end": frozenset({"startend:end_checker"}),
    # the same check as IFEval's letter frequency: two bounds on one letter contradict or repeat
    "letters:letter_counting2": frozenset({"keywords:letter_frequency"}),
    # two paragraph counts over the same *** divider
    "paragraphs:paragraphs": frozenset({"length_constraints:number_paragraphs"}),
}


def _closed() -> dict[str, frozenset[str]]:
    table = {t: {t} for t in IFTRAIN}
    for t in IFTRAIN:
        table[t].update(x for x in _WITH_EVERYTHING if x != t)
        if t in _WITH_EVERYTHING:
            table[t].update(_ALL)
    for stated in (_STATED, EXTRA):
        for t, others in stated.items():
            table[t].update(others)
            for other in others & set(IFTRAIN):
                table[other].add(t)
    return {t: frozenset(s) for t, s in table.items()}


CONFLICTS = _closed()
"""IFTrain type id -> the ids it conflicts with (itself included)."""
