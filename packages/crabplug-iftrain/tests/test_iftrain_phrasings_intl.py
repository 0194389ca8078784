"""IFTrain types said in Spanish, French and Japanese (phrasings_intl): only those whose check means the same in
the language, grammatical for 1 and for many, keywords only when content words of the language."""

from __future__ import annotations

import re

import pytest

import crabplug
from crabplug import describe_in as describe

ENGLISH = {"word", "words", "paragraph", "paragraphs", "your", "answer", "response", "use", "once", "twice"}
SAID = {
    "keywords:word_once": {"keyword": "cosecha"},
    "keywords:word_count_different_numbers": {"keyword": "luz", "frequency": 3, "relation": "less than"},
    "keywords:exclude_word_harder": {"keyword": "otoño"},
    "count:count_increment_word": {"keyword1": "luna", "keyword2": "hoja"},
    "first_word:first_word_answer": {"first_word": "Hola"},
    "last_word:last_word_answer": {"last_word": "casa"},
    "paragraphs:paragraphs": {},
    "paragraphs:paragraphs2": {},
    "punctuation:punctuation_dot": {},
}


@pytest.fixture(scope="module")
def types():
    return crabplug.load_plugins(only=["iftrain"]).constraint_types


def test_which_types_each_language_says(types):
    assert {t for t, c in types.items() if "es" in c.phrasings} == set(SAID)
    assert {t for t, c in types.items() if "fr" in c.phrasings} == set(SAID)
    assert {t for t, c in types.items() if "ja" in c.phrasings} == {"paragraphs:paragraphs", "paragraphs:paragraphs2"}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_phrasings_read_in_the_language(types, language):
    for type_id, kwargs in SAID.items():
        text = describe(types[type_id], kwargs, language, None)
        assert text and text.endswith("."), (type_id, text)
        assert not set(re.findall(r"\w+", text.lower())) & ENGLISH, text


def test_one_time_is_singular_and_many_plural(types):
    ctype = types["keywords:word_count_different_numbers"]
    one = {"keyword": "luz", "frequency": 1, "relation": "at least"}
    assert describe(ctype, one, "es", None) == "La palabra «luz» debe aparecer al menos 1 vez en tu respuesta."
    assert describe(ctype, SAID[ctype.id], "es", None) == (
        "La palabra «luz» debe aparecer menos de 3 veces en tu respuesta.")  # fmt: skip
    assert describe(ctype, one, "fr", None) == "Le mot «luz» doit apparaître au moins 1 fois dans votre réponse."


def test_a_keyword_that_is_a_stop_word_of_the_language_is_not_said(types):
    assert describe(types["keywords:word_once"], {"keyword": "para"}, "es", None) is None
    assert describe(types["count:count_increment_word"], {"keyword1": "mer", "keyword2": "été"}, "fr", None) is None
    assert describe(types["keywords:word_once"], {"keyword": "cosecha"}, "ja", None) is None  # not said in Japanese


def test_what_is_said_is_what_the_check_verifies(types):
    """Two of the sentences against their checks on Spanish text: the words are counted as the sentence says."""
    once = types["keywords:word_once"]
    assert crabplug.check(once, "La cosecha fue buena este año.", {"keyword": "cosecha"})
    assert not crabplug.check(once, "Cosecha tras cosecha.", {"keyword": "cosecha"})
    last = types["last_word:last_word_answer"]
    assert crabplug.check(last, "Volvimos a casa.", {"last_word": "casa"})  # "puede seguirle un signo de puntuación"
