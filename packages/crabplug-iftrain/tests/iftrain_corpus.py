"""The differential corpus for the ``iftrain`` family: real answers, edited answers and crafted edge cases,
each with several kwargs per type (derived, generated and adversarial), all of them ones open-instruct's
checkers handle deterministically (a falsy value makes open-instruct draw a random one)."""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = (FIXTURES / "real" / "arena-o3mini-200.jsonl", FIXTURES / "iftrain" / "arena-gemini-100.jsonl")
PHRASE = "The early bird catches the worm"

EDGE_CASES = [
    "",
    " ",
    "\n",
    "a",
    "A a",
    "I",
    "!",
    ".",
    "...",
    "Hello world.",
    "Hello world. Hello again. Hello there!",
    "Dr. Smith went to Washington. He arrived at 5 p.m. It was late!",
    "U.S.A. is big. e.g. this one. i.e. that. Ph.D. students at example.com. 3.14 is pi... Really? Yes!",
    'He said "Stop." Then he left! "Why?" she asked.',
    "Mr. Jones Inc. He went. Acme Co. They sold.",
    "One-two-three.",
    "Hello world.-How are you?-I am fine.",
    "Hello world. -How are you?",
    "Hello world.-How are you?- I am fine.",
    "First sentence.-Second sentence.",
    "[This] [is] [all] [bracketed.]",
    "[This] is [not]",
    "[]",
    "<<I am>> <<at home>> <<with my>> <<cute dog>>",
    "<<I am>> <<at home>> <<alone>>",
    "<<I am>> at home",
    "Paragraph one.\n***\nParagraph two.",
    "***\nParagraph one.\n***\nParagraph two.\n***",
    "Paragraph one.***Paragraph two.",
    "One.\n***\n\n***\nTwo.",
    "Para one.\n\nPara two.",
    "Para one.\n\n\nPara two.",
    "Para one.\n\n\n\nPara two.",
    "\n\nPara one.\n\nPara two.\n\n",
    "Para one.\n\nPara two.\n\nPara three.",
    "Yes. Yes it is. Yes indeed.",
    "yes, it is. Yes? YES!",
    "It ends well. Truly well! Very well?",
    "Ends with well, well.",
    "The end.",
    "level noon racecar",
    "A man, a plan, a canal: Panama",
    "Stop pots.",
    "abc bcd cde",
    "apple banana cherry",
    "Apple Banana",
    "İstanbul is big",
    "ß Straße",
    "Ünïcödé ßtraße İstanbul ǅ ℂ",
    "Wow! Great! Amazing!",
    "No dots here at all",
    "don't can't won't",
    "ALL CAPS WORDS HERE",
    "Mixed Case Words And some lower",
    "The cat sat. The cat ran. The cat slept.",
    "The cat sat. The dog ran.",
    "Hello there, friend.",
    "Hello hello",
    "Hello",
    "word word",
    "Word, word",
    "The quick brown fox jumps over the lazy dog.",
    f"{PHRASE}. The early cat catches the worm. The early bird eats the worm.",
    "The early cat catches the worm and The early dog catches the worm",
    "The early cat catches the worm, The late bird catches the worm",
    "The early bird catches the worm The early bird catches the worm",
    "Dogs bark loud. Cats purr soft.\n***\nBirds sing high. Fish swim deep.\n***\nCows moo low. Pigs oink often.",
    "Dogs bark. Cats purr.\n***\nBirds sing. Fish swim.\n***\nCows moo. Pigs oink.",
    "Dogs bark. Cats purr.\n***\nBirds sing. Fish swim.",
    "Dogs bark. Cats purr.\n***\n\n***\nBirds sing. Fish swim.\n***\nCows moo. Pigs oink.",
    "Write a haiku about autumn.",
    "write a haiku about AUTUMN.  ",
    "Write a haiku about autumn.\n******\nWrite a haiku about autumn.",
    "Write a haiku about autumn.******write a haiku about autumn.******Write a haiku about autumn.",
    "Write a haiku about autumn.\n******\nWrite a haiku about spring.",
    "haiku about",
    "```python\nprint('x!')\n```",
    "x != y. Done.",
    "Version 3.10 is out. Visit python.org now.",
    "Café au lait. Crème brûlée.",
    "“Curly quotes.” And ‘single’ ones.",
    "Tabs\tand  spaces   everywhere\t\n",
    "What? No. Yes!! Maybe... ok.",
    "cat dog\ncat",
    "Keep calm and carry on. Keep going. Keep it simple.",
    "Is it so? It is. It is so.",
]

_COMPOSED = (
    "Dogs bark loud. Cats purr soft.\n***\nBirds sing high. Fish swim deep.\n***\nCows moo low. Pigs oink often."
)
#: (type id, kwargs, response) written to meet (or just miss) types that real answers never meet
CRAFTED = [
    ("count:counting_composition", {"n_sent": 2, "n_words": 4}, _COMPOSED),
    ("count:counting_composition", {"n_sent": 2, "n_words": 4}, _COMPOSED.replace("\n***\n", " *** ")),
    ("count:counting_composition", {"n_sent": 2, "n_words": 4}, "***\n" + _COMPOSED),
    ("count:counting_composition", {"n_sent": 2, "n_words": 4}, _COMPOSED + "\n***"),
    ("count:counting_composition", {"n_sent": 2, "n_words": 3}, _COMPOSED),
    (
        "count:counting_composition",
        {"n_sent": 1, "n_words": 4},
        "Dogs bark loud.\n***\nCats purr soft.\n***\nCows moo low.",
    ),
    ("count:counting_composition", {"n_sent": 1, "n_words": 3}, "Dogs bark!\n***\nCats purr?\n***\nCows moo."),
    (
        "count:counting_composition",
        {"n_sent": 1, "n_words": 5},
        "I don't know.\n***\nYou can't see.\n***\nHe won't go.",
    ),
    ("count:counting_composition", {"n_sent": 2, "n_words": 4}, _COMPOSED.replace("Dogs", "Dr. Dogs")),
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 2},
        "The early cat catches the worm. The early bird eats the worm.",
    ),
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 3},
        "The early cat catches the worm, The early bird eats the worm, The early bird catches a worm",
    ),
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 2},
        "The early cat catches the worm\nThe early bird eats the worm",
    ),
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 2},
        "The early cat eats the worm. The early bird eats the worm.",
    ),
    (
        "copy:repeat_phrase",
        {"phrase": "Time flies when having fun", "small_n": 2},
        "Time runs when having fun. Time flies while having fun.",
    ),
    (
        "copy:repeat_phrase",
        {"phrase": "Time flies when having fun", "small_n": 2},
        "Time runs when having fun and Time flies when having fun",
    ),
    ("keywords:start_end", {}, "Hello there, hello"),
    ("keywords:start_end", {}, "Hello there, hello."),
    ("keywords:start_end", {}, "Rain falls softly on the roof, and I listen to the rain"),
    ("keywords:start_end", {}, "Yes"),
    ("keywords:start_end", {}, "Don't stop, don't"),
    ("keywords:start_end", {}, '"Quote" and quote'),
    ("keywords:start_end", {}, "Home is where the heart is. Home"),
    ("count:count_unique", {}, "Rain falls softly tonight."),
    ("count:count_unique", {}, "Rain falls. Softly tonight."),
    ("count:count_unique", {}, "Rain falls, softly; tonight!"),
    ("count:count_unique", {}, "Rain rain"),
    ("count:count_unique", {}, "Rain rain."),
    ("count:count_unique", {}, "Rain Rain"),
    ("keywords:keyword_specific_position", {"keyword": "maple", "n": 2, "m": 3}, "Leaves fall. The red maple glows."),
    ("keywords:keyword_specific_position", {"keyword": "maple", "n": 2, "m": 3}, "Leaves fall. The Red maple glows."),
    ("keywords:keyword_specific_position", {"keyword": "maple", "n": 2, "m": 2}, "Leaves fall. The, maple glows."),
    ("keywords:keyword_specific_position", {"keyword": ["maple"], "n": 1, "m": 1}, "maple syrup. Yes."),
    ("first_word:first_word_sent", {"first_word": ["The"]}, "The cat sat. The dog ran."),
    ("last_word:last_word_sent", {"last_word": ["well"]}, "It ends well. Truly well!"),
    ("keywords:exclude_word_harder", {"keyword": "cat", "instruction": "Tell me about cats"}, "A cat sat."),
    ("keywords:exclude_word_harder", {"keyword": " cat ", "instruction": None}, "A cat sat."),
    ("keywords:word_once", {"keyword": " cat "}, "A cat sat on the catalogue."),
    ("keywords:word_once", {"keyword": "c.t"}, "A cat sat."),
    ("keywords:word_count_different_numbers", {"keyword": "cat", "frequency": 0, "relation": "at least"}, "dog"),
    ("keywords:word_count_different_numbers", {"keyword": "cat", "frequency": 1, "relation": "more than"}, "cat"),
    ("letters:letter_counting", {"N": 3, "relation": "exactly"}, "abc"),
    ("letters:letter_counting2", {"letter": "a", "let_frequency": 1, "let_relation": "about"}, "abc"),
    ("letters:letter_counting2", {"letter": "A", "let_frequency": 2, "let_relation": "at least"}, "Aa"),
    ("copy:copying_multiple", {"prompt_to_repeat": "Hi there", "N": 2}, "hi there ****** HI THERE"),
    ("new:copy_span_idx", {"prompt_to_repeat": "Write a haiku about autumn.", "n_start": 6, "n_end": 13}, "a haiku"),
    (
        "new:copy_span_idx",
        {"prompt_to_repeat": "Write a haiku about autumn.", "n_start": 6, "n_end": 100},
        "a haiku about autumn.",
    ),
]

PROMPTS = ["Write a haiku about autumn.", "Explain photosynthesis in one sentence.", "Tell me about the early bird."]


def real_pairs() -> list[tuple[str, str]]:
    """(instruction, response) of the 300 real answers: o3-mini's 200 and gemini-2.0-flash's 100."""
    pairs = []
    for path in REAL:
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                row = json.loads(line)
                pairs.append((row["instruction"], row["response"]))
    return pairs


def edited(pairs: list[tuple[str, str]], rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Real answers edited toward IFTrain shapes (brackets, pairs, hyphens, dividers, no dots, Title Case, copies)."""
    out = []
    for instruction, response in rng.sample(pairs, n):
        sentences = re.split(r"(?<=[.!?])\s+", response.strip())
        kind = rng.randrange(9)
        if kind == 0:
            text = re.sub(r"\S+", r"[\g<0>]", response)
        elif kind == 1:
            words = response.split()
            text = " ".join(f"<<{a} {b}>>" for a, b in zip(words[::2], words[1::2], strict=False))
        elif kind == 2:
            text = "-".join(s.strip() for s in sentences[:6])
        elif kind == 3:
            half = max(1, len(sentences) // 2)
            text = " ".join(sentences[:half]) + "\n***\n" + " ".join(sentences[half:])
        elif kind == 4:
            text = response.replace(".", "").replace("!", "")
        elif kind == 5:
            text = re.sub(r"\b[a-z]", lambda m: m.group(0).upper(), response)
        elif kind == 6:
            text = ("\n******\n" if rng.random() < 0.5 else "******").join([instruction] * rng.choice((1, 2, 3)))
        elif kind == 7:
            first = response.split()[0] if response.split() else "x"
            text = response.rstrip(".!? \n") + " " + first
        else:
            text = "\n\n".join(p for p in response.split("\n\n")[:2])
        out.append((instruction, text))
    return out


@functools.lru_cache(maxsize=1024)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 1) or ("the",)


def _word(rng: random.Random, text: str) -> str:
    return rng.choice(_words(text))


def _sentence_word(rng: random.Random, text: str, first: bool) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.split()]
    if not sentences:
        return "the"
    words = rng.choice(sentences).split()
    return re.sub(r"[^\w]", "", words[0] if first else words[-1]) or "the"


def generated_kwargs(type_id: str, rng: random.Random, instruction: str, response: str) -> dict:
    """Kwargs for ``type_id`` about this response: some true, many false, none that open-instruct randomizes."""
    rel = rng.choice(("less than", "at least"))
    word = _word(rng, response)
    tokens = response.split()
    opening = " ".join(_words(response)[:4])
    return {
        "copy:repeat_phrase": lambda: {"phrase": rng.choice([PHRASE, opening or PHRASE]),
                                       "small_n": rng.randint(1, 3)},
        "copy:copy": lambda: {"prompt_to_repeat": rng.choice([instruction, response, response.upper() + " "])},
        "new:copy_span_idx": lambda: _span(rng, instruction, response),
        "keywords:word_once": lambda: {"keyword": word},
        "keywords:word_count_different_numbers": lambda: {"keyword": word, "frequency": rng.randint(0, 6),
                                                          "relation": rel},
        "keywords:exclude_word_harder": lambda: {"keyword": rng.choice([word, _word(rng, instruction)])},
        "first_word:first_word_sent": lambda: {"first_word": _sentence_word(rng, response, True)},
        "first_word:first_word_answer": lambda: {"first_word": rng.choice([tokens[0] if tokens else "x", word])},
        "last_word:last_word_sent": lambda: {"last_word": _sentence_word(rng, response, False)},
        "last_word:last_word_answer": lambda: {"last_word": rng.choice([_sentence_word(rng, response, False), word])},
        "copy:copying_simple": lambda: {"prompt_to_repeat": rng.choice([instruction, response.strip()])},
        "copy:copying_multiple": lambda: {"prompt_to_repeat": rng.choice([instruction, PROMPTS[0]]),
                                          "N": rng.randint(1, 3)},
        "count:lowercase_counting": lambda: {"N": rng.choice([1, 2, 3, 5, 10, 50, 200, 1000])},
        "letters:letter_counting": lambda: {"N": rng.choice([1, 2, 10, 50, 300, 1000, 3000]), "relation": rel},
        "letters:letter_counting2": lambda: {"letter": rng.choice("aeiostxzqAEZ"), "let_frequency": rng.randint(0, 40),
                                             "let_relation": rel},
        "count:counting_composition": lambda: {"n_sent": rng.randint(1, 3), "n_words": rng.randint(2, 8)},
        "count:count_increment_word": lambda: {"keyword1": word, "keyword2": _word(rng, response)},
        "keywords:keyword_specific_position": lambda: _position(rng, response),
    }.get(type_id, dict)()  # fmt: skip


def _span(rng: random.Random, instruction: str, response: str) -> dict:
    source = rng.choice([instruction, response, response + " tail"])
    if len(source) < 3:
        source = "Write a haiku about autumn."
    start = rng.randint(1, len(source) - 2)
    return {"prompt_to_repeat": source, "n_start": start, "n_end": rng.randint(start + 1, len(source))}


def _position(rng: random.Random, response: str) -> dict:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", response) if s.split()] or ["x"]
    n = rng.randint(1, min(len(sentences), 6) + 1)
    words = sentences[min(n, len(sentences)) - 1].split()
    m = rng.randint(1, len(words) + 1)
    keyword = re.sub(r"[^\w]", "", words[m - 1]) if m <= len(words) else "the"
    return {"keyword": keyword or "the", "n": n, "m": m}


def reference_safe(type_id: str, kwargs: dict) -> bool:
    """False where open-instruct would draw a random value instead (a falsy kwarg, a non-ASCII letter)."""
    if any(not v and v != 0 for v in kwargs.values()):
        return False
    zero_random = {"small_n", "n_start", "n_end", "N", "n_sent", "n_words", "n", "m"}
    if any(kwargs.get(k) == 0 for k in zero_random):
        return False
    if type_id == "letters:letter_counting2":
        letter = kwargs["letter"]
        return len(letter) == 1 and "a" <= letter.lower() <= "z" and kwargs["let_frequency"] >= 0
    if type_id == "keywords:word_count_different_numbers":
        return kwargs["frequency"] >= 0
    return True
