"""Whole terms of an answer: the function words no keyword may be, and a term cut short (issue 30).

``natural.topic`` asks both of a keyword: "trong" (Vietnamese "in") or "the" is no topic a person names, and
"Access" is no term of an answer that always says "Access Points".
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


@functools.cache
def function_words() -> frozenset[str]:
    """Function words of every language YAKE lists ("cada", "trong", "the"): no keyword a person names."""
    spec = importlib.util.find_spec("yake")
    words: set[str] = set(_VIETNAMESE)
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList"
        for path in sorted(folder.glob("stopwords_*.txt")):
            words |= {w.strip().lower() for w in path.read_text(encoding="utf-8", errors="ignore").split()}
    return frozenset(words)


#: Vietnamese function words (YAKE has no Vietnamese list)
_VIETNAMESE = """trong của và các những được cho với này một là có không người khi thì để từ theo
đã sẽ đang như nhưng hay hoặc nếu vì nên cũng rất lại ra vào trên dưới sau trước bằng về nhiều""".split()


def cut_short(word: str, text: str, found: list) -> bool:
    """A word or phrase the answer always writes inside one longer term: always followed by one same word
    ("egress-only internet" gateway, "Access" Points, "operasi tipe"-1) or preceded by one ("currently" playing
    song). A single word needs two such uses (one use says nothing about a term)."""
    if not found or (" " not in word.strip() and len(found) < 2):
        return False
    after, before = set(), set()
    for m in found:
        joint = text[m.end() : m.end() + 1]
        nxt = _NEXT.match(text, m.end() + 1) if joint in " -\u2011\u2010" else None
        if nxt and (joint != " " or nxt.group(0).isdigit()):  # "tipe-1", "tipe-2", "tipe 3": one term, numbered
            after.add("\x00numbered")  # no word of any stopword list
        else:
            after.add(nxt.group(0).lower() if nxt else "")
        before.add(_previous_word(text, m.start()).lower())
    skip = function_words()
    return any(len(seen) == 1 and (only := next(iter(seen))) and only not in skip for seen in (after, before))


def _previous_word(text: str, end: int) -> str:
    """The word right before ``text[end]`` with one space between (``_PREV`` on ``text[:end]``), or "": read in a
    window of the last characters, the whole prefix only when the word may run past the window's start."""
    start = max(0, end - _WINDOW)
    space = end - 2 if text[end - 1 : end] == "\n" else end - 1  # ``$`` matches before a last newline too
    if start > 0 and _WORDISH.fullmatch(text, start - 1, space):  # a run as long as the window: read it all
        start = 0
    prev = _PREV.search(text, start, end)
    return prev.group(1) if prev else ""


_NEXT = re.compile(r"\w[\w'-]*")
_PREV = re.compile(r"([^\W\d_][\w'-]*) $")
_WORDISH = re.compile(r"[\w'-]+")
_WINDOW = 80


def keywords(kwargs: Mapping[str, Any]) -> list[str]:
    """The keywords a constraint names (one or a list)."""
    out = []
    for name in ("keyword", "keyword1", "keyword2", "keywords"):
        value = kwargs.get(name)
        out += [value] if isinstance(value, str) else [str(v) for v in value or []]
    return out
