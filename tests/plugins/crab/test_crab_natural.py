"""crabplug_crab.natural and the combiner's choice of lines a person would write (issue 30)."""

from __future__ import annotations

import pytest
from crabplug_crab import natural

from crabplug import Annotated, Constraint, ConstraintType, Example
from crabplug.plugins import load
from crabplug.stages import Context

REGISTRY = load()
TYPES = REGISTRY.constraint_types
ESSAY = (
    "Green tea is brewed from unoxidised leaves. Green tea keeps a grassy taste when the water is not too hot. "
    "Arriving at the right temperature matters: about 80 degrees is enough for most green tea. "
) * 6 + "Sencha is one kind."  # 202 words, "tea" 18 times, "sencha" once


def con(type_id, **kwargs):
    return Constraint(type=type_id, kwargs=kwargs, origin="rule", verified=True, verified_by="code")


def test_levels_put_lengths_above_positions_and_letter_counts():
    long = natural.level(con("crab:length_around", num_words=200), TYPES["crab:length_around"], ESSAY, "Tea?")
    position = con("keywords:keyword_specific_position", keyword="tea", n=1, m=2)
    letters = con("keywords:letter_frequency", letter="e", let_frequency=50, let_relation="at least")
    assert long == 5
    assert natural.level(position, TYPES[position.type], ESSAY, "Tea?") < 3
    assert natural.level(letters, TYPES[letters.type], ESSAY, "Tea?") < 3


def test_a_keyword_counts_only_when_it_is_the_answers_topic():
    ctype = TYPES["keywords:existence"]
    # a plain word of the request is left out (2: weak in round 4, sets H and J of docs/reading-60.md, it still
    # read as picked in 12 of set K's 21 threes); one the request quotes keeps the type's level
    assert natural.level(con(ctype.id, keywords=["green tea"]), ctype, ESSAY, "How do I brew green tea?") == 2
    assert natural.level(con(ctype.id, keywords=["green tea"]), ctype, ESSAY, 'How do I brew "green tea"?') == 4
    # used 18 times but never named by the request: read as picked from the answer (set G, docs/reading-60.md)
    assert natural.level(con(ctype.id, keywords=["green tea"]), ctype, ESSAY, "How do I brew it?") == 1
    # a term cut short: the answer always says "green tea" (set H, docs/reading-60.md)
    assert natural.level(con(ctype.id, keywords=["tea"]), ctype, ESSAY, "How do I brew green tea?") == 1
    assert natural.level(con(ctype.id, keywords=["sencha"]), ctype, ESSAY, "How do I brew it?") == 1  # said once
    assert natural.level(con(ctype.id, keywords=["sencha"]), ctype, ESSAY, "Is sencha good?") == 1  # asked, said once
    twice = ESSAY + " Sencha again."
    assert (
        natural.level(con(ctype.id, keywords=["sencha"]), ctype, twice, "Is sencha good?") == 2
    )  # a plain word: left out
    assert natural.level(con(ctype.id, keywords=["sencha"]), ctype, twice, 'Is "sencha" good?') == 4  # quoted
    ceiling = con("keywords:frequency", keyword="tea", frequency=30, relation="less than")
    assert natural.level(ceiling, TYPES[ceiling.type], ESSAY, "Tea?") == 1  # nobody caps the word they ask about


def test_a_family_declares_its_own_level():
    own = ConstraintType(id="mine:odd", family="mine", describe=lambda kw, rng: "odd", natural=1)
    unknown = ConstraintType(id="mine:new", family="mine", describe=lambda kw, rng: "new")
    assert natural.level(con("mine:odd"), own, ESSAY, "x") == 1
    assert natural.level(con("mine:new"), unknown, ESSAY, "x") == natural.DEFAULT_LEVEL


def test_a_sentence_opener_keyword_is_lowercased_and_a_name_keeps_its_capital():
    ctype = TYPES["keywords:existence"]
    lowered = natural.cased(con(ctype.id, keywords=["Arriving"]), ctype, ESSAY)
    assert lowered.kwargs["keywords"] == ["arriving"]
    named = "We met Danika at noon. Later, Danika left."
    assert natural.cased(con(ctype.id, keywords=["danika"]), ctype, named).kwargs["keywords"] == ["Danika"]
    lower = con("change_case:english_lowercase")
    assert natural.case_clash(con(ctype.id, keywords=["Danika"]), lower)
    assert not natural.case_clash(con(ctype.id, keywords=["danika"]), lower)


def test_the_length_cap_grows_with_the_answer():
    assert natural.length_cap("A riddle of five words.", 40) == 1
    assert natural.length_cap(ESSAY, 40) == 1 + 202 // 40  # 202 words (the 80 is no word)
    assert natural.length_cap("x", 0) > 8


def _combine(record, n=40, **options):
    combiner = REGISTRY.get("combiners", "crab")(p_demos=0.0, **options)
    out = []
    for i in range(n):
        ctx = Context(run_dir=".", seed=i, registry=REGISTRY)
        out += list(combiner.combine(iter([record]), ctx))  # a new seed: a new draw
    return out


def test_the_combiner_says_each_aspect_once_and_leaves_trivia_out():
    cons = [
        con("crab:length_around", num_words=200),
        con("crab:length_at_most", max_words=220),
        con("length_constraints:number_sentences", num_sentences=30, relation="less than"),
        con("crab:words_per_sentence", max_words=25),
        con("keywords:existence", keywords=["green tea"]),
        con("keywords:existence", keywords=["sencha"]),
        con("keywords:keyword_specific_position", keyword="green", n=1, m=1),
        con("crab:chars_per_word", max_chars=12),
        con("punctuation:punctuation_exclamation"),
        con("language:response_language", language="en"),
    ]
    record = Annotated(example=Example(instruction="How do I brew green tea?", response=ESSAY), constraints=cons)
    samples = _combine(record, reader_check=False)
    seen = set()
    for s in samples:
        types = [c.type for c in s.constraints]
        seen.update(types)
        assert len(types) <= natural.length_cap(ESSAY, 40)
        lengths = [t for t in types if natural.ASPECTS.get(t) == "length"]
        assert len(lengths) <= 1, types
    assert "keywords:keyword_specific_position" not in seen and "crab:chars_per_word" not in seen
    assert {"crab:length_around", "crab:words_per_sentence"} <= seen
    assert "keywords:existence" not in seen  # "green tea" is a plain word of the request: left out (set K)
    assert all(c.kwargs != {"keywords": ["sencha"]} for s in samples for c in s.constraints)
    paper = _combine(record, reader_check=False, min_natural=0, words_per_constraint=0)
    assert any("crab:chars_per_word" in {c.type for c in s.constraints} for s in paper)


@pytest.mark.parametrize("bad", [{"min_natural": 6}, {"natural_weight": 0}, {"words_per_constraint": -1}])
def test_bad_natural_settings_are_one_sentence(bad):
    from crabplug import ConfigError

    with pytest.raises(ConfigError, match="combiner crab"):
        REGISTRY.get("combiners", "crab")(**bad)


def test_readings_of_the_sixty_samples_became_reader_checks():
    from crabplug_crab import reader

    sections = TYPES["detectable_format:multiple_sections"]
    steps = "".join(f"Step {i}. Do part {i} of it.\n\n" for i in range(1, 8))
    assert reader.code_artefact(sections, {"num_sections": 5, "section_spliter": "Step"}, steps)  # 7, not 5
    assert not reader.code_artefact(sections, {"num_sections": 7, "section_spliter": "Step"}, steps)
    bullets = TYPES["detectable_format:number_bullet_lists"]
    ruled = "Code:\n\n-----\nx = 1\n-----\n\n* one\n* two\n* three\n"
    assert reader.code_artefact(bullets, {"num_bullets": 5}, ruled)  # the two rules are no bullets
    highlights = TYPES["detectable_format:number_highlighted_sections"]
    regex = 'Use match(".*?field.*?") and match("\\{(.*?)") here.'
    assert reader.code_artefact(highlights, {"num_highlights": 1}, regex)
    assert not reader.code_artefact(highlights, {"num_highlights": 1}, "This is *the key point* here.")
    words = TYPES["crab:length_range"]
    math = "v = 9.8 m/s² × 31.5 s. " * 10  # 60 words a reader counts, more by the checker's splitter
    assert reader.code_artefact(words, {"min_words": 70, "max_words": 200}, math)
    commas = TYPES["punctuation:no_comma"]
    assert reader.code_artefact(commas, {}, "والقمر، والشمس")  # the Arabic comma is a comma
    language = TYPES["language:response_language"]
    malayalam = "മഴ പെയ്യുന്ന പകലുകളും രാത്രികളും " * 10 + "experience"
    assert reader.code_artefact(language, {"language": "ml"}, malayalam)


def test_woven_constraints_end_as_sentences():
    from crabplug_crab.templates import as_sentence as _sentence

    assert _sentence("first repeat the request (it does not include this sentence)") == (
        "first repeat the request (it does not include this sentence)."
    )
    assert _sentence("Use at most 50 words.") == "Use at most 50 words."


def test_function_words_dashes_chord_symbols_and_overlapping_keywords():
    from crabplug_crab import reader

    ctype = TYPES["keywords:existence"]
    vietnamese = "Trong bình khí, áp suất trong bình tăng; trong đó khối lượng riêng tăng."
    assert natural.level(con(ctype.id, keywords=["trong"]), ctype, vietnamese, "khí trong bình") == 1  # "in"
    dashes = TYPES["crab:no_punctuation"]
    assert reader.code_artefact(dashes, {"mark": "-"}, "GNU make's reluctance to support—and deprecate—them.")
    prov = {"transforms": ["change_case:english_lowercase"], "untransformed_response": "I → V/V → vi → V (HC)"}
    assert reader.damaged(prov, "i → v/v → vi → v (hc)") == [
        "a case change on symbols whose case carries meaning (V and v, IV and iv)"
    ]
    suffix = con("keywords:frequency", keyword="suffix", frequency=3, relation="at least")
    assert natural.case_clash(suffix, con("keywords:existence", keywords=["suffix rules"]))
    assert not natural.case_clash(suffix, con("keywords:existence", keywords=["pattern"]))


def test_a_record_with_weak_lines_only_gives_no_sample():
    weak = [con("punctuation:punctuation_exclamation"), con("crab:words_per_sentence", max_words=40)]
    record = Annotated(example=Example(instruction="How do I brew green tea?", response=ESSAY), constraints=weak)
    combiner = REGISTRY.get("combiners", "crab")(p_demos=0.0, reader_check=False)
    ctx = Context(run_dir=".", seed=0, registry=REGISTRY)
    assert list(combiner.combine(iter([record]), ctx)) == []
    assert ctx.stats["crab.no_natural_anchor"] == 1
    off = REGISTRY.get("combiners", "crab")(p_demos=0.0, reader_check=False, anchor_natural=0)
    assert len(list(off.combine(iter([record]), Context(run_dir=".", seed=0, registry=REGISTRY)))) == 1


def test_readings_of_the_held_out_sixty_became_reader_checks():
    from crabplug_crab import reader

    language = TYPES["language:response_language"]
    chinese = "她輕顫著雙手，終於取出那片看似潔淨得能映出月光的衛生巾。拆開包裝時，時間彷彿凝結。" * 12
    assert reader.code_artefact(language, {"language": "ko"}, chinese)  # Korean with no Hangul
    assert not reader.code_artefact(language, {"language": "zh"}, chinese)
    prov = {"transforms": ["length_constraints:number_paragraphs"], "untransformed_response": "步骤如下：\n1. 一"}
    assert "a divider cuts what a colon introduces" in reader.damaged(prov, "步骤如下：\n***\n1. 一")
    placeholders = TYPES["detectable_content:number_placeholders"]
    script = "Hook it like this, keeping the order of the lines:\n\n  mov [AmmoValue], rdi\n  jmp return\n"
    assert reader.trivial(placeholders, {"num_placeholders": 1}, script)
    highlights = TYPES["detectable_format:number_highlighted_sections"]
    assert reader.code_artefact(highlights, {"num_highlights": 1}, "Use num4 = (a**2 + b**2) / 2 instead.")


def test_two_edits_about_one_aspect_and_a_weak_edit_alone():
    # a record whose edits are "*** between paragraphs" and "Section 1..." keeps one, and gets an anchor line
    cons = [
        Constraint(type=t, kwargs=kw, origin="rule", verified=True, verified_by="transform")
        for t, kw in (
            ("length_constraints:number_paragraphs", {"num_paragraphs": 3}),
            ("detectable_format:multiple_sections", {"num_sections": 3, "section_spliter": "Section"}),
        )
    ]
    cons.append(con("crab:length_around", num_words=610))
    combiner = REGISTRY.get("combiners", "crab")(p_demos=0.0, reader_check=False)
    three = "\n\n".join([ESSAY] * 3)  # three paragraphs of its own: a split into 3 fits it (crabplug_crab.fits)
    ask = "Tea? Tell me in three paragraphs or sections."  # both asked (issue 30's 11th and 14th rounds)
    record = Annotated(example=Example(instruction=ask, response=three), constraints=cons)
    ctx = Context(run_dir=".", seed=0, registry=REGISTRY)
    kept = [c.type for c in combiner.natural_ones(cons, record, TYPES, ctx)[0]]
    assert kept == ["length_constraints:number_paragraphs", "crab:length_around"]


def test_answer_in_english_reads_2_without_guessing_a_paragraphs_language(monkeypatch):
    # issue 27: "answer in English" goes unsaid whatever its fit, so its level asks no language guess of the answer's
    # first paragraph (fits.whole_language); another language still does
    from crabplug_crab import fits

    asked = []

    def fits_anywhere(*args):
        asked.append(args)
        return True

    monkeypatch.setitem(fits.CONDITIONS, "language:response_language", fits_anywhere)
    text = "The river runs past the old mill and into the valley below the town. " * 3
    language = TYPES["language:response_language"]
    assert natural.level(con("language:response_language", language="en"), language, text, "Tell me a story.") == 2
    assert asked == []
    assert natural.level(con("language:response_language", language="it"), language, text, "Tell me a story.") >= 4
    assert len(asked) == 1
