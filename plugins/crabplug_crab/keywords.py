"""Keyword extraction for ``crab:keywords``: a fast YAKE-like statistic by default, YAKE itself on request.

The paper extracts keywords with YAKE. YAKE costs about 60 ms per 300-word response here — 85% of the rule
back-translator's time — so the default is a one-pass statistic in YAKE's spirit: content words (YAKE's own
English stop-word list removed) scored by frequency, spread over sentences and earliness, plus two-word
phrases that recur. It runs in about a millisecond. ``CRABPLUG_KEYWORDS=yake`` selects YAKE.
Either way ``crab:keywords`` keeps only keywords its check finds in the response.
"""

from __future__ import annotations

import math
import os
import re
from collections import defaultdict
from functools import cache
from typing import Any

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_YAKE: Any = None


@cache
def stopwords() -> frozenset[str]:
    """YAKE's English stop words (read from the installed yake package without importing it)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("yake")
    words: set[str] = set()
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList" / "stopwords_en.txt"
        if path.exists():
            words = {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="ignore").split()}
    return frozenset(words or {"the", "and", "for", "that", "with", "this", "from", "are", "was", "you", "your"})


def fast_keywords(text: str, top: int = 10) -> list[str]:
    """Top 1-2 word keywords of ``text`` by frequency x sentence spread / log(first position)."""
    stop = stopwords()
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    tf: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    spread: dict[str, set[int]] = defaultdict(set)
    surface: dict[str, str] = {}
    pairs: dict[str, int] = defaultdict(int)
    position = 0
    for i, sentence in enumerate(sentences):
        previous = None
        for m in _TOKEN.finditer(sentence):
            word = m.group()
            key = word.lower()
            position += 1
            if key in stop or len(key) < 4:
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
    scores = {k: tf[k] * (1 + len(spread[k]) / n) / math.log2(2 + first[k] / 25) for k in tf}
    for pair, count in pairs.items():
        if count >= 2:
            a, b = pair.split(" ")
            scores[pair] = count * 1.5 * (scores[a] + scores[b]) / (tf[a] + tf[b])
            first.setdefault(pair, first[a])
            surface[pair] = pair
    ranked = sorted(scores, key=lambda k: (-scores[k], first[k], k))
    return [surface[k] for k in ranked[:top]]


def yake_keywords(text: str, top: int = 10) -> list[str]:
    """YAKE's top 1-2 word keywords (the paper's extractor); YAKE is imported on first use."""
    global _YAKE
    if _YAKE is None:
        import yake

        _YAKE = yake.KeywordExtractor(lan="en", n=2, top=top, dedupLim=0.7)
    try:
        return [k for k, _score in _YAKE.extract_keywords(text)]
    except Exception:  # noqa: BLE001 - YAKE trips on odd inputs (no words, only digits): no keywords
        return []


def extract_keywords(text: str, top: int = 10) -> list[str]:
    """Keywords of ``text`` with the extractor ``CRABPLUG_KEYWORDS`` names (``fast``, the default, or ``yake``)."""
    if os.environ.get("CRABPLUG_KEYWORDS", "fast").lower() == "yake":
        return yake_keywords(text, top)
    return fast_keywords(text, top)
