"""crabplug_ifeval's sentence splitting (punkt_spans over its Punkt, patterns on re where the engines read
``\\s`` and ``\\d`` alike) gives NLTK's PunktSentenceTokenizer.tokenize sentences exactly."""

from __future__ import annotations

import random

import ifeval_corpus as corpus
import pytest
from crabplug_ifeval import punkt_spans, text

import crabplug

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
    tokenizer = text._sentence_splitter(same_engines)
    texts = _texts()
    if same_engines:
        from crabplug_ifeval import fastre

        texts = [t for t in texts if fastre.space_digit_agree(t)]
    assert len(texts) > 2000
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    nltk_itself = PunktSentenceTokenizer(crabplug.punkt_parameters())  # regex patterns, NLTK's tokens
    assert [punkt_spans.sentences(tokenizer, t) for t in texts] == [nltk_itself.tokenize(t) for t in texts]
