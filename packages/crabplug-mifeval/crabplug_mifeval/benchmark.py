"""M-IFEval's three benchmarks: ``mifeval-es`` (115 prompts), ``mifeval-fr`` (235), ``mifeval-ja`` (172).

Scoring is M-IFEval's evaluator's (evaluation_main.py), which is IFEval's: an empty response follows nothing;
strict checks the response, loose any of its variants (without the first line, the last line, both, or
asterisks); the four numbers are prompt- and instruction-level accuracy, strict and loose.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, ClassVar

import crabplug


class MIFEval:
    """M-IFEval (Dussolle et al., 2025) in one language: its prompts, scored by its types of that language."""

    name: ClassVar[str] = ""
    lang: ClassVar[str] = ""
    reference: ClassVar[dict[str, dict[str, float]]] = {}

    def prompts(self) -> Iterator[dict[str, Any]]:
        """M-IFEval's data/{lang}_input_data.jsonl (Apache-2.0, see data/NOTICE.md), in the released order."""
        text = files("crabplug_mifeval").joinpath("data", f"{self.lang}_input_data.jsonl").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def score(self, registry: Any, row: dict[str, Any]) -> dict[str, Any]:
        """M-IFEval's strict and loose verdicts for one prompt's response."""
        return crabplug.score_row(registry, row)


#: M-IFEval's leaderboard (its README at 0bc3143): each model's instruction-level strict accuracy in Spanish,
#: French and Japanese, in percent (the README calls it "the average scores across all instructions").
LEADERBOARD = {
    "o1": (92.7, 91.3, 75.7), "Opus": (90.5, 87.0, 75.7), "Sonnet": (87.6, 88.1, 77.0),
    "o1 Mini": (92.0, 88.4, 69.5), "GPT4o": (89.8, 87.8, 70.4), "GPT4o Mini": (85.4, 85.5, 65.9),
    "Qwen 2.5 32B I. 4-bit": (82.5, 81.7, 65.9), "Qwen 2.5 14B I. 4-bit": (83.2, 82.6, 57.5),
    "Haiku": (78.8, 78.3, 61.9), "Qwen 2.5 7B I. 4-bit": (78.1, 76.8, 50.9), "Llama 3.1 8B I.": (80.3, 71.3, 39.8),
    "Qwen 2.5 3B I. 4-bit": (68.6, 65.8, 45.1), "Mistral 7B I.": (62.8, 61.7, 29.2), "Aya 23 8B": (59.9, 57.4, 35.0),
    "Qwen 2.5 1.5B I. 4-bit": (59.9, 49.3, 28.3), "DeepSeek LLM 7B Chat": (48.2, 45.8, 25.2),
    "Qwen 2.5 0.5B I. 4-bit": (36.5, 33.9, 19.9),
}  # fmt: skip
_COLUMN = {"es": 0, "fr": 1, "ja": 2}

#: The four numbers of M-IFEval's published evaluation of gpt-4o-2024-08-06 (evaluations/<lang>_input_response_
#: data_gpt-4o-2024-08-06/eval_results_{strict,loose}.jsonl at 0bc3143): (prompts, prompts followed strict, loose,
#: instructions, instructions followed strict, loose).
GPT4O_COUNTS = {"es": (115, 101, 104, 137, 123, 126), "fr": (235, 195, 203, 345, 303, 312),
                "ja": (172, 109, 120, 226, 159, 172)}  # fmt: skip


def published(lang: str) -> dict[str, dict[str, float]]:
    """The reference rows of ``mifeval-LANG``: gpt-4o's four numbers, then the leaderboard (one number each)."""
    prompts, strict, loose, insts, istrict, iloose = GPT4O_COUNTS[lang]
    rows = {
        "gpt-4o-2024-08-06 (M-IFEval evaluations)": {
            "prompt_level_strict_acc": strict / prompts,
            "inst_level_strict_acc": istrict / insts,
            "prompt_level_loose_acc": loose / prompts,
            "inst_level_loose_acc": iloose / insts,
        }
    }
    for model, scores in LEADERBOARD.items():
        rows[f"{model} (M-IFEval README)"] = {"inst_level_strict_acc": scores[_COLUMN[lang]] / 100}
    return rows


class MIFEvalES(MIFEval):
    """M-IFEval's Spanish prompts (115)."""

    name = "mifeval-es"
    lang = "es"
    reference = published("es")


class MIFEvalFR(MIFEval):
    """M-IFEval's French prompts (235)."""

    name = "mifeval-fr"
    lang = "fr"
    reference = published("fr")


class MIFEvalJA(MIFEval):
    """M-IFEval's Japanese prompts (172)."""

    name = "mifeval-ja"
    lang = "ja"
    reference = published("ja")


BENCHMARKS = (MIFEvalES, MIFEvalFR, MIFEvalJA)
