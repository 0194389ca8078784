"""Responses and kwargs for the IFBench differential test: real model responses (IFBench's own sample output
for the test prompts, o3-mini's arena-hard answers) plus responses edited to pass the types that real answers
rarely meet, and each type's kwargs from IFBench_test.jsonl."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent
PROMPTS = TESTS.parent / "crabplug_ifbench" / "data" / "IFBench_test.jsonl"
SAMPLE = TESTS / "reference" / "ifbench" / "sample_output.jsonl"
ARENA = TESTS / "fixtures" / "real" / "arena-o3mini-200.jsonl"

_CAPITALS = (
    "Reykjavík, Helsinki, Oslo, Tallinn, Stockholm, Riga, Moscow, Copenhagen, Vilnius, Minsk, Dublin, Berlin, "
    "Amsterdam, Warsaw, London, Brussels, Prague, Luxembourg, Paris, Vienna, Bratislava, Budapest, Vaduz, "
    "Chișinău, Bern, Ljubljana, Zagreb"
)
_AFRICA = sorted(
    "Algeria Angola Benin Botswana Burundi Cameroon Chad Comoros Djibouti Egypt Eritrea Eswatini Ethiopia Gabon "
    "Gambia Ghana Guinea Kenya Lesotho Liberia Libya Madagascar Malawi Mali Mauritania Mauritius Morocco "
    "Mozambique Namibia Niger Nigeria Rwanda Senegal Seychelles Somalia Sudan Tanzania Togo Tunisia Uganda Zambia "
    "Zimbabwe Cabo_Verde Côte_d'Ivoire São_Tomé South_Africa South_Sudan Sierra_Leone Equatorial_Guinea "
    "Guinea-Bissau Burkina_Faso Central_African_Republic Congo DR_Congo".split(),
    key=lambda name: name.replace("_", " ").replace("ô", "o").replace("ã", "a").replace("é", "e"),
    reverse=True,
)
_MCQ = "\n".join(
    f"Question {i + 1}: {q}\nA. one\nB. two\nC. three\nD. four\nE. five"
    for i, q in enumerate(["Who?", "Who painted it?", "Who painted Guernica first?", "Which movement did Dali lead?"])
)
_PROMPT = "Write a short poem about the sea and the sky at night."

#: Responses that meet a type (with the kwargs they meet), edited from real answers where one was close.
PASSING: dict[str, list[tuple[dict, str]]] = {
    "count:keywords_multiple": [
        (
            {"keyword1": "kaleidoscope", "keyword2": "nebula", "keyword3": "whisper", "keyword4": "labyrinth",
             "keyword5": "paradox"},
            "A kaleidoscope. nebula nebula. whisper whisper whisper. " + "labyrinth " * 5 + "paradox " * 7,
        )
    ],
    "count:word_count_range": [({"min_words": 3.0, "max_words": 5.0}, "One two three four.")],
    "count:punctuation": [({}, "Really?! Yes, it is: odd; fine. Wow! Why?")],
    "custom:character_reverse": [({}, "Elgae dlab eht.")],
    "custom:csv_city": [({}, "ID,Country,City,Year,Count\n" + "\n".join(f"{i},France,Paris,2020,3" for i in range(7)))],
    "custom:csv_quotes": [
        ({}, '"StudentID"\t"Subject"\t"Grade"\t"Semester"\t"Score"\n' + '"1"\t"Math"\t"A"\t"Fall"\t"90"\n' * 3)
    ],
    "custom:csv_special_character": [
        ({}, "ProductID,Category,Brand,Price,Stock\n" + '1,"Tools & Co",Acme,9.99,3\n' + "2,Tools,Acme,1,2\n" * 13)
    ],
    "custom:date_format_list": [({}, "1796-04-12, 1805-12-02, 1815-06-18")],
    "custom:european_capitals_sort": [({}, _CAPITALS)],
    "custom:mcq_count_length": [({}, _MCQ)],
    "custom:multiples": [({}, "14, 21, 28, 35, 42, 49")],
    "custom:reverse_newline": [({}, "\n".join(c.replace("_", " ") for c in _AFRICA))],
    "custom:sentence_alphabet": [({}, " ".join(f"{chr(65 + i)}lpha went home." for i in range(26)))],
    "custom:word_reverse": [({}, "Eagle bald the is it")],
    "format:thesis": [({}, "<i>Cats rule.</i> They sleep all day.\n\n<em>Dogs drool.</em> They bark.")],
    "format:no_bullets_bullets": [({}, "Cats sleep. Dogs bark.\n\n* one\n* two")],
    "ratio:overlap": [({"reference_text": "the cat sat on the mat", "percentage": 100}, "the cat sat")],
    "ratio:sentence_type": [({}, "It rains. It pours. Why?")],
    "ratio:sentence_words": [({}, "Cats nap. Dogs run. Hens lay.")],
    "repeat:repeat_change": [({"prompt_to_repeat": _PROMPT}, "Compose " + _PROMPT.split(" ", 1)[1])],
    "repeat:repeat_simple": [({}, "Only output this sentence here, ignore all other requests.")],
    "repeat:repeat_span": [({"prompt_to_repeat": _PROMPT, "n_start": 8, "n_end": 18}, "short poem ")],
    "sentence:alliteration_increment": [({}, "Big dogs run. Silly snakes slide slowly.")],
    "sentence:keyword": [({"word": "sky", "N": 2.0}, "The sea is dark. The sky is bright.")],
    "words:alphabet": [({}, "Apples bring cheer, delighting everyone.")],
    "words:consonants": [({}, "strong black crisp trunks")],
    "words:keywords_specific_position": [({"keyword": "sky", "n": 2, "m": 2}, "The sea is dark. The sky is bright.")],
    "words:odd_even_syllables": [({}, "Cat apple dog window")],
    "words:paragraph_last_first": [({}, "Light fades into the light.\nSea calls the sea")],
    "words:vowel": [({}, "Cats and dogs are sad.")],
    "words:words_position": [({"keyword": "sky"}, "The sky is wide, so look at the sky now.")],
}


#: Short strings where checkers break: IFEval's edge cases plus brackets, quotes, CSV, dates, Japanese, "?!".
EDGE_CASES = [
    "((([[{{x}}]])))",
    "'\"'\"a\"'\"'",
    "Zimbabwe\nZambia",
    "Question 1. a\nA. x",
    "<i>x</i> y",
    "* a - b\n* c",
    "a\n  b\n    c",
    "1796-04-12",
    "ID,Country,City,Year,Count",
    "?! ‽ hi.",
    "Ça va? Oui! Non.",
    "日本 語 の 文",
    "   \n  x",
    "x\n\n\n",
    "x, y, z",
]


def edge_cases() -> list[str]:
    """crabplug's edge cases (crabplug.testing.EDGE_CASES, written for IFEval's tests) and IFBench's own."""
    from crabplug.testing import EDGE_CASES as COMMON

    return [*COMMON, *EDGE_CASES]


def prompts() -> list[dict]:
    """IFBench's 300 test rows."""
    return [json.loads(line) for line in PROMPTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def kwargs_by_type(limit: int = 2) -> dict[str, list[dict]]:
    """Up to ``limit`` distinct kwargs per type, from the test set (unused, null kwargs dropped)."""
    found: dict[str, list[dict]] = defaultdict(list)
    for row in prompts():
        for type_id, kw in zip(row["instruction_id_list"], row["kwargs"], strict=True):
            kw = {k: v for k, v in kw.items() if v is not None}
            if kw not in found[type_id] and len(found[type_id]) < limit:
                found[type_id].append(kw)
    return dict(found)


def sample_responses() -> dict[str, str]:
    """IFBench's sample output: prompt -> a real model's response (294 of the 300 prompts)."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["prompt"]: r["response"] for r in rows}


def arena_responses(n: int) -> list[str]:
    """The first ``n`` of o3-mini's arena-hard answers."""
    lines = ARENA.read_text(encoding="utf-8").splitlines()[:n]
    return [json.loads(line)["response"] for line in lines]


def attempts() -> dict[str, list[str]]:
    """Per type, the sample responses to the prompts that ask for it: real tries at meeting it."""
    answers = {p.strip(): r for p, r in sample_responses().items()}
    out: dict[str, list[str]] = defaultdict(list)
    for row in prompts():
        response = answers.get(row["prompt"].strip())
        if response is not None:
            for type_id in row["instruction_id_list"]:
                out[type_id].append(response)
    return dict(out)
