"""M-IFEval's three benchmarks: ``mifeval-es`` (115 prompts), ``mifeval-fr`` (235), ``mifeval-ja`` (171).

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


# The four numbers of M-IFEval's published evaluation of gpt-4o-2024-08-06 (evaluations/<lang>_input_response_
# data_gpt-4o-2024-08-06/eval_results_{strict,loose}.jsonl in lightblue-tech/M-IFEval at 0bc3143), as fractions.
def _published(prompts: int, strict: int, loose: int, insts: int, istrict: int, iloose: int) -> dict:
    return {
        "gpt-4o-2024-08-06 (M-IFEval's evaluations)": {
            "prompt_level_strict_acc": strict / prompts,
            "inst_level_strict_acc": istrict / insts,
            "prompt_level_loose_acc": loose / prompts,
            "inst_level_loose_acc": iloose / insts,
        }
    }


class MIFEvalES(MIFEval):
    """M-IFEval's Spanish prompts (115)."""

    name = "mifeval-es"
    lang = "es"


class MIFEvalFR(MIFEval):
    """M-IFEval's French prompts (235)."""

    name = "mifeval-fr"
    lang = "fr"


class MIFEvalJA(MIFEval):
    """M-IFEval's Japanese prompts (171)."""

    name = "mifeval-ja"
    lang = "ja"


BENCHMARKS = (MIFEvalES, MIFEvalFR, MIFEvalJA)
