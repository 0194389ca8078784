"""Constraint sentences an LLM wrote that say exactly what a code-checkable type checks.

A few narrow regular expressions, each matching only unambiguous phrasings ("at least 300 words",
"no commas", 'end with the phrase "..."'). A mapped constraint keeps the LLM's sentence as its text but
gets the type's id and kwargs, so the ``code`` verifier decides it instead of an LLM judge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_N = r"(\d[\d,]*|" + "|".join(_NUMBERS) + r")"
_AT_LEAST = r"(?:at least|a minimum of|no fewer than|not less than|more than|over)"
_BELOW = r"(?:fewer than|less than|under|below|at most|a maximum of|no more than|not more than)"
_QUOTED = r"[\"“”'‘’]([^\"“”‘’]{1,80}?)[\"“”'‘’]"


def _number(text: str) -> int:
    return _NUMBERS.get(text.lower()) or int(text.replace(",", ""))


def _relation(qualifier: str, n: int) -> tuple[str, int]:
    """IFEval has only 'at least' and 'less than': 'more than N' is 'at least N+1', 'at most N' is 'less than N+1'."""
    q = qualifier.lower()
    if q in {"more than", "over"}:
        return "at least", n + 1
    if q in {"at most", "a maximum of", "no more than", "not more than"}:
        return "less than", n + 1
    return ("at least", n) if re.fullmatch(_AT_LEAST, q) else ("less than", n)


def _counted(unit: str, type_id: str, num_key: str) -> tuple[re.Pattern, Callable]:
    pattern = re.compile(rf"({_AT_LEAST}|{_BELOW})\s+{_N}\s+{unit}\b", re.IGNORECASE)

    def kwargs(m: re.Match) -> dict[str, Any]:
        relation, n = _relation(" ".join(m.group(1).split()), _number(m.group(2)))
        return {"relation": relation, num_key: n}

    return pattern, lambda m: (type_id, kwargs(m))


def _keywords(m: re.Match) -> tuple[str, dict[str, Any]]:
    words = re.findall(_QUOTED, m.group(0))
    return "keywords:existence", {"keywords": [w.strip() for w in words if w.strip()]}


_NO_COMMA = r"\b(?:no|without(?: using)?(?: any)?|avoid(?:s|ing)?(?: using)?(?: any)?|not use any)\s+commas\b"
_ENDS = (
    r"\b(?:ends?|ending|concludes?|finish(?:es)?)(?: (?:the|your) (?:response|answer|text))? with "
    rf"(?:the )?(?:exact )?(?:phrase|sentence|words?)\s*:?\s*{_QUOTED}"
)
_INCLUDES = (
    r"\b(?:includes?|mentions?|contains?|uses?)\b (?:the )?(?:key)?(?:words?|terms?|phrases?)\s*:?\s*"
    rf"{_QUOTED}(?:\s*(?:,|and|or)\s*{_QUOTED})*"
)

RULES: list[tuple[re.Pattern, Callable[[re.Match], tuple[str, dict[str, Any]]]]] = [
    _counted("words", "length_constraints:number_words", "num_words"),
    _counted("sentences", "length_constraints:number_sentences", "num_sentences"),
    (
        re.compile(r"\b(?:entirely|all|only|exclusively) (?:in )?lower\s*-?case\b", re.I),
        lambda m: ("change_case:english_lowercase", {}),
    ),
    (
        re.compile(r"\b(?:entirely|all|only|exclusively) (?:in )?(?:upper\s*-?case|capital letters)\b", re.I),
        lambda m: ("change_case:english_capital", {}),
    ),
    (re.compile(_NO_COMMA, re.I), lambda m: ("punctuation:no_comma", {})),
    (re.compile(_ENDS, re.I), lambda m: ("startend:end_checker", {"end_phrase": m.group(1).strip()})),
    (re.compile(_INCLUDES, re.I), _keywords),
]


def map_sentence(sentence: str, known: Callable[[str], bool]) -> tuple[str, dict[str, Any]] | None:
    """The (type id, kwargs) a sentence states, if one rule matches it and ``known(type_id)``; else None."""
    for pattern, build in RULES:
        match = pattern.search(sentence)
        if match is None:
            continue
        type_id, kwargs = build(match)
        if known(type_id) and all(v not in ("", []) for v in kwargs.values()):
            return type_id, kwargs
    return None
