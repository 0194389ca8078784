"""Text measures the IFTrain checks share: open-instruct's sentence splitter, NLTK's word tokens, content words.

Two different sentence notions are in play, as in open-instruct: most types split with the regex rules of
IFEvalG's ``split_into_sentences`` (abbreviations, initials, websites, decimals, ellipses), while the word
tokens of four types come from ``nltk.word_tokenize``, which splits sentences with Punkt first
(``crabplug.word_tokenize``: NLTK's tokens, offline, faster).
"""

from __future__ import annotations

import re
from functools import lru_cache

import crabplug

_ALPHA = "([A-Za-z])"
_STARTERS = (
    r"(Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\s|She\s|It\s|They\s|Their\s|Our\s|We\s|But\s|However\s|That\s|This\s|Wherever)"
)
_SUFFIXES = "(Inc|Ltd|Jr|Sr|Co)"
_ACRONYM = "([A-Z][.][A-Z][.](?:[A-Z][.])?)"
_PRD, _STOP = "<prd>", "<stop>"

# Rewrites applied in order: periods that do not end a sentence become <prd>, some become <stop>.
_BEFORE_QUOTES = (
    (re.compile("(Mr|St|Mrs|Ms|Dr)[.]"), r"\1<prd>"),  # titles
    (re.compile("[.](com|net|org|io|gov|edu|me)"), r"<prd>\1"),  # web addresses
    (re.compile("([0-9])[.]([0-9])"), r"\1<prd>\2"),  # decimals
)
_AFTER_ELLIPSIS = (
    (re.compile(r"\s" + _ALPHA + "[.] "), r" \1<prd> "),  # a lone initial
    (re.compile(_ACRONYM + " " + _STARTERS), r"\1<stop> \2"),  # an acronym ending a sentence
    (re.compile(_ALPHA + "[.]" + _ALPHA + "[.]" + _ALPHA + "[.]"), r"\1<prd>\2<prd>\3<prd>"),
    (re.compile(_ALPHA + "[.]" + _ALPHA + "[.]"), r"\1<prd>\2<prd>"),
    (re.compile(" " + _SUFFIXES + "[.] " + _STARTERS), r" \1<stop> \2"),
    (re.compile(" " + _SUFFIXES + "[.]"), r" \1<prd>"),
    (re.compile(" " + _ALPHA + "[.]"), r" \1<prd>"),
)
_ELLIPSIS = re.compile(r"\.{2,}")
# closing quotes move before the end mark, so the quote stays in its sentence
_QUOTES = ((".”", "”."), ('."', '".'), ('!"', '"!'), ('?"', '"?'))


@lru_cache(maxsize=4096)
def split_into_sentences(text: str) -> tuple[str, ...]:
    """Sentences by open-instruct's IFEvalG rules (newlines are spaces; the last empty piece dropped)."""
    text = (" " + text + "  ").replace("\n", " ")
    for pattern, repl in _BEFORE_QUOTES:
        text = pattern.sub(repl, text)
    text = _ELLIPSIS.sub(lambda m: _PRD * len(m.group(0)) + _STOP, text)
    text = text.replace("Ph.D.", "Ph<prd>D<prd>")
    for pattern, repl in _AFTER_ELLIPSIS:
        text = pattern.sub(repl, text)
    for old, new in _QUOTES:
        text = text.replace(old, new)
    for mark in ".?!":
        text = text.replace(mark, mark + _STOP)
    pieces = [s.strip() for s in text.replace(_PRD, ".").split(_STOP)]
    if pieces and not pieces[-1]:
        pieces.pop()
    return tuple(pieces)


def word_tokens(text: str) -> tuple[str, ...]:
    """``nltk.word_tokenize(text)``: Punkt sentences, then NLTK's Treebank-style word tokens of each (crabplug's
    faster implementation, cached)."""
    return crabplug.word_tokenize(text)


STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each even ever every few for from further get
    got had has have having he her here hers herself him himself his how however i if in into is it its itself
    just like make many may me might more most much must my myself need no nor not now of off often on once only
    or other our ours out over own per please rather really same shall she should since so some still such than
    that the their theirs them then there these they thing things this those though through thus to too under
    until up upon us use used using very via want was way we well were what when where whether which while who
    whom whose why will with within without would yet you your yours yourself""".split()
)
_CONTENT = re.compile(r"(?<![\w'’-])[A-Za-z]{4,}(?![\w'’-])")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The function words above plus YAKE's English stop-word list (the one crabplug's quality report uses),
    read from the installed yake package's data file without importing yake."""
    from importlib.util import find_spec
    from pathlib import Path

    words = set(STOPWORDS)
    spec = find_spec("yake")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList" / "stopwords_en.txt"
        if path.exists():
            words |= {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="ignore").split()}
    return frozenset(words)


@lru_cache(maxsize=1024)
def content_words(text: str) -> tuple[str, ...]:
    """Plain alphabetic words of 4+ letters that are not stop words, lowercased, in first-seen order."""
    stop = stopwords()
    seen: dict[str, None] = {}
    for match in _CONTENT.finditer(text):
        word = match.group(0).lower()
        if word not in stop:
            seen.setdefault(word, None)
    return tuple(seen)


def times(n: int) -> str:
    """``once``, ``twice``, ``3 times``."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def clear_caches() -> None:
    """Forget every cached sentence split and tokenization (benchmarks time cold checks)."""
    for fn in (split_into_sentences, content_words):
        fn.cache_clear()
    crabplug.clear_tokenizer_caches()
