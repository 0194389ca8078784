"""results.md: each model's four numbers and average with 95% intervals, the types that moved, and the costs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

METRICS = ("prompt_level_strict_acc", "inst_level_strict_acc", "prompt_level_loose_acc", "inst_level_loose_acc")
HEAD = ("S-P", "S-I", "L-P", "L-I")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _ci(data: dict[str, Any], metric: str) -> str:
    lo, hi = data.get("ci95", {}).get(metric, (None, None))
    return "" if lo is None else f" ({_pct(lo)}–{_pct(hi)})"


def _tokens(model_dir: Path) -> int | None:
    history = model_dir / "log_history.json"
    if not history.is_file():
        return None
    rows = json.loads(history.read_text(encoding="utf-8"))
    return max((int(r.get("num_tokens", 0)) for r in rows), default=0) or None


def _paired(root: Path) -> dict[str, Any]:
    """The paired differences ``crabplug eval --compare`` wrote (compare/compare.json), by benchmark."""
    path = root / "compare" / "compare.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _gain(group: dict[str, Any], label: str) -> str:
    """The average's difference from the base model on the same prompts, with its paired 95% interval."""
    found = group.get("differences", {}).get(label, {}).get("metrics", {}).get("average")
    if label == "base" or group.get("baseline") != "base" or found is None:
        return ""
    return f"{100 * found[0]:+.1f} ({100 * found[1]:+.1f} to {100 * found[2]:+.1f})"


def moved(runs: dict[str, dict[str, Any]], top: int = 5) -> list[tuple[str, float, str]]:
    """The instruction types whose strict accuracy changed most between the base and the best trained model."""
    if "base" not in runs or len(runs) < 2:
        return []
    best = max((k for k in runs if k != "base"), key=lambda k: runs[k]["metrics"].get("average", 0))
    base, other = runs["base"]["per_type"], runs[best]["per_type"]
    deltas = [(t, other[t]["strict"] - base[t]["strict"], best) for t in base if t in other]
    deltas = [d for d in deltas if d[1] != 0]
    return sorted(deltas, key=lambda d: -abs(d[1]))[:top]


def write(root: Path, benchmarks: tuple[str, ...], labels: list[str], quick: bool) -> Path:
    """Write ROOT/results.md from the eval summaries and the step markers; returns its path."""
    paired = _paired(root)
    lines = [f"# Experiment results{' (--quick: tiny slices, not a result)' if quick else ''}", ""]
    for benchmark in benchmarks:
        runs = {}
        for label in labels:
            path = root / "eval" / benchmark / label / "summary.json"
            if path.is_file():
                runs[label] = json.loads(path.read_text(encoding="utf-8"))
        if not runs:
            continue
        n = next(iter(runs.values()))["prompts"]
        lines += [f"## {benchmark} ({n} prompts; 95% bootstrap intervals)", ""]
        lines += ["| model | " + " | ".join(HEAD) + " | average | average − base (paired 95%) |"]
        lines.append("|---" * (len(HEAD) + 3) + "|")
        for label, data in runs.items():
            cells = [_pct(data["metrics"].get(m)) + _ci(data, m) for m in (*METRICS, "average")]
            cells.append(_gain(paired.get(benchmark, {}), label))
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        changes = moved(runs)
        if changes:
            lines += ["", f"Instruction types that moved most (strict, base → {changes[0][2]}):", ""]
            lines += [f"- `{t}`: {100 * d:+.1f} points" for t, d, _ in changes]
        lines.append("")
    lines += ["## Steps", "", "| step | wall time (s) | training tokens |", "|---|---|---|"]
    for marker in sorted((root / "steps").glob("*.json"), key=lambda p: p.stat().st_mtime):
        data = json.loads(marker.read_text(encoding="utf-8"))
        step = marker.stem
        tokens = _tokens(root / "models" / step.removeprefix("train-")) if step.startswith("train-") else None
        lines.append(f"| {step} | {data['seconds']:.0f} | {tokens or ''} |")
    path = root / "results.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
