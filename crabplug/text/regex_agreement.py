"""Where Python's ``re`` reads NLTK's patterns as NLTK's ``regex`` engine does.

NLTK >= 3.10 matches its tokenizer patterns with the third-party ``regex`` engine behind a time-out wrapper,
several times slower than ``re`` on short strings. Both engines read the same pattern the same way on text
whose every character they classify alike (``\\w``, ``\\d``, ``\\s``, case folding): all of ASCII and most
of Unicode. :mod:`crabplug.text.sentences` and :mod:`crabplug.text.words` run NLTK's own patterns, recompiled by ``re``,
on such text and NLTK itself on any other, so their answers are NLTK's.
"""

from __future__ import annotations

import re

_CLASSES = (r"\w", r"\d", r"\s")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class _Agreement(dict):
    """char -> whether ``re`` and ``regex`` agree on it for every class in ``classes`` (and, for ``\\w``,
    ignoring case); the characters found alike are also added to ``agreed``, set aside in C next time."""

    def __init__(self, classes: tuple[str, ...]) -> None:
        super().__init__()
        self.classes = classes
        self.agreed: set[str] = set()

    def __missing__(self, char: str) -> bool:
        import regex

        same = all(bool(re.fullmatch(c, char)) == bool(regex.fullmatch(c, char, flags=regex.V0)) for c in self.classes)
        if r"\w" in self.classes:
            # a character that case-folds onto another (the Kelvin sign, long s) may match differently under (?i)
            same = same and (char.isascii() or not {char.lower(), char.upper(), char.casefold()} & _ASCII_LETTERS)
        self[char] = same
        if same:
            self.agreed.add(char)
        return same

    def all_agree(self, text: str) -> bool:
        return text.isascii() or all(map(self.__getitem__, set(text) - self.agreed))


_ALL = _Agreement(_CLASSES)
_SPACE_DIGIT = _Agreement((r"\d", r"\s"))


def engines_agree(text: str) -> bool:
    """Whether ``re`` and ``regex`` classify every character of ``text`` alike."""
    return _ALL.all_agree(text)


def space_digit_agree(text: str) -> bool:
    """Whether ``re`` and ``regex`` read ``\\s`` and ``\\d`` alike on every character of ``text``: enough for
    Punkt's text patterns, which use no ``\\w`` (superscripts and subscripts differ only there)."""
    return _SPACE_DIGIT.all_agree(text)
