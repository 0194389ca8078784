"""A short real SFT + DPO run on a GPU with crabplug's trainers, reporting tokens/s and peak GPU memory.

The model has the shape of Qwen2.5-0.5B (24 layers, hidden 896, vocabulary 151,936: about 0.5B parameters)
with random weights, and the tokenizer is built here, so nothing is downloaded. Without CUDA it prints
"skipped: no GPU" and exits 0. ``--tiny`` runs the same path with a 2-layer model on whatever device there is
(how the test suite checks this script on CPU).

    python scripts/gpu_train_check.py [--sft-steps 30] [--dpo-steps 10] [--json OUT.json]
    make gpu-check
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'assistant' %}<|assistant|> {% generation %}{{ m['content'] }} </s>"
    "{% endgeneration %} {% else %}<|user|> {{ m['content'] }} {% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|> {% endif %}"
)
#: Qwen2.5-0.5B's shape, as a Llama (same blocks: RMSNorm, SwiGLU, GQA, RoPE)
SHAPE_05B = {
    "vocab_size": 151936,
    "hidden_size": 896,
    "intermediate_size": 4864,
    "num_hidden_layers": 24,
    "num_attention_heads": 14,
    "num_key_value_heads": 2,
    "tie_word_embeddings": True,
}
SHAPE_TINY = {
    "vocab_size": 512,
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
}


def build_model(path: Path, shape: dict) -> int:
    """A word-level tokenizer (w0..w399) and a randomly initialised Llama of ``shape``; returns its parameters."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    special = ["<pad>", "<unk>", "<s>", "</s>", "<|user|>", "<|assistant|>"]
    vocab = {t: i for i, t in enumerate(special + [f"w{i}" for i in range(400)])}
    raw = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    raw.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok = PreTrainedTokenizerFast(
        tokenizer_object=raw, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
    tok.add_special_tokens({"additional_special_tokens": ["<|user|>", "<|assistant|>"]})
    tok.chat_template = TEMPLATE
    tok.save_pretrained(path)
    torch.manual_seed(0)
    config = LlamaConfig(
        **shape,
        max_position_embeddings=4096,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    model = LlamaForCausalLM(config)
    model.save_pretrained(path)
    return sum(p.numel() for p in model.parameters())


def write_run_dir(run: Path, rows: int, words: int) -> None:
    """sft.jsonl, backtranslation.jsonl and dpo.jsonl of random words, each answer about ``words`` long."""
    rng = random.Random(0)

    def text(n: int) -> str:
        return " ".join(f"w{rng.randrange(400)}" for _ in range(n))

    def chat(n: int) -> dict:
        return {"messages": [{"role": "user", "content": text(n // 4)}, {"role": "assistant", "content": text(n)}]}

    run.mkdir(parents=True, exist_ok=True)
    for name, count in (("sft.jsonl", rows), ("backtranslation.jsonl", rows // 2)):
        (run / name).write_text("".join(json.dumps(chat(words)) + "\n" for _ in range(count)))
    pairs = [
        {"prompt": [{"role": "user", "content": text(words // 4)}], "chosen": text(words), "rejected": text(words)}
        for _ in range(rows)
    ]
    (run / "dpo.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sft-steps", type=int, default=30)
    parser.add_argument("--dpo-steps", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--words", type=int, default=400, help="Words (= tokens) per answer.")
    parser.add_argument("--lora", action="store_true", help="LoRA instead of full fine-tuning.")
    parser.add_argument("--tiny", action="store_true", help="A 2-layer model on any device (checks this script).")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args(argv)

    import torch

    cuda = torch.cuda.is_available()
    if not cuda and not args.tiny:
        print("skipped: no GPU")
        return 0
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.path.insert(0, str(HERE / "plugins"))
    from crabplug_trl.trainers import DPO, SFT

    from crabplug.stages import Context

    results: dict = {"device": torch.cuda.get_device_name(0) if cuda else "cpu", "torch": torch.__version__}
    with tempfile.TemporaryDirectory() as tmp:
        base, run = Path(tmp) / "base", Path(tmp) / "run"
        results["parameters"] = build_model(base, SHAPE_TINY if args.tiny else SHAPE_05B)
        words = 16 if args.tiny else args.words
        write_run_dir(run, rows=max(args.batch_size * args.sft_steps, 8), words=words)
        ctx = Context(run_dir=run, seed=0)
        common = {
            "batch_size": 2 if args.tiny else args.batch_size,
            "max_length": 4 * words,
            "logging_steps": 1,
            "lora": args.lora,
            "gradient_checkpointing": cuda,
        }
        for trainer in (
            SFT(base_model=str(base), max_steps=args.sft_steps, lr=1.0e-4, **common),
            DPO(max_steps=args.dpo_steps, lr=5.0e-6, **common),
        ):
            if cuda:
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
            started = time.perf_counter()
            trainer.train(ctx)
            stats = dict(ctx.stats["train"][trainer.name])
            stats["wall_seconds"] = round(time.perf_counter() - started, 1)
            if cuda:
                stats["peak_gpu_memory_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
            results[trainer.name] = {k: v for k, v in stats.items() if k != "model"}
            print(
                f"{trainer.name}: {stats.get('steps')} steps, {stats.get('tokens_per_second')} tokens/s, "
                f"peak GPU memory {stats.get('peak_gpu_memory_gib', 'n/a')} GiB, loss {stats.get('first_loss'):.3f}"
                f" -> {stats.get('last_loss'):.3f}",
                flush=True,
            )
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
