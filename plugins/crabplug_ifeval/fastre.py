"""NLTK's patterns run by Python's ``re`` where it gives ``regex``'s answers.

NLTK >= 3.10 matches its tokenizer patterns with the third-party ``regex`` engine behind a time-out wrapper,
several times slower than ``re`` on short strings. Both engines read the same pattern the same way on text
whose every character they classify alike (``\\w``, ``\\d``, ``\\s``, case folding): all of ASCII and most
of Unicode. On such text the patterns below (NLTK's own, recompiled) give NLTK's tokens exactly; on any
other text callers use NLTK itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CLASSES = (r"\w", r"\d", r"\s")


class _Agreement(dict):
    """char -> whether ``re`` and ``regex`` agree on it for every class and ignoring case."""

    def __missing__(self, char: str) -> bool:
        import regex

        same = all(bool(re.fullmatch(c, char)) == bool(regex.fullmatch(c, char, flags=regex.V0)) for c in _CLASSES)
        # a character that case-folds onto another (the Kelvin sign, long s) may match differently under (?i)
        same = same and (char.isascii() or not {char.lower(), char.upper(), char.casefold()} & _ASCII_LETTERS)
        self[char] = same
        if same:
            _AGREED.add(char)
        return same


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_agree = _Agreement().__getitem__


_AGREED: set[str] = set()  # characters found alike so far: set aside in C before looking at the rest


def engines_agree(text: str) -> bool:
    """Whether ``re`` and ``regex`` classify every character of ``text`` alike."""
    return text.isascii() or all(map(_agree, set(text) - _AGREED))


class _SpaceDigitAgreement(dict):
    """char -> whether ``re`` and ``regex`` agree on it for ``\\s`` and ``\\d`` (``\\w`` aside)."""

    def __missing__(self, char: str) -> bool:
        import regex

        self[char] = same = all(
            bool(re.fullmatch(c, char)) == bool(regex.fullmatch(c, char, flags=regex.V0)) for c in (r"\d", r"\s")
        )
        if same:
            _SPACE_DIGIT_AGREED.add(char)
        return same


_space_digit_agree = _SpaceDigitAgreement().__getitem__
_SPACE_DIGIT_AGREED: set[str] = set()


def space_digit_agree(text: str) -> bool:
    """Whether ``re`` and ``regex`` read ``\\s`` and ``\\d`` alike on every character of ``text``: enough for
    Punkt's text patterns, which use no ``\\w`` (superscripts and subscripts differ only there)."""
    return text.isascii() or all(map(_space_digit_agree, set(text) - _SPACE_DIGIT_AGREED))


@lru_cache(maxsize=1)
def _word_rules():
    from nltk.tokenize import NLTKWordTokenizer as T

    def own(pairs):
        return [(re.compile(p.pattern), s) for p, s in pairs]

    return (
        own(T.STARTING_QUOTES) + own(T.PUNCTUATION) + own([T.PARENS_BRACKETS, T.DOUBLE_DASHES]),
        own(T.ENDING_QUOTES) + [(p, r" \1 \2 ") for p in (*T.CONTRACTIONS2, *T.CONTRACTIONS3)],
    )


def word_tokens(sentence: str) -> list[str]:
    """``NLTKWordTokenizer().tokenize(sentence)`` (no parenthesis conversion) for text where the engines agree."""
    before, after = _word_rules()
    for pattern, repl in before:
        sentence = pattern.sub(repl, sentence)
    sentence = " " + sentence + " "
    for pattern, repl in after:
        sentence = pattern.sub(repl, sentence)
    return sentence.split()


_RUN = re.compile(r"\w+")
# The only places NLTK's word tokenizer cuts between two word characters: its contractions
_INNER_CUTS = ("cannot", "gimme", "gonna", "gotta", "lemme", "wanna", "n't", "'t")


def no_capital_token(sentence: str) -> bool:
    """True when no word token of ``sentence`` can be all capitals, without tokenizing it.

    The tokenizer cuts only at punctuation, spaces and its contractions, never inside a run of word
    characters otherwise, so a token holding an uppercase letter holds that letter's whole run; when every
    such run also holds a lowercase (or titlecase) letter, no token is all capitals.
    """
    lowered = sentence.lower()
    if any(cut in lowered for cut in _INNER_CUTS):
        return False
    if not sentence.isascii() and any(map(str.isupper, _RUN.sub("", sentence))):
        return False  # a capital outside word characters (a circled letter) may be a token alone
    return not any(map(str.isupper, _RUN.findall(sentence)))
