"""The ``grpo`` trainer: GRPO on crabplug prompts learns to meet their constraints, logs pass rates, resumes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trl_helpers import make_model

from crabplug import ConfigError, Context
from crabplug.plugins import load

REGISTRY = load()
#: the toy's whole vocabulary: a random model starts near uniform over it, so the reward starts near 0.45
WORDS = ["blue", "sea", "red", "green", "calm", "the", "is", "deep"]
#: reachable optimum: say "blue" three times or more, never "red" or "green" (reward 1.0), even in 6 tokens
TOY = [
    {"type": "keywords:existence", "kwargs": {"keywords": ["blue"]}},
    {"type": "keywords:frequency", "kwargs": {"keyword": "blue", "frequency": 3, "relation": "at least"}},
    {"type": "keywords:forbidden_words", "kwargs": {"forbidden_words": ["red"]}},
    {"type": "keywords:forbidden_words", "kwargs": {"forbidden_words": ["green"]}},
]
PROMPTS = ["write about the sea", "the sea is calm", "is the sea deep", "write"]


def run_dir(path: Path, rows: list[dict] | None = None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    rows = rows or [
        {"id": f"p{i}", "prompt": [{"role": "user", "content": p}], "constraints": TOY} for i, p in enumerate(PROMPTS)
    ]
    (path / "rlvr.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def grpo(**options):
    from crabplug_trl.grpo import GRPO

    defaults = dict(batch_size=8, num_generations=8, max_completion_length=8, logging_steps=1, warmup=0)
    return GRPO(**{**defaults, "lr_scheduler": "constant", "seed": 0, **options})


def test_grpo_is_registered_next_to_sft_and_dpo():
    assert {"sft", "dpo", "grpo"} <= set(REGISTRY.items["trainers"])


def test_a_row_with_an_unknown_type_fails_before_the_model_loads(tmp_path):
    bad = [{"id": "x", "prompt": "hi", "constraints": [{"type": "nosuch:type", "kwargs": {}}]}]
    ctx = Context(run_dir=run_dir(tmp_path, bad), registry=REGISTRY)
    with pytest.raises(ConfigError, match=r"rlvr.jsonl: row 1 \(id x\): unknown constraint type 'nosuch:type'"):
        grpo(base_model=str(tmp_path / "no-model")).check(ctx)


def test_bad_kwargs_and_missing_prompts_are_one_sentence(tmp_path):
    bad = [{"prompt": "hi", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"n": 1}]}]
    with pytest.raises(ConfigError, match=r"row 1: bad kwargs for length_constraints:number_words"):
        grpo().check(Context(run_dir=run_dir(tmp_path / "a", bad), registry=REGISTRY))
    with pytest.raises(ConfigError, match=r"row 1: needs a 'prompt'"):
        grpo().check(Context(run_dir=run_dir(tmp_path / "b", [{"constraints": TOY}]), registry=REGISTRY))


def test_held_out_prompts_are_the_last_ones_and_never_all_of_them():
    rows = [{"prompt": str(n)} for n in range(5)]
    train, held = grpo(held_out=2).split(rows)
    assert [r["prompt"] for r in train] == ["0", "1", "2"] and [r["prompt"] for r in held] == ["3", "4"]
    assert grpo(held_out=2, eval_steps=3).held_out_args() == {
        "eval_strategy": "steps",
        "eval_steps": 3,
        "per_device_eval_batch_size": grpo().batch_size,
    }
    assert grpo().split(rows) == (rows, []) and grpo().held_out_args() == {}
    with pytest.raises(ConfigError, match="held_out 5 leaves none of the 5 prompts to train on"):
        grpo(held_out=5).split(rows)


def test_the_generation_batch_must_hold_whole_groups():
    with pytest.raises(ValueError, match="multiple of num_generations"):
        grpo(batch_size=6, num_generations=4)


@pytest.mark.slow
def test_grpo_raises_the_reward_on_a_reachable_toy_task_and_resumes_from_its_checkpoint(tmp_path):
    """A random 2-layer model learns the toy's constraints: mean reward of the last 5 steps beats the first 5.

    The run stops at step 6 and a second call resumes from checkpoint-6 to step 12, as after a stop.
    Measured here (seed 0): 0.44 0.44 0.41 0.66 0.75 0.84 0.94 0.97 0.97 1.0 1.0 1.0 (seed 1 rises alike);
    about 30 CPU seconds, 1-3 minutes on the shared two-core machine."""
    model = make_model(tmp_path / "base", words=WORDS)
    ctx = Context(run_dir=run_dir(tmp_path / "run"), seed=0, registry=REGISTRY)
    first = grpo(base_model=str(model), lr=0.02, max_steps=6, save_steps=6, max_completion_length=6)
    out = first.train(ctx)
    assert (out / "checkpoint-6" / "trainer_state.json").is_file()
    second = grpo(base_model=str(model), lr=0.02, max_steps=12, save_steps=6, max_completion_length=6)
    assert second.train(ctx) == out
    history = json.loads((out / "log_history.json").read_text())
    steps = [h["step"] for h in history if "reward" in h]
    rewards = [h["reward"] for h in history if "reward" in h]
    assert steps == list(range(1, 13))  # steps 1-6 from the checkpoint's state, 7-12 from the resumed run
    first5, last5 = sum(rewards[:5]) / 5, sum(rewards[-5:]) / 5
    assert rewards[0] < 0.7 and last5 > first5 + 0.25 and last5 > 0.9, rewards
    assert any(k.startswith("pass_rate/keywords:forbidden_words") for k in history[-2])  # per-type pass rates
    card = (out / "README.md").read_text()
    assert "grpo" in card and "resumed_from" in card and "checkpoint-6" in card and "last_reward" in card
    assert ctx.stats["train"]["grpo"]["steps"] == 12


def test_the_judge_cache_lives_with_the_model(tmp_path):
    ctx = Context(run_dir=run_dir(tmp_path), registry=REGISTRY)
    trainer = grpo(judge={"model": "openai/judge", "api_base": "http://127.0.0.1:9/v1"}, soft_weight=0.5)
    reward = trainer.reward(ctx)
    assert reward.soft_weight == 0.5
    assert reward._judge_settings["cache_path"] == str(tmp_path / "models" / "grpo" / "judge-cache.sqlite")


def test_use_vllm_without_vllm_is_one_sentence_before_training(tmp_path):
    import importlib.util

    if importlib.util.find_spec("vllm") is not None:
        pytest.skip("vllm is installed here")
    with pytest.raises(ConfigError, match="use_vllm: true needs vllm"):
        grpo(use_vllm=True).check(Context(run_dir=run_dir(tmp_path), registry=REGISTRY))
