"""The paper's constraint categories as constraint types only an LLM can judge (``llm:<category>``, no ``check``).

The ``llm`` back-translator gives a sentence the type of its category unless a code-checkable type's ``parse``
reads it; registering the categories means every constraint in a run has a registered type.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType

FAMILY = "llm"
"""The family of the free-text types (the card counts them under it)."""

CATEGORIES: dict[str, tuple[str, str]] = {
    "length": ("how long the response is (words, sentences, paragraphs)", "Write at least 150 words."),
    "writing_style": ("tone, register, point of view, audience, rhetorical devices", "Use a warm, informal tone."),
    "semantic_elements": ("topics, facts, examples or key words the response includes",
                          'Mention the words "budget" and "deadline".'),
    "morphological": ("letter case, punctuation used or avoided, word forms", "Do not use any commas."),
    "multilingual": ("the language(s) the response is written in", "Write the whole answer in English."),
    "hierarchical_instructions": ("an order of steps or parts the response follows",
                                  "First define the term, then give two examples."),
    "special_output_format": ("a special format such as JSON, code, a table, a letter or a poem",
                              "Format the answer as a formal letter."),
    "paragraphs": ("how the response is divided into paragraphs or sections", "Divide the answer into 3 paragraphs."),
    "specific_sentence": ("a sentence or phrase the response starts or ends with",
                          'End the answer with the phrase "Good luck!"'),
    "key_formatting": ("bold, italics, headings, quotation marks or other markup", "Put each heading in bold."),
    "item_listing": ("bulleted or numbered lists and how many items they have", "List the steps as a numbered list."),
}  # fmt: skip
"""The paper's categories (global: style, semantic, morphological, multilingual; local: the rest) plus length."""


def type_id(category: str) -> str:
    """The constraint type id of a category."""
    return f"{FAMILY}:{category}"


def _describe(category: str):
    def describe(kwargs: Mapping[str, Any], rng: random.Random) -> str:
        return CATEGORIES[category][1]  # the category's example: the real text is the LLM's own sentence

    return describe


def constraint_types() -> list[ConstraintType]:
    """One type per category, judged by an LLM (``check=None``), never derived by code."""
    return [
        ConstraintType(
            id=type_id(category),
            family=FAMILY,
            describe=_describe(category),
            summary=description,
        )  # fmt: skip
        for category, (description, _) in CATEGORIES.items()
    ]
