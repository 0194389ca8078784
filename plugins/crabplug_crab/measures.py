"""Measures shared by the ``crab:*`` types' derive and check: words, sentences, paragraphs, rounding."""

from __future__ import annotations

import random
import re
from typing import Any

from crabplug import shared_reading

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_PARAGRAPH = re.compile(r"\n\s*\n")


def words(text: str) -> list[str]:
    """Words: runs of letters/digits, with inner hyphens and apostrophes."""
    return _WORD.findall(text)


@shared_reading
def word_count(text: str) -> int:
    """How many :func:`words` (kept with the text's analysis: every length type asks)."""
    return len(_WORD.findall(text))


def sentences(text: str) -> list[str]:
    """Sentences: split after ``.!?`` + space and at line breaks; only pieces with a word count."""
    return [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def paragraphs(text: str) -> list[str]:
    """Paragraphs: blocks separated by a blank line; only blocks with a word count."""
    return [p for p in _PARAGRAPH.split(text) if _WORD.search(p)]


@shared_reading
def sentence_lengths(text: str) -> tuple[int, ...]:
    """The number of :func:`words` of each of the text's :func:`sentences`."""
    return tuple(len(_WORD.findall(s)) for s in sentences(text))


@shared_reading
def paragraph_sentences(text: str) -> tuple[int, ...]:
    """The number of :func:`sentences` of each of the text's :func:`paragraphs`."""
    return tuple(len(sentences(p)) for p in paragraphs(text))


def floor10(n: int) -> int:
    """``n`` rounded down to tens."""
    return n // 10 * 10


def ceil10(n: int) -> int:
    """``n`` rounded up to tens."""
    return -(-n // 10) * 10


def pick(rng: random.Random, options: list[str], **kw: Any) -> str:
    """One of ``options`` chosen by ``rng``, formatted with ``kw``."""
    return rng.choice(options).format(**kw)
