"""After kill -9 and a resume, stats.json counts what a clean run counts: the stages' counters (here the transform
back-translator's `transform.applied.*`) are kept per record in the checkpoints and summed at the end."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time


def _config(tmp_path, run_dir):
    path = tmp_path / f"{run_dir.name}.yaml"
    path.write_text(f"name: counts\nseed: 3\nrun_dir: {run_dir}\nchunk_size: 2\nseeds: [{{plugin: bundled}}]\n"
                    "back_translators: [rules, transform]\ncombiner: {plugin: crab}\noutputs: [sft]\n",
                    encoding="utf-8")
    return path


def _cmd(config):
    return [sys.executable, "-m", "crabplug", "run", str(config), "-q"]


def _lines(path):
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _counters(run_dir):
    stats = json.loads((run_dir / "stats.json").read_text())
    return {k: v for k, v in stats.items() if k.startswith("transform.")}


def test_counters_after_kills_and_a_resume_equal_a_clean_runs(tmp_path):
    clean = subprocess.run(_cmd(_config(tmp_path, tmp_path / "clean")), capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stderr
    expected = _counters(tmp_path / "clean")
    assert sum(v for k, v in expected.items() if k.startswith("transform.applied.")) > 5

    run_dir = tmp_path / "killed"
    config = _config(tmp_path, run_dir)
    killed = 0
    for reached in (10, 30):
        proc = subprocess.Popen(_cmd(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _lines(run_dir / "stages" / "2-verify.jsonl") < reached and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed += proc.returncode == -signal.SIGKILL
    assert killed, "the run finished before it could be killed"
    resumed = subprocess.run(_cmd(config), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert _counters(run_dir) == expected
    assert (run_dir / "sft.jsonl").read_bytes() == (tmp_path / "clean" / "sft.jsonl").read_bytes()
