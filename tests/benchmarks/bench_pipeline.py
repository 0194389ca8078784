"""Pipeline memory and throughput on 10k and 1M seed records (run on demand: `make bench`).

Runs `crabplug run` in a subprocess with the core's test plugin (a cheap back-translator, no LLM) and reports
records/s and the child's peak RSS. Memory should stay flat: checkpoints stream, resume needs only line counts;
only the dedup filter grows (one 64-bit hash per distinct record).
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
from core_helpers import crabplug_cmd, env, write_config


def _seeds(path, n):
    with path.open("w") as f:
        for i in range(n):
            f.write(json.dumps({"instruction": f"Question number {i}?", "response": f"answer {i} " * 20}) + "\n")
    return path


@pytest.mark.benchmark
@pytest.mark.parametrize("n", [10_000, 1_000_000])
def test_pipeline_rss_stays_flat(tmp_path, n):
    config = write_config(tmp_path, _seeds(tmp_path / "seeds.jsonl", n), chunk=256)
    start = time.monotonic()
    proc = subprocess.Popen(crabplug_cmd("run", str(config), "-q"), env=env(), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    assert status == 0
    rss_mb = usage.ru_maxrss / 1024
    print(f"\n{n:>9} seed records: {elapsed:7.1f} s, {n / elapsed:8.0f} records/s, peak RSS {rss_mb:6.0f} MB")
