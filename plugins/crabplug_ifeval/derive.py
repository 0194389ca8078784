"""Rule back-translation: kwargs that a response already satisfies, stated as a person would.

``derive(example, rng)`` returns kwargs for which the type's ``check`` passes on ``example.response``,
or None when the type says nothing natural about it. Every count is relaxed into the type's natural range
(:data:`RANGES`, IFEval's own ranges) while staying true: an "at least" bound goes down, a "less than" bound
goes up, word counts are rounded to tens as the paper rounds lengths; when no value in the range is true the
type is dropped. Sources that mislead are not counted: brackets and bullets inside code, horizontal rules, bold
headings and labels (``**Step 1:**``), ``Step 3`` mentioned mid-sentence.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from crabplug import Example
from crabplug_ifeval import checks_format as fmt
from crabplug_ifeval import checks_words, text
from crabplug_ifeval.describe import LANGUAGES

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


#: natural range (inclusive) of every numeric kwarg, as IFEval draws them (instructions.py's constants)
RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "keywords:frequency": {"frequency": (1, 3)},
    "keywords:letter_frequency": {"let_frequency": (1, 10)},
    "length_constraints:number_sentences": {"num_sentences": (1, 20)},
    "length_constraints:number_words": {"num_words": (100, 500)},
    "length_constraints:number_paragraphs": {"num_paragraphs": (1, 5)},
    "length_constraints:nth_paragraph_first_word": {"num_paragraphs": (1, 5), "nth_paragraph": (1, 5)},
    "detectable_content:number_placeholders": {"num_placeholders": (1, 4)},
    "detectable_format:number_bullet_lists": {"num_bullets": (1, 5)},
    "detectable_format:number_highlighted_sections": {"num_highlights": (1, 4)},
    "detectable_format:multiple_sections": {"num_sections": (1, 5)},
    "change_case:capital_word_frequency": {"capital_frequency": (1, 20)},
}
#: words no one asks a paragraph to start with
FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet for of in on at to by with from as into onto than then that this these those "
    "it its it's is are was were be been being i me my we our you your he him his she her they them their there "
    "here if when while which who whom whose what where why how not no do does did has have had can could will "
    "would shall should may might must also just".split()
)
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.S)
_NATURAL_PLACEHOLDER = re.compile(r"(?<![\]\w])\[([A-Za-z][A-Za-z _/-]{0,40})\](?![(\[:])")
_LABEL_LINE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#+\s*)?\*\*")
_RULE_LINE = re.compile(r"^\s*([-*_])\s*(?:\1\s*){2,}$", re.M)
_DIAGRAM = re.compile(r"[│▼▲►◄─→←↓↑┌┐└┘├┤]|-{2,}>|\|")
_ROMAN = re.compile(r"[ivxlc]+")  # "II." opening a verse is a numeral, not the word "ii"
_PHRASE = re.compile(r"[A-Za-z][A-Za-z ,.'!?;:-]*")


def prose(response: str) -> str:
    """The response without fenced or inline code (what a reader takes as text)."""
    return _CODE.sub(" ", response)


def relaxed(count: int, span: tuple[int, int], rng: random.Random, grid: int = 1) -> tuple[str, int] | None:
    """A (relation, value) true of ``count`` with value inside ``span``, rounded to ``grid``; None if none is.

    "at least" takes ``count`` rounded down (capped at the top of the range); "less than" takes ``count + 1``
    rounded up (raised to the bottom of the range). A bound a reader finds far from the count is never offered
    (:func:`near`): "at least 6" of 52 letters y, "less than 400 words" on 60 words.
    """
    lo, hi = span
    options = []
    at_least = min(count // grid * grid, hi // grid * grid)
    if count >= lo and at_least >= lo and near(count, "at least", at_least):
        options.append(("at least", at_least))
    less_than = max(-(-(count + 1) // grid) * grid, lo)
    if less_than <= hi and near(count, "less than", less_than):
        options.append(("less than", less_than))
    return rng.choice(options) if options else None


def near(count: int, relation: str, value: int) -> bool:
    """The trivial rule of every counted bound (issue 30): "at least N" is trivial when the count reaches
    max(2N, N + 3), "less than N" when the count stays under min(N // 2, N - 3) (``crabplug_crab.reader.loose``)."""
    if relation == "at least":
        return count < max(2 * value, value + 3)
    probe = min(value // 2, value - 3)
    return probe < 1 or count >= probe


def _relaxed_counter(type_id: str, name: str, measure: Callable[[str], int], names: tuple[str, str], grid):
    span = RANGES[type_id][name]

    def derive(example, rng):
        count = measure(example.response)
        found = relaxed(count, span, rng, grid(count))
        return {names[0]: found[1], names[1]: found[0]} if found else None

    return derive


def _blank(example: Example) -> bool:
    return not example.response.strip()


def _keywords(example: Example, extractor: str) -> list[str]:
    from crabplug import extract_keywords

    found = extract_keywords(example.response, 10, extractor=extractor, instruction=example.instruction)
    return [k for k in found if checks_words.occurs(k, example.response)][:6]


def existence(example, rng, *, extractor: str = "fast"):
    words = _keywords(example, extractor)
    if not words:
        return None
    return {"keywords": sorted(rng.sample(words, min(len(words), rng.randint(1, 2))))}


def frequency(example, rng, *, extractor: str = "fast"):
    words = _keywords(example, extractor)
    if not words:
        return None
    keyword = rng.choice(words)
    count = checks_words.count_matches(keyword, example.response)
    found = relaxed(count, RANGES["keywords:frequency"]["frequency"], rng)
    return {"keyword": keyword, "frequency": found[1], "relation": found[0]} if found else None


def forbidden_words(example, rng):
    absent = [w for w in FORBIDDEN_POOL if not checks_words.occurs_as_word(w, example.response)]
    if not absent:
        return None
    return {"forbidden_words": sorted(rng.sample(absent, min(len(absent), rng.randint(1, 3))))}


def letter_frequency(example, rng):
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    found = relaxed(example.response.lower().count(letter), RANGES["keywords:letter_frequency"]["let_frequency"], rng)
    return {"letter": letter, "let_frequency": found[1], "let_relation": found[0]} if found else None


def response_language(example, rng):
    found = text.detect_language(example.response)
    return {"language": found} if found in LANGUAGES else None


number_sentences = _relaxed_counter(
    "length_constraints:number_sentences",
    "num_sentences",
    text.count_sentences,
    ("num_sentences", "relation"),
    lambda n: 5 if n >= 10 else 1,
)
number_words = _relaxed_counter(
    "length_constraints:number_words", "num_words", text.count_words, ("num_words", "relation"), lambda n: 10
)
_capital_word_frequency = _relaxed_counter(
    "change_case:capital_word_frequency",
    "capital_frequency",
    text.count_capital_words,
    ("capital_frequency", "capital_relation"),
    lambda n: 5 if n >= 10 else 1,
)
_READER_CAPITALS = re.compile(r"\b[A-Z][A-Z]+\b")


def capital_word_frequency(example, rng):
    """Trivial rule: an "at least" count must not rest on "I", single letters (P.S.) or words inside code."""
    found = _capital_word_frequency(example, rng)
    if found and found["capital_relation"] == "at least":
        if len(_READER_CAPITALS.findall(prose(example.response))) < found["capital_frequency"]:
            return None
    return found


def number_paragraphs(example, rng):
    if "***" not in example.response:
        return None  # one paragraph without dividers is not worth saying
    parts = re.split(r"\s?\*\*\*\s?", example.response)
    inner = parts[1:-1]
    if any(not p.strip() for p in inner):
        return None
    count = sum(1 for p in parts if p.strip())
    lo, hi = RANGES["length_constraints:number_paragraphs"]["num_paragraphs"]
    return {"num_paragraphs": count} if max(lo, 2) <= count <= hi else None


def nth_paragraph_first_word(example, rng):
    parts = example.response.split("\n\n")
    count = sum(1 for p in parts if p.strip())
    if not 2 <= count <= RANGES["length_constraints:nth_paragraph_first_word"]["num_paragraphs"][1]:
        return None
    choices = []
    for nth in range(1, count + 1):
        paragraph = parts[nth - 1].strip()
        word = fmt.first_word_of(paragraph) if paragraph[:1].isalpha() else ""
        if word.isalpha() and len(word) >= 2 and word not in FUNCTION_WORDS and not _ROMAN.fullmatch(word):
            choices.append((nth, word))
    if not choices:
        return None
    nth, word = rng.choice(choices)
    return {"num_paragraphs": count, "nth_paragraph": nth, "first_word": word}


def number_placeholders(example, rng):
    """Only ``[name]``-like spans in prose count: no code, links, citations ``[1]``, checkboxes, or section tags
    alone on their line (``[Chorus]``: a reader does not fill those in)."""
    lines = prose(example.response).splitlines()
    count = sum(
        1
        for line in lines
        if not _DIAGRAM.search(line)  # [Start] -> [End] boxes of a flowchart are not fill-ins
        for m in _NATURAL_PLACEHOLDER.finditer(line)
        if line.strip() != m.group()
    )
    hi = RANGES["detectable_content:number_placeholders"]["num_placeholders"][1]
    return {"num_placeholders": min(count, hi)} if count else None


def number_highlighted_sections(example, rng):
    """Emphasis inside sentences counts; bold headings and ``**Label:**`` line starts do not."""
    lines = [line for line in prose(example.response).split("\n") if not _LABEL_LINE.match(line)]
    count = sum(fmt.count_highlights(line) for line in lines if not line.lstrip().startswith("* "))
    hi = RANGES["detectable_format:number_highlighted_sections"]["num_highlights"][1]
    return {"num_highlights": min(count, hi)} if count else None


def number_bullet_lists(example, rng):
    """Exact count, only when code and horizontal rules add no ``-``/``*`` lines the check would count."""
    count = fmt.count_bullets(example.response)
    if count != fmt.count_bullets(_RULE_LINE.sub("", prose(example.response))):
        return None
    lo, hi = RANGES["detectable_format:number_bullet_lists"]["num_bullets"]
    return {"num_bullets": count} if lo <= count <= hi else None


def postscript(example, rng):
    lowered = example.response.lower()
    for marker, pattern in (("P.P.S", r"^\s*p\.\s?p\.\s?s"), ("P.S.", r"^\s*p\.\s?s\.")):
        if re.search(pattern, lowered, flags=re.MULTILINE):
            return {"postscript_marker": marker}
    return None


def multiple_sections(example, rng):
    """Markers at line starts only (a ``Step 3`` mentioned mid-sentence is not a section)."""
    hi = RANGES["detectable_format:multiple_sections"]["num_sections"][1]
    for spliter in ("Section", "SECTION", "Part", "PART", "Chapter", "Step"):
        if spliter not in example.response:
            continue
        count = len(re.split(r"\s?" + spliter + r"\s?\d+\s?", example.response)) - 1
        at_starts = len(re.findall(r"^[#*\s]*" + spliter + r" \d+", example.response, flags=re.MULTILINE))
        if count and count == at_starts:
            return {"section_spliter": spliter, "num_sections": min(count, hi)}
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
    if not _PHRASE.fullmatch(phrase):
        return None  # code, markup or numbers at the end: not a phrase a person dictates
    return {"end_phrase": phrase} if fmt.end_checker(example.response, end_phrase=phrase) else None


def when(check: Callable[[str], bool]):
    """derive for a type without kwargs: ``{}`` when the response passes, else None."""

    def derive(example, rng):
        return {} if check(example.response) else None

    return derive


def guarded(derive: Callable):
    """No kwargs for a blank response: IFEval fails every check on it."""

    def wrapper(example: Example, rng: random.Random, **options):
        return None if _blank(example) else derive(example, rng, **options)

    wrapper.__doc__ = derive.__doc__
    return wrapper
