"""Keyword extraction, public for every constraint family whose types name words an answer must use.

The paper extracts keywords with YAKE, which costs about 240 ms per real answer here (arena-hard, o3-mini).
The default is a one-pass statistic in YAKE's spirit, about 5 ms: content words scored by frequency, spread over
sentences and earliness, boosted when the instruction uses them too (what the answer is *about*), plus
two-word phrases that recur. Either extractor's output goes through one filter: no stop word, no function
word, no generic verb/adjective/adverb ("need", "help", "final", "rather"...), no number, no code token.
Families expose the extractor as a type option (config ``constraints:``), so it is in config.yaml and the resume
check. Plugins import these functions from ``crabplug`` (``extract_keywords``, ``is_content_word``...).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import cache, lru_cache
from typing import Any

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.S)
_PLAIN = re.compile(r"[a-z][a-z-]*[a-z]")
_CAMEL = re.compile(r"[a-z][A-Z]")  # fieldChange, getElementById: code identifiers, not words
_YAKE: Any = None
EXTRACTORS = ("fast", "yake")

#: words a person would not ask to include although YAKE's stop list lets them through: generic verbs,
#: adjectives, adverbs, pronoun-like and discourse words (the failures seen on real answers included)
GENERIC = frozenset(
    """
    able above absolutely according actual actually add added adding additional additionally advance after again
    against ahead allow allows almost alone along already also although always among amount another answer
    answers anyone anything anyway anywhere appear apply approach appropriate around article aside ask asked
    asking available avoid away back based basic basically become becomes begin beginning behind believe below
    best better beyond big bit bring build built call called came can't case cases cause certain certainly
    change changes check choose clear clearly close come comes common complete completely consider considered
    contain contains continue correct could couldn't create created current currently deal decide define
    definitely describe described detail detailed details different difficult directly does doesn't doing done
    don't double during each early easily easy either else end ending enough ensure entire entirely especially
    even ever every everyone everything exactly example examples except expect explain explained fact fairly far
    feel felt final finally find finding fine first five follow following follows form four free full fully
    further generally get gets getting give given gives giving goes going gone good got great greater hand
    handle happen happens hard have having help helpful helps here high higher highly hold however idea ideas
    important include included includes including indeed instead involve issue issues it's item items itself
    just keep kind know known large larger last later least leave less let let's level like likely line lines
    list little long longer look looking looks lot lots low made main mainly make makes making many matter may
    maybe mean means meet might mind more moreover most mostly much must need needed needs never new next nice
    none note noted nothing notice number numbers often okay old once one only open order other others otherwise
    overall part particular particularly parts per perhaps place point points possible possibly potential
    prefer present pretty probably problem proper properly provide provided provides put question questions
    quick quickly quite rather real really reason recent related remain remember require required requires
    result results right same say second see seem seems seen set several short should show shown shows side
    similar simple simply since single small so some someone something sometimes soon sort specific start
    started step steps still structure such suggest support sure take taken takes taking tell terms than thanks
    that's then there's thing things think third this those though three through thus together told too took
    total toward towards true truly try trying turn two type types typically under understand unless unlike
    until upon use used useful uses using usually value various version very via view want wants way ways well
    went what's whatever whether which while whole will within without word words work works would write
    written wrong yes yet you're
    """.split()
)


@cache
def stopwords() -> frozenset[str]:
    """Words no keyword may be or contain: YAKE's English stop words + :data:`GENERIC`."""
    return yake_stopwords() | GENERIC


@cache
def yake_stopwords() -> frozenset[str]:
    """YAKE's English stop-word list (read from the installed yake package without importing it)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("yake")
    words: set[str] = set()
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList" / "stopwords_en.txt"
        if path.exists():
            words = {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="ignore").split()}
    return frozenset(words or {"the", "and", "for", "that", "with", "this", "from", "are", "was", "you", "your"})


def is_content(keyword: str) -> bool:
    """A keyword a person would ask for: plain letters (inner hyphens), 4+ letters a word, no stop/generic word."""
    stop = stopwords()
    parts = keyword.lower().split()
    return bool(parts) and all(len(p) >= 4 and _PLAIN.fullmatch(p) and p not in stop for p in parts)


def _prose(text: str) -> str:
    return _CODE.sub(" \n", text)


def fast_keywords(text: str, top: int = 10, instruction: str = "") -> list[str]:
    """Top 1-2 word content keywords of ``text``: frequency x sentence spread / log(first position), doubled
    for words the instruction uses too."""
    stop = stopwords()
    asked = {m.group().lower() for m in _TOKEN.finditer(instruction)}
    sentences = [s for s in _SENTENCE.split(_prose(text)) if s.strip()]
    tf: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    spread: dict[str, set[int]] = defaultdict(set)
    surface: dict[str, str] = {}
    pairs: dict[str, int] = defaultdict(int)
    position = 0
    keys: dict[str, str | None] = {}  # word -> its key, None when it is no keyword: once per distinct word
    for i, sentence in enumerate(sentences):
        previous = None
        for word in _TOKEN.findall(sentence):
            position += 1
            try:
                key = keys[word]
            except KeyError:
                key = word.lower()
                if key in stop or len(key) < 4 or not _PLAIN.fullmatch(key) or _CAMEL.search(word):
                    key = None
                keys[word] = key
            if key is None:
                previous = None
                continue
            tf[key] += 1
            spread[key].add(i)
            first.setdefault(key, position)
            surface.setdefault(key, word if not word.isupper() else key)
            if previous is not None:
                pairs[f"{previous} {key}"] += 1
            previous = key
    n = max(1, len(sentences))
    scores = {
        k: tf[k] * (1 + len(spread[k]) / n) / math.log2(2 + first[k] / 25) * (2.0 if k in asked else 1.0) for k in tf
    }
    for pair, count in pairs.items():
        if count >= 2:
            a, b = pair.split(" ")
            scores[pair] = count * 1.5 * (scores[a] + scores[b]) / (tf[a] + tf[b])
            first.setdefault(pair, first[a])
            surface[pair] = pair
    ranked = sorted(scores, key=lambda k: (-scores[k], first[k], k))
    return [surface[k] for k in ranked[:top]]


def yake_keywords(text: str, top: int = 10, instruction: str = "") -> list[str]:
    """YAKE's top 1-2 word keywords (the paper's extractor), content words only; YAKE loads on first use."""
    global _YAKE
    if _YAKE is None:
        import yake

        _YAKE = yake.KeywordExtractor(lan="en", n=2, top=top * 2, dedupLim=0.7)
    try:
        found = [k for k, _score in _YAKE.extract_keywords(_prose(text))]
    except Exception:  # noqa: BLE001 - YAKE trips on odd inputs (no words, only digits): no keywords
        return []
    return [k for k in found if is_content(k)][:top]


def extract_keywords(text: str, top: int = 10, *, extractor: str = "fast", instruction: str = "") -> list[str]:
    """Content keywords of ``text`` by ``extractor`` (``fast``, the default, or ``yake``)."""
    return list(_extract(text, top, extractor, instruction))


@lru_cache(maxsize=16)  # three keyword types ask about the same response in a row
def _extract(text: str, top: int, extractor: str, instruction: str) -> tuple[str, ...]:
    if extractor == "yake":
        return tuple(yake_keywords(text, top, instruction))
    return tuple(fast_keywords(text, top, instruction))


def present(text: str, keyword: str) -> bool:
    """``keyword`` occurs in ``text`` as whole words (case-insensitive), as the keyword checks count it."""
    return whole_word_count(text, keyword, stop=1) > 0


_ASCII_WORD_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def whole_word_count(text: str, keyword: str, stop: int = 0) -> int:
    r"""How often ``keyword`` occurs in ``text`` with no word character on either side, case-insensitive: the
    count of ``re.findall(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", text, re.I)`` (at most ``stop`` when set).

    On ASCII text a search of the lowered text (kept with the text's analysis) gives that count without
    compiling a pattern per keyword; other text goes through the pattern, whose case folding ``str.lower``
    does not copy everywhere.
    """
    if not (keyword and text.isascii() and keyword.isascii()):
        found = _whole_word(keyword).findall(text)
        return min(len(found), stop) if stop else len(found)
    from crabplug.text.analysis import analyze

    low, word, n, at = analyze(text).of(str.lower), keyword.lower(), 0, 0
    while (at := low.find(word, at)) >= 0:
        end = at + len(word)
        if (at == 0 or low[at - 1] not in _ASCII_WORD_CHAR) and (end == len(low) or low[end] not in _ASCII_WORD_CHAR):
            n += 1
            if n == stop:
                return n
            at = end
        else:
            at += 1
    return n


@lru_cache(maxsize=4096)
def _whole_word(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(keyword) + r"(?!\w)", flags=re.IGNORECASE)
