"""Start-up: how long the commands take before they do any work (run on demand).

Each command runs as a whole process, five times, and the median wall and CPU seconds are printed next to the
reference, a bare ``python -c pass`` of the same interpreter. The target: ``crabplug --help`` under 0.5 s.
``crabplug run`` is timed on one bundled seed with the code-only recipe and no outputs beyond sft (what is left
is start-up: plugins, config, checkpoints), ``crabplug eval`` rescoring one IFEval answer.

    .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_startup.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

BUNDLED = Path(__file__).parents[2] / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
RUNS = 5


def _timed(argv: list[str], cwd: Path) -> tuple[float, float]:
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    assert status == 0, proc.stderr.read().decode()
    return time.monotonic() - start, usage.ru_utime + usage.ru_stime


@pytest.mark.benchmark
def test_start_up_of_help_run_and_eval(tmp_path):
    seed = json.loads(BUNDLED.read_text(encoding="utf-8").splitlines()[0])
    (tmp_path / "seeds.jsonl").write_text(json.dumps(seed) + "\n", encoding="utf-8")
    from importlib.resources import files

    first = json.loads((files("crabplug_eval") / "data" / "input_data.jsonl").read_text().splitlines()[0])
    answer = {"prompt": first["prompt"], "response": "Fine."}
    (tmp_path / "answers.jsonl").write_text(json.dumps(answer) + "\n", encoding="utf-8")
    crabplug = [sys.executable, "-m", "crabplug"]
    commands = {
        "python -c pass (reference)": [sys.executable, "-c", "pass"],
        "crabplug --help": [*crabplug, "--help"],
        "crabplug run (1 seed, code only)": None,
        "crabplug eval --responses (1 answer)": [
            *crabplug, "eval", "--responses", "answers.jsonl", "--limit", "1", "-q", "-o", "ev",
        ],
    }
    results = {}
    for name, argv in commands.items():
        times = []
        for i in range(RUNS):
            if argv is None:  # a fresh run directory each time: nothing to resume
                config = tmp_path / f"run{i}.yaml"
                config.write_text(
                    f"name: start\nrun_dir: run{i}\nseeds: [{{plugin: jsonl, path: seeds.jsonl}}]\n"
                    "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n",
                    encoding="utf-8",
                )
                times.append(_timed([*crabplug, "run", str(config), "-q"], tmp_path))
            else:
                times.append(_timed(argv, tmp_path))
        results[name] = tuple(statistics.median(t[k] for t in times) for k in (0, 1))
    print()
    for name, (wall, cpu) in results.items():
        print(f"{name:38s} {wall:6.2f} s wall, {cpu:6.2f} CPU s (median of {RUNS})")
    assert results["crabplug --help"][0] > results["python -c pass (reference)"][0]
