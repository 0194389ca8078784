"""The mifeval family: its 93 types and 3 benchmarks registered, every prompt scorable, wordings in their
language, and the checks on texts that tell the languages' rules apart (edge cases M-IFEval's own code shows)."""

from __future__ import annotations

import collections
import random

import mifeval_corpus as corpus
import pytest

import crabplug
from crabplug.testing import load_only


@pytest.fixture(scope="module")
def registry():
    return load_only("crabplug_mifeval")


@pytest.fixture(scope="module")
def types(registry):
    return {t.id: t for t in registry.constraint_types.values() if t.family == "mifeval"}


def test_93_types_and_three_benchmarks_are_registered(registry, types):
    assert [sum(t.startswith(f"{lang}:") for t in types) for lang in corpus.LANGS] == [30, 30, 33]
    derivable = {t.id for t in types.values() if t.derive is not None}
    assert {t.id for t in types.values() if t.training} == derivable and len(derivable) == 20
    assert all(t.language == t.id[:2] for t in types.values())  # written in, and derived for, their language
    assert {"mifeval-es", "mifeval-fr", "mifeval-ja"} <= set(registry.items["benchmarks"])
    assert [len(corpus.inputs(lang)) for lang in corpus.LANGS] == [115, 235, 172]


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_every_prompt_names_registered_types_with_kwargs_their_check_takes(registry, lang):
    for row in corpus.inputs(lang).values():
        out = crabplug.score_row(registry, {**row, "response": "Una respuesta. Une réponse. 答え。"})
        assert out["instruction_id_list"] == row["instruction_id_list"]


def test_every_type_describes_its_example_in_its_language(types):
    for type_id, ctype in types.items():
        text = ctype.describe(ctype.example, random.Random(0))
        assert "{" not in text.replace("{}", ""), type_id  # every slot filled
        shown = {k: v for k, v in ctype.example.items() if isinstance(v, str | int) and k != "prompt_to_repeat"}
        assert all(str(v) in text for v in shown.values()), type_id
    spanish = " ".join(t.describe(t.example, random.Random(0)) for i, t in types.items() if i.startswith("es:"))
    japanese = " ".join(t.describe(t.example, random.Random(0)) for i, t in types.items() if i.startswith("ja:"))
    assert "respuesta" in spanish and "the " not in spanish
    assert "応答" in japanese and "your " not in japanese


def check(types, type_id, response, **kwargs):
    return crabplug.check(types[type_id], response, kwargs)


def test_each_language_compares_with_its_own_relation_words(types):
    five = "Uno dos tres cuatro cinco."
    assert check(types, "es:length_constraints:number_words", five, num_words=5, relation="como máximo")
    assert check(types, "es:length_constraints:number_words", five, num_words=5, relation="al menos")
    cinq = "Un deux trois quatre cinq."
    assert not check(types, "fr:length_constraints:number_words", cinq, num_words=5, relation="moins de")  # strict <
    assert check(types, "fr:length_constraints:number_words", cinq, num_words=5, relation="au moins")
    assert check(types, "ja:length_constraints:number_letters", "あいうえお", num_letters=5, relation="以上")
    assert not check(types, "ja:length_constraints:number_letters", "あいうえお", num_letters=5, relation="未満")
    with pytest.raises(ValueError, match="relation must be one of"):
        check(types, "fr:length_constraints:number_words", cinq, num_words=5, relation="al menos")


def test_a_relation_word_of_another_language_is_the_lines_error_not_a_verdict(registry):
    row = {"instruction_id_list": ["ja:letters:kanji"], "kwargs": [{"kanji_limit": 3, "relation": "at least"}]}
    with pytest.raises(crabplug.RecordError, match="bad kwargs for ja:letters:kanji"):
        crabplug.score_row(registry, {**row, "response": "漢字"})


def test_japanese_sentences_words_and_scripts(types):
    text = "猫が好きです。犬も好きです！鳥は？"
    assert check(types, "ja:length_constraints:number_sentences", text, num_sentences=3, relation="以上")
    assert not check(types, "ja:length_constraints:number_sentences", text, num_sentences=4, relation="以上")
    assert check(types, "ja:keywords:existence", text, keywords=["猫", "犬"])
    # janome's words, not substrings
    assert not check(types, "ja:keywords:existence", "猫が好きです。", keywords=["好きで"])
    assert check(types, "ja:letters:hiragana_only", "ねこが すき。")
    assert not check(types, "ja:letters:hiragana_only", "ネコがすき")
    assert check(types, "ja:letters:katakana_only", "ネコ・イヌ！")
    assert check(types, "ja:letters:furigana", "猫（ねこ）が好（す）き")
    assert not check(types, "ja:letters:furigana", "猫（ねこ）が好き")
    assert check(types, "ja:letters:kansuuji", "三匹の猫")
    assert not check(types, "ja:letters:kansuuji", "３匹の猫")  # full-width digits are digits too
    assert check(types, "ja:startend:sentence_unified_end", "猫です。「犬だ。」と言うのです。", ending="です")
    assert check(types, "ja:keywords:letter_frequency", "しシし", letter="し", let_frequency=3, let_relation="以上")


def test_spanish_and_french_orthography(types):
    assert check(types, "es:punctuation:question_marks", "Hola. ¿Qué tal?")
    assert not check(types, "es:punctuation:question_marks", "Hola. Qué tal?")
    assert check(types, "es:special_character:enie", "El niño y la niña comen piña.", let_frequency=3)
    assert check(types, "es:special_character:tildes", "Él está aquí.", num_words=3, relation="al menos")
    assert check(types, "fr:special_character:no_accents", "Je suis alle a la plage")
    assert not check(types, "fr:special_character:no_accents", "Je suis allé à la plage")
    assert check(types, "fr:special_character:accents", "Les leçons de l'été", word_to_accentuate={"lecons": "leçons"})
    assert not check(types, "fr:special_character:accents", "Les lecons", word_to_accentuate={"lecons": "leçons"})
    assert check(types, "fr:startend:quotation", "« Bonjour »")
    assert check(types, "fr:detectable_content:informal_address", "Je te remercie.")
    assert not check(types, "fr:detectable_content:informal_address", "Je vous remercie.")


def _answers(lang):
    """Real answers in ``lang``: published responses of gpt-4o and Claude to M-IFEval's prompts (tests only)."""
    return [r["response"] for r in corpus.published(lang) if r["model"] != corpus.MODELS[3]][::8]


@pytest.mark.parametrize("lang", corpus.LANGS)
def test_what_derive_finds_in_real_answers_is_true_by_the_check(types, lang):
    rng = random.Random(0)
    found = collections.Counter()
    for response in _answers(lang):
        example = crabplug.Example(instruction="-", response=response)
        for ctype in types.values():
            if ctype.derive is None or ctype.language != lang:
                continue
            kwargs = ctype.derive(example, rng)
            if kwargs is not None:
                assert crabplug.check(ctype, response, kwargs), (ctype.id, kwargs)
                found[ctype.id] += 1
    assert len(found) >= {"es": 5, "fr": 4, "ja": 8}[lang], found
