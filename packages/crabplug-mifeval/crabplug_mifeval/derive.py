"""Rule back-translation for M-IFEval's types: kwargs a real answer in the type's language already satisfies.

Each ``derive(example, rng)`` returns kwargs or None; crabplug's ``rules`` back-translator keeps them only when the
type's check confirms them, and derives a type only for seeds in the type's language (``ConstraintType.language``).
Bounds stay near the answer's own value (within about a fifth), so no "at least 10 words" for a 300-word answer.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from typing import Any

from crabplug_mifeval import japanese, spanish
from crabplug_mifeval.text import (
    french_sentences,
    japanese_sentence_count,
    japanese_tokens,
    regexp_word_count,
    spanish_words,
)

Derive = Callable[[Any, random.Random], "dict[str, Any] | None"]

#: (at least, below) relation words per language: Spanish's ceiling is inclusive ("como máximo"), the others' strict
_WORDS = {"es": ("al menos", "como máximo"), "fr": ("au moins", "moins de"), "ja": ("以上", "未満")}


def _step(value: int) -> int:
    return 1 if value < 20 else 5 if value < 100 else 10 if value < 500 else 50


def bound(value: int, lang: str, rng: random.Random, *, minimum: int = 1) -> tuple[str, int] | None:
    """(relation, n) that ``value`` meets: "at least" a round number a little below it, or a ceiling a little above
    (not in Spanish, where M-IFEval's wording reads "Responde con como máximo N palabras")."""
    if value < minimum:
        return None
    at_least, below = _WORDS[lang]
    step = _step(value)
    if lang == "es" or rng.random() < 0.5:
        n = max(minimum, math.floor(value * 0.85 / step) * step)
        return at_least, n
    n = math.ceil(value * 1.15 / step) * step
    return below, n if n > value else value + step


def counted(measure: Callable[[str], int], lang: str, number: str, relation: str = "relation", minimum: int = 1):
    """A derive for a type that bounds ``measure(response)``: kwargs ``{number: n, relation: word}``."""

    def derive(example: Any, rng: random.Random) -> dict[str, Any] | None:
        found = bound(measure(example.response), lang, rng, minimum=minimum)
        return None if found is None else {relation: found[0], number: found[1]}

    return derive


def present(check: Callable[[str], bool]) -> Derive:
    """A derive for a type without kwargs: ``{}`` when the answer already does what it asks."""
    return lambda example, rng: {} if check(example.response) else None


def exactly(measure: Callable[[str], int], name: str, minimum: int = 1) -> Derive:
    """A derive for an exact count (bullets, numbered items, words with ñ): the answer's own, when it has any
    (at least ``minimum``: M-IFEval's wordings are plural, "deben aparecer 1 veces" is not said)."""

    def derive(example: Any, rng: random.Random) -> dict[str, Any] | None:
        value = measure(example.response)
        return {name: value} if value >= minimum else None

    return derive


# -- Spanish ----------------------------------------------------------------------------------------------------

_TILDE = "áéíóúÁÉÍÓÚ"
SPANISH: dict[str, Derive] = {
    "length_constraints:number_words": counted(spanish.word_count, "es", "num_words", minimum=20),
    "length_constraints:number_sentences": counted(spanish.sentence_count, "es", "num_sentences", minimum=2),
    "special_character:tildes": counted(lambda r: sum(any(c in _TILDE for c in w) for w in spanish_words(r)), "es",
                                        "num_words", minimum=3),
    "special_character:enie": exactly(lambda r: sum("ñ" in w.lower() for w in spanish_words(r)), "let_frequency",
                                      minimum=2),
    "punctuation:question_marks": present(lambda r: re.search(r"¿[^?]*\w[^?]*\?", r) is not None),
    "punctuation:exclamation_marks": present(lambda r: re.search(r"¡[^!]*\w[^!]*!", r) is not None),
}  # fmt: skip

# -- French -----------------------------------------------------------------------------------------------------

_FR_NUMBERS = re.compile(r"\b(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|cent|mille)\b", re.IGNORECASE)
FRENCH: dict[str, Derive] = {
    "length_constraints:number_words": counted(regexp_word_count, "fr", "num_words", minimum=20),
    "length_constraints:number_sentences": counted(lambda r: len(french_sentences(r)), "fr", "num_sentences",
                                                   minimum=2),
    "detectable_content:no_digits": present(lambda r: _FR_NUMBERS.search(r) is not None and not re.search(r"\d", r)),
    "detectable_content:informal_address": present(
        lambda r: re.search(r"\b(tu|te|toi|ton|ta|tes)\b", r, re.IGNORECASE) is not None),
}  # fmt: skip

# -- Japanese ---------------------------------------------------------------------------------------------------

_KANJI_NUMBER = re.compile(r"[一二三四五六七八九十百千万]")


def _unified_end(example: Any, rng: random.Random) -> dict[str, Any] | None:
    for ending in ("ます", "です"):
        if japanese.unified_end(example.response, ending=ending) and example.response.count(ending) >= 2:
            return {"ending": ending}
    return None


def _nominal(example: Any, rng: random.Random) -> dict[str, Any] | None:
    tokens = japanese_tokens(japanese._unquoted(example.response))
    found = sum(1 for i in range(1, len(tokens)) if tokens[i][0] in "。！？" and tokens[i - 1][1].startswith("名詞"))
    return {"count": found} if found >= 1 else None


def _keywords(example: Any, rng: random.Random) -> dict[str, Any] | None:
    """One or two nouns the answer uses (janome's common and proper nouns of two characters or more)."""
    nouns = [s for s, pos in japanese_tokens(example.response) if pos.startswith(("名詞,一般", "名詞,固有名詞"))]
    nouns = sorted({n for n in nouns if len(n) >= 2}, key=nouns.index)
    if not nouns:
        return None
    return {"keywords": rng.sample(nouns, min(len(nouns), rng.choice((1, 2))))}


JAPANESE: dict[str, Derive] = {
    "length_constraints:number_letters": counted(len, "ja", "num_letters", minimum=50),
    "length_constraints:number_sentences": counted(japanese_sentence_count, "ja", "num_sentences", minimum=2),
    "letters:kanji": counted(lambda r: len(re.findall(r"[\u4e00-\u9faf]", r)), "ja", "kanji_limit",
                             relation="relation", minimum=5),
    "letters:kansuuji": present(lambda r: _KANJI_NUMBER.search(r) is not None and not re.search(r"\d", r)),
    "startend:sentence_unified_end": _unified_end,
    "detectable_format:nominal_ending": _nominal,
    "detectable_format:number_bullet_lists": exactly(
        lambda r: len(re.findall(r"^\s*・[^\・].*$", r, flags=re.MULTILINE)), "num_bullets"),
    "detectable_format:number_numbered_lists": exactly(
        lambda r: len(re.findall(r"^\s*\d+\.\s.*$", r, flags=re.MULTILINE)), "num_items"),
    "detectable_format:title": present(japanese.title),
    "keywords:existence": _keywords,
}  # fmt: skip

DERIVES = {"es": SPANISH, "fr": FRENCH, "ja": JAPANESE}
