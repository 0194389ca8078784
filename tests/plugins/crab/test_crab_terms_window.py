"""``terms._previous_word`` reads a window before a keyword, not the whole answer before it (issue 27: the whole
prefix made ``cut_short`` quadratic in the answer's length), and finds what ``_PREV`` on the whole prefix finds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from crabplug_crab import terms

ROOT = Path(__file__).resolve().parents[3]


def _whole_prefix(text: str, end: int) -> str:
    found = terms._PREV.search(text[:end])
    return found.group(1) if found else ""


@pytest.mark.parametrize("window", [3, 5, terms._WINDOW])
def test_the_window_finds_what_the_whole_prefix_finds(monkeypatch, window):
    monkeypatch.setattr(terms, "_WINDOW", window)  # a small window: words longer than it, a newline at its end
    rng = random.Random(window)
    cases = 0
    for _ in range(3000):
        text = "".join(rng.choice("ab1_-' \n.é9") for _ in range(rng.randint(0, 120)))
        for end in range(len(text) + 1):
            assert terms._previous_word(text, end) == _whole_prefix(text, end), (text, end)
            cases += 1
    assert cases > 100_000


def test_real_answers_find_the_same_previous_words():
    path = ROOT / "tests" / "fixtures" / "real" / "arena-o3mini-200.jsonl"
    texts = [json.loads(line)["response"] for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert len(texts) > 100
    for text in texts:
        for end in range(0, len(text), 13):
            assert terms._previous_word(text, end) == _whole_prefix(text, end)
