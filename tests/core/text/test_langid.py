"""crabplug.text.langid (the core's language guess) answers exactly as langdetect 1.0.9 with seed 0, n-grams and
language alike."""

from __future__ import annotations

import random

import ifeval_corpus as corpus
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crabplug.text.langid import detector


@pytest.fixture(scope="module")
def langdetect_seeded():
    import langdetect
    from langdetect import DetectorFactory, detector_factory

    DetectorFactory.seed = 0
    detector_factory.init_factory()

    def detect(text):
        try:
            return langdetect.detect(text)
        except langdetect.LangDetectException:
            return None

    def ngrams(text):
        d = detector_factory._factory.create()
        d.append(text)
        d.cleaning_text()
        return d._extract_ngrams()

    return detect, ngrams


def _texts():
    texts = list(corpus.EDGE_CASES) + [r for _, r in corpus.prompt_responses(random.Random(11), 150)]
    return texts + [t[:n] for t in texts[:60] for n in (2, 9, 30)]


def test_same_language_as_langdetect_on_the_corpus(langdetect_seeded):
    detect, _ = langdetect_seeded
    mine = detector()
    assert [mine.detect(t) for t in _texts()] == [detect(t) for t in _texts()]


def test_same_ngrams_as_langdetect_on_the_corpus(langdetect_seeded):
    _, ngrams = langdetect_seeded
    mine = detector()
    for text in _texts():
        assert mine.ngrams(text) == ngrams(text)


_SCRIPTS = st.sampled_from(
    [
        "hello world",
        "Bonjour",
        "ÉCOLE",
        "straße",
        "Привет мир",
        "日本語のテキスト",
        "ひらがな",
        "カタカナ",
        "한국어",
        "مرحبا",
        "ی",
        "नमस्ते",
        "Tiếng Việt", "Tie\u0302\u0301ng Vie\u0323\u0302t",
        "ș ț",
        "http://x.org/a",
        "a@b.com",
        "ABC DEF",
        "AbC",
        " ",
        "  ",
        "\n",
        "!",
        "42",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_SCRIPTS, min_size=1, max_size=12).map(" ".join) | st.text(max_size=40))
def test_same_language_as_langdetect_on_generated_text(langdetect_seeded, text):
    detect, ngrams = langdetect_seeded
    assert detector().ngrams(text) == ngrams(text)
    assert detector().detect(text) == detect(text)


def test_same_ngrams_as_langdetect_around_the_10000_character_cut(langdetect_seeded):
    # langdetect keeps the first 10,000 characters of the cleaned text; crabplug builds long texts from
    # cached lines and cuts inside the line where that falls (or right after a newline)
    _, ngrams = langdetect_seeded
    base = "Hello world, this is  a line.\nSecond   line http://x.org/a here\n\nÜber café straße a@b.com\n"
    texts = [(base * 200)[:n] + tail for n in range(9995, 10003) for tail in ("", "\n", "\nxyz")]
    assert all(len(t) > 9900 for t in texts)
    for text in texts:
        assert detector().ngrams(text) == ngrams(text)
