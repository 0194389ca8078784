"""``treebank_tokenize`` skips NLTK's patterns that a sentence cannot match (issue 27) and still gives
``NLTKWordTokenizer().tokenize`` exactly: on every sentence of the real fixture answers and on generated ones
built from the marks each pattern needs."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import NLTKWordTokenizer

import crabplug
from crabplug.text import words

ROOT = Path(__file__).resolve().parents[3]
NLTK = NLTKWordTokenizer()


def test_every_pattern_nltk_runs_is_in_the_table_or_always_runs():
    before, after, contractions = words._steps()
    needs = {p.pattern for p, _, n in before + after if n}
    assert needs == set(words._NEEDS)  # a key that names no pattern (an escape read wrong) would skip nothing
    assert [p.pattern for p, _, n in before + after if not n] == [r"\s+"]
    # the ten (?i) contractions run only where one of their words is: each is one a pattern needs
    assert len(contractions) == 10 and all(p.pattern.startswith(("(?i)\\b", "(?i) ")) for p, _ in contractions)
    for word in words._CONTRACTION.pattern.removeprefix("(?i)").split("|"):
        spaced = f" {word.upper()} "
        assert any(p.search(spaced) for p, _ in contractions), word


def test_real_fixture_sentences_tokenize_as_nltk_does():
    sentences = []
    for path in sorted((ROOT / "tests" / "fixtures" / "real").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines: answers hold U+2028
        for line in lines:
            if line.strip():
                sentences += crabplug.sent_tokenize(json.loads(line)["response"])
    sentences = [s for s in sentences if words.engines_agree(s)]
    assert len(sentences) > 5000
    for sentence in sentences:
        assert words._re_tokens(sentence) == NLTK.tokenize(sentence), sentence


MARKS = list("«“‘„`\"'.,:;@#$%&?!*[](){}<>-»”’") + ["\u2013", "\u2014", "''", "``", "--", "...", "n't", "'s", "'ll"]
PIECES = MARKS + ["word", "Word", "can", "not", "gonna", "tis", " ", " ", "  ", "\t", "3", "x.y", "e.g."]
PIECES += ["CanNot", "gim", "ME", "wanna", "d", "ye", "more'n", "'T", "was", "lemme", "GOTTA", "ſ", "K"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_generated_sentences_tokenize_as_nltk_does(pieces):
    sentence = "".join(pieces)
    assert words._re_tokens(sentence) == NLTK.tokenize(sentence)
