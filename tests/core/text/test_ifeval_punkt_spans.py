"""crabplug's sentence splitting (punkt_spans over its Punkt, patterns on re where the engines read ``\\s`` and
``\\d`` alike) gives NLTK's PunktSentenceTokenizer.tokenize sentences exactly, and its word tokens NLTK's."""

from __future__ import annotations

import random

import ifeval_corpus as corpus
import pytest

import crabplug
from crabplug.text import punkt_spans, sentences
from crabplug.text import regex_agreement as engines

# characters Punkt decides on: sentence ends, closing quotes and brackets (ASCII and curly), dashes, every
# kind of whitespace NLTK scans back for, abbreviations, initials, numbers, and a superscript (regex path)
_PIECES = [*"ab. .!?\"')]}([\n\t\r\x0b\x0c--...A1", "Mr.", "U.S.", "e.g.", " (", "“", "”", "‘", "’", "¹", "«", "»"]


def _texts() -> list[str]:
    rng = random.Random(18)
    built = [r for _, r in corpus.prompt_responses(rng, 200)]
    texts = list(corpus.EDGE_CASES) + built + [t.replace("*", "") for t in built]
    return texts + ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60))) for _ in range(3000)]


@pytest.mark.parametrize("same_engines", [False, True], ids=["regex", "re"])
def test_same_sentences_as_nltk(same_engines):
    tokenizer = sentences.punkt_tokenizer(same_engines)
    texts = _texts()
    if same_engines:
        texts = [t for t in texts if engines.space_digit_agree(t)]
    assert len(texts) > 2000
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    nltk_itself = PunktSentenceTokenizer(sentences.punkt_parameters())  # regex patterns, NLTK's tokens
    assert [punkt_spans.sentences(tokenizer, t) for t in texts] == [nltk_itself.tokenize(t) for t in texts]


# word characters the two engines read differently (superscripts, circled digits, the Kelvin sign), quotes,
# contractions and brackets: the pieces NLTK's Treebank patterns decide on
_WORD_PIECES = [*_PIECES, "can't", "cannot", "gonna", "I'm", "''", "``", "--", "¼", "²", "①", "K", "ſ", "Ü", "é", " "]


def test_word_tokenize_is_nltks():
    from nltk.tokenize import NLTKWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    rng = random.Random(7)
    texts = _texts() + ["".join(rng.choice(_WORD_PIECES) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    assert sum(not engines.engines_agree(t) for t in texts) > 300  # NLTK's own path is exercised too
    punkt, words = PunktSentenceTokenizer(sentences.punkt_parameters()), NLTKWordTokenizer()
    crabplug.clear_tokenizer_caches()
    ours = [crabplug.word_tokenize(t) for t in texts]
    assert ours == [tuple(tok for s in punkt.tokenize(t) for tok in words.tokenize(s)) for t in texts]
    assert [crabplug.sent_tokenize(t) for t in texts] == [tuple(punkt.tokenize(t)) for t in texts]
