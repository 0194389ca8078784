"""The model card (README.md) saved with a trained model: base model, data, configuration and metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def _table(rows: dict[str, Any]) -> str:
    lines = ["| key | value |", "|---|---|"]
    lines += [f"| {k} | {json.dumps(v, default=str) if not isinstance(v, str) else v} |" for k, v in rows.items()]
    return "\n".join(lines)


def write_card(
    out: Path,
    *,
    kind: str,
    base: str,
    options: dict[str, Any],
    data: dict[str, Any],
    metrics: dict[str, Any],
    run_dir: Path,
) -> Path:
    """Write ``out/README.md`` with Hugging Face metadata (front matter) and three tables."""
    meta = {
        "library_name": "transformers",
        "base_model": base,
        "tags": ["crabplug", "trl", kind, "complex-instruction-following"],
        "pipeline_tag": "text-generation",
    }
    dataset_card = run_dir / "README.md"
    text = "\n".join(
        [
            "---",
            yaml.safe_dump(meta, sort_keys=False).rstrip(),
            "---",
            "",
            f"# {out.name}: {kind.upper()} of {base} with crabplug",
            "",
            f"Trained by crabplug's `{kind}` trainer (trl) on the run directory `{run_dir}`"
            + (" (its dataset card is `README.md` there)." if dataset_card.exists() else "."),
            "Load it with `transformers.AutoModelForCausalLM.from_pretrained` and evaluate it with",
            f"`crabplug eval --model {out}`.",
            "",
            "## Data",
            "",
            _table(data),
            "",
            "## Configuration",
            "",
            _table(options),
            "",
            "## Metrics",
            "",
            _table(metrics),
            "",
            "The full training log is `log_history.json`.",
            "",
        ]
    )
    path = out / "README.md"
    path.write_text(text, encoding="utf-8")
    return path
