"""A tiny random Llama and a word-level tokenizer with a chat template, built on disk (no hub), and run dirs.

The one tiny-model builder of the tests (training, evaluation of a checkpoint directory).
"""

from __future__ import annotations

import json
from pathlib import Path

#: a chat template with {% generation %} markers, as assistant-only loss needs
TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'assistant' %}<|assistant|> {% generation %}{{ m['content'] }} </s>"
    "{% endgeneration %} {% else %}<|user|> {{ m['content'] }} {% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|> {% endif %}"
)
SPECIAL = ["<pad>", "<unk>", "<s>", "</s>", "<|user|>", "<|assistant|>"]
WORDS = (
    "write a short poem about the sea answer in two sentences use the word blue end with a question "
    "the sea is blue and deep waves roll over sand is it calm tonight list three colors red green "
    "respond in lowercase only give constraints this response satisfies constraint satisfied by text "
    "instruction response what are keep under ten words mention fish bad wrong no yes hello world"
).split()


def make_tokenizer(path: Path, template: str | None = TEMPLATE, words: list[str] = WORDS):
    """A fast word-level tokenizer over ``words`` (default WORDS), saved to ``path``."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(SPECIAL + sorted(set(words)))}
    raw = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=raw, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
    tok.add_special_tokens({"additional_special_tokens": ["<|user|>", "<|assistant|>"]})
    if template:
        tok.chat_template = template
    tok.save_pretrained(path)
    return tok


def make_model(path: Path, template: str | None = TEMPLATE, words: list[str] = WORDS) -> Path:
    """A randomly initialised 2-layer Llama (about 20k parameters) with the tokenizer, saved to ``path``."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tok = make_tokenizer(path, template, words)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,  # eval feeds it whole IFEval prompts
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(path)
    return path


def chat(user: str, assistant: str, **extra) -> dict:
    return {"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}], **extra}


SFT_ROWS = [
    chat("write a short poem about the sea", "the sea is blue and deep waves roll over sand", constraints=["x"]),
    chat("list three colors respond in lowercase only", "red green blue", instruction_id_list=["a"], kwargs=[{}]),
    chat("answer in two sentences end with a question", "the sea is calm tonight is it blue"),
    chat("use the word blue keep under ten words", "the sea is blue"),
]
REVERSE_ROWS = [
    chat("give constraints this response satisfies response the sea is blue", "use the word blue"),
    chat("give constraints this response satisfies response red green blue", "list three colors"),
]
DPO_ROWS = [
    {"prompt": [{"role": "user", "content": "use the word blue"}], "chosen": "the sea is blue", "rejected": "no"},
    {
        "prompt": [{"role": "user", "content": "list three colors"}],
        "chosen": [{"role": "assistant", "content": "red green blue"}],
        "rejected": [{"role": "assistant", "content": "hello world"}],
        "violated": ["x"],
    },
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def make_run_dir(path: Path, *, sft=SFT_ROWS, reverse=REVERSE_ROWS, dpo=DPO_ROWS) -> Path:
    """A run directory as the data stages leave it: sft.jsonl, backtranslation.jsonl, dpo.jsonl."""
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in (("sft.jsonl", sft), ("backtranslation.jsonl", reverse), ("dpo.jsonl", dpo)):
        if rows is not None:
            write_jsonl(path / name, rows)
    return path
