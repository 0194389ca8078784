"""``nltk.word_tokenize`` with the English Punkt model, offline and faster, giving NLTK's tokens exactly.

NLTK's word tokenizer splits the text into Punkt sentences (:func:`crabplug.sent_tokenize`), then each into
Treebank-style tokens (:func:`treebank_tokenize`). Both run NLTK's own patterns, recompiled by ``re`` where
the two regular-expression engines read the text alike (:mod:`crabplug.text.regex_agreement`), and NLTK itself
elsewhere.
Constraint families whose reference counts NLTK tokens use these instead of building NLTK's tokenizers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crabplug.text.regex_agreement import engines_agree
from crabplug.text.sentences import clear_caches as clear_sentence_caches
from crabplug.text.sentences import sent_tokenize

_CACHE = 4096


@lru_cache(maxsize=1)
def _rules():
    from nltk.tokenize import NLTKWordTokenizer as T

    def own(pairs):
        return [(re.compile(p.pattern), s) for p, s in pairs]

    return (
        own(T.STARTING_QUOTES) + own(T.PUNCTUATION) + own([T.PARENS_BRACKETS, T.DOUBLE_DASHES]),
        own(T.ENDING_QUOTES) + [(p, r" \1 \2 ") for p in (*T.CONTRACTIONS2, *T.CONTRACTIONS3)],
    )


@lru_cache(maxsize=1)
def _nltk_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


def _re_tokens(sentence: str) -> list[str]:
    before, after = _rules()
    for pattern, repl in before:
        sentence = pattern.sub(repl, sentence)
    sentence = " " + sentence + " "
    for pattern, repl in after:
        sentence = pattern.sub(repl, sentence)
    return sentence.split()


@lru_cache(maxsize=1 << 15)
def treebank_tokenize(sentence: str) -> tuple[str, ...]:
    """``NLTKWordTokenizer().tokenize(sentence)``: NLTK's Treebank-style tokens of one sentence.

    Cached per sentence: the loose variants of a response (without its first or last line) share most of
    their sentences."""
    if engines_agree(sentence):
        return tuple(_re_tokens(sentence))
    return tuple(_nltk_tokenizer().tokenize(sentence))


@lru_cache(maxsize=_CACHE)
def word_tokenize(text: str) -> tuple[str, ...]:
    """``nltk.word_tokenize(text)`` (English): Punkt sentences, then the Treebank tokens of each."""
    return tuple(tok for sentence in sent_tokenize(text) for tok in treebank_tokenize(sentence))


def clear_caches() -> None:
    """Forget cached tokens and sentences (benchmarks use it to time cold checks)."""
    word_tokenize.cache_clear()
    treebank_tokenize.cache_clear()
    clear_sentence_caches()
