"""``crabplug eval --model DIR``: a local Hugging Face checkpoint is evaluated with transformers' continuous batching.

The checkpoint is a tiny random Llama with a word-level tokenizer and a chat template, built here and
saved with save_pretrained: no hub download.
"""

from __future__ import annotations

import json

import pytest
from eval_helpers import eval_subprocess, ifeval_rows, summary
from trl_helpers import make_model

WORDS = ["hello", "world", "yes", "no", "the", "a", "tea", "is", "good", ".", ",", "*", "!"]
#: a plain chat template (no generation markers: evaluation only generates)
TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} {% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def build_tiny_llama(path) -> None:
    """The tests' tiny random Llama with this vocabulary and template, saved as a checkpoint directory."""
    make_model(path, template=TEMPLATE, words=WORDS)


@pytest.mark.slow
def test_a_tiny_local_checkpoint_is_evaluated_with_continuous_batching_greedy_generation(tmp_path):
    build_tiny_llama(tmp_path / "ckpt")
    out_dir = tmp_path / "out"
    args = (
        "--model",
        str(tmp_path / "ckpt"),
        "--limit",
        "3",
        "--max-tokens",
        "6",
        "--batch-size",
        "2",
        "-o",
        str(out_dir),
    )
    first = eval_subprocess(*args)
    assert first.returncode == 0, first.stderr
    data = summary(out_dir)
    assert data["engine"] == "transformers-continuous" and data["prompts"] == 3 and data["instructions"] == 5
    assert data["generation"]["max_tokens"] == 6 and data["generation"]["batch_size"] == 2
    assert data["generation"]["attention"] == "varlen"  # an answer setting: a resume with another is refused
    responses = [json.loads(x) for x in (out_dir / "responses.jsonl").read_text().splitlines()]
    assert [r["prompt"] for r in responses] == [r["prompt"] for r in ifeval_rows(3)]
    assert all(0 < len(r["response"].split()) <= 6 for r in responses)
    # greedy: a second run in a fresh directory writes the same answers
    again = eval_subprocess(*args[:-1], str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "responses.jsonl").read_text() == (out_dir / "responses.jsonl").read_text()


@pytest.mark.slow
def test_continuous_batching_answers_as_static_batches_do(tmp_path):
    # Greedy decoding is the same algorithm either way: refilling finished slots must not change an answer. Five
    # prompts through two slots make the manager admit new prompts while others are still decoding.
    from crabplug_eval.continuous import ContinuousGenerator
    from crabplug_eval.generate import Settings, TransformersGenerator

    build_tiny_llama(tmp_path / "ckpt")
    rows = [{"key": i, "prompt": p} for i, p in enumerate(
        ["hello world", "the tea is good", "yes", "no no no , the world is a tea", "a"])]
    settings = Settings(max_tokens=7, batch_size=2)
    continuous, static = {}, {}
    failures = ContinuousGenerator(str(tmp_path / "ckpt"), settings).generate(
        rows, lambda row, text: continuous.__setitem__(row["key"], text))
    assert failures == []
    TransformersGenerator(str(tmp_path / "ckpt"), Settings(max_tokens=7, batch_size=1)).generate(
        rows, lambda row, text: static.__setitem__(row["key"], text))
    assert len(continuous) == 5
    assert continuous == static


def test_a_directory_that_is_not_a_checkpoint_is_one_sentence(tmp_path):
    out = eval_subprocess("--model", str(tmp_path), "--limit", "1", "-o", str(tmp_path / "o"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert (
        out.stderr.strip()
        == f"Error: {tmp_path} is a directory without config.json: give a Hugging Face checkpoint directory"
    )


def test_a_missing_checkpoint_path_is_one_sentence(tmp_path):
    out = eval_subprocess("--model", str(tmp_path / "nope"), "-o", str(tmp_path / "o"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.strip() == (
        f"Error: no checkpoint directory {tmp_path / 'nope'}: give an existing directory or a litellm model string"
    )
