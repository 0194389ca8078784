"""Checks about words, counts, case and language: IFEval's verdicts, quirks included.

Every function is ``check(response, **kwargs) -> bool`` with IFEval's kwargs names. Keywords are
used as regular expressions, exactly as IFEval does (``re.search(keyword, ...)``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from crabplug_ifeval import text

RELATIONS = ("less than", "at least")


def compare(count: int, relation: str, threshold: int) -> bool:
    """``count < threshold`` for ``less than``, ``count >= threshold`` for ``at least``."""
    if relation == "less than":
        return count < threshold
    if relation == "at least":
        return count >= threshold
    raise ValueError(f"relation must be one of {RELATIONS}, not {relation!r}")


# A keyword of ASCII letters, digits and spaces is a literal to the regex engine; its case-insensitive
# matches are exactly those of its lowercase form in the lowercased text when no other character of the text
# has an ASCII letter among its case forms (re's IGNORECASE matches "k" to the Kelvin sign, "s" to the long
# s, "i" to the dotless i...). Substring search is much faster than a case-insensitive regex scan.
_PLAIN = re.compile(r"[A-Za-z0-9 ]+")


class _FoldsApart(dict):
    """char -> True when none of its case forms holds an ASCII character (computed on first sight)."""

    def __missing__(self, char: str) -> bool:
        forms = char.lower() + char.upper() + char.casefold() + char.title()
        self[char] = apart = not any(form.isascii() for form in forms)
        return apart


_folds_apart = _FoldsApart().__getitem__


@lru_cache(maxsize=16)
def _ascii_lowered(response: str) -> str | None:
    if response.isascii() or all(map(_folds_apart, set(response) - _ASCII)):
        return response.lower()
    return None


_ASCII = frozenset(map(chr, range(128)))


def _literal(pattern: str, response: str) -> str | None:
    """The lowercased response when ``pattern`` can be searched for as a lowercase substring of it."""
    return _ascii_lowered(response) if _PLAIN.fullmatch(pattern) else None


def _words(value: object, name: str) -> list[str]:
    """A kwarg that must be a list of strings: a lone string would be read as a list of its characters."""
    if not isinstance(value, list | tuple) or not all(isinstance(w, str) for w in value):
        raise TypeError(f"{name} must be a list of strings, got {value!r}")
    return list(value)


def existence(response: str, *, keywords) -> bool:
    """Every keyword occurs (case-insensitive regex search)."""
    return all(occurs(k, response) for k in _words(keywords, "keywords"))


def occurs(keyword: str, response: str) -> bool:
    """IFEval's ``re.search(keyword, response, flags=re.IGNORECASE)``, as a bool."""
    lowered = _literal(keyword, response)
    if lowered is not None:
        return keyword.lower() in lowered
    return re.search(keyword, response, flags=re.IGNORECASE) is not None


def frequency(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    """The keyword occurs ``relation`` ``frequency`` times (case-insensitive regex matches)."""
    return compare(count_matches(keyword.strip(), response), relation, frequency)


def count_matches(keyword: str, response: str) -> int:
    """IFEval's ``len(re.findall(keyword, response, flags=re.IGNORECASE))``."""
    lowered = _literal(keyword, response)
    if lowered is not None:  # non-overlapping, left to right, as findall
        return lowered.count(keyword.lower())
    return len(re.findall(keyword, response, flags=re.IGNORECASE))


def forbidden_words(response: str, *, forbidden_words) -> bool:
    """No forbidden word occurs as a whole word (case-insensitive)."""
    return not any(occurs_as_word(word, response) for word in _words(forbidden_words, "forbidden_words"))


def occurs_as_word(word: str, response: str) -> bool:
    """IFEval's ``re.search(r"\\b" + word + r"\\b", response, flags=re.IGNORECASE)``, as a bool."""
    lowered = _literal(word, response)
    if lowered is not None and word.lower() not in lowered:
        return False  # not even inside another word
    return re.search(r"\b" + word + r"\b", response, flags=re.IGNORECASE) is not None


def letter_frequency(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    """The character occurs ``let_relation`` ``let_frequency`` times, ignoring case.

    The character is counted literally, also ``#`` or ``!`` (IFEval replaces those with a random letter).
    """
    char = letter.strip().lower()
    if not char:
        raise ValueError("letter must be a non-empty character")
    return compare(response.lower().count(char), let_relation, let_frequency)


def response_language(response: str, *, language: str) -> bool:
    """langdetect names ``language`` (an ISO 639-1 code); undetectable text passes, as in IFEval."""
    if language not in _detectable():
        raise ValueError(f"language must be a code langdetect knows (en, de, zh-cn...), got {language!r}")
    found = text.detect_language(response)
    return found is None or found == language


def number_sentences(response: str, *, num_sentences: int, relation: str) -> bool:
    """The Punkt sentence count compares to ``num_sentences`` by ``relation``."""
    compare(0, relation, 0)  # a bad relation fails before the costly count
    return compare(text.count_sentences(response), relation, num_sentences)


def number_words(response: str, *, num_words: int, relation: str) -> bool:
    """The ``\\w+`` word count compares to ``num_words`` by ``relation``."""
    return compare(text.count_words(response), relation, num_words)


def capital_word_frequency(response: str, *, capital_frequency: int, capital_relation: str) -> bool:
    """All-capital words (NLTK word tokens) appear ``capital_relation`` ``capital_frequency`` times."""
    compare(0, capital_relation, 0)
    return compare(text.count_capital_words(response), capital_relation, capital_frequency)


def english_capital(response: str) -> bool:
    """All capitals and English (undetectable language passes, as in IFEval)."""
    return response.isupper() and text.detect_language(response) in ("en", None)


def english_lowercase(response: str) -> bool:
    """All lowercase and English (undetectable language passes, as in IFEval)."""
    return response.islower() and text.detect_language(response) in ("en", None)


def no_comma(response: str) -> bool:
    """No ASCII comma."""
    return "," not in response


def _detectable() -> frozenset[str]:
    """The language codes langdetect has a profile for (its profiles are files named by code)."""
    global _CODES
    if _CODES is None:
        from importlib.resources import files

        _CODES = frozenset(p.name for p in (files("langdetect") / "profiles").iterdir())
    return _CODES


_CODES: frozenset[str] | None = None
