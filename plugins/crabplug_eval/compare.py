"""Tables (rich) for one eval and for several side by side, and the comparison chart (matplotlib, Agg)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crabplug import CrabError
from crabplug_eval.benchmarks import LABELS

SHORT = {
    "prompt_level_strict_acc": "S-P",
    "inst_level_strict_acc": "S-I",
    "prompt_level_loose_acc": "L-P",
    "inst_level_loose_acc": "L-I",
    "average": "avg",
}


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def print_summary(data: dict[str, Any], console: Any) -> None:
    """The four numbers, their average and 95% intervals, then accuracy per instruction type."""
    from rich.table import Table

    title = f"{data['benchmark']}: {data['model']} ({data['prompts']} prompts, {data['instructions']} instructions)"
    table = Table("metric", "score", "95% CI", title=title)
    for metric, value in data["metrics"].items():
        lo, hi = data["ci95"].get(metric, (None, None))
        table.add_row(LABELS.get(metric, metric), _pct(value), f"{_pct(lo)}–{_pct(hi)}")
    console.print(table)
    types = Table("instruction type", "n", "strict", "loose", title="per instruction type (%)")
    for type_id, row in data["per_type"].items():
        types.add_row(type_id, str(row["n"]), _pct(row["strict"]), _pct(row["loose"]))
    console.print(types)


def load_runs(dirs: list[Path]) -> dict[str, dict[str, Any]]:
    """Each directory's summary.json by a short unique label (the directory name, or its path when taken)."""
    runs: dict[str, dict[str, Any]] = {}
    for d in dirs:
        path = d / "summary.json"
        if not path.is_file():
            raise CrabError(f"{d} has no summary.json: run `crabplug eval -o {d} ...` first")
        data = json.loads(path.read_text(encoding="utf-8"))
        label = d.name if d.name not in runs else str(d)
        runs[label] = {**data, "dir": d}
    return runs


def by_benchmark(runs: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The runs grouped by benchmark, in the order they were given."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for label, data in runs.items():
        groups.setdefault(data["benchmark"], {})[label] = data
    return groups


def print_side_by_side(runs: dict[str, dict], references: dict[str, dict[str, dict[str, float]]], console: Any) -> None:
    """Several benchmarks (IFEval and IFBench, say) in one table: one row per model, a column group per benchmark.

    ``references`` maps a benchmark to its published rows; a row shows only the numbers its source publishes.
    """
    from rich.table import Table

    groups = by_benchmark(runs)
    metrics = {b: list(next(iter(g.values()))["metrics"]) for b, g in groups.items()}
    table = Table(title="scores (%) side by side", caption="S/L: strict/loose, P/I: prompt/instruction level")
    table.add_column("model", no_wrap=True)
    for bench, names in metrics.items():
        for m in ("n", *names):
            table.add_column(f"{bench}\n{SHORT.get(m, m)}", justify="right", min_width=len(bench))
    models: dict[str, dict[str, dict]] = {}
    for data in runs.values():
        models.setdefault(data["model"], {})[data["benchmark"]] = data
    for model, per_bench in models.items():
        cells = []
        for bench, names in metrics.items():
            data = per_bench.get(bench)
            numbers = [_pct(data["metrics"].get(m)) if data else "" for m in names]
            cells += [str(data["prompts"]) if data else "", *numbers]
        table.add_row(model if len(model) <= 40 else "…" + model[-39:], *cells)  # a path's end names it
    labels = list(dict.fromkeys(label for rows in references.values() for label in rows))
    for label in labels:
        cells = []
        for bench, names in metrics.items():
            ref = references.get(bench, {}).get(label, {})
            cells += [""] + [f"[dim]{_pct(ref.get(m))}[/dim]" for m in names]
        table.add_row(f"[dim]{label}[/dim]", *cells)
    from rich.console import Console

    # a pipe's 80 columns would squeeze a dozen numbers to nothing
    wide = max(console.width, 50 + sum(3 + len(b) for b, names in metrics.items() for _ in range(len(names) + 1)))
    Console(file=console.file, width=wide, no_color=console.no_color).print(table)


def print_comparison(runs: dict[str, dict], references: dict[str, dict[str, float]], console: Any) -> None:
    """Metrics side by side (runs, then reference rows), then per-type strict accuracy for the runs."""
    from rich.table import Table

    metrics = list(next(iter(runs.values()))["metrics"])
    short = {m: SHORT.get(m, m) for m in metrics}
    table = Table(title="scores (%)", caption="S/L: strict/loose, P/I: prompt/instruction level (the paper's columns)")
    table.add_column("run", no_wrap=True)
    for column in ("n", *short.values()):
        table.add_column(column, justify="right")
    for label, data in runs.items():
        table.add_row(label, str(data["prompts"]), *(_pct(data["metrics"].get(m)) for m in metrics))
    for label, ref in references.items():
        table.add_row(f"[dim]{label}[/dim]", "", *(f"[dim]{_pct(ref.get(m))}[/dim]" for m in metrics))
    console.print(table)
    types = sorted({t for data in runs.values() for t in data["per_type"]})
    per_type = Table("instruction type", *runs, title="instruction-level strict accuracy per type (%)")
    for type_id in types:
        per_type.add_row(type_id, *(_pct(d["per_type"].get(type_id, {}).get("strict")) for d in runs.values()))
    console.print(per_type)


def differences(runs: dict[str, dict]) -> dict[str, Any]:
    """Each run minus the first (the baseline) on the prompts both answered, with paired 95% intervals, from
    the runs' verdicts.jsonl: ``{"baseline": label, "differences": {label: {"prompts", "metrics"}}}``."""
    from crabplug import read_jsonl
    from crabplug_eval.results import PAIRED_SAMPLES, paired_difference

    baseline, *others = runs

    def verdicts(label: str) -> list[dict[str, Any]]:
        return list(read_jsonl(runs[label]["dir"] / "verdicts.jsonl"))

    base = verdicts(baseline)
    found = {label: paired_difference(base, verdicts(label)) for label in others}
    return {"baseline": baseline, "samples": PAIRED_SAMPLES, "differences": found}


def print_differences(found: dict[str, Any], console: Any) -> None:
    """The differences from the baseline: each metric's change and its paired 95% bootstrap interval."""
    from rich.table import Table

    if not found["differences"]:
        return
    metrics = list(next(iter(found["differences"].values()))["metrics"])
    table = Table(
        title=f"difference from {found['baseline']} (points; paired 95% bootstrap over the prompts both answered)",
        caption="an interval that excludes 0: the change is unlikely to be chance",
    )
    table.add_column("run", no_wrap=True)
    table.add_column("n", justify="right")
    for m in metrics:
        table.add_column(SHORT.get(m, m), justify="right")
    for label, diff in found["differences"].items():
        cells = [f"{100 * d:+.1f} ({100 * lo:+.1f} to {100 * hi:+.1f})" for d, lo, hi in diff["metrics"].values()]
        table.add_row(label, str(diff["prompts"]), *cells)
    console.print(table)


def plot_comparison(runs: dict[str, dict], references: dict[str, dict[str, float]], path: Path) -> None:
    """A PNG: the five scores per run (95% intervals) beside the reference rows; per-type strict accuracy below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = next(iter(runs.values()))
    types = sorted({t for data in runs.values() for t in data["per_type"]})
    colors = dict(
        zip(
            [*runs, *references],
            [plt.get_cmap("tab10")(i % 10) for i in range(len(runs) + len(references))],
            strict=True,
        )
    )
    height_types = max(2.5, 0.24 * len(types) * len(runs) + 1.2)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(13, 4.8 + height_types), gridspec_kw={"height_ratios": [4.8, height_types]}
    )
    _plot_scores(top, runs, references, colors)
    hatched = "; hatched: published numbers" if references else ""
    top.set_title(f"{first['benchmark']} scores (error bars: 95% bootstrap interval{hatched})")
    bar_h = 0.8 / len(runs)
    for i, (label, data) in enumerate(runs.items()):
        offset = (i - (len(runs) - 1) / 2) * bar_h
        present = [k for k, t in enumerate(types) if t in data["per_type"]]  # a type the run never saw is no 0
        xs = [100 * data["per_type"][types[k]]["strict"] for k in present]
        bars = bottom.barh([k + offset for k in present], xs, bar_h, label=_legend(label, runs), color=colors[label])
        bottom.bar_label(bars, fmt="%.0f", fontsize=7, padding=2)
    for k in range(0, len(types), 2):  # banding keeps a row's bars together by eye
        bottom.axhspan(k - 0.5, k + 0.5, color="0.93", zorder=0)
    counts = {t: [str(d["per_type"].get(t, {}).get("n", 0)) for d in runs.values()] for t in types}
    counts = {t: n[0] if len(set(n)) == 1 else "/".join(n) for t, n in counts.items()}  # per run, when they differ
    bottom.set_yticks(range(len(types)), [f"{t} (n={counts[t]})" for t in types], fontsize=8)
    bottom.set_ylim(len(types) - 0.5, -0.5)
    bottom.set_xlim(0, 108)
    bottom.set_xlabel("instruction-level strict accuracy (%)")
    bottom.set_title("per instruction type")
    bottom.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    bottom.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _legend(label: str, runs: dict[str, dict]) -> str:
    return f"{label} ({runs[label]['prompts']} prompts)" if label in runs else label


def _plot_scores(ax: Any, runs: dict[str, dict], references: dict[str, dict[str, float]], colors: dict) -> None:
    """One group of bars per metric, holding only the rows that publish that metric (no empty slots)."""
    metrics = list(next(iter(runs.values()))["metrics"])
    x, centers, seen = 0.0, [], set()
    for metric in metrics:
        start = x
        for label in [*runs, *references]:
            run = runs.get(label)
            value = (run["metrics"] if run else references[label]).get(metric)
            if value is None:
                continue
            err = None
            if run and metric in run.get("ci95", {}):
                lo, hi = run["ci95"][metric]
                err = [[100 * (value - lo)], [100 * (hi - value)]]
            style = {} if run else {"hatch": "//", "alpha": 0.6, "edgecolor": "black"}
            ax.bar(
                [x],
                [100 * value],
                0.9,
                yerr=err,
                capsize=3,
                color=colors[label],
                label=None if label in seen else _legend(label, runs),
                **style,
            )
            top = 100 * value + (err[1][0] if err else 0)  # the value sits above its error bar, never on it
            ax.text(x, top + 1.2, f"{100 * value:.1f}", ha="center", va="bottom", fontsize=8)
            seen.add(label)
            x += 1
        centers.append((start + x - 1) / 2)
        x += 0.8
    ax.set_xticks(centers, [LABELS.get(m, m) for m in metrics])
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 108)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="y", alpha=0.3)
