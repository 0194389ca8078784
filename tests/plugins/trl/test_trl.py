"""The sft and dpo trainers (trl) on a tiny random Llama built here: CPU, offline, a few seconds each."""

from __future__ import annotations

import json

import pytest
from trl_helpers import SFT_ROWS, chat, make_model, make_run_dir

from crabplug.errors import ConfigError
from crabplug.stages import Context

FAST = {"batch_size": 2, "lr": 1.0e-3, "logging_steps": 1, "max_length": 64, "warmup": 0}


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return make_model(tmp_path_factory.mktemp("base") / "tiny-llama")


def trainers():
    from crabplug_trl.trainers import DPO, SFT

    return SFT, DPO


@pytest.mark.slow
def test_sft_then_dpo_on_a_run_directory_saves_models_that_load_and_generate(tmp_path, base):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    SFT, DPO = trainers()
    run = make_run_dir(tmp_path / "run")
    ctx = Context(run_dir=run, seed=0)
    sft_out = SFT(base_model=str(base), max_steps=3, **FAST).train(ctx)
    dpo_out = DPO(max_steps=2, **FAST).train(ctx)  # starts from the SFT model of this run

    assert sft_out == run / "models" / "sft" and dpo_out == run / "models" / "dpo"
    sft_stats, dpo_stats = ctx.stats["train"]["sft"], ctx.stats["train"]["dpo"]
    assert sft_stats["rows.forward"] == 4 and sft_stats["rows.reverse"] == 2
    assert sft_stats["loss_on"] == "assistant_only"
    assert dpo_stats["pairs"] == 2
    card = (dpo_out / "README.md").read_text()
    assert f"base_model: {sft_out}" in card and "| pairs | 2 |" in card and "| beta | 0.1 |" in card
    assert "train_loss" in card
    tok = AutoTokenizer.from_pretrained(dpo_out)
    model = AutoModelForCausalLM.from_pretrained(dpo_out)
    prompt = tok.apply_chat_template(
        [{"role": "user", "content": "use the word blue"}], add_generation_prompt=True, tokenize=False
    )
    ids = tok(prompt, return_tensors="pt", add_special_tokens=False)
    out = model.generate(**ids, max_new_tokens=4, min_new_tokens=4, do_sample=False, pad_token_id=tok.pad_token_id)
    assert out.shape[1] == ids["input_ids"].shape[1] + 4  # the saved model loads and generates
    # crabplug eval's checkpoint backend answers with it too
    from crabplug_eval.generate import Settings, TransformersGenerator, is_checkpoint

    answers = []
    assert is_checkpoint(str(dpo_out))
    TransformersGenerator(str(dpo_out), Settings(max_tokens=3)).generate(
        [{"prompt": "use the word blue"}], lambda row, text: answers.append(text)
    )
    assert len(answers) == 1 and isinstance(answers[0], str)


@pytest.mark.slow
def test_sft_loss_decreases_on_a_repeated_batch(tmp_path, base):
    SFT, _ = trainers()
    run = make_run_dir(tmp_path / "run", sft=[SFT_ROWS[0]] * 4, reverse=None)
    ctx = Context(run_dir=run, seed=0)
    out = SFT(base_model=str(base), max_steps=6, reverse_data=None, lr_scheduler="constant", **FAST).train(ctx)
    losses = [h["loss"] for h in json.loads((out / "log_history.json").read_text()) if "loss" in h]
    assert len(losses) == 6
    assert losses[-1] < losses[0] - 0.1


def test_mix_shares_sample_the_reverse_task_and_general_data(tmp_path):
    from crabplug_trl.data import sft_mix

    run = make_run_dir(tmp_path / "run", sft=SFT_ROWS * 7, reverse=[chat("give constraints", "use the word blue")] * 3)
    general = make_run_dir(tmp_path / "general", sft=[chat("hello", "hello world")] * 50, reverse=None, dpo=None)
    rows, counts = sft_mix(
        run,
        forward="sft.jsonl",
        reverse="backtranslation.jsonl",
        reverse_share=0.3,
        general=str(general / "sft.jsonl"),
        general_share=0.5,
        seed=1,
    )
    assert counts == {"forward": 28, "reverse": 12, "general": 40}  # 28:12 is 70:30; general is half of all
    assert len(rows) == 80 and all(set(r) == {"messages"} for r in rows)


def test_a_missing_data_file_is_one_sentence(tmp_path, base):
    SFT, _ = trainers()
    run = make_run_dir(tmp_path / "run", sft=None)
    with pytest.raises(ConfigError, match=r"^no forward-task SFT file .*sft\.jsonl: run the data stages first"):
        SFT(base_model=str(base)).train(Context(run_dir=run))


def test_an_unknown_base_model_path_is_one_sentence(tmp_path):
    SFT, _ = trainers()
    run = make_run_dir(tmp_path / "run")
    with pytest.raises(ConfigError, match=r"^no model directory \./nowhere/model: give an existing checkpoint"):
        SFT(base_model="./nowhere/model").train(Context(run_dir=run))


def test_an_unknown_hub_name_offline_is_one_sentence(tmp_path):
    SFT, _ = trainers()
    run = make_run_dir(tmp_path / "run")
    with pytest.raises(ConfigError, match=r"^model 'nobody/no-such-model' is neither a local directory nor in the"):
        SFT(base_model="nobody/no-such-model").train(Context(run_dir=run))


def test_dpo_without_pairs_is_one_sentence(tmp_path, base):
    _, DPO = trainers()
    run = make_run_dir(tmp_path / "run", dpo=None)
    with pytest.raises(ConfigError, match=r"^no preference pairs file .*dpo\.jsonl: DPO needs pairs"):
        DPO(base_model=str(base)).train(Context(run_dir=run))
    (run / "dpo.jsonl").write_text("")
    with pytest.raises(ConfigError, match=r"has no preference pairs: DPO needs at least one"):
        DPO(base_model=str(base)).train(Context(run_dir=run))


def test_dpo_with_no_model_to_start_from_says_so(tmp_path):
    _, DPO = trainers()
    run = make_run_dir(tmp_path / "run")
    with pytest.raises(ConfigError, match=r"has no model to start from: run the sft trainer first or set base_model"):
        DPO().train(Context(run_dir=run))


@pytest.mark.slow
def test_lora_with_packing_on_a_base_model_without_chat_template_saves_a_merged_model(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    SFT, DPO = trainers()
    base = make_model(tmp_path / "plain-base", template=None)
    run = make_run_dir(tmp_path / "run")
    ctx = Context(run_dir=run, seed=0)
    out = SFT(base_model=str(base), max_steps=2, lora=True, lora_r=4, packing=True, **FAST).train(ctx)
    assert ctx.stats["train"]["sft"]["loss_on"] == "assistant_only"
    tok = AutoTokenizer.from_pretrained(out)
    assert "<|assistant|>" in tok.chat_template and "{% generation %}" in tok.chat_template  # the generic template
    assert not (out / "adapter_config.json").exists()  # merged: loads as a plain transformers model
    model = AutoModelForCausalLM.from_pretrained(out)
    assert not any("lora" in name for name, _ in model.named_parameters())
    dpo_out = DPO(max_steps=1, lora=True, lora_r=4, **FAST).train(ctx)  # the reference is the base, adapters off
    assert (dpo_out / "model.safetensors").exists() and not (dpo_out / "adapter_config.json").exists()


@pytest.mark.slow
def test_a_template_without_generation_markers_falls_back_to_completion_only_loss(tmp_path):
    SFT, _ = trainers()
    plain = "{% for m in messages %}{{ m['role'] }} {{ m['content'] }} {% endfor %}"
    base = make_model(tmp_path / "base", template=plain)
    run = make_run_dir(tmp_path / "run")
    ctx = Context(run_dir=run, seed=0)
    out = SFT(base_model=str(base), max_steps=1, **FAST).train(ctx)
    assert ctx.stats["train"]["sft"]["loss_on"] == "completion_only"
    assert "| loss_on | completion_only |" in (out / "README.md").read_text()


def test_report_to_an_integration_that_is_not_installed_is_one_sentence(tmp_path, base):
    import importlib.util

    if importlib.util.find_spec("wandb"):
        pytest.skip("wandb is installed here")
    SFT, _ = trainers()
    run = make_run_dir(tmp_path / "run")
    with pytest.raises(ConfigError, match=r"^report_to: wandb is not installed here: pip install wandb, or use none$"):
        SFT(base_model=str(base), report_to="wandb").check(Context(run_dir=run))


def test_the_reverse_task_file_is_optional_unless_a_share_of_it_is_asked_for(tmp_path):
    from crabplug_trl.data import sft_mix

    run = make_run_dir(tmp_path / "run", reverse=None)
    kw = {"forward": "sft.jsonl", "reverse": "backtranslation.jsonl", "general": None, "general_share": None, "seed": 0}
    rows, counts = sft_mix(run, reverse_share=None, **kw)
    assert counts == {"forward": 4, "reverse": 0} and len(rows) == 4
    with pytest.raises(ConfigError, match=r"^no reverse-task \(back-translation\) file .*backtranslation\.jsonl"):
        sft_mix(run, reverse_share=0.3, **kw)


@pytest.mark.slow
def test_bf16_on_a_cpu_is_autocast_over_float32_weights_and_still_learns(tmp_path, base):
    # bf16 on a CPU (the arms' setting) runs the layers in bfloat16 but keeps float32 weights and updates: a
    # learning rate of 5e-5 on weights near 0.02 would round away in bfloat16 weights.
    import torch

    SFT, _ = trainers()
    run = make_run_dir(tmp_path / "run", sft=[SFT_ROWS[0]] * 4, reverse=None)
    ctx = Context(run_dir=run, seed=0)
    sft = SFT(
        base_model=str(base), max_steps=6, reverse_data=None, lr_scheduler="constant", bf16=True,
        sampling="group_by_length", **FAST,
    )  # fmt: skip
    args = sft.common_args(ctx, tmp_path / "out")
    assert args["bf16"] and args["model_init_kwargs"] == {"dtype": "float32"}
    assert args["train_sampling_strategy"] == "group_by_length"
    out = sft.train(ctx)
    losses = [h["loss"] for h in json.loads((out / "log_history.json").read_text()) if "loss" in h]
    assert len(losses) == 6 and losses[-1] < losses[0] - 0.1
    from safetensors import safe_open

    with safe_open(str(out / "model.safetensors"), "pt") as saved:
        assert {saved.get_tensor(k).dtype for k in saved.keys()} == {torch.float32}


def test_an_unknown_sampling_is_refused():
    SFT, _ = trainers()
    with pytest.raises(ValueError, match="sampling"):
        SFT(sampling="shortest_first")
