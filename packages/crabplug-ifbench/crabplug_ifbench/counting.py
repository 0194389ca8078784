"""IFBench's ``count:`` and ``ratio:`` types: counts of words, names, numbers, punctuation; ratios of kinds.

Each check gives the verdict of IFBench's checker of the same id (this package's tests/test_ifbench_parity.py
compares them).
"""

from __future__ import annotations

import re

from crabplug_ifbench.catalog import eval_type
from crabplug_ifbench.text import (
    STRIP,
    count_words,
    regexp_words,
    sentences,
    stopwords,
    without_punctuation,
    word_tokens,
)

CONJUNCTIONS = frozenset({"and", "but", "for", "nor", "or", "so", "yet"})
PERSON_NAMES = (
    "Emma Liam Sophia Jackson Olivia Noah Ava Lucas Isabella Mason Mia Ethan Charlotte Alexander Amelia Benjamin "
    "Harper Leo Zoe Daniel Chloe Samuel Lily Matthew Grace Owen Abigail Gabriel Ella Jacob Scarlett Nathan "
    "Victoria Elijah Layla Nicholas Audrey David Hannah Christopher Penelope Thomas Nora Andrew Aria Joseph "
    "Claire Ryan Stella Jonathan"
).split()
_NAME_PATTERNS = tuple(re.compile(rf"\b{re.escape(n)}\b") for n in PERSON_NAMES)
PRONOUNS = frozenset(
    "i me we us you he him she her it they them my mine our ours your yours his hers its their theirs myself "
    "ourselves yourself yourselves himself herself itself themselves this that these those who whom whose which "
    "what whoever whomever whatever whichever anybody anyone anything everybody everyone everything nobody "
    "nothing somebody someone something each either neither both all some any none".split()
)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def word_count_range(response: str, *, min_words: float, max_words: float) -> bool:
    return min_words <= count_words(response) <= max_words


def unique_word_count(response: str, *, N: float) -> bool:
    # a token of punctuation only strips to "" and counts as one more unique word, as in IFBench
    return len({w.strip(STRIP) for w in response.lower().split()}) >= N


def stop_words(response: str, *, percentage: float) -> bool:
    total = count_words(response)
    if total == 0:
        return False
    stop = stopwords()
    share = sum(t.lower() in stop for t in regexp_words(response)) / total * 100
    return share <= percentage


def _endings(response: str) -> tuple[int, int, int]:
    sents = sentences(response)
    return tuple(sum(s.endswith(mark) for s in sents) for mark in ".?!")  # type: ignore[return-value]


def sentence_type(response: str) -> bool:
    declarative, interrogative, _ = _endings(response)
    return declarative == 2 * interrogative


def sentence_balance(response: str) -> bool:
    declarative, interrogative, exclamatory = _endings(response)
    return declarative == interrogative == exclamatory


def conjunctions(response: str, *, small_n: float) -> bool:
    # distinct as written: "and" and "And," are two, as IFBench counts them
    found = {w for w in response.split() if w.strip(STRIP).lower() in CONJUNCTIONS}
    return len(found) >= small_n


def person_names(response: str, *, N: float) -> bool:
    return sum(bool(p.search(response)) for p in _NAME_PATTERNS) >= N


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


def overlap(response: str, *, reference_text: str, percentage: float) -> bool:
    mine = _trigrams(response)
    if not mine:
        return False
    share = len(mine & _trigrams(reference_text)) / len(mine)
    return percentage - 2 <= share * 100 <= percentage + 2


def numbers(response: str, *, N: float) -> bool:
    # punctuation goes first, so 3.14 and 1,000 are one number each
    return len(re.findall(r"\d+", without_punctuation(response))) == N


def punctuation(response: str) -> bool:
    if not ("!?" in response or "?!" in response or "‽" in response):
        return False
    rest = response.replace("?!", "", 1)
    if len(rest) == len(response):
        rest = response.replace("!?", "", 1)
    return {".", ",", "!", "?", ";", ":"} <= set(rest)


def words_japanese(response: str, *, N: float) -> bool:
    if N == 0:
        raise ValueError("N must not be 0")  # every 0th word: IFBench's checker divides by zero
    for i, word in enumerate(response.split(), 1):
        word = word.strip(STRIP)
        if i % N == 0 and word and not word.isdigit() and not _JAPANESE.search(word):
            return False
    return True


def pronouns(response: str, *, N: float) -> bool:
    tokens = word_tokens(response.replace("/", " ").lower())  # she/her/hers counts three
    return sum(t in PRONOUNS for t in tokens) >= N


def keywords_multiple(
    response: str, *, keyword1: str, keyword2: str, keyword3: str, keyword4: str, keyword5: str
) -> bool:
    text = response.lower()
    wanted = zip((keyword1, keyword2, keyword3, keyword4, keyword5), (1, 2, 3, 5, 7), strict=True)
    return all(text.count(k.strip().lower()) == n for k, n in wanted)


def sentence_words(response: str) -> bool:
    sents = sentences(response)
    return len(sents) == 3 and len({len(s.strip()) for s in sents}) == 1


TYPES = [
    eval_type(
        "count:word_count_range",
        word_count_range,
        "The response must contain between {min_words} and {max_words} words.",
        example={"min_words": 100, "max_words": 110},
    ),
    eval_type(
        "count:unique_word_count",
        unique_word_count,
        "Use at least {N} unique words in the response.",
        example={"N": 50},
    ),
    eval_type(
        "ratio:stop_words",
        stop_words,
        "Ensure that stop words constitute no more than {percentage}% of the total words in your response.",
        example={"percentage": 40},
    ),
    eval_type("ratio:sentence_type", sentence_type, "Maintain a 2:1 ratio of declarative to interrogative sentences."),
    eval_type(
        "ratio:sentence_balance",
        sentence_balance,
        "Ensure that the ratio of sentence types (declarative, interrogative, exclamatory) is balanced.",
    ),
    eval_type(
        "count:conjunctions",
        conjunctions,
        "Use at least {small_n} different coordinating conjunctions in the response.",
        example={"small_n": 4},
    ),
    eval_type(
        "count:person_names",
        person_names,
        "Mention at least {N} different person names in the response, from this list of person names: "
        + ", ".join(PERSON_NAMES)
        + " .",
        example={"N": 3},
    ),
    eval_type(
        "ratio:overlap",
        overlap,
        "Maintain a trigram overlap of {percentage}% (±2%) with the provided reference text.",
        example={"percentage": 50, "reference_text": "The quick brown fox jumps over the lazy dog."},
    ),
    eval_type("count:numbers", numbers, "Include exactly {N} numbers in the response.", example={"N": 3}),
    eval_type(
        "count:punctuation",
        punctuation,
        "Use every standard punctuation mark at least once, including semicolons, colons, and the interrobang (?!).",
    ),
    eval_type(
        "count:words_japanese",
        words_japanese,
        "Every {N}th word of your response must be in Japanese.",
        example={"N": 5},
    ),
    eval_type(
        "count:pronouns", pronouns, "The response should include at least {N} pronouns.", example={"N": 10}
    ),
    eval_type(
        "count:keywords_multiple",
        keywords_multiple,
        "Include keyword {keyword1} once in your response, keyword {keyword2} twice in your response, keyword "
        "{keyword3} three times in your response, keyword {keyword4} five times in your response, and keyword "
        "{keyword5} seven times in your response.",
        example={"keyword1": "tea", "keyword2": "garden", "keyword3": "rain", "keyword4": "light", "keyword5": "a"},
    ),
    eval_type(
        "ratio:sentence_words",
        sentence_words,
        "Respond with three sentences, all containing the same number of characters but using all different words.",
    ),
]
