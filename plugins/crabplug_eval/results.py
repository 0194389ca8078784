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


def _per_prompt(verdicts: list[dict[str, Any]]) -> Any:
    """Per prompt: prompt strict, prompt loose, instructions, instructions strict, instructions loose."""
    import numpy as np

    rows = [
        (
            v["follow_all_instructions"],
            v["follow_all_instructions_loose"],
            len(v["follow_instruction_list"]),
            sum(v["follow_instruction_list"]),
            sum(v["follow_instruction_list_loose"]),
        )
        for v in verdicts
    ]
    return np.array(rows, dtype=np.float64).reshape(-1, 5)


def _metrics(sums: Any, n: int) -> dict[str, Any]:
    """The four accuracies and their average from summed per-prompt columns (``... x 5``)."""
    import numpy as np

    inst = np.maximum(sums[..., 2], 1)
    draws = {
        "prompt_level_strict_acc": sums[..., 0] / n,
        "inst_level_strict_acc": sums[..., 3] / inst,
        "prompt_level_loose_acc": sums[..., 1] / n,
        "inst_level_loose_acc": sums[..., 4] / inst,
    }
    draws["average"] = sum(draws.values()) / len(METRICS)
    return draws


def _resample(tables: list[Any], seed: int, samples: int) -> list[dict[str, Any]]:
    """The metrics of each table over the same ``samples`` resamples of its rows (prompts) with replacement."""
    import numpy as np

    n = len(tables[0])
    rng = np.random.default_rng(random.Random(seed).getrandbits(64))
    picks = rng.integers(0, n, size=(samples, n))
    return [_metrics(table[picks].sum(axis=1), n) for table in tables]


def bootstrap(verdicts: list[dict[str, Any]], *, seed: int = 0, samples: int = BOOTSTRAP_SAMPLES) -> dict[str, list]:
    """95% percentile intervals of every metric, resampling prompts with replacement (seeded: reproducible)."""
    if not verdicts:
        return {}
    import numpy as np

    (draws,) = _resample([_per_prompt(verdicts)], seed, samples)
    return {k: [float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))] for k, d in draws.items()}


PAIRED_SAMPLES = 10_000


def paired_difference(
    base: list[dict[str, Any]], other: list[dict[str, Any]], *, seed: int = 0, samples: int = PAIRED_SAMPLES
) -> dict[str, Any]:
    """``other`` minus ``base`` on the prompts both answered, with its paired 95% bootstrap interval.

    Both runs are resampled with the same draws of prompts, so what the two share (an easy prompt is easy for
    both) cancels: the interval of the difference is narrower than the two runs' own intervals suggest.
    Returns ``{"prompts": n, "metrics": {metric: [difference, low, high]}}``.
    """
    import numpy as np

    mine = {v["prompt"]: v for v in other}
    pairs = [(v, mine[v["prompt"]]) for v in base if v["prompt"] in mine]
    if not pairs:
        return {"prompts": 0, "metrics": {}}
    a, b = _per_prompt([p[0] for p in pairs]), _per_prompt([p[1] for p in pairs])
    before, after = _metrics(a.sum(0), len(a)), _metrics(b.sum(0), len(b))
    point = {k: after[k] - before[k] for k in before}
    draws_a, draws_b = _resample([a, b], seed, samples)
    return {
        "prompts": len(pairs),
        "metrics": {
            k: [float(point[k]), *(float(np.percentile(draws_b[k] - draws_a[k], q)) for q in (2.5, 97.5))]
            for k in point
        },
    }


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
