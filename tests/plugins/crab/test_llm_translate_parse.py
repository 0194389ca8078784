"""Reading LLM replies: constraint lists in any reasonable shape, YES/NO verdicts, ROUGE-L, code mappings."""

from __future__ import annotations

import pytest
from crabplug_crab.llm_mapping import map_sentence
from crabplug_crab.llm_parse import constraint_items, dedup, lcs_length, one_sentence, rouge_l, yes_no

from crabplug import check, load_plugins

CATS = ("length", "writing_style", "item_listing")


def test_the_prompted_shape_gives_category_sentence_pairs():
    data = {"constraints": [{"category": "length", "constraint": "Write at least 100 words."}]}
    assert constraint_items(data, categories=CATS) == ([("length", "Write at least 100 words.")], 0)


def test_a_mapping_of_category_to_sentence_or_list_is_read_too():
    data = {
        "Writing Style": "Use a formal tone.",
        "item listing": ["List three items.", "Number them."],
        "length": None,
    }
    items, bad = constraint_items(data, categories=CATS)
    assert items == [("writing_style", "Use a formal tone."), ("item_listing", "List three items."),
                     ("item_listing", "Number them.")]  # fmt: skip
    assert bad == 0


def test_categories_not_asked_for_and_non_strings_are_counted_unusable():
    data = [{"category": "astrology", "constraint": "Mention Mars."}, {"category": "length", "constraint": 42}]
    assert constraint_items(data, categories=CATS) == ([], 2)


def test_not_applicable_markers_are_neither_kept_nor_counted():
    data = {"length": "none", "writing_style": "", "item_listing": "N/A"}
    assert constraint_items(data, categories=CATS) == ([], 0)


def test_a_reply_with_no_recognisable_shape_is_none():
    assert constraint_items(42, categories=CATS) is None
    assert constraint_items("just text", categories=CATS) is None


def test_lcs_and_rouge_l_match_hand_computed_values():
    assert lcs_length("a b c d e".split(), "a c e f".split()) == 3
    # LCS 3, precision 3/4, recall 3/5 -> F = 2/3
    assert rouge_l("a b c d e", "a c e f") == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert rouge_l("Same words here.", "same WORDS here") == 1.0
    assert rouge_l("", "anything") == 0.0


def test_dedup_drops_sentences_above_the_threshold_and_keeps_the_first():
    sentences = [
        "Write the answer in a formal and polite tone.",
        "Write the answer in a formal, polite tone.",
        "Use exactly three bullet points.",
    ]
    assert dedup(sentences, 0.6) == [0, 2]
    assert dedup(sentences, 1.0) == [0, 1, 2]


@pytest.mark.parametrize(
    ("reply", "ok"),
    [("YES", True), ("no.", False), ("**Yes**, it does.", True), ("Answer: NO", False), ("True", True),
     ("I cannot tell; it is not clear", None), ("", None), ("Nope", None)],
)  # fmt: skip
def test_yes_no_reads_the_first_verdict_word(reply, ok):
    assert yes_no(reply) is ok


@pytest.fixture(scope="module")
def types():
    return load_plugins().constraint_types


@pytest.mark.parametrize(
    ("sentence", "type_id", "kwargs"),
    [
        ("Write at least 150 words.", "length_constraints:number_words", {"relation": "at least", "num_words": 150}),
        ("Keep it under 1,000 words.", "length_constraints:number_words", {"relation": "less than", "num_words": 1000}),
        ("Use more than ten sentences.", "length_constraints:number_sentences",
         {"relation": "at least", "num_sentences": 11}),
        ("Use at most 5 sentences.", "length_constraints:number_sentences",
         {"relation": "less than", "num_sentences": 6}),
        ("Write the response entirely in lowercase letters.", "change_case:english_lowercase", {}),
        ("Answer only in capital letters.", "change_case:english_capital", {}),
        ("Do not use any commas in the response.", "punctuation:no_comma", {}),
        ("Write without commas.", "punctuation:no_comma", {}),
        ('End the response with the exact phrase "Bon appétit!"', "startend:end_checker",
         {"end_phrase": "Bon appétit!"}),
        ('Include the keywords "budget" and "timeline" in the answer.', "keywords:existence",
         {"keywords": ["budget", "timeline"]}),
    ],
)  # fmt: skip
def test_code_checkable_sentences_map_to_their_type(types, sentence, type_id, kwargs):
    assert map_sentence(sentence, types) == (type_id, kwargs)
    ctype = types[type_id]
    assert set(kwargs) <= set(ctype.kwargs)


@pytest.mark.parametrize(
    "sentence",
    ["Use a formal tone throughout.", "All headings are in lowercase.", "End on an optimistic note.",
     "Mention at least three examples."],
)  # fmt: skip
def test_other_sentences_stay_free_text(types, sentence):
    assert map_sentence(sentence, types) is None


def test_a_mapping_to_an_unregistered_type_is_not_made(types):
    without = {k: v for k, v in types.items() if k != "length_constraints:number_words"}
    assert map_sentence("Write at least 150 words.", without) is None


def test_a_sentence_two_types_read_stays_free_text(types):
    assert map_sentence("Write at least 150 words.", types) is not None
    assert map_sentence("Write the whole answer in all lowercase with no commas.", types) is None


def test_the_mapping_comes_from_the_types_not_from_crab(types):
    """A third-party type with a parse is mapped to like IFEval's; the crab plugin names no type id."""
    from pathlib import Path

    import attrs

    from crabplug import ConstraintType

    mine = ConstraintType(
        id="mine:haiku",
        family="mine",
        describe=lambda kw, rng: "Write a haiku.",
        check=lambda response: True,
        parse=lambda s: {} if "haiku" in s.lower() else None,
    )
    assert map_sentence("Answer as a haiku.", {**types, mine.id: mine}) == ("mine:haiku", {})
    assert map_sentence("Answer as a haiku.", {**types, mine.id: attrs.evolve(mine, check=None)}) is None
    import crabplug_crab

    crab = Path(crabplug_crab.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in [crab / "llm_mapping.py", crab / "llm_translate.py"])
    for type_id in types:
        if types[type_id].family == "ifeval":
            assert type_id not in source


def test_mapped_kwargs_are_accepted_by_the_type_check(types):
    type_id, kwargs = map_sentence("Write at least 3 words.", types)
    assert check(types[type_id], "one two three four", kwargs)
    assert not check(types[type_id], "one two", kwargs)


@pytest.mark.parametrize(
    ("reply", "sentence"),
    [('Constraint: "Use a warm tone."\nMore text', "Use a warm tone."),
     ("- Write 3 paragraphs.", "Write 3 paragraphs."), ("NONE", None), ("None of these apply.", None), ("  \n ", ""),
     ("### Response\nUse a warm tone.", "Use a warm tone."), ("### Response\n### Task", ""),
     ('Mention the words "budget" and "deadline"', 'Mention the words "budget" and "deadline"')],
)  # fmt: skip
def test_one_sentence_reads_the_first_line_of_a_plain_reply(reply, sentence):
    assert one_sentence(reply) == sentence
