"""Responses and kwargs for differential tests and the benchmark: hand-written edge cases, responses built
from IFEval's own prompts, and kwargs from IFEval's input_data.jsonl plus generated ones."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from crabplug.testing import EDGE_CASES  # noqa: F401  (the differential tests read it from here)

INPUT_DATA = Path("/work/shared/ifeval/input_data.jsonl")
if not INPUT_DATA.exists():  # a checkout elsewhere: the shared folder next to the repository
    INPUT_DATA = Path(__file__).resolve().parents[2] / "shared" / "ifeval" / "input_data.jsonl"


TEMPLATES = [
    "{p}",
    "{P}",
    "{l}",
    '"{p}"',
    "{p}\nP.S. I hope this helps.",
    "<<A Title>>\n{p}",
    "{p} My answer is yes.",
    "* {s0}\n* {s1}\n- {s2}",
    "{s0}\n***\n{s1}\n***\n{s2}",
    "{s0}\n\n{s1}\n\n{s2}",
    "Section 1\n{s0}\nSection 2\n{s1}",
    "{p}\n******\n{s0}",
    "```json\n{j}\n```",
    "{j}",
    "*{s0}* and **{s1}**\n{s2}",
    "{p} Is there anything else I can help with?",
    "{p}\n\nHere is my answer, [name]. [date]",
    "{l}\n\np.s. bye",
    "Sure!\n{p}\nThanks.",
    "{P}\nP.P.S {s1}",
]


def input_rows() -> list[dict]:
    """IFEval's 541 prompts with their instruction ids and kwargs."""
    return [json.loads(line) for line in INPUT_DATA.read_text().splitlines() if line.strip()]


def kwargs_pool() -> dict[str, list[dict]]:
    """Every kwargs dict input_data.jsonl uses, by type id."""
    pool: dict[str, list[dict]] = defaultdict(list)
    for row in input_rows():
        for type_id, kwargs in zip(row["instruction_id_list"], row["kwargs"], strict=True):
            if kwargs not in pool[type_id]:
                pool[type_id].append(kwargs)
    return pool


def _sentences(prompt: str) -> list[str]:
    parts = [s.strip() for s in prompt.replace("?", ".").split(".") if s.strip()]
    return (parts + ["More text here", "And a last point", "Done"])[:3]


def prompt_responses(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """``n`` (prompt, response) pairs: IFEval prompts poured into response-shaped templates."""
    rows = input_rows()
    out = []
    for _ in range(n):
        prompt = rng.choice(rows)["prompt"]
        s = _sentences(prompt)
        values = {
            "p": prompt,
            "P": prompt.upper(),
            "l": prompt.lower(),
            "s0": s[0],
            "s1": s[1],
            "s2": s[2],
            "j": json.dumps({"answer": s[0], "points": s[1:]}),
        }
        template = rng.choice(TEMPLATES)
        response = template.format(**values)
        if rng.random() < 0.15:
            response = prompt + "\n" + response  # repeats the request
        out.append((prompt, response))
    return out


RELATIONS = ("less than", "at least")
WORDS = ("the", "and", "a", "is", "you", "section", "answer", "word", "love", "story", "yes", "P.S.", "text")


def generated_kwargs(type_id: str, rng: random.Random, response: str, prompt: str) -> dict:
    """Kwargs for ``type_id`` the reference handles deterministically (no random defaults, no #/!)."""
    words = response.split() or ["x"]
    word = rng.choice(words).strip(".,!?*\"'()[]{}<>#:;") or "the"
    word = "".join(c for c in word if c.isalnum()) or "the"
    n = rng.choice([1, 2, 3, 5, 10, 20, 50, 100, 300])
    rel = rng.choice(RELATIONS)
    return {
        "keywords:existence": lambda: {"keywords": rng.sample([word, *WORDS], rng.randint(1, 3))},
        "keywords:frequency": lambda: {
            "keyword": rng.choice([word, *WORDS[:5]]),
            "frequency": rng.randint(1, 6),
            "relation": rel,
        },
        "keywords:forbidden_words": lambda: {"forbidden_words": rng.sample([word, *WORDS], rng.randint(1, 3))},
        "keywords:letter_frequency": lambda: {
            "letter": rng.choice("aeiostxzAE"),
            "let_frequency": rng.randint(1, 40),
            "let_relation": rel,
        },
        "language:response_language": lambda: {
            "language": rng.choice(["en", "en", "fr", "de", "es", "ru", "ja", "hi"])
        },
        "length_constraints:number_sentences": lambda: {"num_sentences": rng.randint(1, 8), "relation": rel},
        "length_constraints:number_paragraphs": lambda: {"num_paragraphs": rng.randint(1, 4)},
        "length_constraints:number_words": lambda: {"num_words": n, "relation": rel},
        "length_constraints:nth_paragraph_first_word": lambda: _nth(rng, response),
        "detectable_content:number_placeholders": lambda: {"num_placeholders": rng.randint(1, 4)},
        "detectable_content:postscript": lambda: {"postscript_marker": rng.choice(["P.S.", "P.P.S", "p.s."])},
        "detectable_format:number_bullet_lists": lambda: {"num_bullets": rng.randint(1, 4)},
        "detectable_format:number_highlighted_sections": lambda: {"num_highlights": rng.randint(1, 4)},
        "detectable_format:multiple_sections": lambda: {
            "section_spliter": rng.choice(["Section", "SECTION", "Part"]),
            "num_sections": rng.randint(1, 4),
        },
        "combination:repeat_prompt": lambda: {"prompt_to_repeat": rng.choice([prompt, response[:30] or "x", "Write"])},
        "startend:end_checker": lambda: {
            "end_phrase": rng.choice([response[-12:].strip() or "x", "Any other questions?", "bye."])
        },
        "change_case:capital_word_frequency": lambda: {
            "capital_frequency": rng.randint(1, 12),
            "capital_relation": rel,
        },
    }.get(type_id, dict)()


def _nth(rng: random.Random, response: str) -> dict:
    parts = [p for p in response.split("\n\n") if p.strip()]
    num = rng.randint(1, max(1, len(parts)))
    nth = rng.randint(1, num)
    first = parts[nth - 1].split()[0].strip("\"'.,?!").lower() if len(parts) >= nth else "the"
    return {"num_paragraphs": num, "nth_paragraph": nth, "first_word": rng.choice([first or "x", "the"])}


def reference_safe(type_id: str, kwargs: dict) -> bool:
    """False where the reference would draw random values (falsy kwargs, '#'/'!' letters, nth > num)."""
    if any(not v for v in kwargs.values()):
        return False
    if type_id == "keywords:letter_frequency" and not str(kwargs.get("letter", "")).isalpha():
        return False
    if type_id == "length_constraints:nth_paragraph_first_word":
        return 0 < kwargs["nth_paragraph"] <= kwargs["num_paragraphs"]
    return True
