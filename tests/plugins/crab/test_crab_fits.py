"""crabplug_crab.fits: a line keeps its natural level only where it fits the answer and the request (issue 30,
third round: the lines that kept set G of docs/reading-60.md at 3 of 5)."""

from __future__ import annotations

import re

from crabplug_crab import fits, fits_length, kinds, natural

from crabplug import Annotated, Constraint, ConstraintType, Example
from crabplug.plugins import load
from crabplug.stages import Context

REGISTRY = load()
TYPES = REGISTRY.constraint_types
PROSE = "The bill depends on how long each appliance runs and on its power, so we work it out one by one. " * 3


def con(type_id, **kwargs):
    return Constraint(type=type_id, kwargs=kwargs, origin="rule", verified=True, verified_by="code")


#: the two weak lines of :func:`length_and_two_weak`
WEAK_TYPES = {"punctuation:punctuation_exclamation", "crab:words_per_sentence"}


def length_and_two_weak():
    """A length line and two weak ones ("no !", a sentence cap): the sample the weak-line caps are about."""
    return [
        con("crab:length_at_most", max_words=300),
        con("punctuation:punctuation_exclamation"),
        con("crab:words_per_sentence", max_words=30),
    ]


def level(c, response, instruction="Estimate my power bill."):
    return natural.level(c, TYPES[c.type], response, instruction)


def test_bullets_only_where_they_are_the_answers_structure():
    bullets = con("detectable_format:number_bullet_lists", num_bullets=3)
    summary = PROSE * 3 + "\n\nIn short:\n- daily 1 kWh\n- weekly 7 kWh\n- monthly 30 kWh\n"
    assert level(bullets, summary) == fits.MISFIT  # a closing summary's three dashes
    item = "- Appliance {} uses about {} kWh a day, which costs {} yuan at this price.\n"
    body = "".join(item.format(i, i, i) for i in (1, 2, 3))
    assert level(bullets, body) == natural.NATURAL[bullets.type]
    two = con("detectable_format:number_bullet_lists", num_bullets=2)
    notes = PROSE * 2 + "\n\n- Note one.\n- Note two.\n"
    assert level(two, notes) == fits.MISFIT
    assert level(two, notes, "List two things to check.") == natural.NATURAL[two.type]  # the request asks a list


def test_splits_only_into_the_answers_own_parts():
    stanzas = "\n\n".join(f"Line one of stanza {i}\nline two of it\nline three ends here." for i in range(4))
    four = con("length_constraints:number_paragraphs", num_paragraphs=4)
    assert level(four, stanzas, "Write a poem.") == natural.NATURAL[four.type]
    two = con("length_constraints:number_paragraphs", num_paragraphs=2)
    answer_and_reasoning = "The answer is 42.\n\n" + PROSE
    assert level(two, answer_and_reasoning) == fits.MISFIT  # the final answer cut from its reasoning
    blank = con("paragraphs:paragraphs2")
    assert level(blank, answer_and_reasoning) == fits.MISFIT
    two_real = PROSE + "\n\n" + PROSE
    assert level(blank, two_real, "Explain my bill in two paragraphs.") == natural.NATURAL[blank.type]  # asked
    assert level(blank, two_real) == fits.MISFIT  # fifteenth round: nobody asked for paragraphs (held-out W44)
    sections = con("detectable_format:multiple_sections", num_sections=3, section_spliter="Section")
    diary = "\n\n".join(["今天我去了医院，医生说恢复得很好，我心里很高兴。"] * 3)
    assert level(sections, diary, "写一篇日记") == fits.MISFIT  # English "Section" labels on a Chinese diary
    three = "\n\n".join([PROSE] * 3)
    assert level(sections, three, "Explain the bill in three sections.") == natural.NATURAL[sections.type]
    # eleventh round: "Section N" labels nobody asked for read as picked (held-out Q6 synopsis, R27 French story)
    assert level(sections, three, "Write a synopsis of the film.") == fits.MISFIT
    steps = con("detectable_format:multiple_sections", num_sections=3, section_spliter="Step")
    asked = "How do I install the driver? Walk me through the steps."
    assert level(steps, three, asked) == natural.NATURAL[steps.type]  # the request asks for steps (U18)
    # thirteenth round: "Step N" sections nobody asked for read picked, and broken on a sub-list (held-out U46)
    assert level(steps, three, "How do I install the driver?") == fits.MISFIT


def test_lowercase_and_dash_bans_where_a_person_would_ask_them():
    lower = con("change_case:english_lowercase")
    assert level(lower, PROSE.lower(), "How long do 9 towels take to dry?") == fits.MISFIT
    assert level(lower, PROSE.lower(), "Write a tweet about my new bike.") == natural.NATURAL[lower.type]
    em = con("crab:no_punctuation", mark="—")
    assert level(em, "x = (–1 – √(1–4a))/2 and so on. " + PROSE) == fits.MISFIT  # en dashes as minus signs
    assert level(em, PROSE) == 3


def test_keywords_from_the_request_and_whole_terms_only():
    lyrics = "Real love, real light, in the flash of our eyes. We light up the night. " * 3
    light = con("keywords:existence", keywords=["light"])
    assert level(light, lyrics, "Rewrite these lyrics for EDM.") == 1  # the answer's word, not the request's
    assert level(light, lyrics, "Rewrite these lyrics about the light.") == fits.MISFIT  # a plain word: left out
    assert level(light, lyrics, "Rewrite these lyrics about 'light'.") == natural.NATURAL[light.type]  # quoted
    aws = "Use an egress-only internet gateway here. The egress-only internet gateway allows IPv6 out. " * 2
    cut = con("keywords:existence", keywords=["egress-only internet"])
    assert level(cut, aws, "Should they add an egress-only internet gateway?") == 1  # a term cut short
    whole = con("keywords:existence", keywords=["egress-only internet gateway"])
    assert (
        level(whole, aws, "Should they add an egress-only internet gateway?") == fits.MISFIT
    )  # a plain term of the request


def test_a_family_declares_its_own_condition():
    def only_for_poems(response, instruction, kwargs):
        return 5 if "poem" in instruction else 1

    own = ConstraintType(id="mine:rhyme", family="mine", describe=lambda kw, rng: "rhyme", natural=only_for_poems)
    assert natural.level(con("mine:rhyme"), own, PROSE, "Write a poem.") == 5
    assert natural.level(con("mine:rhyme"), own, PROSE, "Fix my code.") == 1


def _combine(record, **options):
    combiner = REGISTRY.get("combiners", "crab")(p_demos=0.0, reader_check=False, **options)
    out, stats = [], []
    for i in range(30):
        ctx = Context(run_dir=".", seed=i, registry=REGISTRY)
        out += list(combiner.combine(iter([record]), ctx))
        stats.append(ctx.stats)
    return out, stats


def test_a_line_alone_is_a_level_five_one():
    short = "¿Es un poema? Sí, aquí está el poema corto sobre los gatos que juegan."  # cap: one line
    cons = [con("punctuation:no_comma"), con("crab:length_at_most", max_words=50)]
    example = Example(instruction="Genera un poema sin comas", response=short.replace(",", ""))
    record = Annotated(example=example, constraints=cons)
    samples, _ = _combine(record)
    assert samples and all([c.type for c in s.constraints] == ["crab:length_at_most"] for s in samples)
    alone = Annotated(example=record.example, constraints=[con("punctuation:no_comma")])
    samples, stats = _combine(alone)
    assert samples == [] and all(s["crab.single_line_dropped"] == 1 for s in stats)
    samples, _ = _combine(alone, single_natural=0)
    assert len(samples) == 30


def test_weak_lines_are_capped_by_a_setting():
    essay = "\n\n".join([PROSE] * 4)
    cons = length_and_two_weak()
    record = Annotated(example=Example(instruction="Estimate my power bill.", response=essay), constraints=cons)
    weak = WEAK_TYPES
    two, _ = _combine(record, p_many=1.0, max_weak_lines=2)
    assert any(len(weak & {c.type for c in s.constraints}) == 2 for s in two)
    one, _ = _combine(record, p_many=1.0)  # the default since held-out P: 1
    assert one and all(len(weak & {c.type for c in s.constraints}) <= 1 for s in one)


def test_held_out_readings_keyword_terms_names_and_anchors():
    # what a held-out reading of 60 samples found (docs/reading-60.md, set H)
    meraki = "Configure the Access Points first. Then the Access Points get their SSIDs. " * 2
    access = con("keywords:existence", keywords=["Access"])
    assert level(access, meraki, "Configure Firewall, Switches, Access Points with the API.") == 1  # cut short
    barcode = "Barcode detection comes first. Good barcode detection needs contrast. " * 2
    phrase = con("keywords:existence", keywords=["barcode detection"])
    assert level(phrase, barcode, "How to decode an EAN13 barcode?") == 1  # a phrase the request never used
    assert level(phrase, barcode, "How does barcode detection work?") == fits.MISFIT  # a plain word: left out
    song = "We drive to see friends, happy in the chorus, friends again, happy again, the chorus again. " * 2
    listed = con("crab:keywords", keywords=["happy", "chorus", "friends"])
    assert level(listed, song, "A happy song with a chorus about friends.") == 2  # a list of three reads as picked
    script = "Hiyoko Saionji enters the ring. The crowd boos Hiyoko Saionji."
    name = con("keywords:existence", keywords=["hiyoko saionji"])
    assert natural.cased(name, TYPES[name.type], script).kwargs["keywords"] == ["Hiyoko Saionji"]


def test_a_keyword_with_weak_lines_only_is_no_sample():
    record = Annotated(
        example=Example(instruction="Write a script to track players.", response=PROSE.replace("bill", "track") * 2),
        constraints=[con("keywords:existence", keywords=["track"]), con("punctuation:punctuation_exclamation")],
    )
    samples, stats = _combine(record)
    assert samples == [] and all(s["crab.no_natural_anchor"] == 1 for s in stats)


def test_a_numbered_term_is_cut_short_too():
    grid = "Operasi tipe-1 mengecat baris. Operasi tipe-2 mengecat kolom. Operasi tipe 3 mengecat petak. " * 2
    cut = con("keywords:existence", keywords=["operasi tipe"])
    assert level(cut, grid, "Ada tiga operasi tipe pewarnaan.") == 1  # always "operasi tipe-N"


def test_a_word_total_holds_by_a_word_counters_count_too():
    maths = "Jika y = 1, maka 2x = 23 - 3(1) = 20, sehingga x = 10. " * 12  # 72 words by the checker, 180 tokens
    window = con("crab:length_range", min_words=60, max_words=90)
    assert level(window, maths) == fits.MISFIT  # a word counter says 180
    prose_only = "The bill depends on how long each appliance runs every day. " * 7  # 77 words either way
    assert level(window, prose_only) == natural.NATURAL[window.type]
    under = con("length_constraints:number_words", num_words=100, relation="less than")
    assert level(under, maths) == fits.MISFIT


def test_a_word_total_holds_by_a_counter_over_the_whole_answer_code_included():
    # held-out reading K (docs/reading-60.md): "at most N words" just above the checker's count on an answer that
    # is mostly code reads broken to a reader whose word counter also counts the code
    text = "This script reads the file and prints each line with its number. " * 4  # 48 words
    code = "```python\n" + "for i, line in enumerate(open(path)): print(i, line)\n" * 20 + "```\n"
    answer = text + "\n\n" + code
    whole = len(answer.split())
    assert whole > 100
    cap = con("crab:length_at_most", max_words=60)  # true by the text alone
    assert level(cap, answer) == fits.MISFIT
    floor = con("crab:length_at_least", min_words=40)  # true by every count
    assert level(floor, answer) == natural.NATURAL[floor.type]


def test_a_plain_word_of_the_request_is_left_out_a_name_or_quoted_term_is_not():
    # round 4: held-out readings H and J (docs/reading-60.md) kept 20 samples at 3 with keyword lines that are the
    # request's words but no subject a person names ("code" J32, "smallest"/"digits" H19, "today" J9, "container"
    # beside "Kubernetes" J57); the ones read at 4-5 name what the request names (J19 "Pinia", J29 "Nuke").
    # Round 5: made weak, such a line still kept 12 of held-out K's 21 threes, so it is left out (MISFIT)
    review = "The code recomputes values. Caching makes the code faster, and the code stays readable. " * 2
    code = con("keywords:existence", keywords=["code"])
    ask = "Analyze the provided Python code snippet and suggest improvements to the code's performance."
    assert level(code, review, ask) == fits.MISFIT
    fruity = "The smallest fruity number has many digits. We list the digits and the smallest ones first. " * 2
    pair = con("crab:keywords", keywords=["smallest", "digits"])
    ask = "Call a positive integer with non-zero digits fruity. Find the 30th smallest fruity number."
    assert level(pair, fruity, ask) == fits.MISFIT
    vue = "The store is a Pinia store. Each scroll asks Pinia for more rows, and Pinia keeps them. " * 2
    pinia = con("keywords:existence", keywords=["Pinia"])
    ask = "Using Vue 3 with Pinia and Javascript, show me how to create an infinite scrolling table component."
    assert level(pinia, vue, ask) == natural.NATURAL[pinia.type]
    story = "Harry Potter woke as Narcissa. Narcissa looked at Harry Potter in the mirror, and Harry Potter froze. " * 2
    names = con("crab:keywords", keywords=["Narcissa", "Harry Potter"])
    ask = "Write a story of Harry Potter waking up as Narcissa Malfoy."
    assert level(names, story, ask) == natural.NATURAL[names.type]
    lower = con("keywords:existence", keywords=["harry potter"])
    assert level(lower, story.lower(), ask) == fits.MISFIT
    # a capitalised first word of the request is no name: "Write", "Code"
    assert not fits.named_in_request("", "Code review: is this code fast?", {"keywords": ["Code"]})
    # after L: the same plain word came back as a count ("code" at least 3 times); a named one stays
    often = con("keywords:frequency", keyword="code", frequency=3, relation="at least")
    ask = "Analyze the provided Python code snippet and suggest improvements to the code's performance."
    assert level(often, review, ask) == fits.MISFIT
    pinia_often = con("keywords:word_count_different_numbers", keyword="Pinia", frequency=3, relation="at least")
    ask = "Using Vue 3 with Pinia and Javascript, show me how to create an infinite scrolling table component."
    assert level(pinia_often, vue, ask) == fits.MISFIT  # fourteenth round: a count of a name read picked (V18)
    pinia_once = con("keywords:frequency", keyword="Pinia", frequency=1, relation="at least")
    assert level(pinia_once, vue, ask) == natural.NATURAL[pinia_once.type]


def test_a_plain_keyword_is_no_line_of_a_sample():
    # J11 (docs/reading-60.md): "690-750 words", "'Strategy' and 'price'", no !, sentences <= 40 read 3; K's plain
    # keywords ("code" K-set, "data", "bucket") read as picked even as the one weak line beside the length
    essay = "\n\n".join(["The price moves with the market, and the price sets the risk of the spread. " * 3] * 4)
    cons = [
        con("crab:length_at_most", max_words=300),
        con("keywords:existence", keywords=["price"]),
        con("punctuation:punctuation_exclamation"),
        con("crab:words_per_sentence", max_words=30),
    ]
    ask = "What is the confidence interval of the index price in the next 115 days?"
    record = Annotated(example=Example(instruction=ask, response=essay), constraints=cons)
    samples, _ = _combine(record, p_many=1.0)
    assert samples and all("keywords:existence" not in {c.type for c in s.constraints} for s in samples)
    quoted = Annotated(example=Example(instruction=ask.replace("price", "'price'"), response=essay), constraints=cons)
    kept, _ = _combine(quoted, p_many=1.0)
    assert any("keywords:existence" in {c.type for c in s.constraints} for s in kept)


def test_a_word_of_a_title_is_no_name():
    # K43 (docs/reading-60.md, the request's own words): "week" from the article's title read as a picked word
    camping = "A week in the hills starts with a tent. The week ends by the lake. " * 3
    week = con("keywords:existence", keywords=["Week"])
    ask = "Her name is Claire Bell. The article is titled “A Week Camping in the Wilderness with My Younger Cousins.”"
    assert level(week, camping, ask) == fits.MISFIT
    assert fits.named_in_request("", ask, {"keywords": ["Claire Bell"]})  # a name before the title still is one
    assert fits.named_in_request("", "Using Vue 3 with Pinia and Javascript, show me a table.", {"keywords": ["Pinia"]})


def test_a_highlight_only_in_code_or_a_formula_is_no_line():
    # K22: "highlight at least 1 section" met only by "-*- coding: utf-8 -*-" in a listing between ---- rules;
    # K42: met only by "1*1 + 1*1" in a sentence (docs/reading-60.md): a reader sees no highlight
    one = con("detectable_format:number_highlighted_sections", num_highlights=1)
    listing = PROSE + "\n----\n# -*- coding: utf-8 -*-\nimport csv\nrows = list(csv.reader(f))\n----\n"
    ask = "Estimate my power bill; highlight what matters."  # since held-out P: only where the request asks

    def fitted(c, text):
        return fits.fitted(c.type, natural.NATURAL[c.type], text, ask, c.kwargs)

    assert fitted(one, listing) == fits.MISFIT
    formula = PROSE + " Two presses cost 1*1 + 1*1 = 2 units in total."
    assert fitted(one, formula) == fits.MISFIT
    worded = PROSE + " The *running time* of each appliance matters most."
    assert fitted(one, worded) == natural.NATURAL[one.type] == level(one, worded, ask)
    assert level(one, worded) == fits.MISFIT  # a request that asks for no emphasis (P19, P27, P54)
    two = con("detectable_format:number_highlighted_sections", num_highlights=2)
    assert fitted(two, worded + " Two presses cost 1*1 + 1*1 units.") == fits.MISFIT


def test_held_out_l_dividers_sign_offs_names_headings_and_verse():
    # what held-out reading L found (docs/reading-60.md); decided from L, measured on the next held-out set
    three = con("length_constraints:number_paragraphs", num_paragraphs=3)
    toast = "\n\n".join(["To our dear godchild, happy birthday and many more!"] * 3)
    assert level(three, toast, "Write a short birthday toast.") == fits.MISFIT  # L20: *** between a toast's lines
    real = "\n\n".join([PROSE] * 3)
    assert level(three, real, "Explain my bill in three paragraphs.") == natural.NATURAL[three.type]  # asked
    assert level(three, real) == fits.MISFIT  # fourteenth round: *** on prose nobody asked to split (V24, V40)
    stanza = "Line one of the stanza\nline two of it\nline three ends here."
    assert level(three, "\n\n".join([stanza] * 3), "Write a poem.") == natural.NATURAL[three.type]  # a poem's stanzas
    end = con("startend:end_checker", end_phrase="Good luck!")
    assert level(end, PROSE + " Good luck!") == fits.MISFIT  # L27, L32: the answer's own sign-off
    own = con("startend:end_checker", end_phrase="See you next time.")
    assert level(own, PROSE + " See you next time.") == fits.MISFIT  # N1: the answer's own last line
    offer = con("startend:end_checker", end_phrase="Is there anything else I can help with?")
    offered = PROSE + " Is there anything else I can help with?"
    assert level(offer, offered) == fits.MISFIT  # fourteenth round: a closing question read picked too (V15, V42)
    asked = "Estimate my power bill and end with the question 'Is there anything else I can help with?'"
    assert level(offer, offered, asked) == natural.NATURAL[offer.type]
    assert level(own, PROSE + " See you next time.", "Write a farewell; end with a sign-off.") == 3
    ask = "Write a story of a kayak trip on the Raritan River, told by my friend Mina."
    assert not fits.named_in_request("", ask, {"keywords": ["River"]})  # L18: a word of a longer name
    assert fits.named_in_request(
        "", ask, {"keywords": ["Raritan"]}
    )  # its first word, as "Narcissa" of "Narcissa Malfoy"
    assert fits.named_in_request("", ask, {"keywords": ["Raritan River"]})
    assert fits.named_in_request("", ask, {"keywords": ["Mina"]})
    headings = "**Step 1: the mass**\nThe mass is m.\n\n**Step 2:** the centre is at 3h/4.\n" + PROSE
    four = con("detectable_format:number_highlighted_sections", num_highlights=1)
    bold = "Estimate my power bill, with the key terms in bold."
    assert level(four, headings, bold) == fits.MISFIT  # L37: bold headings are no highlights
    assert level(four, headings + " The *centre* matters.", bold) == natural.NATURAL[four.type]
    per = con("crab:words_per_sentence", max_words=25)
    lyrics = "\n".join(["Down by the river where the willows grow"] * 8)
    assert level(per, lyrics, "Write an old Irish song.") == fits.MISFIT  # L2: a sentence length on verse
    assert level(per, PROSE) == natural.NATURAL[per.type]


def test_one_weak_line_on_code_or_maths_and_one_keyword_line():
    # L11, L25, L46, L49: two weak lines beside the length of a derivation read as picked; L39, L48: two keyword
    # lines of the request's names read as a checklist
    derivation = "\n".join(f"Step {i}: a_{i} = {i} * 2 + 1 = {2 * i + 1}." for i in range(6)) + "\n" + PROSE * 3
    assert kinds.technical(derivation) and not kinds.technical(PROSE)
    assert kinds.technical("Here:\n```python\n" + "x = compute(1)\n" * 40 + "```\nDone.")
    cons = length_and_two_weak()
    record = Annotated(example=Example(instruction="Solve it.", response=derivation), constraints=cons)
    weak = WEAK_TYPES
    samples, _ = _combine(record, p_many=1.0)  # none since held-out M: one alone still read as picked
    assert samples and all(not weak & {c.type for c in s.constraints} for s in samples)
    one, _ = _combine(record, p_many=1.0, technical_weak_lines=1)
    assert one and all(len(weak & {c.type for c in s.constraints}) <= 1 for s in one)
    two, _ = _combine(record, p_many=1.0, technical_weak_lines=2, max_weak_lines=2)
    assert any(len(weak & {c.type for c in s.constraints}) == 2 for s in two)
    story = "Then Ennis met Jack by the river, and Jack laughed while Ennis fished. " * 12
    names = [
        con("crab:length_at_most", max_words=300),
        con("keywords:existence", keywords=["Ennis"]),
        con("keywords:frequency", keyword="Jack", frequency=3, relation="at least"),
    ]
    ask = "Write a story where Ennis and Jack meet again by the river."
    record = Annotated(example=Example(instruction=ask, response=story), constraints=names)
    samples, _ = _combine(record, p_many=1.0)
    keyword_lines = {"keywords:existence", "keywords:frequency"}
    assert samples and all(len(keyword_lines & {c.type for c in s.constraints}) <= 1 for s in samples)
    assert any(keyword_lines & {c.type for c in s.constraints} for s in samples)


def test_held_out_m_lengths_say_the_requests_number_and_highlights_stand_in_sentences():
    # what held-out reading M found (docs/reading-60.md); decided from M, measured on the next held-out set
    import random

    from crabplug_crab.lengths import asked_words, derive_length_around, derive_length_at_least

    assert asked_words("Write a long detailed 1000-word scene, then a 1,500 words essay and 500 palabras.") == (
        1000,
        1500,
        500,
    )
    assert asked_words("Write 3 paragraphs about the 2024 election.") == ()
    scene = "word " * 954
    ask = "Write a long detailed 1000-word scene where Max and Chloe meet Victoria."
    example = Example(instruction=ask, response=scene)
    assert derive_length_around(example, random.Random(0)) == {"num_words": 1000}  # M1: not "around 950"
    assert derive_length_at_least(Example(instruction=ask, response="word " * 1020), random.Random(0)) == {
        "min_words": 1000
    }
    around = con("crab:length_around", num_words=950)
    assert level(around, scene, ask) == fits.MISFIT  # another number than the request's
    assert level(con("crab:length_around", num_words=1000), scene, ask) == natural.NATURAL[around.type]
    floor = con("crab:length_at_least", min_words=140)
    headings = "Give 4 headings, each can be under 50 words."
    assert level(floor, PROSE * 3, headings) == fits.MISFIT  # M5: a floor against the request's "under 50 words"
    assert level(floor, PROSE * 3) == natural.NATURAL[floor.type]
    puzzle = "\n".join(f"Then r_{i} = {i} * 7 mod 9 = {i * 7 % 9}." for i in range(5)) + "\n" + PROSE * 3
    assert level(floor, puzzle, "Find the remainder.") == fits.MISFIT  # M33: a word floor on a worked problem
    assert level(con("crab:length_at_most", max_words=300), puzzle, "Find the remainder.") == 5  # a ceiling fits
    one = con("detectable_format:number_highlighted_sections", num_highlights=1)
    glob = PROSE + " Run equery f '*rtl8812au*' to list the files."
    assert level(one, glob) == fits.MISFIT  # M26: a glob in a command, not a highlight
    lead = PROSE + "\n- **Power** is what each appliance draws.\n"
    assert level(one, lead) == fits.MISFIT  # a list item's bold lead reads as a label
    bold = "Estimate my power bill, with the key terms in bold."
    assert level(one, PROSE + " The *running time* matters most.", bold) == natural.NATURAL[one.type]
    assert level(one, puzzle + " The *running time* matters most.") == fits.MISFIT  # on a worked problem


def test_held_out_n_placeholders_lowercase_and_worked_problems():
    # what held-out reading N found (docs/reading-60.md); decided from N, measured on the next held-out set
    slots = con("detectable_content:number_placeholders", num_placeholders=2)
    letter = PROSE + "\n\nBest regards,\n[Your Name]\n[Your Title]"
    assert level(slots, letter, "Write a cover letter for a data analyst job.") == fits.MISFIT  # N27: sign-off fields
    assert level(slots, letter, "Give me a cover letter template I can reuse.") == natural.NATURAL[slots.type]
    assert level(slots, letter, "Fill in the template: [Name] works at [AU].") == fits.MISFIT  # N50: the request's own
    lower = con("change_case:english_lowercase")
    roleplay = "i want you to make this roleplay prompt the best possible. Hey there, ready to chat with an AI?"
    assert level(lower, PROSE.lower(), roleplay) == fits.MISFIT  # N6: "chat" made it a casual request
    marbles = "You have two jars, 50 red marbles and 50 blue marbles. Maximize the chances of picking red."
    assert kinds.technical_for(PROSE, marbles) and not kinds.technical_for(PROSE, "Write a story about jars.")
    cons = length_and_two_weak()
    record = Annotated(example=Example(instruction=marbles, response=PROSE * 3), constraints=cons)
    samples, _ = _combine(record, p_many=1.0)  # N14: no ! and a sentence cap on a marble puzzle
    assert samples and all([c.type for c in s.constraints] == ["crab:length_at_most"] for s in samples)
    floor = con("crab:length_at_least", min_words=140)
    assert level(floor, PROSE * 3, marbles) == fits.MISFIT  # N49: a word floor on a probability exercise


def test_held_out_p_ranges_outlines_preambles_steps_and_weak_lines():
    # what held-out reading P found (docs/reading-60.md); decided from P, measured on the next held-out set
    import random

    from crabplug_crab.lengths import asked_range, derive_length_range

    ask = "Write a scene of 800-1000 words set in 1938 England."
    assert asked_range(ask) == (800, 1000) and asked_range("Write between 300 and 400 words.") == (300, 400)
    story = "word " * 900
    assert derive_length_range(Example(instruction=ask, response=story), random.Random(0)) == {
        "min_words": 800,
        "max_words": 1000,
    }
    floor = con("crab:length_at_least", min_words=1000)
    assert level(floor, "word " * 1082, ask) == fits.MISFIT  # P7: "1000+" against the request's "800-1000"
    span = con("crab:length_range", min_words=800, max_words=1000)
    assert level(span, story, ask) == natural.NATURAL[span.type]
    quiz = "1. * Volume Shadow Copy\n* System Restore\n2. Answer two\n" + "* Indexing\n* Backup\n* Defender\n"
    assert level(con("detectable_format:number_bullet_lists", num_bullets=5), quiz, "List them.") == fits.MISFIT  # P45
    outline = "\n".join(f"- Section {i}: input validation and output encoding rules" for i in range(20))
    per = con("crab:words_per_sentence", max_words=30)
    assert level(per, outline, "Create a detailed outline.") == fits.MISFIT  # P30: a sentence cap on an outline
    only = con("language:response_language", language="it")
    italian = "Giovanna guardava il mare di Palermo e pensava agli amici di sempre, alla scuola e alle estati. " * 3
    preamble = "Okay, here is a long fictional story in Italian about the friends in Palermo.\n\n" + italian
    assert level(only, preamble, "Write a long story in italian.") == fits.MISFIT  # P19: an English preamble
    assert level(only, italian, "Write a long story in italian.") == 4
    steps = "\n\n".join(f"Step {i}\nThe side is 20, so d{i} = 2 * 20 * 0.{i} = {8 * i}, and we go on." for i in (1, 2))
    sections = con("detectable_format:multiple_sections", num_sections=2, section_spliter="Step")
    prism = "Determine the volume of the prism if its height is 5."
    assert level(sections, steps + "\n\nStep 3\nThe volume follows from the base area and the height.", prism) == 2
    lower = con("change_case:english_lowercase")
    songs = "You have a music player with 1000 songs. How do you play one song, then shuffle the rest?"
    assert level(lower, PROSE.lower(), songs) == fits.MISFIT  # P43: "songs" in a puzzle is no request for lyrics
    assert level(lower, PROSE.lower(), "Write a song about summer rain.") == natural.NATURAL[lower.type]
    assert kinds.technical_for(PROSE, "Simplify (p↔q)∧(r↔q)")  # P5
    assert kinds.technical_for(PROSE + "\n```c\n#ifdef _WIN32\n#endif\n```\n" + PROSE, "Create me a C89 header.")  # P25


def test_the_reverse_task_lists_true_lines_the_instruction_does_not_stack():
    # max_weak_lines 1 keeps the instruction to one weak line; the other true lines go to provenance.also_true, where
    # the reverse task (backtranslation.jsonl, 3-6 constraints a row) may list them
    from crabplug_crab.outputs import reverse_row

    essay = "\n\n".join([PROSE] * 4)
    cons = length_and_two_weak()
    record = Annotated(example=Example(instruction="Estimate my power bill.", response=essay), constraints=cons)
    samples, _ = _combine(record, p_many=1.0)
    assert samples
    for s in samples:
        also = s.provenance.get("also_true", [])
        said = {c.type for c in s.constraints} | {c["type"] for c in also}
        assert said == {c.type for c in cons} and all(c["text"] for c in also)
        ctx = Context(run_dir=".", seed=0, registry=REGISTRY)
        import random

        row = reverse_row(s, ctx, random.Random(0), lo=3, hi=6)
        assert row is not None and {c["type"] for c in row["constraints"]} == said


def test_held_out_q_a_short_request_gets_a_ceiling_a_long_one_a_floor():
    # Q31 "an ultra-long story" and Q50 "un breve poema" got lengths that were close to the request, not its word;
    # N's 5s were lines in the request's direction ("a short, concise limerick": under N words)
    text = PROSE * 3
    ceiling, floor = con("crab:length_at_most", max_words=300), con("crab:length_at_least", min_words=100)
    around = con("crab:length_around", num_words=round(len(text.split()), -1))
    short, long = "Write a short poem about rain.", "Write an ultra-long story about rain."
    assert level(ceiling, text, short) == 5 and level(floor, text, short) == fits.MISFIT
    assert level(floor, text, long) == 5 and level(ceiling, text, long) == fits.MISFIT
    assert level(around, text, short) == fits.MISFIT and level(around, text, "Write about rain.") == 5
    assert level(floor, text, "Give a short but detailed answer.") == 5  # both words: no direction
    assert level(ceiling, text, "How long do 9 towels take to dry?") == 5  # "how long" asks no length


def test_held_out_r_a_title_is_a_line_and_a_section_never_cuts_a_heading():
    # R35 (reader-untrue): "<< 7" ... "mask >>" in a sentence on bit shifts passed the title check; R39 (damaged): a
    # SECTION edit cut "Scenario 1: No spin" and "Conclusion:" from their text (docs/reading-60.md)
    import random

    from crabplug import TransformSkipped

    title = con("detectable_format:title")
    shifts = PROSE + " Shift by x << 7 and keep the mask >> 3 bits wide."
    assert level(title, shifts) == fits.MISFIT
    titled = "<<The Power Bill>>\n\n" + PROSE
    assert level(title, titled, "Write a short article on the power bill.") == natural.NATURAL[title.type]
    # eleventh round: a title only where one is asked or the piece carries one (P42 protocol, Q36 prompt, R35 C)
    assert level(title, titled) == fits.MISFIT
    edit = TYPES["detectable_format:multiple_sections"].transform
    cut = "Scenario 1: No spin\n\nThe chamber stays put, so the odds are 1 in 5.\n\nConclusion:\n\nSpin again."
    skipped = 0
    for seed in range(10):
        try:
            text, _ = edit.apply(Example(instruction="x", response=cut), random.Random(seed))
        except TransformSkipped as skip:
            assert "cut a heading" in str(skip)
            skipped += 1
            continue
        assert not re.search(r"(?:No spin|Conclusion:)\n\n(?:SECTION|Section) \d", text)  # a heading keeps its text
    assert skipped > 0


def test_eleventh_round_a_question_with_one_answer_gets_only_a_cap_and_a_song_no_sentence_length():
    # held-out R (docs/reading-60.md): a band, an "around" or a floor on a question with one answer read fitted to
    # the answer (R7's multiple choice, R17 "найди флаг", R28's how-many puzzle, R42 "how much more volume"); a cap
    # read 4 (R6, R13); a sentence cap on a song request read picked (R33)
    answer = "The rate works out once the payments are discounted back to today, one month at a time. " * 6
    choice = "What is the effective annual rate?\n\na.\n41.29%\n\nb.\n10%\n\nc.\n5%\n\nd.\n35.07%"
    for ask in (choice, "найди флаг.", "If I increase size by 25% how much more volume do I get?"):
        assert level(con("crab:length_range", min_words=80, max_words=120), answer, ask) == fits.MISFIT
        assert level(con("crab:length_around", num_words=96), answer, ask) == fits.MISFIT
        cap = con("crab:length_at_most", max_words=110)
        assert level(cap, answer, ask) == natural.NATURAL[cap.type]
    band = con("crab:length_range", min_words=80, max_words=120)
    assert level(band, answer, "Tell me about loans.") == natural.NATURAL[band.type]  # not a question with one answer
    sentences = con("crab:words_per_sentence", max_words=25)
    assert level(sentences, answer, "Rewrite this as a Ramones song.") == fits.MISFIT
    assert level(sentences, answer, "Tell me about loans.") == natural.NATURAL[sentences.type]


def test_twelfth_round_a_length_the_request_names_keeps_its_side_and_stands_without_a_weak_line():
    # held-out S (docs/reading-60.md): "a 300 word transcript" got "300+" (S60) and "a 999 word poem" "at most 999"
    # (S24): the request's target bent into a bound; "at least 1300 words" kept as a floor read well (R4)
    from crabplug_crab.lengths import asked_bound

    assert asked_bound("Write a 300 word transcript.") is None
    assert asked_bound("Write at least 1300 words.") == "floor"
    assert asked_bound("Расскажи не более 200 слов.") == "ceiling"
    text = "The three of them talk about what they are and what they want from the day ahead. " * 18  # 306 words
    ask = "Write a 300 word transcript of three AIs talking."
    about = con("crab:length_around", num_words=300)
    assert level(about, text, ask) == natural.NATURAL[about.type]
    assert level(con("crab:length_at_least", min_words=300), text, ask) == fits.MISFIT
    assert fits_length.echoes(about.type, text, ask, about.kwargs)
    assert not fits_length.echoes(about.type, text, "Write a transcript of three AIs talking.", about.kwargs)
    # "8 lines in 2 quatrains" sets a poem's size: a word total beside it reads picked (S28)
    band = con("crab:length_range", min_words=60, max_words=120)
    poem = "\n".join(["the cat sleeps in the sun all day long"] * 8)
    assert level(band, poem, "Write an 8-line poem about cats in 2 quatrains.") == fits.MISFIT


def test_a_weak_line_is_not_put_beside_a_length_the_request_asks():
    story = "\n\n".join(["She walked to the harbour and watched the boats come in before the rain. " * 6] * 3)
    n = len(story.split())
    cons = [con("crab:length_around", num_words=round(n, -1)), con("crab:words_per_sentence", max_words=30)]
    ask = f"Write a {round(n, -1)} word story about a harbour."
    record = Annotated(example=Example(instruction=ask, response=story), constraints=cons)
    samples, stats = _combine(record, p_many=1.0)
    assert samples and all([c.type for c in s.constraints] == ["crab:length_around"] for s in samples)
    assert sum(s.get("crab.echo_alone", 0) for s in stats) == len(samples)
    also = samples[0].provenance["also_true"]
    assert [c["type"] if isinstance(c, dict) else c.type for c in also] == ["crab:words_per_sentence"]
    plain = Annotated(example=Example(instruction="Write a story about a harbour.", response=story), constraints=cons)
    samples, _ = _combine(plain, p_many=1.0)
    assert samples and any(len(s.constraints) == 2 for s in samples)  # no echo: the weak line may join


def test_thirteenth_round_no_dash_ban_on_a_japanese_answer():
    # held-out U21 (docs/reading-60.md): "no em dashes" on a Japanese light-novel setting read as picked
    em = con("crab:no_punctuation", mark="—")
    japanese = "可愛いヒロインたちが住む学園都市の設定です。主人公は毎日新しい魔法を学びます。" * 4
    assert level(em, japanese, "ライトノベルの設定を書いてください。") == fits.MISFIT
    assert level(em, PROSE) >= 3  # the same ban on English prose stays


def test_fourteenth_round_time_sized_requests_number_tables_and_step_labels_a_reader_counts():
    # held-out V (docs/reading-60.md): "460+ words" for a one-minute video script (V39, as M25), a word range over a
    # table of numbers (V57), "3 sections Step X" beside the answer's "Step (a)" and "Step (b)" (V34, reader-untrue)
    floor = con("crab:length_at_least", min_words=60)
    script = "The camera opens on the plot of land at dawn while the narrator speaks softly. " * 6
    assert level(floor, script, "Hãy viết cho tôi 1 kịch bản để quay video dài khoảng 1 phút.") == fits.MISFIT
    assert level(floor, script, "Write a script about a plot of land.") == natural.NATURAL[floor.type]
    table = "Here is the table:\n" + "\n".join(f"({t}, {t * 3 % 255}, {t * 7 % 255})," for t in range(-20, 41))
    band = {"min_words": 180, "max_words": 200}  # 187 tokens: true by the checker and by a counter
    assert not fits_length.length_fits(table, "Send only an updated color table.", band)
    assert fits_length.length_fits(" ".join(["word"] * 187), "Send only an updated color table.", band)
    steps = con("detectable_format:multiple_sections", num_sections=3, section_spliter="Step")
    parts = ["Step (a): the impulse response", "Step (b): the output", "Step 1", "Step 2", "Step 3"]
    answer = "\n\n".join(f"{p}\n{PROSE}" for p in parts)
    assert level(steps, answer, "Work it out step by step.") == fits.MISFIT
    own = "\n\n".join(f"Step {i}\n{PROSE}" for i in (1, 2, 3))
    assert level(steps, own, "Work it out step by step.") == natural.NATURAL[steps.type]


def test_fifteenth_round_commas_a_ps_and_a_yes_or_no_where_the_request_speaks_of_them():
    # held-out W (HealthBench, docs/reading-60.md): "no commas" on answers that happen to have none (W3, W8, W40), a
    # P.S. on a newborn-care guide (W33), "at least 70 words" for "I just want a yes or no" (W28)
    plain = PROSE.replace(",", "")
    commas = con("punctuation:no_comma")
    assert level(commas, plain, "What should I do about my periods?") == fits.MISFIT
    assert level(commas, plain, "Explain it without any commas.") == natural.NATURAL[commas.type]
    ps = con("detectable_content:postscript", postscript_marker="P.S.")
    signed = PROSE + "\n\nP.S. Call me if it gets worse."
    assert level(ps, signed, "How do I care for a 7-day-old baby?") == fits.MISFIT
    assert level(ps, signed, "Write a letter to my landlord about the bill.") == natural.NATURAL[ps.type]
    floor = con("crab:length_at_least", min_words=70)
    assert level(floor, PROSE, "Is this normal? I just want a yes or no.") == fits.MISFIT


def test_sixteenth_round_a_short_statement_that_asks_nothing_gives_no_sample():
    # held-out X (HealthBench, docs/reading-60.md): two style lines on "29 year female." and "She has a colitis flare
    # for 2 days." read picked; the answers are clarifying questions
    from crabplug_crab.kinds import asks_nothing

    assert asks_nothing("29 year female.") and asks_nothing("She has a colitis flare for 2 days.")
    assert not asks_nothing("Is a bee sting dangerous?") and not asks_nothing("Write a poem about tea.")
    assert not asks_nothing("Tengo fiebre desde ayer.".replace("e", "é"))  # not English: left as it is
    cons = [con("crab:length_at_most", max_words=60), con("punctuation:punctuation_exclamation")]
    answer = "Thanks for sharing. Could you tell me what symptoms you have and how long they have lasted? " * 2
    record = Annotated(example=Example(instruction="29 year female.", response=answer), constraints=cons)
    samples, stats = _combine(record)
    assert samples == [] and all(s["crab.request_asks_nothing"] == 1 for s in stats)


def test_seventeenth_round_no_word_floor_on_an_emergency_and_no_bullet_count_over_a_lone_bullet():
    # held-out Y (HealthBench, docs/reading-60.md): "500+ words" on "something I can do at home right now" (Y49),
    # "130+" on "she fainted, chest pain, help" (Y59), "80+" on "double insulin dose shaky sweaty emergent" (Y40)
    floor = con("crab:length_at_least", min_words=50)
    cap = con("crab:length_at_most", max_words=400)
    for request in (
        "My chest feels tight, is there something I can do at home right now?",
        "double insulin dose emergent",
    ):
        assert level(floor, PROSE, request) == fits.MISFIT
        assert level(cap, PROSE, request) == natural.NATURAL[cap.type]  # a ceiling fits a hurry
    assert level(floor, PROSE, "How do I care for a 7-day-old baby?") == natural.NATURAL[floor.type]
    # "exactly 3 bullets" on two dashes and one more after a line of prose (Y17), "exactly 4" with one item written
    # without a dash among them (Y10): a reader counts another list
    split = "Next steps:\n- Beta-3 agonists\n- Local estrogen therapy\n\nIf it does not improve:\n- Nerve stimulation"
    one = "Tips:\n- Take breaks\n- See an optician for glasses\n  and check the prescription\n- Use artificial tears"
    bullets = con("detectable_format:number_bullet_lists", num_bullets=3)
    assert level(bullets, split, "Write a short note with the next steps.") == fits.MISFIT
    assert level(bullets, one, "Give me steps to ease dry eyes.") == natural.NATURAL[bullets.type]


def test_eighteenth_round_no_word_total_on_a_text_given_to_correct():
    # held-out Z26 ("check grammar" + a nurse's note: "about 50 words") and X7 ("correct it in my language:" + a
    # paragraph: "80+ words"): the given text sets the length; a question about translating is no such request
    from crabplug_crab.kinds import edits_given_text

    note = " Father called re: a 15 y.o. who received a second dose, mild fever, arm soreness, asking about ibuprofen "
    given = f'check grammar "{note * 2}"'
    assert edits_given_text(given) and edits_given_text("correct it in my language:\n\n" + note * 2)
    assert not edits_given_text("How do I translate a PDF in Python with a free offline API for my thesis on texts?")
    around = con("crab:length_around", num_words=60)
    assert level(around, PROSE, given) == fits.MISFIT
    assert level(around, PROSE, "Explain how my bill is worked out, in about 60 words.") == natural.NATURAL[around.type]


def test_nineteenth_round_a_text_to_be_corrected_and_a_basic_request():
    # held-out AA (AlpacaEval, docs/reading-60.md): "should be checked for any scientific errors and corrected if
    # necessary." + a zinc paragraph with 160-200 words (AA34); "basic acceptance criteria" with 370-430 words (AA58)
    from crabplug_crab.kinds import edits_given_text

    zinc = "Zinc is an essential mineral that is required for good health and for the immune system to work. " * 2
    request = "The given article should be checked for any scientific errors and corrected if necessary.\n\n" + zinc
    assert edits_given_text(request)
    band = con("crab:length_range", min_words=50, max_words=80)
    assert level(band, PROSE, request) == fits.MISFIT
    assert level(band, PROSE, "Write basic acceptance criteria for a login page.") == fits.MISFIT
    cap = con("crab:length_at_most", max_words=80)
    assert level(cap, PROSE, "Write basic acceptance criteria for a login page.") == natural.NATURAL[cap.type]


def test_twentieth_round_two_paragraphs_split_by_stars_only_where_paragraphs_are_asked():
    # held-out AB (AlpacaEval) and Y47: "2 paragraphs, with *** between them" on a one-fact biology answer (AB50), a
    # 100-word company blurb (AB3): the request never spoke of paragraphs
    first = "Inositol trisphosphate is the messenger that binds receptors on the endoplasmic reticulum. " * 5
    second = "Those receptors are channels, so binding opens them and calcium flows out into the cytosol. " * 5
    two = f"{first.strip()}\n\n{second.strip()}"
    stars = con("length_constraints:number_paragraphs", num_paragraphs=2)
    asked = "Which second messenger releases calcium from the ER? Answer in two paragraphs."
    assert level(stars, two, "Which second messenger releases calcium from the ER?") == fits.MISFIT
    assert level(stars, two, asked) == natural.NATURAL[stars.type]


def test_a_word_band_narrower_than_30_reads_picked_unless_the_request_names_it():
    # held-out AB: "150-170 words" on a list of film titles (AB2), three more 20-word bands noted as tight
    band = con("crab:length_range", min_words=50, max_words=70)
    assert level(band, PROSE, "Explain how my electricity bill is worked out.") == 2
    assert level(band, PROSE, "Explain how my electricity bill is worked out, in 50-70 words.") == 5
    wide = con("crab:length_range", min_words=50, max_words=80)
    assert level(wide, PROSE, "Explain how my electricity bill is worked out.") == natural.NATURAL[wide.type]
