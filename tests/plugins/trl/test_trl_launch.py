"""The shipped training configs, the accelerate configs, ``accelerate launch`` and the GPU check script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from trl_helpers import make_model, make_run_dir

from crabplug import config as cfg
from crabplug.plugins import load

ROOT = Path(__file__).resolve().parents[3]
PAPER_CONFIGS = [ROOT / "configs" / "crab-paper-mistral.yaml", ROOT / "configs" / "crab-paper-llama3.yaml"]
ACCELERATE_CONFIGS = sorted((ROOT / "configs" / "accelerate").glob("*.yaml"))
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


@pytest.mark.parametrize("path", PAPER_CONFIGS, ids=lambda p: p.name)
def test_the_paper_training_configs_build_sft_then_dpo_with_the_paper_epochs(path):
    config, _ = cfg.load(path)
    registry = load()
    trainers = [spec.build(registry.get("trainers", spec.plugin), spec.plugin) for spec in config.train]
    sft, dpo = trainers
    assert (sft.name, dpo.name) == ("sft", "dpo")
    assert sft.epochs == 4 and dpo.epochs == 1 and sft.reverse_share == 0.3
    assert not sft.lora and sft.bf16 and dpo.base_model == ""  # full fine-tuning; DPO starts from the SFT model


def test_the_accelerate_configs_are_valid_for_accelerate():
    from accelerate.commands.config.config_args import ClusterConfig

    kinds = {p.stem: ClusterConfig.from_yaml_file(p) for p in ACCELERATE_CONFIGS}
    assert set(kinds) == {"single-gpu", "fsdp", "deepspeed-zero3", "multi-node"}
    assert kinds["fsdp"].distributed_type.value == "FSDP" and kinds["multi-node"].num_machines == 2
    assert kinds["deepspeed-zero3"].deepspeed_config["zero_stage"] == 3


def test_the_gpu_check_is_skipped_cleanly_without_a_gpu():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gpu_train_check.py")],
        capture_output=True,
        text=True,
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == "skipped: no GPU"


@pytest.mark.slow
def test_the_gpu_check_runs_its_sft_and_dpo_path_with_a_tiny_model(tmp_path):
    out = tmp_path / "r.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "gpu_train_check.py"),
            "--tiny",
            "--sft-steps",
            "2",
            "--dpo-steps",
            "1",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **OFFLINE},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["sft"]["steps"] == 2 and report["dpo"]["steps"] == 1
    assert report["sft"]["tokens_per_second"] > 0 and "sft: 2 steps" in result.stdout


@pytest.mark.slow
def test_accelerate_launch_runs_crabplug_train(tmp_path):
    base = make_model(tmp_path / "base")
    run = make_run_dir(tmp_path / "run")
    config = tmp_path / "t.yaml"
    config.write_text(
        f"name: t\ntrain:\n  - {{plugin: sft, base_model: {base}, max_steps: 1, batch_size: 2, max_length: 64}}\n"
    )
    accelerate = Path(sys.executable).with_name("accelerate")
    result = subprocess.run(
        [
            str(accelerate),
            "launch",
            "--config_file",
            str(ROOT / "configs" / "accelerate" / "single-gpu.yaml"),
            "-m",
            "crabplug",
            "train",
            str(config),
            "-o",
            str(run),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **OFFLINE},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"model saved to {run / 'models' / 'sft'}" in result.stdout
