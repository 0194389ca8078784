"""Reading what an LLM answered: constraint lists, YES/NO verdicts, and ROUGE-L near-duplicates.

Everything here is pure text handling, tolerant of what weak models write (code fences, a dict instead
of a list, a bare list of strings, "**Yes.**"), and strict about what it keeps.
"""

from __future__ import annotations

import json
import re
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
_HEADING = re.compile(r"^\s*(?:#+\s*\w*|(?:instruction|response|task|text|answer)\s*:?)\s*$", re.IGNORECASE)
_YES_NO = re.compile(r"\b(yes|no|true|false)\b", re.IGNORECASE)


def category_key(name: Any) -> str:
    """``"Special output format"`` -> ``special_output_format``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def _as_items(data: Any) -> list[tuple[str, Any]] | None:
    """The reply's (category, sentence-or-list) pairs, whatever shape it came in; None for no recognisable shape."""
    if isinstance(data, dict):
        for wrapper in ("constraints", "items", "results"):  # {"constraints": [...]} or {"constraints": {...}}
            if isinstance(data.get(wrapper), list | dict):
                return _as_items(data[wrapper])
        if "category" in data and ("constraint" in data or "text" in data):
            return [(data["category"], data.get("constraint", data.get("text")))]
        return [(k, v) for k, v in data.items()]
    if isinstance(data, list):
        items = []
        for entry in data:
            if isinstance(entry, dict):
                text = entry.get("constraint", entry.get("text", entry.get("sentence")))
                items.append((entry.get("category", entry.get("type", "")), text))
            elif isinstance(entry, str):
                items.append(("", entry))
        return items
    return None


def constraint_items(data: Any, *, categories: tuple[str, ...]) -> tuple[list[tuple[str, str]], int] | None:
    """``(category, sentence)`` pairs from a parsed reply, and how many entries were unusable.

    A category the prompt did not ask for, an empty or non-string sentence count as unusable; a category may
    hold one sentence or a list of them; ``null``/``""``/``"none"`` mean "does not apply" and are not counted.
    Returns None when the reply has no recognisable shape at all.
    """
    items = _as_items(data)
    if items is None:
        return None
    wanted = {category_key(c): c for c in categories}
    kept: list[tuple[str, str]] = []
    bad = 0
    for raw_category, value in items:
        values = value if isinstance(value, list) else [value]
        for text in values:
            if text is None or (isinstance(text, str) and text.strip().lower() in {"", "none", "n/a", "null"}):
                continue
            category = wanted.get(category_key(raw_category))
            if category is None and not raw_category and len(wanted) == 1:
                category = next(iter(wanted.values()))
            if category is None or not isinstance(text, str):
                bad += 1
                continue
            kept.append((category, " ".join(text.split())))
    return kept, bad


def tokens(text: str) -> list[str]:
    """Lowercased word tokens, as ROUGE compares them."""
    return _WORD.findall(text.lower())


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists (O(len(a)·len(b)), one row of memory)."""
    if len(a) < len(b):
        a, b = b, a
    row = [0] * (len(b) + 1)
    for x in a:
        prev = 0
        for j, y in enumerate(b, 1):
            cur = row[j]
            row[j] = prev + 1 if x == y else max(row[j], row[j - 1])
            prev = cur
    return row[-1]


def rouge_l(a: str, b: str) -> float:
    """ROUGE-L F1 of two sentences (LCS precision and recall on word tokens); 0 when either is empty."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    lcs = lcs_length(ta, tb)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(tb), lcs / len(ta)
    return 2 * precision * recall / (precision + recall)


def dedup(sentences: list[str], threshold: float) -> list[int]:
    """Indices of the sentences kept: one goes when its ROUGE-L with an earlier kept one is above ``threshold``."""
    kept: list[int] = []
    for i, text in enumerate(sentences):
        if all(rouge_l(text, sentences[j]) <= threshold for j in kept):
            kept.append(i)
    return kept


def one_sentence(reply: str) -> str | None:
    """The constraint sentence of a plain-text reply: its first line (headings skipped) without labels or bullets.

    None when the model says nothing applies (``NONE``); ``""`` when the reply holds no sentence at all.
    """
    if not isinstance(reply, str):
        return ""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip() and not _HEADING.match(line)]
    if not lines:
        return ""
    line = re.sub(r"^(?:constraint\s*:|[-*•]|\d+[.)])\s*", "", lines[0], flags=re.IGNORECASE).strip()
    if len(line) > 1 and line[0] in "\"“'`" and line[-1] in "\"”'`":  # wrapped in quotes: unwrap, once
        line = line[1:-1].strip()
    if re.match(r"^(?:none|n/a|no constraint)\b", line, re.IGNORECASE):
        return None
    return line


def yes_no(reply: str) -> bool | None:
    """The first YES/NO (or TRUE/FALSE) word of a reply, ignoring case and markup; None when it has neither."""
    if not isinstance(reply, str):
        return None
    match = _YES_NO.search(reply)
    if match is None:
        return None
    return match.group(1).lower() in {"yes", "true"}


def raw_text(data: Any) -> str:
    """A parsed reply back as text, for failures.jsonl."""
    if isinstance(data, str):
        return data
    try:
        return json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(data)
