"""How an M-IFEval check becomes a crabplug constraint type, and the comparisons each language's kwargs name.

Ids are M-IFEval's verbatim (``es:keywords:existence``, ``ja:letters:furigana``), so its input files score
unchanged; the family is ``mifeval``. Each type's ``describe`` is M-IFEval's own wording in the type's
language (``ConstraintType.language``), so crabplug writes them only for seeds in that language. A type is
evaluation-only (``training=False``) unless ``derive.py`` can find it in a real answer: see docs/multilingual.md.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from crabplug import ConstraintType

FAMILY = "mifeval"

#: The relation words of each language's kwargs and what they compare (M-IFEval's _COMPARISON_RELATION):
#: Spanish says "at least"/"at most", French and Japanese "less than"/"at least".
RELATIONS: dict[str, dict[str, Callable[[int, int], bool]]] = {
    "es": {"al menos": operator.ge, "como máximo": operator.le},
    "fr": {"moins de": operator.lt, "au moins": operator.ge},
    "ja": {"未満": operator.lt, "以上": operator.ge},
}


#: what a type counts, so that crabplug never puts two counts of one thing in a sample (with IFEval's types too)
#: how likely a person asks for each derivable type (``ConstraintType.natural``, 0-5, the crab combiner's scale:
#: 5 a length or a format, 4 common, 3 plausible beside those, 2 a test's trick, 1 trivia); the IFEval types'
#: levels where the meaning is the same, and for the language's own: a register or a title asked for often,
#: its punctuation and scripts rarely
NATURAL = {
    "length_constraints:number_words": 5,
    "length_constraints:number_letters": 5,  # Japanese lengths are in characters: "in about 400 characters"
    "detectable_format:number_bullet_lists": 5,
    "detectable_format:number_numbered_lists": 5,
    "detectable_format:title": 5,
    "keywords:existence": 4,
    "startend:sentence_unified_end": 4,  # です/ます throughout: the polite register, asked for often
    "detectable_content:informal_address": 4,  # tutoiement
    "punctuation:question_marks": 3,
    "punctuation:exclamation_marks": 3,
    "detectable_content:no_digits": 3,
    "letters:kansuuji": 3,
    "length_constraints:number_sentences": 2,
    "special_character:tildes": 2,
    "detectable_format:nominal_ending": 2,
    "letters:kanji": 2,
    "special_character:enie": 1,
}
COUNTS = {
    "length_constraints:number_words": "words",
    "length_constraints:number_sentences": "sentences",
    "length_constraints:number_letters": "letters",
    "length_constraints:number_paragraphs": "paragraphs",
    "change_case:capital_word_frequency": "capital words",
}


def compare(lang: str, count: int, relation: str, n: int) -> bool:
    """``count`` against ``n`` by the language's ``relation`` word; an unknown word is a ValueError."""
    table = RELATIONS[lang]
    if relation not in table:
        raise ValueError(f"relation must be one of {sorted(table)} for {lang}, got {relation!r}")
    return table[relation](count, n)


def mtype(
    lang: str,
    name: str,
    check: Callable[..., bool],
    template: str,
    *,
    example: Mapping[str, Any] | None = None,
    ranges: Mapping[str, tuple[int, int]] | None = None,
) -> ConstraintType:
    """An M-IFEval type ``lang:name``: ``check`` is the verdict, ``template`` M-IFEval's wording with slots."""
    names = tuple(dict.fromkeys(re.findall(r"{(\w+)}", template)))

    def describe(kwargs: Mapping[str, Any], rng: Any) -> str:
        values = {k: sorted(v) if isinstance(v, list) else v for k, v in kwargs.items()}
        return template.format(**values)

    extra = tuple(k for k in (example or {}) if k not in names)  # kwargs the check uses but the text does not show
    summary = re.sub(r"{(\w+)}", r"\1", template).split("\n")[0]
    return ConstraintType(
        id=f"{lang}:{name}",
        family=FAMILY,
        describe=describe,
        check=check,
        kwargs=names + extra,
        summary=summary if len(summary) <= 100 else summary[:97] + "...",
        example=dict(example or {}),
        training=False,
        ranges=dict(ranges or {}),
        language=lang,
        counts=COUNTS.get(name, ""),
        natural=NATURAL.get(name),
    )
