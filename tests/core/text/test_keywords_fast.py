"""``fast_keywords`` judges each distinct word once (issue 27) and ranks exactly as the per-token loop did."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from crabplug.text import keywords as kw

ROOT = Path(__file__).resolve().parents[3]


def _old_fast_keywords(text: str, top: int = 10, instruction: str = "") -> list[str]:
    """fast_keywords as it was before issue 27 (every token lowered and matched)."""
    stop = kw.stopwords()
    asked = {m.group().lower() for m in kw._TOKEN.finditer(instruction)}
    sentences = [s for s in kw._SENTENCE.split(kw._prose(text)) if s.strip()]
    tf: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    spread: dict[str, set[int]] = defaultdict(set)
    surface: dict[str, str] = {}
    pairs: dict[str, int] = defaultdict(int)
    position = 0
    for i, sentence in enumerate(sentences):
        previous = None
        for m in kw._TOKEN.finditer(sentence):
            word = m.group()
            key = word.lower()
            position += 1
            if key in stop or len(key) < 4 or not kw._PLAIN.fullmatch(key) or kw._CAMEL.search(word):
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


def test_fast_keywords_rank_as_before_on_the_real_fixture_answers():
    rows = []
    for path in sorted((ROOT / "tests" / "fixtures" / "real").glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines: answers hold U+2028
        rows += [json.loads(line) for line in lines if line.strip()]
    assert len(rows) >= 600
    for row in rows:
        for top in (10, 30):
            got = kw.fast_keywords(row["response"], top, row["instruction"])
            assert got == _old_fast_keywords(row["response"], top, row["instruction"])


def test_fast_keywords_rank_as_before_on_mixed_case_and_odd_words():
    text = "NASA and nasa. NASA's iPhone, iPhone! Data-driven DATA data_set. Ärger ärger ÄRGER. X11 x11 CamelCase."
    for top in (3, 10, 50):
        assert kw.fast_keywords(text * 3, top, "nasa data") == _old_fast_keywords(text * 3, top, "nasa data")
