"""The crab:* types said in Spanish, French and Japanese (phrasings_intl): grammatical for 1 and for many over
every value in range, nothing English left, and only what the check means in the language."""

from __future__ import annotations

import re

import pytest
from crabplug_crab.family import MARKS, RANGES

import crabplug
from crabplug.text.languages import describe

ENGLISH = {"word", "words", "sentence", "sentences", "paragraph", "paragraphs", "your", "answer", "response", "use"}
EXAMPLES = {
    "crab:keywords": [{"keywords": ["aburrimiento"]}, {"keywords": ["atención", "cerebro", "tarea"]}],
    "crab:no_punctuation": [{"mark": m} for m in MARKS],
}


@pytest.fixture(scope="module")
def types():
    found = crabplug.load_plugins(only=["crab"]).constraint_types
    return {t: c for t, c in found.items() if t.startswith("crab:")}  # the rule types (llm:* are the LLM's)


def _values(type_id: str) -> list[dict]:
    """The type's kwargs at each end of its range, in the middle and at 1 (where a plural could go wrong)."""
    if type_id in EXAMPLES:
        return EXAMPLES[type_id]
    (lo, hi), names = next(iter(RANGES[type_id].values())), list(RANGES[type_id])
    if type_id == "crab:length_range":
        return [{"min_words": lo, "max_words": hi}, {"min_words": lo, "max_words": lo + 10}]
    return [{names[0]: n} for n in sorted({1, lo, (lo + hi) // 2, hi})]


def test_spanish_and_french_say_every_crab_type_and_japanese_only_the_punctuation_mark(types):
    assert {t for t, c in types.items() if set(c.phrasings) >= {"es", "fr"}} == set(types)
    assert {t for t, c in types.items() if "ja" in c.phrasings} == {"crab:no_punctuation"}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_phrasings_read_in_the_language_for_every_value(types, language):
    for type_id, ctype in types.items():
        for kwargs in _values(type_id):
            text = describe(ctype, kwargs, language, None)
            assert text and text.endswith("."), (type_id, kwargs, text)
            assert not set(re.findall(r"\w+", text.lower())) & ENGLISH, text
            assert "{" not in text, text


def test_one_is_singular_and_many_plural(types):
    one, many = {"max_sentences": 1}, {"max_sentences": 4}
    ctype = types["crab:sentences_per_paragraph"]
    assert describe(ctype, one, "es", None) == "Cada párrafo debe tener una sola frase."
    assert describe(ctype, many, "es", None) == "Ningún párrafo debe tener más de 4 frases."
    assert describe(ctype, one, "fr", None) == "Chaque paragraphe doit tenir en une seule phrase."
    assert describe(types["crab:keywords"], {"keywords": ["cerebro"]}, "es", None) == (
        "Incluye la palabra clave «cerebro» en tu respuesta.")  # fmt: skip
    assert describe(types["crab:keywords"], {"keywords": ["esprit", "tâche"]}, "fr", None) == (
        "Employez les mots-clés «esprit» et «tâche» dans votre réponse.")  # fmt: skip


def test_french_elides_de_before_a_vowel(types):
    ctype = types["crab:no_punctuation"]
    assert describe(ctype, {"mark": "*"}, "fr", None) == "N'utilisez pas d'astérisques (*) dans votre réponse."
    assert describe(ctype, {"mark": ";"}, "fr", None) == "N'utilisez pas de points-virgules (;) dans votre réponse."


def test_japanese_names_the_half_width_mark_the_check_looks_for(types):
    ctype = types["crab:no_punctuation"]
    assert describe(ctype, {"mark": "!"}, "ja", None) == "回答に半角の「!」を使わないでください。"
    assert crabplug.check(ctype, "すごい！", {"mark": "!"})  # the full-width ！ is not the mark
    assert describe(ctype, {"mark": "…"}, "ja", None) == "回答に「…」を使わないでください。"


def test_a_keyword_that_is_a_stop_word_of_the_language_is_not_said(types):
    ctype = types["crab:keywords"]
    assert describe(ctype, {"keywords": ["cerebro", "para"]}, "es", None) is None
    assert describe(ctype, {"keywords": ["été"]}, "fr", None) is None
