"""One reading of an answer, shared by every family: each unit computed on first use and kept.

Every family derives and checks constraints on the same answer, and each used to read it again: its own
sentences, words, paragraphs and counts, a dozen times per record. :func:`analyze` gives one
:class:`Analysis` per text (the same object for the same text while it is in use), and a unit asked for twice
is computed once::

    from crabplug import analyze

    a = analyze(response)
    a.words, a.sentences, a.paragraphs, a.lines     # the core's units
    a.language                                      # langdetect's answer (seed 0), only when asked
    a.of(my_family_measure)                         # any pure function of the text, kept the same way

:meth:`Analysis.of` is how a family shares its own reading without the core knowing it: ``a.of(fn)`` is
``fn(a.text)``, computed once per text. A function given to it must be pure (the same text, the same value)
and must not mutate what it returns to another caller (return tuples, frozensets or numbers).

The analyses of the last :data:`KEPT` texts are kept, enough for a record's response, its transformed variants
and IFEval's loose variants of each; older ones are dropped, so memory stays flat however long the run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

#: how many texts keep their analysis (a record's answer, its edits and their loose variants fit)
KEPT = 512

_WORD_RUN = re.compile(r"\w+")
_PARAGRAPH = re.compile(r"\n\s*\n")


class Analysis:
    """The units of one text, each computed on first use (``analyze(text)`` gives the shared one)."""

    __slots__ = ("text", "_kept")

    def __init__(self, text: str) -> None:
        self.text = text
        self._kept: dict[Callable, object] = {}

    def of(self, reading: Callable[[str], T]) -> T:
        """``reading(self.text)``, computed the first time any family asks and kept for the others."""
        kept = self._kept
        try:
            return kept[reading]  # type: ignore[return-value]
        except KeyError:
            value = kept[reading] = reading(self.text)
            return value

    @property
    def sentences(self) -> tuple[str, ...]:
        """Sentences as ``nltk.sent_tokenize`` gives them with the English Punkt model."""
        from crabplug.text.sentences import sent_tokenize

        return self.of(sent_tokenize)

    @property
    def tokens(self) -> tuple[str, ...]:
        """``nltk.word_tokenize`` tokens (Treebank, sentence by sentence), punctuation included."""
        from crabplug.text.words import word_tokenize

        return self.of(word_tokenize)

    @property
    def words(self) -> tuple[str, ...]:
        """Runs of word characters (``\\w+``), the way most counts of words are made."""
        return self.of(_word_runs)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Blocks separated by a blank line, empty ones left out."""
        return self.of(_paragraphs)

    @property
    def lines(self) -> tuple[str, ...]:
        """The text's lines (``str.splitlines``)."""
        return self.of(_lines)

    @property
    def letters(self) -> Counter[str]:
        """How often each letter occurs, case folded to lower (``Counter``; read it, do not change it)."""
        return self.of(_letters)

    @property
    def case(self) -> tuple[int, int]:
        """(uppercase letters, lowercase letters)."""
        return self.of(_case)

    @property
    def language(self) -> str | None:
        """langdetect 1.0.9's language code with seed 0 (``unknown`` when unsure, None with no letters to read),
        the same answer computed several times faster (:mod:`crabplug.text.langid`)."""
        from crabplug.text.langid import detector

        return self.of(detector().detect)


def _word_runs(text: str) -> tuple[str, ...]:
    return tuple(_WORD_RUN.findall(text))


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p for p in _PARAGRAPH.split(text) if p.strip())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.splitlines())


def _letters(text: str) -> Counter[str]:
    return Counter(c for c in text.lower() if c.isalpha())


def _case(text: str) -> tuple[int, int]:
    return sum(map(str.isupper, text)), sum(map(str.islower, text))


@lru_cache(maxsize=KEPT)
def analyze(text: str) -> Analysis:
    """The shared :class:`Analysis` of ``text``: the same object for the same text while it is kept."""
    return Analysis(text)


def shared_reading(reading: Callable[[str], T]) -> Callable[[str], T]:
    """``reading`` made to go through the text's analysis: ``shared_reading(fn)(text)`` is ``analyze(text).of(fn)``.

    A decorator for a family's own pure measures, so that checks and derivations asking the same question of
    one answer compute it once::

        @shared_reading
        def sentences(text: str) -> tuple[str, ...]: ...
    """

    def through_analysis(text: str) -> T:
        return analyze(text).of(reading)

    through_analysis.__name__ = getattr(reading, "__name__", "reading")
    through_analysis.__qualname__ = getattr(reading, "__qualname__", "reading")
    through_analysis.__doc__ = reading.__doc__
    through_analysis.__wrapped__ = reading  # type: ignore[attr-defined]
    return through_analysis


def detect_language(text: str) -> str | None:
    """langdetect 1.0.9's language code for ``text`` with seed 0 (``unknown`` when unsure), computed faster;
    None where langdetect raises (no letters to read). Kept with the text: ``analyze(text).language``."""
    return analyze(text).language


def forget_analyses() -> None:
    """Drop every kept analysis (benchmarks use it to time cold reads)."""
    analyze.cache_clear()


def clear_text_caches() -> None:
    """Forget every shared analysis and the tokenizers' caches (``crabplug.clear_tokenizer_caches``: benchmarks
    use it to time cold checks)."""
    from crabplug.text.words import clear_caches

    clear_caches()
    forget_analyses()
    from crabplug.text import langid

    if langid.detector.cache_info().currsize:  # the detector's memory of n-grams, lines and answers
        found = langid.detector()
        found.word_grams.cache_clear()
        found.closed_words.clear()
        found.lines.clear()
        found.answers.clear()
