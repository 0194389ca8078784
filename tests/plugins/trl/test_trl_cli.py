"""``crabplug train CONFIG`` and a ``train:`` section under ``crabplug run``, as real subprocesses."""

from __future__ import annotations

import json
import subprocess

import pytest
from core_helpers import crabplug_cmd, env, write_config, write_seeds
from trl_helpers import make_model, make_run_dir

FAST = "batch_size: 2, lr: 1.0e-3, logging_steps: 1, max_length: 64, warmup: 0"


def offline_env() -> dict[str, str]:
    return {**env(), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def crabplug(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(crabplug_cmd(*args), capture_output=True, text=True, env=offline_env(), timeout=timeout)


def train_config(tmp_path, base, run) -> str:
    path = tmp_path / "train.yaml"
    path.write_text(
        f"name: t\nrun_dir: {run}\ntrain:\n"
        f"  - {{plugin: sft, base_model: {base}, max_steps: 2, {FAST}}}\n"
        f"  - {{plugin: dpo, max_steps: 1, {FAST}}}\n"
    )
    return str(path)


@pytest.mark.slow
def test_train_runs_the_configs_trainers_on_an_existing_run_directory(tmp_path):
    base = make_model(tmp_path / "base")
    run = make_run_dir(tmp_path / "run")
    result = crabplug(
        "train", train_config(tmp_path, base, tmp_path / "elsewhere"), "-o", str(run), "--set", "train.dpo.beta=0.2"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"model saved to {run / 'models' / 'sft'}" in result.stdout
    assert f"model saved to {run / 'models' / 'dpo'}" in result.stdout
    assert "| beta | 0.2 |" in (run / "models" / "dpo" / "README.md").read_text()
    assert (run / "models" / "dpo" / "model.safetensors").exists()


def test_train_without_a_run_directory_is_one_sentence(tmp_path):
    result = crabplug("train", train_config(tmp_path, tmp_path / "base", tmp_path / "none"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: no run directory {tmp_path / 'none'}: "
        f"make the dataset first with crabplug run {tmp_path / 'train.yaml'}"
    ]


def test_train_with_an_unknown_base_model_path_is_one_sentence(tmp_path):
    run = make_run_dir(tmp_path / "run")
    result = crabplug("train", train_config(tmp_path, "./no/such/model", run))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: no model directory ./no/such/model: give an existing checkpoint directory or a Hugging Face id"
    ]  # checked before any trainer starts


def test_dpo_without_pairs_fails_before_sft_trains(tmp_path):
    base = make_model(tmp_path / "base")
    run = make_run_dir(tmp_path / "run", dpo=None)
    result = crabplug("train", train_config(tmp_path, base, run))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: no preference pairs file {run / 'dpo.jsonl'}")
    assert not (run / "models").exists()


def test_train_with_a_config_without_trainers_says_how_to_add_one(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\n")
    result = crabplug("train", str(path), "-o", str(tmp_path))
    assert result.returncode == 1 and "has no 'train:' section" in result.stderr


def test_an_unknown_trainer_option_names_its_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\ntrain:\n  - plugin: sft\n    epochz: 3\n")
    result = crabplug("train", str(path), "-o", str(tmp_path))
    assert result.returncode == 1 and "c.yaml:4: unknown option 'epochz' for trainer 'sft'" in result.stderr


@pytest.mark.slow
def test_a_train_section_runs_after_the_data_stages_of_crabplug_run(tmp_path):
    base = make_model(tmp_path / "base")
    run = make_run_dir(tmp_path / "run", dpo=None)  # sft.jsonl / backtranslation.jsonl as the outputs leave them
    seeds = write_seeds(tmp_path / "seeds.jsonl", 3)
    config = write_config(
        tmp_path, seeds, extra=f"train: [{{plugin: sft, base_model: {base}, max_steps: 1, {FAST}}}]\n"
    )
    result = subprocess.run(
        crabplug_cmd("run", str(config), "-q"), capture_output=True, text=True, env=offline_env(), timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "model saved to" in result.stdout
    stats = json.loads((run / "stats.json").read_text())
    assert stats["train"]["sft"]["rows"] == 6 and stats["train"]["sft"]["model"] == str(run / "models" / "sft")


def test_train_is_a_crabplug_command_and_sft_dpo_are_registered_trainers():
    assert "train " in crabplug("--help").stdout
    rows = json.loads(crabplug("plugins", "--json").stdout)
    trl = next(r for r in rows if r["name"] == "trl")
    assert trl["registers"]["trainers"] == ["dpo", "grpo", "sft"] and "register_commands" in trl["hooks"]
