"""The files of an eval directory: an append-only response log, verdicts, and the summary with its intervals."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crabplug import CrabError, VerifySummary, cut_torn_tail, read_jsonl, write_atomic
from crabplug_eval.benchmarks import METRICS

BOOTSTRAP_SAMPLES = 1000


class ResponseLog:
    """``responses.jsonl`` in IFEval's format (``{prompt, response}``), appended with fsync per response.

    Opening it keeps every complete line and cuts off a line torn by a kill, so a resumed eval skips the
    prompts already answered and neither loses nor repeats one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        cut_torn_tail(path, valid=lambda row: isinstance(row["prompt"], str) and isinstance(row["response"], str))
        self.done: dict[str, str] = {row["prompt"]: row["response"] for row in read_jsonl(path)}
        self._file = path.open("a", encoding="utf-8")

    def append(self, prompt: str, response: str) -> None:
        """Record one response durably before the next one is asked for."""
        self._file.write(json.dumps({"prompt": prompt, "response": response}, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.done[prompt] = response

    def close(self) -> None:
        """Close the file."""
        self._file.close()


def read_responses(path: Path) -> dict[str, str]:
    """An IFEval response file (JSONL with ``prompt`` and ``response``) as prompt -> response."""
    if not path.is_file():
        raise CrabError(f"responses file {path} does not exist")
    table = {}
    for where, row in read_jsonl(path, what="responses", where=True):
        prompt, response = row.get("prompt"), row.get("response")
        if not isinstance(prompt, str) or not isinstance(response, str):
            raise CrabError(f"{where}: not an IFEval response line with 'prompt' and 'response' strings")
        table[prompt] = response
    return table


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write JSONL atomically."""
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def with_average(accuracies: dict[str, float]) -> dict[str, float]:
    """The four accuracies plus their mean, the number the CRAB paper reports."""
    return {**{m: accuracies[m] for m in METRICS}, "average": sum(accuracies[m] for m in METRICS) / len(METRICS)}


def bootstrap(verdicts: list[dict[str, Any]], *, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES) -> dict[str, list]:
    """95% percentile intervals of every metric, resampling prompts with replacement (seeded: reproducible)."""
    if not verdicts:
        return {}
    import numpy as np

    # per prompt: prompt strict, prompt loose, instructions, instructions strict, instructions loose
    table = np.array(
        [
            (
                v["follow_all_instructions"],
                v["follow_all_instructions_loose"],
                len(v["follow_instruction_list"]),
                sum(v["follow_instruction_list"]),
                sum(v["follow_instruction_list_loose"]),
            )
            for v in verdicts
        ],
        dtype=np.float64,
    )
    rng = np.random.default_rng(random.Random(seed).getrandbits(64))
    picks = rng.integers(0, len(verdicts), size=(samples, len(verdicts)))
    sums = table[picks].sum(axis=1)  # samples x 5
    n, inst = len(verdicts), np.maximum(sums[:, 2], 1)
    draws = {
        "prompt_level_strict_acc": sums[:, 0] / n,
        "inst_level_strict_acc": sums[:, 3] / inst,
        "prompt_level_loose_acc": sums[:, 1] / n,
        "inst_level_loose_acc": sums[:, 4] / inst,
    }
    draws["average"] = sum(draws.values()) / len(METRICS)
    return {k: [float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))] for k, d in draws.items()}


def summary_data(summary: VerifySummary, verdicts: list[dict[str, Any]], *, seed: int) -> dict[str, Any]:
    """summary.json's scores: metrics with their average, bootstrap intervals and the per-type table."""
    return {
        "prompts": summary.rows,
        "instructions": sum(c[0] for c in summary.per_type.values()),
        "metrics": with_average(summary.accuracies()),
        "ci95": bootstrap(verdicts, seed=seed),
        "bootstrap": {"samples": BOOTSTRAP_SAMPLES, "seed": seed, "unit": "prompt"},
        "per_type": {
            t: {"n": n, "strict": s / n, "loose": lo / n} for t, (n, s, lo) in sorted(summary.per_type.items())
        },
    }
