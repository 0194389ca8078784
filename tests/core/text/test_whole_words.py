"""``whole_word_count`` counts what the keyword checks' pattern finds, ``(?<!\\w)keyword(?!\\w)`` with re.I, on any
text: by a search of the lowered text on ASCII, by the pattern elsewhere."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crabplug import whole_word_count

PIECES = [
    "data",
    "Data",
    "DATA",
    "data-driven",
    "metadata",
    "data_set",
    "C++",
    "c++",
    "e.g.",
    " ",
    ", ",
    "\n",
    "ß",
    "K",
    "ſ",
    "İ",
]


def _pattern(text: str, keyword: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", text, flags=re.IGNORECASE))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30),
    st.sampled_from(["data", "DATA", "c++", "e.g.", "s", "k", "data set", "ß"]),
)
def test_the_count_is_the_patterns(pieces, keyword):
    text = "".join(pieces)
    assert whole_word_count(text, keyword) == _pattern(text, keyword)
    assert whole_word_count(text, keyword, stop=1) == min(1, _pattern(text, keyword))


def test_examples():
    assert whole_word_count("Data, data-driven DATA; metadata and data_set", "data") == 3
    assert whole_word_count("I like C++ and c++.", "C++") == 2
    assert whole_word_count("Kelvin: \u212a", "k") == 1  # the Kelvin sign folds to k under re.I: the pattern counts
