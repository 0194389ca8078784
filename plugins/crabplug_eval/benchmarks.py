"""Benchmarks: IFEval's 541 prompts, shipped with the plugin so evaluation works offline.

A benchmark is a class with a ``name`` and ``prompts()`` yielding ``{key, prompt, instruction_id_list,
kwargs}``; it may add ``score(registry, row) -> verdicts`` (default: crabplug's IFEval scoring, strict and
loose, by the registered constraint types) and ``reference`` (published numbers for ``--compare --reference``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, ClassVar

import attrs

from crabplug import score_row

#: IFEval's four accuracies, as ``crabplug.summarize(...).accuracies()`` names them, then their average.
METRICS = ("prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc")
LABELS = {
    "prompt_level_strict_acc": "prompt strict",
    "inst_level_strict_acc": "instruction strict",
    "prompt_level_loose_acc": "prompt loose",
    "inst_level_loose_acc": "instruction loose",
    "average": "average",
}

#: The CRAB paper's IFEval table (Qi et al.), as fractions; rows with only an average publish only that.
PAPER = {
    "Mistral-7B-Crab SFT (paper)": {
        "prompt_level_strict_acc": 0.479,
        "inst_level_strict_acc": 0.573,
        "prompt_level_loose_acc": 0.516,
        "inst_level_loose_acc": 0.612,
        "average": 0.545,
    },
    "Mistral-7B-Crab DPO (paper)": {"average": 0.593},
    "Llama-3-8B-Crab SFT (paper)": {"average": 0.469},
    "Llama-3-8B-Crab DPO (paper)": {"average": 0.497},
    "GPT-4 (paper)": {"average": 0.813},
}


@attrs.frozen
class IFEval:
    """IFEval (Zhou et al., 2023): 541 prompts with 25 verifiable instruction types, strict and loose."""

    name: ClassVar[str] = "ifeval"
    reference: ClassVar[dict[str, dict[str, float]]] = PAPER

    def prompts(self) -> Iterator[dict[str, Any]]:
        """IFEval's input_data.jsonl rows (Apache-2.0, see data/NOTICE.md), in the released order."""
        text = files("crabplug_eval").joinpath("data", "input_data.jsonl").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def score(self, registry: Any, row: dict[str, Any]) -> dict[str, Any]:
        """IFEval's strict and loose verdicts for one prompt's response."""
        return score_row(registry, row)
