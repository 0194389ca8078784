"""Benchmark: the embedded model local/smollm2-135m on this machine's CPU.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks/bench_local_model.py -s
Prints the one-time GGUF conversion, the cached load, and generated tokens/s (greedy, up to 64 new tokens
per request) for 1, 8, 32 and 64 concurrent requests through the engine's batching worker, then through
litellm.acompletion. Set CRABPLUG_LOCAL_THREADS to change torch's thread count (default: the usable CPUs).
"""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from crabplug_local.engine import Engine, make_request
from crabplug_local.model import spec_for

NEW_TOKENS = 64
TOPICS = ["the sea", "a city", "a cat", "winter", "a robot", "the moon", "a garden", "a train"]


def _prompt(i: int) -> list[dict[str, str]]:
    return [{"role": "user", "content": f"Write a long story about {TOPICS[i % len(TOPICS)]} (number {i})."}]


def _tokens_per_second(engine: Engine, concurrent: int) -> tuple[float, float]:
    start = time.perf_counter()
    futures = [engine.submit(make_request(_prompt(i), max_tokens=NEW_TOKENS)) for i in range(concurrent)]
    tokens = sum(f.result().completion_tokens for f in futures)
    elapsed = time.perf_counter() - start
    return tokens / elapsed, elapsed


@pytest.mark.benchmark
def test_conversion_cached_load_and_tokens_per_second(tmp_path):
    os.environ["CRABPLUG_CACHE"] = str(tmp_path)
    try:
        converted = Engine(spec_for("smollm2-135m")).load()
        cached = Engine(spec_for("smollm2-135m")).load()
    finally:
        os.environ.pop("CRABPLUG_CACHE", None)
    import torch

    print(f"\nthreads {torch.get_num_threads()}, CPUs usable {len(os.sched_getaffinity(0))}")
    print(f"first load (GGUF -> safetensors conversion + load): {converted.load_seconds:.1f} s")
    print(f"cached load: {cached.load_seconds:.2f} s")
    cached.generate(_prompt(0), max_tokens=4)  # warm-up
    for concurrent in (1, 8, 32, 64):
        rate, elapsed = _tokens_per_second(cached, concurrent)
        print(f"{concurrent:3d} concurrent requests: {rate:6.1f} generated tokens/s ({elapsed:.1f} s)")

    import crabplug_local.engine as engines
    import litellm
    from crabplug_local import make_handler

    engines._engines[cached.spec.name] = cached
    litellm.custom_provider_map = [{"provider": "local", "custom_handler": make_handler()}]

    async def through_litellm(n: int) -> float:
        start = time.perf_counter()
        replies = await asyncio.gather(
            *(
                litellm.acompletion(model="local/smollm2-135m", messages=_prompt(i), max_tokens=NEW_TOKENS)
                for i in range(n)
            )
        )
        return sum(r.usage.completion_tokens for r in replies) / (time.perf_counter() - start)

    print(f" 32 concurrent litellm.acompletion calls: {asyncio.run(through_litellm(32)):6.1f} generated tokens/s")
