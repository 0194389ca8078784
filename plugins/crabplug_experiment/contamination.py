"""No benchmark prompt in training data: every training row is checked against every registered benchmark.

A row is contaminated when it contains a benchmark prompt verbatim (after lower-casing and collapsing
whitespace) or shares at least half of a prompt's distinctive 8-word windows (a near duplicate: a prompt with a
word changed, cut or wrapped in other text). A window found in COMMON or more prompts is a benchmark's
instruction template ("First repeat the request word for word without change..."), not a prompt: the same
sentence is how a constraint type phrases itself, so training rows may carry it, and it alone never makes a
match. Prompts with no distinctive window (short ones, or nothing but templates) are matched verbatim only.
Japanese and Chinese are written without spaces: there each kana or ideograph counts as a word, so their
windows are of 8 characters (text with none of them splits into words exactly as before).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

WINDOW = 8
NEAR = 0.5
COMMON = 3
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"  # kana, ideographs, half-width kana
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _windows(words: list[str]) -> set[int]:
    return {hash(tuple(words[i : i + WINDOW])) for i in range(len(words) - WINDOW + 1)}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


class Index:
    """The benchmarks' prompts, indexed by their 8-word windows."""

    def __init__(self, prompts: Iterable[tuple[str, str]]) -> None:
        self.names: list[str] = []
        self.sizes: list[int] = []
        self.short: dict[str, int] = {}  # normalised text of prompts too short for windows
        self.owners: dict[int, list[int]] = {}
        texts: list[list[str]] = []
        for name, text in prompts:
            self.names.append(name)
            texts.append(_words(text))
        all_windows = [_windows(words) for words in texts]
        seen: dict[int, int] = {}
        for windows in all_windows:
            for w in windows:
                seen[w] = seen.get(w, 0) + 1
        for k, (words, windows) in enumerate(zip(texts, all_windows, strict=True)):
            distinctive = {w for w in windows if seen[w] < COMMON}
            self.sizes.append(len(distinctive))
            if not distinctive:
                self.short[" ".join(words)] = k
            for w in distinctive:
                self.owners.setdefault(w, []).append(k)

    def matches(self, text: str) -> list[str]:
        """The benchmark prompts this text contains or nearly contains."""
        words = _words(text)
        hits: dict[int, int] = {}
        for w in _windows(words):
            for k in self.owners.get(w, ()):
                hits[k] = hits.get(k, 0) + 1
        found = [self.names[k] for k, n in hits.items() if n >= NEAR * self.sizes[k]]
        if self.short:
            joined = " " + " ".join(words) + " "
            found += [self.names[k] for s, k in self.short.items() if s and f" {s} " in joined]
        return found


def benchmark_prompts(registry: Any) -> Iterator[tuple[str, str]]:
    """(``benchmark:key``, prompt) for every prompt of every registered benchmark."""
    for name, cls in sorted(registry.items["benchmarks"].items()):
        for n, row in enumerate(cls().prompts()):
            yield f"{name}:{row.get('key', n)}", str(row.get("prompt", ""))


def check_files(files: Iterable[Path], index: Index) -> dict[str, Any]:
    """Scan JSONL training files row by row (streaming); the report lists every contaminated row."""
    report: dict[str, Any] = {"files": [], "rows": 0, "contaminated": []}
    for path in files:
        report["files"].append(path.name)
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                report["rows"] += 1
                found = index.matches("\n".join(_strings(json.loads(line))))
                if found:
                    report["contaminated"].append({"file": path.name, "line": n, "prompts": found[:5]})
    return report
