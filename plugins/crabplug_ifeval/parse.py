"""Free-text constraints that say exactly what an IFEval type checks: each type's ``parse(sentence)``.

A few narrow regular expressions, each matching only unambiguous phrasings ("at least 300 words",
"no commas", 'end with the phrase "..."'). A back-translator that gets such a sentence from an LLM keeps the
sentence as its text but gives it this type and these kwargs, so code decides it instead of an LLM judge.
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

Parse = Callable[[str], "dict[str, Any] | None"]


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


def _counted(unit: str, num_key: str) -> Parse:
    pattern = re.compile(rf"({_AT_LEAST}|{_BELOW})\s+{_N}\s+{unit}\b", re.IGNORECASE)

    def parse(sentence: str) -> dict[str, Any] | None:
        m = pattern.search(sentence)
        if m is None:
            return None
        relation, n = _relation(" ".join(m.group(1).split()), _number(m.group(2)))
        return {"relation": relation, num_key: n}

    return parse


def _flag(regex: str) -> Parse:
    pattern = re.compile(regex, re.IGNORECASE)
    return lambda sentence: {} if pattern.search(sentence) else None


def _end_phrase(sentence: str) -> dict[str, Any] | None:
    m = _ENDS.search(sentence)
    return {"end_phrase": m.group(1).strip()} if m and m.group(1).strip() else None


def _keywords(sentence: str) -> dict[str, Any] | None:
    m = _INCLUDES.search(sentence)
    if m is None:
        return None
    words = [w.strip() for w in re.findall(_QUOTED, m.group(0)) if w.strip()]
    return {"keywords": words} if words else None


_NO_COMMA = r"\b(?:no|without(?: using)?(?: any)?|avoid(?:s|ing)?(?: using)?(?: any)?|not use any)\s+commas\b"
_ENDS = re.compile(
    r"\b(?:ends?|ending|concludes?|finish(?:es)?)(?: (?:the|your) (?:response|answer|text))? with "
    rf"(?:the )?(?:exact )?(?:phrase|sentence|words?)\s*:?\s*{_QUOTED}",
    re.IGNORECASE,
)
_INCLUDES = re.compile(
    r"\b(?:includes?|mentions?|contains?|uses?)\b (?:the )?(?:key)?(?:words?|terms?|phrases?)\s*:?\s*"
    rf"{_QUOTED}(?:\s*(?:,|and|or)\s*{_QUOTED})*",
    re.IGNORECASE,
)

#: type id -> its parse function, in the order a sentence is tried against them (the most specific first)
PARSERS: dict[str, Parse] = {
    "length_constraints:number_words": _counted("words", "num_words"),
    "length_constraints:number_sentences": _counted("sentences", "num_sentences"),
    "change_case:english_lowercase": _flag(r"\b(?:entirely|all|only|exclusively) (?:in )?lower\s*-?case\b"),
    "change_case:english_capital": _flag(
        r"\b(?:entirely|all|only|exclusively) (?:in )?(?:upper\s*-?case|capital letters)\b"
    ),
    "punctuation:no_comma": _flag(_NO_COMMA),
    "startend:end_checker": _end_phrase,
    "keywords:existence": _keywords,
}
