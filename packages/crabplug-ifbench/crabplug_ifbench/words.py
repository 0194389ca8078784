"""IFBench's ``words:`` and ``sentence:`` types: letters, syllables, lengths and positions of words.

Each check gives the verdict of IFBench's checker of the same id (this package's tests/test_ifbench_parity.py
compares them).
"""

from __future__ import annotations

import re
import string
from collections import Counter

from crabplug_ifbench.catalog import eval_type
from crabplug_ifbench.text import PUNCTUATION, STRIP, pos_tags, sentences, without_punctuation, word_tokens

_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")
_PRIMES = frozenset({2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97})
_ALPHABET = string.ascii_lowercase


def alphabet(response: str) -> bool:
    words = without_punctuation(response).strip(STRIP).split()
    if not words:
        return False
    letter = words[0][0].lower()
    if letter not in _ALPHABET:  # a word starting with a digit fails
        return False
    for word in words[1:]:
        word = word.strip(STRIP).lower()
        if word:
            letter = _ALPHABET[(_ALPHABET.index(letter) + 1) % 26]
            if word[0] != letter:
                return False
    return True


def vowel(response: str) -> bool:
    lines = response.strip().split("\n")
    return len(lines) == 1 and len(set(lines[0].lower()) & set("aeiou")) <= 3


def _has_cluster(word: str) -> bool:
    return any(a in _CONSONANTS and b in _CONSONANTS for a, b in zip(word, word[1:], strict=False))


def consonants(response: str) -> bool:
    return all(_has_cluster(w) for w in response.lower().strip().split())


def _alliteration(sentence: str) -> int:
    words = [w.lstrip(STRIP) for w in sentence.lower().split()]
    words = [w for w in words if w]
    score, run = 0, False
    for a, b in zip(words, words[1:], strict=False):
        if a[0] == b[0]:
            score += 1 if run else 2  # a run of k alliterating words scores k
            run = True
        else:
            run = False
    return score


def alliteration_increment(response: str) -> bool:
    previous = -1
    for sentence in sentences(response):
        score = _alliteration(sentence)
        if score <= previous:
            return False
        previous = score
    return True


def palindrome(response: str) -> bool:
    words = without_punctuation(response).lower().split()
    return sum(len(w) >= 5 and w == w[::-1] for w in words) >= 10


def prime_lengths(response: str) -> bool:
    return all(len(w) in _PRIMES for w in without_punctuation(response).split())


def start_verb(response: str) -> bool:
    tokens = word_tokens(response)
    if not tokens:
        return False
    tags = pos_tags(tokens)
    return len(tags) > 0 and "VB" in tags[0][1]


def repeats(response: str, *, small_n: float) -> bool:
    counts = Counter(without_punctuation(response.lower()).split())
    return all(n <= small_n for n in counts.values())


def keyword(response: str, *, word: str, N: float) -> bool:
    if not word:
        raise ValueError("word must be a non-empty string")
    sents = sentences(response)
    if len(sents) < N:
        return False
    return bool(re.search(rf"\b{re.escape(word)}\b", sents[int(N - 1)], re.IGNORECASE))


def odd_even_syllables(response: str) -> bool:
    import syllapy

    words = without_punctuation(response).lower().split()
    parity = [syllapy.count(w) % 2 for w in words if w.strip()]
    return all(a != b for a, b in zip(parity, parity[1:], strict=False))


def last_first(response: str) -> bool:
    sents = sentences(response)
    for this, following in zip(sents, sents[1:], strict=False):
        last, first = this.rstrip(STRIP).split(), following.lstrip(STRIP).split()
        if not last or not first or last[-1].lower() != first[0].lower():
            return False
    return True


def paragraph_last_first(response: str) -> bool:
    for paragraph in response.split("\n"):
        words = paragraph.strip().lower().strip(STRIP).split()
        if words and words[0] != words[-1]:
            return False
    return True


def increment(response: str, *, small_n: float) -> bool:
    sents = sentences(response)
    if not sents:  # IFBench's checker raises IndexError here; no sentence is no increment
        return False
    counts = [len(without_punctuation(s).split()) for s in sents]
    return all(b == a + small_n for a, b in zip(counts, counts[1:], strict=False))


def no_consecutive(response: str) -> bool:
    words = without_punctuation(response.lower()).split()
    return all(a[0] != b[0] for a, b in zip(words, words[1:], strict=False))


def keywords_specific_position(response: str, *, keyword: str, n: int, m: int) -> bool:
    if not keyword or not n or not m:
        raise ValueError("keyword, n and m must be set (IFBench draws random ones otherwise)")
    sents = sentences(response)
    if len(sents) < n:
        return False
    words = [t for t in word_tokens(sents[n - 1]) if any(ch.isalnum() for ch in t)]
    return len(words) >= m and words[m - 1].lower() == keyword.strip().lower()


def words_position(response: str, *, keyword: str) -> bool:
    words = word_tokens(response)
    want = keyword.strip().lower()
    if len(words) < 2:
        return False
    if words[-1] in PUNCTUATION:  # a substring test, as IFBench's: "()" counts as punctuation too
        return len(words) >= 3 and words[1].lower() == words[-3].lower() == want
    return words[1].lower() == words[-2].lower() == want


TYPES = [
    eval_type(
        "words:alphabet",
        alphabet,
        "Each word must start with the next letter of the alphabet, looping back to 'A' after 'Z'.",
    ),
    eval_type("words:vowel", vowel, "Write a paragraph using words that contain only three types of vowels."),
    eval_type(
        "words:consonants",
        consonants,
        "Ensure each word in your response has at least one consonant cluster (two or more consonants together).",
    ),
    eval_type(
        "sentence:alliteration_increment",
        alliteration_increment,
        "Each sentence must have a longer sequence of consecutive alliterative words than the previous one.",
    ),
    eval_type(
        "words:palindrome", palindrome, "Include at least 10 single-word palindromes, each at least 5 characters long."
    ),
    eval_type("words:prime_lengths", prime_lengths, "Use only words with lengths that are prime numbers."),
    eval_type("words:start_verb", start_verb, "The response must start with a verb."),
    eval_type(
        "words:repeats",
        repeats,
        "The response should not repeat any word more than {small_n} times.",
        example={"small_n": 3},
    ),
    eval_type(
        "sentence:keyword",
        keyword,
        'The response must include keyword "{word}" in the {N}-th sentence.',
        example={"word": "garden", "N": 2},
    ),
    eval_type(
        "words:odd_even_syllables",
        odd_even_syllables,
        "Alternate between words with odd and even numbers of syllables.",
    ),
    eval_type(
        "words:last_first",
        last_first,
        "The last word of each sentence must become the first word of the next sentence.",
    ),
    eval_type(
        "words:paragraph_last_first",
        paragraph_last_first,
        "Each paragraph must end with the same word it started with, separate paragraphs with a newline.",
    ),
    eval_type(
        "sentence:increment",
        increment,
        "Each sentence must contain exactly {small_n} more words than the previous one.",
        example={"small_n": 2},
    ),
    eval_type("words:no_consecutive", no_consecutive, "No two consecutive words can share the same first letter."),
    eval_type(
        "words:keywords_specific_position",
        keywords_specific_position,
        "Include keyword {keyword} in the {n}-th sentence, as the {m}-th word of that sentence.",
        example={"keyword": "river", "n": 2, "m": 3},
    ),
    eval_type(
        "words:words_position",
        words_position,
        "The second word in your response and the second to last word in your response should be the word "
        "{keyword}.",
        example={"keyword": "light"},
    ),
]
