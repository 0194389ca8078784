"""The shared analysis of an answer: one object per text, each unit computed once, the same values as the
functions it wraps, and memory bounded however many texts pass."""

from __future__ import annotations

import crabplug
from crabplug import Analysis, analyze, shared_reading
from crabplug.text import analysis as analysis_module

TEXT = "Dr. Smith arrived at 5 p.m. He was late.\n\nThe API was DOWN, so nobody could log in.\nAnother line."


def test_the_same_text_gives_the_same_analysis_and_a_unit_is_computed_once():
    calls = []

    def vowels(text: str) -> int:
        calls.append(text)
        return sum(c in "aeiou" for c in text)

    a = analyze(TEXT)
    assert isinstance(a, Analysis)
    assert analyze(str(TEXT)) is a  # an equal string, another object: the same analysis
    assert a.of(vowels) == a.of(vowels) == sum(c in "aeiou" for c in TEXT)
    assert calls == [TEXT]


def test_the_core_units_equal_the_functions_they_stand_for():
    a = analyze(TEXT)
    assert a.sentences == crabplug.sent_tokenize(TEXT)
    assert a.tokens == crabplug.word_tokenize(TEXT)
    assert a.words[:4] == ("Dr", "Smith", "arrived", "at")
    first = "Dr. Smith arrived at 5 p.m. He was late."
    second = "The API was DOWN, so nobody could log in.\nAnother line."
    assert a.paragraphs == (first, second)
    assert a.lines == tuple(TEXT.splitlines())
    assert a.letters["a"] == TEXT.lower().count("a")
    upper, lower = a.case
    assert (upper, lower) == (sum(c.isupper() for c in TEXT), sum(c.islower() for c in TEXT))


def test_shared_reading_goes_through_the_analysis():
    calls = []

    @shared_reading
    def longest_word(text: str) -> int:
        """The longest word's length."""
        calls.append(1)
        return max(map(len, text.split()))

    assert longest_word(TEXT) == longest_word(TEXT) == 7
    assert len(calls) == 1
    assert longest_word.__doc__ == "The longest word's length."
    assert analyze(TEXT).of(longest_word.__wrapped__) == 7  # the same entry a family reaches directly


def test_only_the_last_texts_are_kept():
    crabplug.forget_analyses()
    first = analyze("text number 0")
    for i in range(1, analysis_module.KEPT + 1):
        analyze(f"text number {i}")
    assert analyze("text number 0") is not first  # dropped: memory stays bounded on a long run
    assert analyze(f"text number {analysis_module.KEPT}") is analyze(f"text number {analysis_module.KEPT}")
