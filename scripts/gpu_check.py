"""A real check of crabplug's GPU code paths: ``crabplug train`` (sft, then grpo) and ``crabplug eval`` on CUDA.

It builds a randomly initialised Llama from a config (SmolLM2-135M's shape and tokenizer by default: nothing
pretrained travels), trains it with the ``sft`` trainer and then the ``grpo`` trainer through the real CLI on a
run directory of real rows (``crabplug run configs/experiment/data.yaml --limit 40``), checks that each saved
model loads and runs a forward pass, that the loss and the reward were logged and that the weights were saved in
bf16 on CUDA, then runs ``crabplug eval -b ifeval`` on the GRPO checkpoint (transformers continuous batching) and
checks every prompt was answered and scored. Writes ``summary.json`` (and copies of the logs) to ``--out``; the
exit status is 1 when a check failed. ``--tiny`` shrinks the model to 2 layers to test this script on a CPU.
Run it through ``scripts/gpu_check.sh`` on a GPU machine (docs/training.md, "Checking the GPU code paths").
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json")
CONFIG = """name: gpu-check
seed: 0
run_dir: {run}
train:
  - plugin: sft
    base_model: {base}
    output_dir: models/sft
    reverse_share: 0.3
    max_steps: {sft_steps}
    lr: 1.0e-4
    warmup: 0
    batch_size: 8
    max_length: 512
    logging_steps: 1
  - plugin: grpo
    data: rlvr.jsonl
    output_dir: models/grpo
    max_steps: {grpo_steps}
    lr: 1.0e-6
    warmup: 0
    num_generations: 4
    batch_size: 8
    max_completion_length: {completion}
    logging_steps: 1
"""


def build_base(path: Path, tokenizer_dir: Path, tiny: bool) -> int:
    """The tokenizer files of ``tokenizer_dir`` and a random Llama of its config.json's shape; returns parameters."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    path.mkdir(parents=True)
    for name in TOKENIZER_FILES:
        if (tokenizer_dir / name).is_file():
            shutil.copy(tokenizer_dir / name, path / name)
    shape = json.loads((tokenizer_dir / "config.json").read_text())
    shape = {k: v for k, v in shape.items() if not k.startswith("_") and k not in ("architectures", "dtype")}
    if tiny:  # a few seconds per step on a CPU
        shape.update(
            hidden_size=64,
            intermediate_size=128,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=2,
            head_dim=16,
        )
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(**shape))
    model.save_pretrained(path)
    (path / "generation_config.json").write_text(
        json.dumps(
            {
                "bos_token_id": shape.get("bos_token_id"),
                "eos_token_id": shape.get("eos_token_id"),
                "pad_token_id": shape.get("pad_token_id"),
            }
        )
    )
    return sum(p.numel() for p in model.parameters())


def crabplug(log: Path, *args: str) -> tuple[int, float]:
    """Run ``python -m crabplug ARGS``, appending its output to ``log``; returns (exit status, seconds)."""
    started = time.perf_counter()
    with log.open("a") as f:
        f.write(f"\n$ crabplug {' '.join(args)}\n")
        f.flush()
        rc = subprocess.call([sys.executable, "-m", "crabplug", *args], stdout=f, stderr=subprocess.STDOUT)
    seconds = round(time.perf_counter() - started, 1)
    print(f"crabplug {args[0]}: exit {rc} in {seconds} s", flush=True)
    return rc, seconds


def inspect_model(path: Path) -> dict:
    """Load a saved checkpoint, run one forward pass on the GPU, read its stored dtype and trainer arguments."""
    import torch
    from safetensors import safe_open
    from transformers import AutoModelForCausalLM, AutoTokenizer

    info: dict = {"files": sorted(p.name for p in path.iterdir() if p.is_file())}
    with safe_open(str(path / "model.safetensors"), "pt") as f:
        info["stored_dtype"] = str(f.get_tensor(next(iter(f.keys()))).dtype)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.bfloat16 if device == "cuda" else None).to(device)
    ids = tok("Write two sentences about the sea.", return_tensors="pt").to(device)
    with torch.no_grad():
        logits = model(**ids).logits
    info["forward_finite"] = bool(torch.isfinite(logits.float()).all())
    args_file = path / "training_args.bin"
    if args_file.is_file():
        args = torch.load(args_file, weights_only=False)
        info["args"] = {"bf16": args.bf16, "device": str(args.device), "use_cpu": args.use_cpu}
    history = json.loads((path / "log_history.json").read_text())
    info["losses"] = [h["loss"] for h in history if "loss" in h]
    info["rewards"] = [h["reward"] for h in history if "reward" in h]
    info["last_log"] = history[-2] if len(history) > 1 else history[-1]  # the last step's log, not the summary
    card = (path / "README.md").read_text() if (path / "README.md").is_file() else ""
    info["loss_on"] = next((w for w in ("assistant_only", "completion_only") if w in card), None)
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return info


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    import torch

    out = {"python": sys.version.split()[0], "cuda_available": torch.cuda.is_available()}
    if torch.cuda.is_available():
        out.update(
            gpu=torch.cuda.get_device_name(0), cuda=torch.version.cuda, bf16_supported=torch.cuda.is_bf16_supported()
        )
    for name in ("torch", "transformers", "trl", "datasets", "accelerate", "peft", "tokenizers", "crabplug"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="Folder for summary.json and the logs.")
    parser.add_argument("--data", type=Path, required=True, help="Run directory with sft.jsonl, rlvr.jsonl...")
    parser.add_argument("--tokenizer", type=Path, required=True, help="Folder with tokenizer files and config.json.")
    parser.add_argument("--sft-steps", type=int, default=30)
    parser.add_argument("--grpo-steps", type=int, default=8)
    parser.add_argument("--completion", type=int, default=64, help="GRPO's max_completion_length.")
    parser.add_argument("--eval-limit", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--tiny", action="store_true", help="A 2-layer model (to test this script on a CPU).")
    args = parser.parse_args(argv)

    import torch

    if not torch.cuda.is_available() and not args.tiny:  # a 135M model's check on a CPU would take an hour
        print("no CUDA device: this check is for a GPU machine (--tiny tries the script on a CPU)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    log = args.out / "crabplug.log"
    result: dict = {"versions": versions(), "checks": {}}
    print(json.dumps(result["versions"]), flush=True)
    checks = result["checks"]
    work = Path(tempfile.mkdtemp(prefix="gpu-check-"))
    base, run = work / "base", work / "run"
    result["parameters"] = build_base(base, args.tokenizer, args.tiny)
    shutil.copytree(args.data, run, ignore=shutil.ignore_patterns("models", "stages", "card"))
    config = work / "gpu-check.yaml"
    config.write_text(
        CONFIG.format(
            run=run, base=base, sft_steps=args.sft_steps, grpo_steps=args.grpo_steps, completion=args.completion
        )
    )

    rc, result["train_seconds"] = crabplug(log, "train", str(config))
    checks["train exit 0"] = rc == 0
    # what `crabplug train` printed per trainer: "model saved to DIR rows=.. train_loss=.. tokens_per_second=.."
    saved = [line.split() for line in log.read_text().splitlines() if line.startswith("model saved to ")]
    stats = {Path(words[3]).name: dict(w.split("=", 1) for w in words[4:]) for words in saved}
    for name in ("sft", "grpo"):
        model_dir = run / "models" / name
        if not (model_dir / "model.safetensors").is_file():
            checks[f"{name} saved"] = False
            continue
        info = inspect_model(model_dir)
        info["stats"] = stats.get(name)
        result[name] = info
        checks[f"{name} saved and loads, finite logits"] = info["forward_finite"]
        if result["versions"]["cuda_available"]:
            checks[f"{name} trained on cuda in bf16"] = (
                info.get("args", {}).get("bf16") is True
                and info.get("args", {}).get("device", "").startswith("cuda")
                and info["stored_dtype"] == "torch.bfloat16"
            )
        logged = info["losses"] if name == "sft" else info["rewards"]
        checks[f"{name} {'loss' if name == 'sft' else 'reward'} logged every step"] = len(logged) == (
            args.sft_steps if name == "sft" else args.grpo_steps
        ) and all(math.isfinite(x) for x in logged)
        shutil.copy(model_dir / "log_history.json", args.out / f"{name}_log_history.json")

    target = run / "models" / "grpo"
    if (target / "config.json").is_file():
        eval_dir = work / "eval"
        rc, result["eval_seconds"] = crabplug(
            log,
            "eval",
            "-m",
            str(target),
            "-b",
            "ifeval",
            "--limit",
            str(args.eval_limit),
            "--max-tokens",
            str(args.max_tokens),
            "-o",
            str(eval_dir),
            "-q",
        )
        checks["eval exit 0"] = rc == 0
        if (eval_dir / "summary.json").is_file():
            summary = json.loads((eval_dir / "summary.json").read_text())
            result["eval"] = summary
            responses = (eval_dir / "responses.jsonl").read_text().splitlines()
            verdicts = (eval_dir / "verdicts.jsonl").read_text().splitlines()
            checks["eval answered and scored every prompt"] = (
                summary.get("prompts") == args.eval_limit == len(responses) == len(verdicts)
            )
            checks["eval used continuous batching"] = summary.get("engine") == "transformers-continuous"
            shutil.copy(eval_dir / "responses.jsonl", args.out / "eval_responses.jsonl")
        else:
            checks["eval wrote summary.json"] = False
    (args.out / "summary.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}: {name}", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if checks and all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
