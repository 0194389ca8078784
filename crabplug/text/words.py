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
        own(T.ENDING_QUOTES),
        [(p, r" \1 \2 ") for p in (*T.CONTRACTIONS2, *T.CONTRACTIONS3)],
    )


@lru_cache(maxsize=1)
def _nltk_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


#: characters one of which every match of NLTK's pattern needs (its literal characters, outside (?i) and
#: negated classes): a sentence holding none of them is left as it is, so the pattern is not run. Most
#: sentences hold a few of the 17 patterns' marks; the unlisted patterns (whitespace, the (?i) contractions)
#: always run. Keyed by pattern text; checked on the sentence as the steps before have left it.
_NEEDS = {
    r"([«“‘„]|[`]+)": "«“‘„`",
    r"^\"": '"',
    r"(``)": "`",
    r"([ \(\[{<])(\"|\'{2})": "\"'",
    r"(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)": "'",
    r'([^\.])(\.)([\]\)}>"\'»”’ ]*+)\s*$': ".",
    r"([:,])([^\d])": ":,",
    r"([:,])$": ":,",
    r"\.{2,}": ".",
    r"[;@#$%&]": ";@#$%&",
    r"[\u2012-\u2015]": "\u2012\u2013\u2014\u2015",
    r'([^\.])(\.)([\]\)}>"\']*)\s*$': ".",
    r"[?!]": "?!",
    r"([^'])' ": "'",
    r"[*]": "*",
    r"[\]\[\(\)\{\}\<\>]": "][(){}<>",
    r"--": "-",
    r"([»”’])": "»”’",
    r"''": "'",
    r'"': '"',
    r"([^' ])('[sS]|'[mM]|'[dD]|') ": "'",
    r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ": "'",
}
#: NLTK's ten (?i) contraction patterns ("cannot", "gonna", " 'tis"...), each of which needs one of these words
#: in some case: one search of a sentence instead of ten substitutions where none is there
_CONTRACTION = re.compile(r"(?i)cannot|d'ye|gimme|gonna|gotta|lemme|more'n|wanna|'tis|'twas")


@lru_cache(maxsize=1)
def _steps():
    """NLTK's (pattern, replacement) steps, each with the characters it needs (empty: it always runs)."""
    before, after, contractions = _rules()
    return (
        [(p, r, _NEEDS.get(p.pattern, "")) for p, r in before],
        [(p, r, _NEEDS.get(p.pattern, "")) for p, r in after],
        contractions,
    )


def _re_tokens(sentence: str) -> list[str]:
    before, after, contractions = _steps()
    for pattern, repl, needs in before:
        if not needs or any(c in sentence for c in needs):
            sentence = pattern.sub(repl, sentence)
    sentence = " " + sentence + " "
    for pattern, repl, needs in after:
        if not needs or any(c in sentence for c in needs):
            sentence = pattern.sub(repl, sentence)
    if _CONTRACTION.search(sentence):  # NLTK runs these last, in this order
        for pattern, repl in contractions:
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
