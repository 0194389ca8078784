"""IFEval's conflict table: which types must not be asked for together.

Written as IFEval states it, then closed as IFEval closes it: every type conflicts with itself and
the relation is made symmetric.
"""

from __future__ import annotations

TYPE_IDS = (
    "keywords:existence",
    "keywords:frequency",
    "keywords:forbidden_words",
    "keywords:letter_frequency",
    "language:response_language",
    "length_constraints:number_sentences",
    "length_constraints:number_paragraphs",
    "length_constraints:number_words",
    "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders",
    "detectable_content:postscript",
    "detectable_format:number_bullet_lists",
    "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections",
    "detectable_format:multiple_sections",
    "detectable_format:json_format",
    "detectable_format:title",
    "combination:two_responses",
    "combination:repeat_prompt",
    "startend:end_checker",
    "change_case:capital_word_frequency",
    "change_case:english_capital",
    "change_case:english_lowercase",
    "punctuation:no_comma",
    "startend:quotation",
)
ALL = frozenset(TYPE_IDS)

_STATED: dict[str, frozenset[str]] = {
    "language:response_language": frozenset(
        {
            "detectable_format:multiple_sections",
            "keywords:existence",
            "keywords:frequency",
            "keywords:forbidden_words",
            "startend:end_checker",
            "change_case:english_capital",
            "change_case:english_lowercase",
        }
    ),
    "length_constraints:number_paragraphs": frozenset(
        {
            "length_constraints:nth_paragraph_first_word",
            "length_constraints:number_sentences",
        }
    ),
    "detectable_format:constrained_response": ALL,
    "detectable_format:multiple_sections": frozenset(
        {
            "language:response_language",
            "detectable_format:number_highlighted_sections",
        }
    ),
    # A JSON answer can still contain or avoid given words; nothing else combines with it.
    "detectable_format:json_format": ALL - {"keywords:forbidden_words", "keywords:existence"},
    "combination:two_responses": ALL
    - {
        "keywords:forbidden_words",
        "keywords:existence",
        "language:response_language",
        "detectable_format:title",
        "punctuation:no_comma",
    },
    "combination:repeat_prompt": ALL - {"keywords:existence", "detectable_format:title", "punctuation:no_comma"},
    "change_case:capital_word_frequency": frozenset(
        {
            "change_case:english_lowercase",
            "change_case:english_capital",
        }
    ),
    "change_case:english_lowercase": frozenset({"change_case:english_capital"}),
    "startend:quotation": frozenset({"detectable_format:title"}),
}


def _closed() -> dict[str, frozenset[str]]:
    table = {t: {t} for t in TYPE_IDS}
    for type_id, others in _STATED.items():
        for other in others:
            table[type_id].add(other)
            table[other].add(type_id)
    return {t: frozenset(s) for t, s in table.items()}


CONFLICTS = _closed()
"""type id -> the ids it conflicts with (itself included)."""
