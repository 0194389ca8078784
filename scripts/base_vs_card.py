"""Why crabplug's IFEval number for SmolLM2-135M-Instruct is below its model card's 29.9 (docs/eval.md).

On the first N IFEval prompts, the embedded model answers greedily up to MAX new tokens twice, with the chat
template's default system prompt (what `crabplug eval` sends: one user turn, and SmolLM2's template adds "You are
a helpful AI assistant named SmolLM...") and without it (a copy of the checkpoint whose template adds none). Each
answer is then cut to shorter caps (its tokens re-encoded and cut: greedy decoding makes a shorter cap's answer a
prefix of a longer one's) and rescored, so one generation gives every cap. Printed per variant and cap: the
answers that reach the cap and the four IFEval numbers with three averages (the four; prompt and instruction
level strict; the same loose).

    OMP_NUM_THREADS=1 python scripts/base_vs_card.py --limit 50 --max-tokens 1024 --out /tmp/card

The two generations run at once, one thread each; both resume when run again with the same arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

CAPS = (128, 256, 384, 512, 768, 1024, 1280)
NO_SYSTEM = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + "
    "'\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def _crabplug(*args: str) -> list[str]:
    return [sys.executable, "-m", "crabplug", *args]


def no_system_copy(model: Path, out: Path) -> Path:
    """The checkpoint's files linked into ``out``, with a chat template that adds no system prompt."""
    out.mkdir(parents=True, exist_ok=True)
    for f in model.iterdir():
        if f.name != "chat_template.jinja" and not (out / f.name).exists():
            (out / f.name).symlink_to(f.resolve())
    (out / "chat_template.jinja").write_text(NO_SYSTEM + "\n", encoding="utf-8")
    config = json.loads((model / "tokenizer_config.json").read_text(encoding="utf-8"))
    if "chat_template" in config:  # a template inside the tokenizer config would win over the file
        raise SystemExit(f"{model}/tokenizer_config.json holds its own chat_template: edit the copy by hand")
    return out


def rescore(eval_dir: Path, tok, cap: int, limit: int, out: Path) -> dict:
    """The answers cut to ``cap`` tokens, scored by `crabplug eval --responses`; adds how many reach the cap."""
    rows = [
        json.loads(line) for line in (eval_dir / "responses.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    cut, at_cap = [], 0
    for row in rows:
        ids = tok(row["response"], add_special_tokens=False)["input_ids"]
        at_cap += len(ids) >= cap - 1  # re-encoding may differ from the generated tokens by one
        cut.append({"prompt": row["prompt"], "response": tok.decode(ids[:cap]) if len(ids) > cap else row["response"]})
    out.mkdir(parents=True, exist_ok=True)
    path = out / "responses-cut.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in cut), encoding="utf-8")
    subprocess.run(
        _crabplug("eval", "--responses", str(path), "-o", str(out), "--limit", str(limit), "-q"),
        check=True,
        capture_output=True,
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {"at_cap": at_cap, "answers": len(rows), **summary["metrics"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=Path.home() / ".cache/crabplug/models/smollm2-135m")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--max-tokens", type=int, default=1024)
    parser.add_argument("--out", type=Path, default=Path("/tmp/base-vs-card"))
    args = parser.parse_args()
    from transformers import AutoTokenizer

    variants = {"system": args.model, "no-system": no_system_copy(args.model, args.out / "no-system-model")}
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped: run the same command again to resume"))
    jobs = {}
    try:
        for name, model in variants.items():
            argv = ["eval", "-m", str(model), "-o", str(args.out / name), "--limit", str(args.limit)]
            argv += ["--max-tokens", str(args.max_tokens), "--batch-size", "16", "-q"]
            jobs[name] = subprocess.Popen(_crabplug(*argv), env=env, stdout=subprocess.DEVNULL)
        failed = [name for name, job in jobs.items() if job.wait()]
    finally:  # a stopped script stops its generations too (their answers so far are kept: they resume)
        for job in jobs.values():
            if job.poll() is None:
                job.terminate()
    if failed:
        raise SystemExit(f"the {failed[0]} generation failed: run the same command again to resume it")
    tok = AutoTokenizer.from_pretrained(str(args.model))
    print("| variant | cap | answers at the cap | S-P | S-I | L-P | L-I | avg of 4 | strict P/I avg | loose P/I avg |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in variants:
        for cap in sorted({c for c in CAPS if c < args.max_tokens} | {args.max_tokens}):
            m = rescore(args.out / name, tok, cap, args.limit, args.out / f"{name}-{cap}")
            four = [
                100 * m[k]
                for k in (
                    "prompt_level_strict_acc",
                    "inst_level_strict_acc",
                    "prompt_level_loose_acc",
                    "inst_level_loose_acc",
                )
            ]
            print(
                f"| {name} | {cap} | {m['at_cap']}/{m['answers']} | "
                + " | ".join(f"{v:.1f}" for v in four)
                + f" | {sum(four) / 4:.1f} | {(four[0] + four[1]) / 2:.1f} | {(four[2] + four[3]) / 2:.1f} |"
            )


if __name__ == "__main__":
    main()
