"""The sft trainer on what the crab plugin's outputs really write: a ``crabplug run`` of the bundled seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from trl_helpers import make_model


@pytest.mark.slow
def test_crabplug_run_with_the_crab_outputs_then_sft_on_the_mix(tmp_path):
    base = make_model(tmp_path / "base")
    run = tmp_path / "run"
    config = tmp_path / "c.yaml"
    config.write_text(
        f"name: crab-sft\nseed: 7\nrun_dir: {run}\nseeds: [{{plugin: bundled}}]\nback_translators: [rules]\n"
        "combiner: {plugin: crab}\noutputs: [sft, backtranslation]\n"
        f"train: [{{plugin: sft, base_model: {base}, max_steps: 1, batch_size: 2, max_length: 128, "
        "reverse_share: 0.3}]\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(config), "--limit", "10", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    forward = sum(1 for _ in (run / "sft.jsonl").open())
    sft = json.loads((run / "stats.json").read_text())["train"]["sft"]
    assert sft["rows.forward"] == forward and sft["rows.reverse"] == round(forward * 0.3 / 0.7)
    assert (run / "models" / "sft" / "model.safetensors").exists()
