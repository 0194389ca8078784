"""Benchmark: `crabplug eval` of SmolLM2-135M on a CPU, per-answer (``varlen``) against packed paged attention.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks/bench_eval_attention.py -s
     (CRAB_ATTN_PROMPTS, default 64, and CRAB_ATTN_TOKENS, default 256: the arms experiment's answer length)

One torch thread, batch 32, greedy, the first IFEval prompts, the two attentions in turns in one process. Prints
the seconds of each and how many answers are identical, and asserts varlen is at least 1.5x faster with every
answer the same (transformers' ``paged|sdpa`` attends each new token to every answer's keys; varlen.py).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval_helpers import ifeval_rows  # noqa: E402


@pytest.mark.benchmark
def test_varlen_attention_is_faster_and_answers_the_same():
    import torch
    from crabplug_eval.continuous import ContinuousGenerator
    from crabplug_eval.generate import Settings

    from crabplug import load_plugins

    model = load_plugins().pm.hook.resolve_model_path(name="local/smollm2-135m")
    n = int(os.environ.get("CRAB_ATTN_PROMPTS", "64"))
    tokens = int(os.environ.get("CRAB_ATTN_TOKENS", "256"))
    rows = ifeval_rows()[:n]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    seconds, answers = {}, {}
    try:
        for attention in ("varlen", "packed"):
            got: dict[str, str] = {}
            start = time.perf_counter()
            generator = ContinuousGenerator(model, Settings(max_tokens=tokens, batch_size=32), attention=attention)
            failures = generator.generate(rows, lambda row, text, got=got: got.__setitem__(row["key"], text))
            seconds[attention], answers[attention] = time.perf_counter() - start, got
            assert not failures and len(got) == n
    finally:
        torch.set_num_threads(threads)
    same = sum(answers["varlen"][k] == answers["packed"][k] for k in answers["varlen"])
    ratio = seconds["packed"] / seconds["varlen"]
    print(
        f"\n{n} IFEval prompts, {tokens} tokens, batch 32, one thread: varlen {seconds['varlen']:.1f} s, "
        f"packed {seconds['packed']:.1f} s ({ratio:.2f}x); identical answers {same} of {n}"
    )
    assert same == n
    assert ratio >= 1.5
