"""`crabplug verify`'s default worker count, chosen by measurement: one process for inputs under 20 MB and on
two cores (where workers cost more than they saved), every core for large inputs on three or more."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import os, sys
from pathlib import Path
os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:int(sys.argv[2])]))
from crabplug.cli.verify import _auto_jobs
print(_auto_jobs(Path(sys.argv[1])))
"""


def _jobs(path, cores):
    done = subprocess.run([sys.executable, "-c", PROBE, str(path), str(cores)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_6_mb_input_or_two_cores_are_scored_in_one_process(tmp_path):
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    small.write_bytes(b"x" * 6_000_000)
    big.write_bytes(b"x" * 25_000_000)
    assert _jobs(small, 2) == 1
    assert _jobs(big, 2) == 1
    assert _jobs(small, 1) == 1
