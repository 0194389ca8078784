"""Shared by the ``crabplug eval`` tests: scripted answers to IFEval's first prompts with hand-computed scores."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner
from core_helpers import crabplug_cmd, env

IFEVAL = Path(__file__).parents[1] / "plugins" / "crabplug_eval" / "data" / "input_data.jsonl"

# IFEval's first three prompts (keys 1000, 1001, 1005), answered so each verdict is known by reading:
# 1000 asks: no comma, 3 highlighted sections, at least 300 words -> passes, passes, fails (too short).
# 1001 asks: no comma -> the comma sits in the first line only: fails strictly, passes loosely
#   (IFEval's loose variants drop the first line).
# 1005 asks: at least 12 [placeholders] -> passes.
SCRIPTED = {
    1000: "*Early life* Raymond was born in Tripoli.\n*Rule* He ruled the county well.\n*Death* He died in 1187.",
    1001: "Hark, a plan for thee.\nDay one thou shalt see Tokyo.\nDay two thou shalt see Kyoto.",
    1005: "\n".join(f"Field {i}: [placeholder {i}]" for i in range(12)),
}
# strict: prompts [F, F, T], instructions [T, T, F | F | T]; loose: prompts [F, T, T], instructions [T, T, F | T | T]
EXPECTED = {
    "prompt_level_strict_acc": 1 / 3,
    "inst_level_strict_acc": 3 / 5,
    "prompt_level_loose_acc": 2 / 3,
    "inst_level_loose_acc": 4 / 5,
    "average": (1 / 3 + 3 / 5 + 2 / 3 + 4 / 5) / 4,
}


def ifeval_rows(n: int | None = None) -> list[dict]:
    """The shipped IFEval rows, in order."""
    rows = [json.loads(line) for line in IFEVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:n]


def prompt_to_key() -> dict[str, int]:
    """IFEval prompt -> key."""
    return {r["prompt"]: r["key"] for r in ifeval_rows()}


def write_responses(path: Path, answers: dict[int, str]) -> Path:
    """An IFEval response file (prompt + response) answering the prompts with these keys."""
    by_key = {r["key"]: r["prompt"] for r in ifeval_rows()}
    path.write_text("".join(json.dumps({"prompt": by_key[k], "response": t}) + "\n" for k, t in answers.items()))
    return path


def run_eval(*args: str, plugins: tuple[str, ...] = ()):
    """``crabplug eval ARGS`` in-process; returns click's Result (exceptions kept, not raised)."""
    from crabplug.cli import cli

    extra = [a for p in plugins for a in ("--plugin", p)]
    return CliRunner().invoke(cli, [*extra, "eval", *args], catch_exceptions=True)


def eval_subprocess(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """``crabplug eval ARGS`` as a real process (test plugins importable)."""
    return subprocess.run(crabplug_cmd("eval", *args), env=env(), capture_output=True, text=True, **kwargs)


def summary(out_dir: Path) -> dict:
    """The eval directory's summary.json."""
    return json.loads((out_dir / "summary.json").read_text())
