"""Rule back-translation: kwargs that a response already satisfies, stated as a person would.

``derive(example, rng)`` returns kwargs for which the type's ``check`` passes on ``example.response``,
or None when the type says nothing useful about it (no placeholders to count, not JSON, ...).
Counts are rounded to a grid (5, 10, 50...) in the direction that keeps the relation true.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable

from crabplug import Example
from crabplug_ifeval import checks_format as fmt
from crabplug_ifeval import text
from crabplug_ifeval.describe import LANGUAGES

_WORD = re.compile(r"[A-Za-z]{4,}")
_STOP = frozenset(
    "about after again also been before being both could does doing down during each from further have having "
    "here into just more most much must only other over same should some such than that their them then there "
    "these they this those through under until very were what when where which while will with would your "
    "yours".split()
)
#: words a response is told to avoid (only those it does not use are picked)
FORBIDDEN_POOL = (
    "absolutely",
    "actually",
    "amazing",
    "awesome",
    "basically",
    "clearly",
    "definitely",
    "delve",
    "essentially",
    "fantastic",
    "honestly",
    "incredible",
    "literally",
    "obviously",
    "perfect",
    "really",
    "seriously",
    "simply",
    "stunning",
    "totally",
    "truly",
    "ultimately",
    "utterly",
    "very",
    "wonderful",
    "journey",
    "tapestry",
    "landscape",
    "realm",
    "crucial",
    "vital",
    "robust",
    "seamless",
    "leverage",
    "synergy",
)


def _grid(n: int) -> int:
    return 1 if n < 10 else 5 if n < 50 else 10 if n < 300 else 50


def stated(count: int, rng: random.Random) -> tuple[str, int] | None:
    """A (relation, threshold) that ``count`` satisfies, threshold rounded as a person would say it."""
    options = []
    if count >= 1:
        options.append(("at least", max(1, count // _grid(count) * _grid(count))))
    upper = count + 1
    options.append(("less than", math.ceil(upper / _grid(upper)) * _grid(upper)))
    return rng.choice(options)


def _blank(example: Example) -> bool:
    return not example.response.strip()


def _content_words(response: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in _WORD.findall(response):
        if word.lower() not in _STOP:
            seen.setdefault(word.lower(), None)
    return list(seen)


def existence(example, rng):
    words = _content_words(example.response)
    if not words:
        return None
    return {"keywords": sorted(rng.sample(words, min(len(words), rng.randint(1, 3))))}


def frequency(example, rng):
    words = _content_words(example.response)
    if not words:
        return None
    keyword = rng.choice(words)
    relation, n = stated(len(re.findall(keyword, example.response, flags=re.IGNORECASE)), rng)
    return {"keyword": keyword, "frequency": n, "relation": relation}


def forbidden_words(example, rng):
    absent = [w for w in FORBIDDEN_POOL if not re.search(r"\b" + w + r"\b", example.response, flags=re.IGNORECASE)]
    if not absent:
        return None
    return {"forbidden_words": sorted(rng.sample(absent, min(len(absent), rng.randint(1, 3))))}


def letter_frequency(example, rng):
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    relation, n = stated(example.response.lower().count(letter), rng)
    return {"letter": letter, "let_frequency": n, "let_relation": relation}


def response_language(example, rng):
    found = text.detect_language(example.response)
    return {"language": found} if found in LANGUAGES else None


def _counted(measure: Callable[[str], int], names: tuple[str, str]):
    def derive(example, rng):
        relation, n = stated(measure(example.response), rng)
        return {names[0]: n, names[1]: relation}

    return derive


number_sentences = _counted(text.count_sentences, ("num_sentences", "relation"))
number_words = _counted(text.count_words, ("num_words", "relation"))
capital_word_frequency = _counted(text.count_capital_words, ("capital_frequency", "capital_relation"))


def number_paragraphs(example, rng):
    if "***" not in example.response:
        return None  # one paragraph without dividers is not worth saying
    parts = re.split(r"\s?\*\*\*\s?", example.response)
    inner = parts[1:-1]
    if any(not p.strip() for p in inner):
        return None
    return {"num_paragraphs": sum(1 for p in parts if p.strip())}


def nth_paragraph_first_word(example, rng):
    parts = example.response.split("\n\n")
    count = sum(1 for p in parts if p.strip())
    choices = []
    for nth in range(1, count + 1):
        paragraph = parts[nth - 1].strip()
        word = fmt.first_word_of(paragraph) if paragraph else ""
        if word.isalpha():
            choices.append((nth, word))
    if count < 2 or not choices:
        return None
    nth, word = rng.choice(choices)
    return {"num_paragraphs": count, "nth_paragraph": nth, "first_word": word}


def _at_least(measure: Callable[[str], int], name: str):
    def derive(example, rng):
        count = measure(example.response)
        return {name: count // _grid(count) * _grid(count)} if count else None

    return derive


number_placeholders = _at_least(fmt.count_placeholders, "num_placeholders")
number_highlighted_sections = _at_least(fmt.count_highlights, "num_highlights")


def number_bullet_lists(example, rng):
    count = fmt.count_bullets(example.response)
    return {"num_bullets": count} if count else None


def postscript(example, rng):
    lowered = example.response.lower()
    for marker, pattern in (("P.P.S", r"^\s*p\.\s?p\.\s?s"), ("P.S.", r"^\s*p\.\s?s\.")):
        if re.search(pattern, lowered, flags=re.MULTILINE):
            return {"postscript_marker": marker}
    return None


def multiple_sections(example, rng):
    for spliter in ("Section", "SECTION", "Part", "PART", "Chapter", "Step"):
        count = len(re.split(r"\s?" + spliter + r"\s?\d+\s?", example.response)) - 1
        if count:
            return {"section_spliter": spliter, "num_sections": count}
    return None


def repeat_prompt(example, rng):
    prompt = example.instruction.strip()
    if prompt and example.response.strip().lower().startswith(prompt.lower()):
        return {"prompt_to_repeat": prompt}
    return None


def end_checker(example, rng):
    value = example.response.strip().strip('"')
    starts = [m.start() for m in re.finditer(r"\S+", value)]
    if len(starts) < 2:
        return None
    phrase = value[starts[-min(len(starts), rng.randint(2, 6))] :].strip()
    return {"end_phrase": phrase} if fmt.end_checker(example.response, end_phrase=phrase) else None


def when(check: Callable[[str], bool]):
    """derive for a type without kwargs: ``{}`` when the response passes, else None."""

    def derive(example, rng):
        return {} if check(example.response) else None

    return derive


def guarded(derive: Callable):
    """No kwargs for a blank response: IFEval fails every check on it."""

    def wrapper(example: Example, rng: random.Random):
        return None if _blank(example) else derive(example, rng)

    wrapper.__doc__ = derive.__doc__
    return wrapper
