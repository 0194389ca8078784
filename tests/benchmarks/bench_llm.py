"""Door overhead: requests/s through crabplug.llm.LLM vs bare litellm.acompletion vs the ideal (`make bench`).

The server on 127.0.0.1 answers every request after a fixed 50 ms; with 32 requests in flight the ideal is
32 / 0.05 = 640 requests/s. The door adds the semaphore, the cache lookup and write, and accounting.
"""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from llm_server import LLMServer

from crabplug.llm import LLM, LLMSettings

N, CONCURRENCY, LATENCY = 640, 32, 0.05


def _slow(body):
    time.sleep(LATENCY)
    return "fine"


async def _bare(url):
    import litellm

    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(i):
        async with semaphore:
            await litellm.acompletion(
                model="openai/test-model",
                api_base=url,
                api_key="sk-bench",
                messages=[{"role": "user", "content": f"bare {i}"}],
                num_retries=0,
            )

    await asyncio.gather(*(one(i) for i in range(N)))


async def _door(url, cache):
    llm = LLM(
        LLMSettings(
            model="openai/test-model", api_base=url, api_key_env="BENCH_KEY", concurrency=CONCURRENCY, cache_path=cache
        )
    )
    await asyncio.gather(*(llm.complete(f"door {i}") for i in range(N)))
    return llm


@pytest.mark.benchmark
def test_door_throughput_against_bare_litellm_and_the_ideal(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_KEY", "sk-bench")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    with LLMServer(reply=_slow) as server:
        asyncio.run(_door(server.url, None))  # warm up: imports, connection pool
        rates = {}
        for name, coro in (
            ("bare litellm", lambda: _bare(server.url)),
            ("door, no cache", lambda: _door(server.url, None)),
            ("door + cache (misses)", lambda: _door(server.url, str(tmp_path / "c.sqlite"))),
            ("door, all cache hits", lambda: _door(server.url, str(tmp_path / "c.sqlite"))),
        ):
            start = time.monotonic()
            asyncio.run(coro())
            rates[name] = N / (time.monotonic() - start)
    print(f"\nideal (latency-bound): {CONCURRENCY / LATENCY:.0f} req/s")
    for name, rate in rates.items():
        print(f"{name:>24}: {rate:8.0f} req/s")
    assert rates["door, no cache"] > 0.5 * rates["bare litellm"]
