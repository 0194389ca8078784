"""results.md of an arms recipe: every arm on every benchmark, its paired difference from the base and from the
baseline arm, the side measure, and each step's wall time and training tokens."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crabplug_experiment.report import HEAD, METRICS, _ci, _pct, _tokens
from crabplug_experiment.side import answer_health


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _diff(compare: dict[str, Any], benchmark: str, label: str) -> str:
    group = compare.get(benchmark, {})
    if label == group.get("baseline"):
        return "—"
    found = group.get("differences", {}).get(label, {}).get("metrics", {}).get("average")
    return "" if found is None else f"{100 * found[0]:+.1f} ({100 * found[1]:+.1f} to {100 * found[2]:+.1f})"


def _health(h: dict[str, Any] | None) -> str:
    if not h:
        return ""
    return f"{h['mean_words']:.0f} / {100 * h['cut_off']:.0f} / {100 * h['looping']:.0f} / {100 * h['empty']:.0f}"


def write(root: Path, recipe: Any, base: str, quick: bool) -> Path:
    """Write ROOT/results.md from the eval summaries, the comparisons, the side measure and the step markers."""
    labels = ["base", *(a.name for a in recipe.arms)]
    benchmarks = recipe.eval.benchmarks
    baseline = recipe.baseline
    lines = [f"# {recipe.name}: arms{' (--quick: tiny slices, not a result)' if quick else ''}", ""]
    for benchmark in benchmarks:
        runs = {lb: _json(root / "eval" / benchmark / lb / "summary.json") for lb in labels}
        runs = {lb: data for lb, data in runs.items() if data}
        if not runs:
            continue
        vs_base = _json(root / "compare" / benchmark / "compare.json")
        vs_arm = _json(root / "compare" / f"{benchmark}-vs-{baseline}" / "compare.json") if baseline else {}
        n = next(iter(runs.values()))["prompts"]
        head = ["arm", *HEAD, "average", "− base (paired 95%)"] + ([f"− {baseline} (paired 95%)"] if baseline else [])
        lines += [f"## {benchmark} ({n} prompts; 95% bootstrap intervals)", "", "| " + " | ".join(head) + " |"]
        lines.append("|---" * len(head) + "|")
        for label, data in runs.items():
            cells = [_pct(data["metrics"].get(m)) + _ci(data, m) for m in (*METRICS, "average")]
            cells.append(_diff(vs_base, benchmark, label))
            if baseline:
                cells.append(_diff(vs_arm, benchmark, label))
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += _side(root, labels, benchmarks, base)
    lines += _held_out_rewards(root, recipe)
    lines += ["## Steps", "", "| step | wall time (s) | training tokens |", "|---|---|---|"]
    for marker in sorted((root / "steps").glob("*.json"), key=lambda p: p.stat().st_mtime):
        data = json.loads(marker.read_text(encoding="utf-8"))
        tokens = None
        if marker.stem.startswith("train-"):
            arm, _, trainer = marker.stem.removeprefix("train-").rpartition("-")
            tokens = _tokens(root / "models" / arm / trainer)
        lines.append(f"| {marker.stem} | {data['seconds']:.0f} | {tokens or ''} |")
    path = root / "results.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _side(root: Path, labels: list[str], benchmarks: tuple[str, ...], base: str) -> list[str]:
    """The side measure's table: held-out loss and, per benchmark, the answers' length and health."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(base)  # every arm keeps the base model's tokenizer
    head = ["arm", "held-out loss (nats/token)", "− base"]
    head += [f"{b}: words / cut % / loop % / empty %" for b in benchmarks]
    rows = []
    base_loss = _json(root / "heldout" / "base.json").get("loss")
    for label in labels:
        loss = _json(root / "heldout" / f"{label}.json").get("loss")
        delta = "" if loss is None or base_loss is None or label == "base" else f"{loss - base_loss:+.3f}"
        cells = ["" if loss is None else f"{loss:.3f}", delta]
        cells += [_health(answer_health(root / "eval" / b / label, tok)) for b in benchmarks]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return [
        "## Nothing else lost (side measure)",
        "",
        "Held-out loss: mean negative log-likelihood per answer token of real answers no arm trained on (lower is",
        "better). Answers: mean words, and the % cut off by the token cap, looping (a 10-word window 3+ times), empty.",
        "",
        "| " + " | ".join(head) + " |",
        "|---" * len(head) + "|",
        *rows,
        "",
    ]


def _held_out_rewards(root: Path, recipe: Any) -> list[str]:
    """Each GRPO arm's mean reward on its held-out prompts over the steps (grpo's ``held_out``), and on training's."""
    lines = []
    for arm in recipe.arms:
        history = root / "models" / arm.name / "grpo" / "log_history.json"
        if not history.is_file():
            continue
        rows = json.loads(history.read_text(encoding="utf-8"))
        held = [f"{r['step']}: {r['eval_reward']:.3f}" for r in rows if r.get("eval_reward") is not None]
        train = [r["reward"] for r in rows if r.get("reward") is not None]
        if held or train:
            first = f"{train[0]:.3f}" if train else "–"
            last = f"{train[-1]:.3f}" if train else "–"
            lines.append(f"| {arm.name} | {', '.join(held) or '–'} | {first} → {last} |")
    if not lines:
        return []
    return [
        "## GRPO: reward on held-out prompts (never trained on) by step",
        "",
        "| arm | held-out mean reward (step: reward) | training reward, first → last log |",
        "|---|---|---|",
        *lines,
        "",
    ]
