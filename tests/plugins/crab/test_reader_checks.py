"""crabplug_crab.reader: what a person reading a sample objects to, on small hand-made samples (issue 30)."""

from __future__ import annotations

import pytest
from crabplug_crab import reader

from crabplug import Constraint, Sample, load_plugins


@pytest.fixture(scope="module")
def types():
    return load_plugins().constraint_types


def sample(response, *constraints, **provenance):
    cs = tuple(Constraint(type=t, kwargs=kw, origin="rule", verified=True, text=text) for t, kw, text in constraints)
    provenance.setdefault("base_instruction", "Explain it.")
    return Sample(instruction="x", response=response, constraints=cs, example_id="e", provenance=provenance)


def test_a_floor_far_below_the_count_is_loose_and_one_near_it_is_not(types):
    ctype = types["keywords:letter_frequency"]
    text = "yay " * 26  # 52 y
    assert reader.loose(ctype, {"letter": "y", "let_frequency": 6, "let_relation": "at least"}, text)
    assert not reader.loose(ctype, {"letter": "y", "let_frequency": 50, "let_relation": "at least"}, text)
    words = types["length_constraints:number_words"]
    assert reader.loose(words, {"num_words": 400, "relation": "less than"}, "one two three " * 20)
    assert not reader.loose(words, {"num_words": 70, "relation": "less than"}, "one two three " * 20)


def test_a_word_met_only_inside_code_is_an_artefact(types):
    once = types["keywords:word_once"] if "keywords:word_once" in types else None
    if once is None:
        pytest.skip("keywords:word_once comes with crabplug-iftrain")
    response = 'The weather is fine.\n\n```python\nforecast = "Mild"\n```\n'
    assert reader.code_artefact(once, {"keyword": "mild"}, response)
    assert not reader.code_artefact(once, {"keyword": "weather"}, response)


def test_a_bullet_count_beside_bullets_the_check_does_not_count_is_reader_untrue(types):
    # held-out reading L, L57 (docs/reading-60.md): "exactly 4 bullet points" met by four "*" bullets while six
    # "•" bullets remain: a reader counts ten
    bullets = types["detectable_format:number_bullet_lists"]
    steps = "".join(f"* Step {i}: do the thing.\n" for i in range(4))
    others = "".join(f"• Note {i}: keep it.\n" for i in range(6))
    assert reader.code_artefact(bullets, {"num_bullets": 4}, steps + "\nNotes:\n" + others)
    assert not reader.code_artefact(bullets, {"num_bullets": 4}, steps + "\nThat is all.")


def test_language_with_another_script_and_full_width_marks_are_reader_untrue(types):
    lang = types["language:response_language"]
    english = "The code runs fine on every machine we tried, and the tests pass in less than a minute. " * 2
    assert reader.code_artefact(lang, {"language": "en"}, english + "% 计算平均值")
    assert not reader.code_artefact(lang, {"language": "en"}, english)
    assert reader.code_artefact(lang, {"language": "en"}, "from a import b\nprint(b(1, 2));")  # a listing
    bang = types["punctuation:punctuation_exclamation"]
    assert reader.code_artefact(bang, {}, "很好！")
    assert not reader.code_artefact(bang, {}, "very good.")


def test_short_palindromes_and_capital_words_on_I_are_trivial(types):
    if "keywords:palindrome" not in types:
        pytest.skip("keywords:palindrome comes with crabplug-iftrain")
    pal = types["keywords:palindrome"]
    assert reader.trivial(pal, {}, "I did see an eye.")
    assert not reader.trivial(
        pal, {}, "We saw a racecar parked near the old station on a quiet Sunday morning in spring."
    )
    caps = types["change_case:capital_word_frequency"]
    kwargs = {"capital_frequency": 2, "capital_relation": "at least"}
    assert reader.trivial(caps, kwargs, "I think so. P.S. I agree.")
    assert not reader.trivial(
        caps, kwargs, "Use NASA and ESA data for the orbit, the launch window and the fuel budget."
    )


def test_duplicates_and_cross_family_sentence_counts_clash(types):
    twice = sample(
        "Sang. " * 3,
        ("keywords:frequency", {"keyword": "sang", "frequency": 4, "relation": "less than"}, "Use sang less than 4."),
        ("keywords:existence", {"keywords": ["sang"]}, "Include sang."),
        ("punctuation:no_comma", {}, "No commas."),
        ("punctuation:no_comma", {}, "No commas."),
    )
    found = reader.duplicates(twice.constraints, types)
    assert "twice: No commas." in found
    assert any("word sang" in f for f in found)
    same_family = sample(
        "A b. C d.",
        ("crab:words_per_sentence", {"max_words": 5}, "Short sentences."),
        ("crab:sentences_per_paragraph", {"max_sentences": 3}, "Short paragraphs."),
    )
    assert reader.duplicates(same_family.constraints, types) == []
    cross = sample(
        "A b. C d.",
        ("crab:words_per_sentence", {"max_words": 5}, "Short sentences."),
        ("length_constraints:number_sentences", {"num_sentences": 5, "relation": "less than"}, "Few sentences."),
    )
    assert reader.duplicates(cross.constraints, types) != []


def test_damage_joins_and_broken_seeds():
    prov = {"transforms": ["punctuation:no_comma"], "untransformed_response": "Your eyes, nose, or mouth."}
    assert reader.damaged(prov, "Your eyes nose or mouth.") == ["commas cut from prose"]
    assert reader.damaged({"transforms": ["punctuation:no_comma"], "untransformed_response": "1,000 cats."}, "") == []
    s = sample("ok", ("punctuation:no_comma", {}, "End with: as required.."), template="woven", base_instruction="Sell")
    assert reader.bad_joins(s) == [
        "request runs on into the constraints",
        "doubled punctuation: End with: as required..",
    ]
    assert reader.broken_seed("fine " + " " * 500) == "whitespace flood"
    assert reader.broken_seed("AND ON " * 40).startswith("runaway repetition")
    assert reader.broken_seed('{"a": [1, 2,') == "JSON cut off"
    assert reader.broken_seed("```python\nfor") == "code cut off (an unclosed fence)"
    # K38 (docs/reading-60.md): a 13,000-letter "buzzzz..." is one word, so no word or phrase check saw it
    assert (
        reader.broken_seed("The barber hums. Buzz" + "z" * 13000 + ". Done.")
        == "runaway repetition (a letter repeated)"
    )
    assert reader.broken_seed("Zzz. Hmmmm. " + "A" * 20 + " scream.") is None  # a sleepy or shouted word is no flood
    assert reader.broken_seed("A plain answer.\n\n```\nx = 1\n```") is None


def test_summary_counts_samples_not_constraints(types):
    good = sample(
        "We saw a racecar parked near the old station on a quiet Sunday morning in spring.",
        ("punctuation:no_comma", {}, "No commas."),
    )
    bad = sample("很好！", ("punctuation:punctuation_exclamation", {}, "No exclamation marks."))
    found = reader.summary([good, bad], types)
    assert found["samples"] == 2
    assert found["share"]["code_artefact"] == 0.5
    assert found["any"] == 0.5
    assert found["constraints_max"] == 1


def test_the_combiner_ends_the_request_and_tidies_each_line():
    import random

    from crabplug_crab.combine import CrabCombiner
    from crabplug_crab.templates import ended, tidy

    assert ended("and sell them") == "and sell them."
    assert ended("Is it so?") == "Is it so?"
    assert ended("```\ncode\n```") == "```\ncode\n```"
    assert tidy("End with: as required..") == "End with: as required."
    assert tidy("Wait... then go.") == "Wait... then go."
    woven = CrabCombiner(p_woven=1.0)
    text, template = woven.join(
        "List websites and sell them", ["use the word shop once", "No commas."], random.Random(1)
    )
    assert template == "woven"
    assert "sell them. " in text and "shop once." in text


def test_the_combiner_leaves_out_what_a_reader_sees_broken(types):
    from crabplug_crab.combine import CrabCombiner

    from crabplug import Context

    response = "yay " * 26  # 52 y
    loose = Constraint(
        type="keywords:letter_frequency", kwargs={"letter": "y", "let_frequency": 6, "let_relation": "at least"}
    )
    near = Constraint(
        type="keywords:letter_frequency", kwargs={"letter": "y", "let_frequency": 50, "let_relation": "at least"}
    )
    ctx = Context(run_dir=".", seed=0, registry=load_plugins())
    kept = CrabCombiner.readable([loose, near], response, types, ctx)
    assert kept == [near]
    assert ctx.stats["crab.reader_dropped.loose_bound"] == 1


def test_the_combiner_drops_a_broken_answer_with_its_reason():
    from crabplug_crab.combine import CrabCombiner

    from crabplug import Annotated, Context, Example

    c = Constraint(type="punctuation:no_comma", kwargs={}, origin="rule", verified=True)
    good = Annotated(
        example=Example(
            instruction="Say it with no commas.",  # "no commas" fits a request that speaks of them (fits)
            response="It is fine, and the tests pass on every machine we tried this week.",
        ),
        constraints=[c],
    )
    cut = Annotated(example=Example(instruction="Code?", response="```python\nfor"), constraints=[c])
    ctx = Context(run_dir=".", seed=0, registry=load_plugins())
    # single_natural 0: "no commas" may stand alone here, the point is the broken answer next to it
    out = list(CrabCombiner(p_demos=0.0, single_natural=0).combine(iter([good, cut]), ctx))
    assert [s.response for s in out] == ["It is fine, and the tests pass on every machine we tried this week."]
    assert ctx.stats["crab.broken_seed_dropped.code cut off (an unclosed fence)"] == 1


def test_derived_bounds_stay_near_the_count_and_palindromes_are_words_of_five():
    import random

    from crabplug_ifeval.derive import near, relaxed

    assert not near(52, "at least", 10) and near(52, "at least", 50)
    assert relaxed(52, (1, 10), random.Random(0)) is None  # "at least 10" of 52 is the only in-range value
    assert not near(60, "less than", 400) and near(60, "less than", 70)
    types = load_plugins().constraint_types
    if "keywords:palindrome" in types:
        from crabplug import Example

        derive = types["keywords:palindrome"].derive
        assert derive(Example(instruction="x", response="I did see an eye."), random.Random(0)) is None
        assert derive(Example(instruction="x", response="A racecar went by."), random.Random(0)) == {}


def test_the_quality_report_and_show_quality_give_the_reader_check(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    from crabplug_crab.quality import markdown, tally

    types = load_plugins().constraint_types
    bad = sample("很好！", ("punctuation:punctuation_exclamation", {}, "No exclamation marks."))
    good = sample(
        "We saw a racecar parked near the old station on a quiet Sunday morning in spring.",
        ("punctuation:no_comma", {}, "No commas."),
    )
    report = tally([good, bad], types)
    assert report["reader"]["any"] == 0.5 and report["reader"]["code_artefact"] == 0.5
    assert report["reader_by_constraints"] == {"1": 0.5}
    assert any(line.startswith("- reader check, samples with an objection: 50.0%") for line in markdown(report))
    fixture = Path(__file__).parents[2] / "fixtures" / "real" / "arena-o3mini-200.jsonl"
    config = tmp_path / "c.yaml"
    config.write_text(
        f"name: r\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: {fixture}}}]\n"
        "back_translators: [rules, transform]\nverifiers: [code]\ncombiner: crab\n"
        "outputs: [sft, {plugin: card, plots: false}]\n",
        encoding="utf-8",
    )
    run = [sys.executable, "-m", "crabplug"]
    subprocess.run([*run, "run", str(config), "-q", "--limit", "20"], check=True, capture_output=True)
    stats = json.loads((tmp_path / "run" / "stats.json").read_text(encoding="utf-8"))
    assert set(stats["quality"]["reader"]) == {"any", *reader.CLASSES}
    assert "reader check" in (tmp_path / "run" / "README.md").read_text(encoding="utf-8")
    shown = subprocess.run([*run, "show", str(tmp_path / "run"), "--quality"], check=True, capture_output=True)
    assert "reader" in shown.stdout.decode()


def test_rules_emit_no_count_of_words_on_chinese_and_count_what_they_leave_out(tmp_path):
    from types import SimpleNamespace

    from crabplug_crab.rules import RulesBackTranslator

    from crabplug import Context, Example

    registry = load_plugins()
    ctx = Context(run_dir=tmp_path, seed=0, registry=registry, config=SimpleNamespace(constraints=None))
    answer = "作为一位歌曲创作者，我认为这几个修改意见总体方向是好的。下面是我的一些具体修改建议，供你参考。" * 3
    example = Example(instruction="请提出修改意见", response=answer)
    counted = {"words", "sentences", "letters", "capital words"}
    found = RulesBackTranslator(types=("length_constraints:*", "crab:length_*")).derive_all(example, ctx)
    assert [c.type for c in found if reader.COUNTS.get(c.type) in counted] == []
    assert ctx.stats.get("rules.reader_dropped.code_artefact", 0) >= 1
    plain = RulesBackTranslator(types=("length_constraints:*", "crab:length_*"), reader_check=False)
    assert any(reader.COUNTS.get(c.type) == "words" for c in plain.derive_all(example, ctx))


def test_verse_lines_code_between_rules_tags_and_other_scripts(types):
    per_sentence = types["crab:words_per_sentence"]
    verse = "At bedtime the cat on the sill appears,\nhis paws tread soft along the ledge;\nhe sips.\n"
    assert reader.code_artefact(per_sentence, {"max_words": 10}, verse)  # one sentence of 16 words to a reader
    assert not reader.code_artefact(per_sentence, {"max_words": 20}, verse)
    words = types["length_constraints:number_words"]
    ruled = "Use this query.\n\n" + "-" * 30 + "\nSELECT a, b, c, d, e, f\nFROM t;\n" + "-" * 30 + "\n\nDone."
    assert reader.prose(ruled).count("snippet") == 1
    assert reader.code_artefact(words, {"num_words": 8, "relation": "at least"}, ruled)
    tags = types["detectable_content:number_placeholders"]
    assert reader.trivial(tags, {"num_placeholders": 1}, "[Chorus]\nWe sing.\n")
    assert not reader.trivial(
        tags, {"num_placeholders": 1}, "Dear [name], we sing for you and your family at the party on Sunday evening."
    )
    letter = types["keywords:letter_frequency"]
    kwargs = {"letter": "f", "let_frequency": 1, "let_relation": "less than"}
    assert reader.trivial(letter, kwargs, "作为一位歌曲创作者，我认为这几个修改意见总体方向是好的。")
    assert not reader.trivial(letter, kwargs, "A plain English answer, written out in ten words or more.")


def test_section_tags_are_not_placeholders_and_numerals_not_first_words():
    import random

    from crabplug_ifeval import derive

    from crabplug import Example

    song = Example(instruction="x", response="[Chorus]\nWe sing along.\n\n[Verse 2]\nAgain.")
    assert derive.number_placeholders(song, random.Random(0)) is None
    letter = Example(instruction="x", response="Dear [name], thanks for [event].")
    assert derive.number_placeholders(letter, random.Random(0)) == {"num_placeholders": 2}
    poem = Example(instruction="x", response="I.\nThe cat.\n\nII.\nThe milk.")
    assert derive.nth_paragraph_first_word(poem, random.Random(0)) is None


def test_damage_the_reading_found():
    title = {"transforms": ["count:lowercase_counting"], "untransformed_response": "We met on a street."}
    assert reader.damaged(title, "We Met On A Street.") == ["text Title-Cased"]
    dots = {"transforms": ["punctuation:punctuation_dot"], "untransformed_response": "The NISQ focus. It also has."}
    assert "periods cut between sentences" in reader.damaged(dots, "The NISQ focus It also has")
    verse = {"transforms": ["punctuation:punctuation_dot"], "untransformed_response": "Roses are red.\nViolets too."}
    assert reader.damaged(verse, "Roses are red\nViolets too") == []
    colon = {"transforms": ["length_constraints:number_paragraphs"], "untransformed_response": "It is:\n\n(2 + 10) * 3"}
    assert reader.damaged(colon, "It is:\n\n***\n\n(2 + 10) * 3") == ["a divider cuts what a colon introduces"]
    code = {"transforms": ["detectable_format:sentence_hyphens"], "untransformed_response": "from a import b\nx = 1;"}
    assert reader.damaged(code, "") == ["detectable_format:sentence_hyphens on an answer with code"]
    # a real answer (arena-hard, o3-mini) lowercased to meet "only lowercase letters": x²⁺, 25 °c and 0.35 v
    units = "Given X²⁺(aq) + 2e⁻ → X(s), E° = 1.84 V at 25 °C."
    lowered = {"transforms": ["change_case:english_lowercase"], "untransformed_response": units}
    assert reader.damaged(lowered, units.lower()) == ["units, formulas or symbols lowercased (°C, 5 V, X²⁺, H2O)"]
    prose = {"transforms": ["change_case:english_lowercase"], "untransformed_response": "Paris in May 2024 is mild."}
    assert reader.damaged(prose, prose["untransformed_response"].lower()) == []


def test_edits_that_read_as_damage_are_skipped_with_a_reason():
    import random

    from crabplug import Example, TransformSkipped

    types = load_plugins().constraint_types

    def skipped(type_id, response):
        try:
            types[type_id].transform.apply(Example(instruction="x", response=response), random.Random(0))
        except TransformSkipped as skip:
            return str(skip)
        return None

    assert (
        skipped("punctuation:no_comma", "Your eyes, nose, or mouth.") == "commas in prose would leave broken sentences"
    )
    assert skipped("detectable_format:json_format", "Plain prose.") == "prose would be wrapped in JSON"
    assert skipped("detectable_format:title", "No heading here.\n\nJust text.") == "no heading that names the topic"
    para = "It is:\n\n(2 + 10) * 3 = 36\n\nSo 36."
    assert skipped("length_constraints:number_paragraphs", para) == "a divider would follow a colon"
    assert skipped("startend:quotation", "Run this:\n\nSELECT a FROM t;\n") == "has code"
    if "punctuation:punctuation_dot" in types:
        assert skipped("punctuation:punctuation_dot", "One. Two.") == "sentences would run together"
        assert skipped("punctuation:punctuation_dot", "Roses are red.\nViolets too.") is None
        assert types["count:lowercase_counting"].transform is None


def test_lists_in_phrasings_read_as_a_person_writes_them():
    import random

    types = load_plugins().constraint_types
    one = {
        types["keywords:forbidden_words"].describe({"forbidden_words": ["delve"]}, random.Random(s)) for s in range(30)
    }
    assert all('"delve"' in t and "words" not in t and "keywords" not in t for t in one), one
    three = types["keywords:forbidden_words"].describe({"forbidden_words": ["a", "b", "c"]}, random.Random(0))
    assert '"a", "b" and "c"' in three


def test_reader_counts_first_and_last_words_and_at_least_one(types):
    freq = types["keywords:frequency"]
    text = "We count rows. COUNT(x) counts them; counted twice. The count is fine."
    assert reader.code_artefact(freq, {"keyword": "count", "frequency": 3, "relation": "at least"}, text)
    assert not reader.code_artefact(freq, {"keyword": "count", "frequency": 2, "relation": "at least"}, text)
    first = Constraint(type="first_word:first_word_answer", kwargs={"first_word": "Чтобы"})
    para = Constraint(
        type="length_constraints:nth_paragraph_first_word",
        kwargs={"num_paragraphs": 4, "nth_paragraph": 1, "first_word": "чтобы"},
    )
    later = Constraint(type="length_constraints:nth_paragraph_first_word", kwargs={**para.kwargs, "nth_paragraph": 2})
    assert reader.clash(first, para, types) == "first word"
    assert reader.clash(first, later, types) is None
    sentences = types["length_constraints:number_sentences"]
    assert reader.trivial(sentences, {"num_sentences": 1, "relation": "at least"}, "One. Two.")
    assert not reader.trivial(
        sentences, {"num_sentences": 2, "relation": "at least"}, "One cat sat. " * 3 + "Two dogs ran far away."
    )


def test_a_paragraph_ending_without_a_period_still_ends_a_sentence(types):
    sentences = types["length_constraints:number_sentences"]
    text = "The area is:\n\n  A = 0,00785 in²\n\nThe stress is larger. So it deforms."
    assert reader.code_artefact(sentences, {"num_sentences": 3, "relation": "less than"}, text)
    assert not reader.code_artefact(sentences, {"num_sentences": 6, "relation": "less than"}, text)


def test_a_third_party_type_declares_its_trivial_rule_and_what_it_counts(types):
    from crabplug import ConstraintType

    rhyme = ConstraintType(
        id="demo:rhymes",
        family="demo",
        describe=lambda kw, rng: "Rhyme.",
        check=lambda r, n: True,
        kwargs=("n",),
        trivial=lambda response, kwargs: kwargs["n"] < 2,
        counts="sentences",
    )
    assert reader.trivial(rhyme, {"n": 1}, "Moon, June.") and not reader.trivial(
        rhyme, {"n": 3}, "Moon and June rhyme well in every old song we sing."
    )
    mine = Constraint(type="demo:rhymes", kwargs={"n": 3})
    theirs = Constraint(
        type="length_constraints:number_sentences", kwargs={"num_sentences": 3, "relation": "less than"}
    )
    assert reader.clash(mine, theirs, {**types, "demo:rhymes": rhyme}) == "sentences"


def test_curly_quotes_file_names_and_diagram_boxes(types):
    quotes = types["crab:no_punctuation"]
    assert reader.code_artefact(quotes, {"mark": '"'}, "李明（怒吼）：“他妈的！”")
    position = types.get("keywords:keyword_specific_position")
    if position is not None:
        text = "The problem is that hi.c never verifies that fopen succeeded. It crashes."
        assert reader.code_artefact(position, {"keyword": "verifies", "n": 2, "m": 3}, text)
    tags = types["detectable_content:number_placeholders"]
    assert reader.trivial(tags, {"num_placeholders": 1}, "[Decision: done?]───No───►[End]\nok")


def test_word_wrapping_leaves_dividers_and_formulas_alone():
    import random

    from crabplug import Example, TransformSkipped

    types = load_plugins().constraint_types
    if "detectable_format:bigram_wrapping" not in types:
        pytest.skip("comes with crabplug-iftrain")
    wrap = types["detectable_format:bigram_wrapping"].transform
    for text in ("At the minimum.\n\n***\n\nIt is zero.", "So dD/dt = 0 at the minimum."):
        with pytest.raises(TransformSkipped, match="dividers or formulas"):
            wrap.apply(Example(instruction="x", response=text), random.Random(0))
    prov = {"transforms": ["detectable_format:bigram_wrapping"], "untransformed_response": "a"}
    assert reader.damaged(prov, "<<we have>>\n\n<<***\n\ndD/dt>>") == ["dividers or formulas wrapped with the words"]


def test_a_bare_code_answer_and_a_stanza_postscript():
    code = "data = d.data(108)\nd.answer(int(''.join(c for c in data), 2))"
    assert reader.prose(code).strip() == "snippet"
    prov = {"transforms": ["detectable_content:postscript"], "untransformed_response": "x"}
    # a stanza is also no afterthought (since the 60-sample reading, a P.S. must read as one)
    assert reader.damaged(prov, "A.\n\nP.S. In the mosaic of power,\nHis chapter remains.") == [
        "a stanza or block of lines made a postscript",
        "the answer's conclusion made a postscript",
    ]
    assert reader.damaged(prov, "A.\n\nP.S. Thanks for reading.") == []
    assert reader.damaged(prov, "A.\n\nP.S. Таким образом, масса около 1,4 тонны.") != []  # the result, not a P.S.
    assert reader.damaged(prov, "A.\n\nP.S. The mass is about 1.4 tonnes.") != []


def test_an_answer_with_hardly_any_text_hosts_only_whole_text_constraints(types):
    code = "data = d.data(108)\nd.answer(int(''.join(c for c in data), 2))"
    assert reader.trivial(
        types["keywords:letter_frequency"], {"letter": "k", "let_frequency": 1, "let_relation": "less than"}, code
    )
    assert not reader.trivial(types["punctuation:punctuation_exclamation"], {}, code)  # a form rule, kept
    assert not reader.trivial(types["startend:quotation"], {}, code)
    assert not reader.trivial(types["punctuation:punctuation_exclamation"], {}, "A plain answer. " * 6)


def test_a_divider_never_cuts_a_sentence():
    import random

    from crabplug import Example, TransformSkipped

    types = load_plugins().constraint_types
    text = "When D(t) is minimized, we have\n\n  dD/dt = 0 (m/s).\n\nThis result holds."
    with pytest.raises(TransformSkipped, match="cut a sentence"):
        types["length_constraints:number_paragraphs"].transform.apply(
            Example(instruction="x", response=text), random.Random(0)
        )
    prov = {"transforms": ["length_constraints:number_paragraphs"], "untransformed_response": text}
    cut = "When D(t) is minimized, we have\n\n***\n\n  dD/dt = 0 (m/s).\n\n***\n\nThis result holds."
    assert reader.damaged(prov, cut) == ["a divider cuts a sentence"]


def test_a_request_ending_in_code_or_a_comma_joins_cleanly():
    import random

    from crabplug_crab.combine import CrabCombiner
    from crabplug_crab.templates import ended

    assert ended("Fix this,") == "Fix this."
    assert ended("Take 5%") == "Take 5%."
    assert ended("```\nx = {}\n```") == "```\nx = {}\n```"
    text, _ = CrabCombiner(p_woven=1.0).join("Fix it:\n```\nx = {}\n```", ["No commas."], random.Random(1))
    assert "```\n\n" in text


def test_a_type_about_the_code_itself_is_judged_on_the_whole_answer():
    from crabplug import ConstraintType

    def has_python_block(response, *, language):
        return f"```{language}\n" in response

    common = dict(family="x", check=has_python_block, describe=lambda kw, rng: "", kwargs=("language",))
    about_code = ConstraintType(id="x:code_block", counts="code", **common)
    about_text = ConstraintType(id="x:code_block_as_text", **common)
    answer = "Here it is:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nCall it with two numbers."
    assert reader.objection(about_code, {"language": "python"}, answer) is None
    assert reader.code_artefact(about_text, {"language": "python"}, answer)  # met only inside the code


def test_numbered_steps_that_head_sections_are_never_made_bullets():
    # L57 (docs/reading-60.md): "1. Mass and y-coordinate ... 4. Final Answer" over paragraphs of working became
    # "exactly 4 bullet points" while six "•" bullets stayed: the steps lost their numbers and a reader counts ten
    import random

    from crabplug import Example, TransformSkipped

    bullets = load_plugins().constraint_types["detectable_format:number_bullet_lists"].transform
    steps = "1. Mass\n\nThe cone's mass is m.\n\n2. Centre\n\nIt sits at 3h/4.\n"
    with pytest.raises(TransformSkipped, match="head sections"):
        bullets.apply(Example(instruction="x", response=steps), random.Random(0))
    mixed = "Checks:\n1. Wash.\n2. Dry.\n\n• fold\n• store\n"
    with pytest.raises(TransformSkipped, match="another mark"):
        bullets.apply(Example(instruction="x", response=mixed), random.Random(0))
    listed = "Checks:\n1. Wash the towels.\n2. Dry them.\n\nThen fold them."  # a list, then a closing line
    edited, kwargs = bullets.apply(Example(instruction="x", response=listed), random.Random(0))
    assert edited == "Checks:\n* Wash the towels.\n* Dry them.\n\nThen fold them." and kwargs == {"num_bullets": 2}
