"""crabplug.text.languages: a seed's language, its units, stop-words and keywords, and a constraint said in it."""

from __future__ import annotations

import random

import pytest

from crabplug import ConstraintType
from crabplug.text import languages


@pytest.mark.parametrize(
    "metadata, code",
    [({"lang": "es"}, "es"), ({"language": "fr-FR"}, "fr"), ({"lang": "JA"}, "ja"), ({}, "en"), (None, "en"),
     ({"lang": ""}, "en"), ({"lang": 3}, "en")],
)  # fmt: skip
def test_the_seeds_metadata_names_its_language_and_english_is_the_default(metadata, code):
    assert languages.language_of(metadata) == code


def test_guess_language_is_seeded_and_falls_back_to_english():
    text = "El perro corre por el parque todas las mañanas con su dueño."
    assert [languages.guess_language(text) for _ in range(3)] == ["es", "es", "es"]
    assert languages.guess_language("猫が好きです。毎日一緒に遊びます。") == "ja"
    assert languages.guess_language("12345 !!!") == "en"  # no letters: langdetect cannot tell


def test_japanese_sentences_end_with_its_marks_and_length_counts_characters():
    text = "猫が好きです。犬も好き！「本当？」と聞かれました。\n改行の後の文"
    # a quoted ？ ends nothing
    expected = ["猫が好きです。", "犬も好き！", "「本当？」と聞かれました。", "改行の後の文"]
    assert languages.sentences(text, "ja") == expected
    assert languages.count("猫が 好き", "ja") == 4 and languages.UNITS["ja"] == "characters"
    assert languages.count("El perro corre.", "es") == 3
    assert languages.sentences("Hola. ¿Qué tal? Bien, gracias… Adiós.", "es") == [
        "Hola.", "¿Qué tal?", "Bien, gracias…", "Adiós."]  # fmt: skip


def test_stopwords_and_keywords_are_the_languages_own():
    assert {"para", "como", "porque"} <= languages.stopwords("es")
    assert {"pour", "avec", "dans"} <= languages.stopwords("fr")
    assert languages.stopwords("xx") == frozenset()
    text = "Para regar la planta, riega la planta cuando la tierra esté seca; la planta agradece el riego."
    assert languages.keywords(text, "es", 2) == ["planta", "regar"]
    assert languages.keywords("東京の桜は美しい。東京タワーから桜を見る。", "ja", 2) == ["東京", "タワー"]


def test_plural_and_content_words():
    assert languages.plural(1, "{n} frase", "{n} frases") == "1 frase"
    assert languages.plural(3, "{n} frase", "{n} frases") == "3 frases"
    assert languages.content_words("es", ["planta", "riego"]) and languages.content_words("es", "planta")
    assert not languages.content_words("es", ["planta", "para"]) and not languages.content_words("es", [])


def _type(**extra):
    extra.setdefault("describe", lambda k, rng: f"Write {k['n']} paragraphs.")
    return ConstraintType(id="demo:paragraphs", family="demo", kwargs=("n",), **extra)


def test_a_constraint_is_said_in_the_seeds_language_or_not_at_all():
    spanish = {"es": lambda k: languages.plural(k["n"], "Escribe un párrafo.", "Escribe {n} párrafos.")}
    ctype = _type(phrasings=spanish)
    rng = random.Random(0)
    assert languages.describe(ctype, {"n": 2}, "en", rng) == "Write 2 paragraphs."  # English: the type's own
    assert languages.describe(ctype, {"n": 2}, "es", rng) == "Escribe 2 párrafos."
    assert languages.describe(ctype, {"n": 1}, "es", rng) == "Escribe un párrafo."
    assert languages.describe(ctype, {"n": 2}, "ja", rng) is None  # no Japanese phrasing: not written
    assert languages.sayable(ctype, {"n": 2}, "es") and not languages.sayable(ctype, {"n": 2}, "ja")
    assert languages.describe(ctype, {}, "es", rng) is None  # kwargs the phrasing cannot say
    japanese = _type(language="ja", describe=lambda k, rng: "段落を書いてください。")
    assert languages.describe(japanese, {}, "ja", rng) == "段落を書いてください。"  # a type written in Japanese
    assert languages.describe(japanese, {}, "en", rng) is None and not languages.sayable(japanese, {}, "en")
