"""A killed ``crabplug train`` (sft) continues from its newest checkpoint: a real subprocess, a real SIGKILL.

Before this, only ``grpo`` resumed; an SFT arm of the experiment killed at step 40 of 56 started again at step 0."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
from core_helpers import crabplug_cmd
from test_trl_cli import FAST, crabplug, offline_env
from trl_helpers import make_model, make_run_dir

STEPS = 400


@pytest.mark.slow
def test_a_killed_sft_run_resumes_from_its_newest_checkpoint(tmp_path):
    base = make_model(tmp_path / "base")
    run = make_run_dir(tmp_path / "run")
    config = tmp_path / "train.yaml"
    config.write_text(
        f"name: t\nrun_dir: {run}\ntrain:\n  - {{plugin: sft, base_model: {base}, max_steps: {STEPS}, "
        f"save_steps: 5, save_total_limit: 2, {FAST}}}\n"
    )
    out = run / "models" / "sft"
    first = subprocess.Popen(
        crabplug_cmd("train", str(config)), env=offline_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 240
    while not (out / "checkpoint-10" / "trainer_state.json").is_file():
        assert first.poll() is None, "the first run ended before its second checkpoint"
        assert time.monotonic() < deadline, "no checkpoint-10 in 240 s"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert not (out / "model.safetensors").exists()  # killed before the end
    done = [int(p.name.split("-")[1]) for p in out.glob("checkpoint-*") if (p / "trainer_state.json").is_file()]
    assert done and max(done) < STEPS

    second = crabplug("train", str(config), timeout=600)
    assert second.returncode == 0, second.stderr[-2000:]
    card = (out / "README.md").read_text()
    assert f"checkpoint-{max(done)}" in card and "resumed_from" in card
    history = json.loads((out / "log_history.json").read_text())
    steps = [h["step"] for h in history if "loss" in h]
    assert steps == list(range(1, STEPS + 1))  # the first run's steps from the checkpoint's state, then the rest
    kept = sorted(int(p.name.split("-")[1]) for p in out.glob("checkpoint-*"))
    assert kept == [STEPS - 5, STEPS]  # save_total_limit: the newest two
