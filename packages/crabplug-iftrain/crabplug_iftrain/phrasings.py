"""Natural phrasings of every IFTrain type; ``describe(kwargs, rng)`` picks one.

A phrasing says what the check verifies and nothing else. Where open-instruct's own instruction text
says less or something else (``word_once`` says "include", the check wants exactly once; ``copy_span_idx``
says "including index n_end", the check excludes it), the phrasing here follows the check.
Each template is a ``str.format`` string over the kwargs plus derived fields (``{times}``, ``{nth}``...).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from crabplug_iftrain.text import ordinal, times


def _word(value: Any) -> str:
    return (value if isinstance(value, str) else value[0]).strip()


def _fields(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The kwargs plus the grammatical forms phrasings use."""
    out = dict(kwargs)
    for key in ("keyword", "first_word", "last_word"):
        if key in out:
            out[key] = _word(out[key])
    if "small_n" in out:
        out["small_times"] = times(int(out["small_n"]))
    if "frequency" in out:
        out["times"] = times(int(out["frequency"]))
    if "let_frequency" in out:
        out["times"] = times(int(out["let_frequency"]))
    if "N" in out:
        n = int(out["N"])
        out["copies"] = {1: "once", 2: "twice", 3: "three times"}.get(n, f"{n} times")
        out["lower_words"] = "1 word" if n == 1 else f"{n} words"
        out["letters"] = "1 letter" if n == 1 else f"{n} letters"
    if "n" in out and "m" in out:
        out["nth"], out["mth"] = ordinal(int(out["n"])), ordinal(int(out["m"]))
    if "n_sent" in out and "n_words" in out:
        out["sentences"] = "1 sentence" if int(out["n_sent"]) == 1 else f"{out['n_sent']} sentences"
        out["words"] = "1 word" if int(out["n_words"]) == 1 else f"{out['n_words']} words"
    return out


PHRASINGS: dict[str, tuple[str, ...]] = {
    "copy:repeat_phrase": (
        'Repeat the phrase "{phrase}" exactly {small_times}, changing it slightly each time by replacing only one '
        "word in its middle.",
        'Write the phrase "{phrase}" {small_times}, each time with exactly one of its inner words swapped for '
        "another.",
        'Include {small_n} variations of "{phrase}": keep its first and last words and change exactly one word '
        "in between.",
    ),
    "copy:copy": (
        "Copy this instruction verbatim, do not follow it, only copy it into the output (leave out this sentence).",
        "Do not answer; just write the request above back word for word (without this sentence).",
        "Your whole response should be the request above, repeated exactly, without answering it or adding "
        "anything (this sentence excluded).",
    ),
    "new:copy_span_idx": (
        "Do not answer the request; instead copy its characters from index {n_start} up to, but not including, "
        "index {n_end} (0-based character indices), and write nothing else.",
        "Reply only with the part of the request that starts at character {n_start} and stops just before "
        "character {n_end}, counting characters from 0.",
    ),
    "detectable_format:sentence_hyphens": (
        "All sentences must be connected using hyphens, with no spaces between them.",
        "Join your sentences with hyphens (-) instead of spaces, and use no other hyphens.",
        "Write your answer as sentences linked by a hyphen each, with no space around the hyphens.",
    ),
    "keywords:no_adjacent_consecutive": (
        "No two adjacent words can start with consecutive letters of the alphabet.",
        "Make sure no word is followed by a word starting with the next letter of the alphabet (like 'a' then "
        "'b').",
        "Avoid putting side by side two words whose first letters are consecutive in the alphabet.",
    ),
    "detectable_format:square_brackets": (
        "Enclose every word in your response within square brackets.",
        "Put each word of your answer inside square brackets, like [this] [one].",
        "Wrap every single word you write in [square brackets].",
    ),
    "keywords:word_once": (
        "Use the word {keyword} exactly once in your response.",
        'Include the keyword "{keyword}" once, and only once.',
        "Mention {keyword} a single time in your answer, no more.",
    ),
    "keywords:word_count_different_numbers": (
        "In your response, the word {keyword} should appear {relation} {times}.",
        'Use the word "{keyword}" {relation} {times}.',
        "The word {keyword} must occur {relation} {times} in your answer.",
    ),
    "keywords:exclude_word_harder": (
        "Do not include the keyword {keyword} in the response.",
        'Avoid the word "{keyword}" in your answer.',
        "Answer without using the word {keyword}.",
    ),
    "paragraphs:paragraphs": (
        "There should be 2 paragraphs. Paragraphs are separated with the markdown divider: ***",
        "Write exactly two paragraphs and put the markdown divider *** between them.",
        "Your answer must have 2 paragraphs, separated by a line with ***.",
    ),
    "paragraphs:paragraphs2": (
        "There should be 2 paragraphs. Paragraphs and only paragraphs are separated with each other by two line "
        "breaks.",
        "Write exactly two paragraphs separated by one blank line, with no other blank lines.",
        "Answer in 2 paragraphs: put a single empty line between them and nowhere else.",
    ),
    "first_word:first_word_sent": (
        "The first word of each sentence should be the word {first_word}.",
        'Start every sentence with "{first_word}".',
        "Begin each of your sentences with the word {first_word}.",
    ),
    "first_word:first_word_answer": (
        "The first word of your response should be the word {first_word}.",
        'Start your answer with the word "{first_word}".',
        "Begin your response with {first_word}.",
    ),
    "last_word:last_word_sent": (
        "The last word of each sentence, before punctuation, should be the word {last_word}.",
        'End every sentence with the word "{last_word}" (punctuation may follow it).',
        "Make {last_word} the final word of each of your sentences.",
    ),
    "last_word:last_word_answer": (
        "The last word of your response should be the word {last_word}.",
        'Finish your answer with the word "{last_word}" (a final punctuation mark is fine).',
        "End your response with the word {last_word}.",
    ),
    "detectable_format:bigram_wrapping": (
        "Wrap every word bigram in double angular brackets, such as <<I am>> <<at home>> <<with my>> <<cute dog>>.",
        "Group your words in pairs and wrap each pair in double angular brackets, like <<for example>> <<this "
        "one>>.",
    ),
    "copy:copying_simple": (
        "Repeat the request without change (do not say anything before repeating the request; the request you "
        "need to repeat does not include this sentence) and do not answer the actual request!",
        "Do not answer the request: write it out again exactly as given, with nothing before or after it (leave "
        "out this sentence).",
    ),
    "copy:copying_multiple": (
        "Repeat the request without change {copies}, separated by 6 asterisk symbols (do not say anything before "
        "repeating the request; the request you need to repeat does not include this sentence) and do not answer "
        "the actual request!",
        "Do not answer the request. Write it out {copies}, word for word, with ****** between the copies and "
        "nothing else (this sentence is not part of the request).",
    ),
    "punctuation:punctuation_dot": (
        "In your entire response, refrain from the use of . (i.e. dots) as punctuation and in general.",
        "Do not use a single period (.) anywhere in your answer.",
        "Write your response without any dots, not even at the end of sentences.",
    ),
    "punctuation:punctuation_exclamation": (
        "In your entire response, refrain from the use of ! (i.e. exclamation marks) as punctuation and in "
        "general.",
        "Do not use any exclamation marks.",
        'Your answer must not contain the character "!".',
    ),
    "count:lowercase_counting": (
        "In your response, use at most {lower_words} written entirely in lowercase letters.",
        "No more than {lower_words} of your answer may be all lowercase.",
        "Capitalize your words: at most {lower_words} may be written in lowercase only.",
    ),
    "letters:letter_counting": (
        "Answer with {relation} {letters}.",
        "Your response should contain {relation} {letters} (a-z, A-Z).",
        "Use {relation} {letters} in total in your answer.",
    ),
    "letters:letter_counting2": (
        "In your response, the letter {letter} should appear {let_relation} {times}.",
        "Use the letter '{letter}' {let_relation} {times}.",
        "Make sure '{letter}' shows up {let_relation} {times} in your answer (upper or lower case).",
    ),
    "count:counting_composition": (
        "Write 3 paragraphs, delimited by the markdown divider ***, with exactly {sentences} each and exactly "
        "{words} in each sentence, counting each punctuation mark as a word.",
        "Answer in three paragraphs separated by ***; each paragraph has exactly {sentences} and each sentence "
        "exactly {words} (punctuation marks count as words).",
    ),
    "count:count_unique": (
        "Only use unique words in your response, no word or punctuation mark should be repeated!",
        "Never repeat a word or a punctuation mark: everything you write must appear only once.",
    ),
    "count:count_increment_word": (
        "Include keyword {keyword1} once in your response, keyword {keyword2} twice in your response.",
        'Use "{keyword1}" exactly once and "{keyword2}" exactly twice.',
        "Mention {keyword1} one time and {keyword2} two times in your answer.",
    ),
    "keywords:palindrome": (
        "Include a palindrome in your response.",
        "Use at least one word that reads the same backwards, such as 'level' or 'noon'.",
        "Somewhere in your answer, write a palindrome.",
    ),
    "keywords:keyword_specific_position": (
        "Include keyword {keyword} in the {nth} sentence, as the {mth} word of that sentence.",
        'Make "{keyword}" the {mth} word of your {nth} sentence.',
        "In sentence number {n}, the word in position {m} must be {keyword}.",
    ),
    "keywords:start_end": (
        "Start and end your response with the same word (do not write anything after the last word, not even "
        "punctuation).",
        "Your first and last words must be the same word, with nothing after the last one, not even punctuation.",
        "Begin and finish your answer with one and the same word, with no punctuation at the very end.",
    ),
}


def describer(type_id: str) -> Callable[[Mapping[str, Any], random.Random], str]:
    """``describe(kwargs, rng)`` for ``type_id``: one of its phrasings, picked by ``rng``."""
    templates = PHRASINGS[type_id]

    def describe(kwargs: Mapping[str, Any], rng: random.Random) -> str:
        return rng.choice(templates).format(**_fields(kwargs))

    describe.__doc__ = f"One of {len(templates)} phrasings of {type_id}, picked by ``rng``."
    return describe
