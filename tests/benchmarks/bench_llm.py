"""Door overhead: requests/s through crabplug.llm.LLM vs bare litellm.acompletion vs the ideal (`make bench`).

The server (crabplug/testing/llm_server.py, in its own process so it does not share the client's GIL) answers every
request after a fixed 50 ms; with C requests in flight the ideal is C / 0.05 requests/s. It runs twice: with
the tests' threaded server (one thread per connection, as the behaviour tests use it) and with its aiohttp
variant (``--asyncio``), which keeps up with the ideal rate, so what is left is the client's. A raw aiohttp
client (a shared session posting the same body, nothing else) shows what the loopback setup itself reaches.
The door adds the semaphore, the cache lookup and write, and the token/cost accounting; for one
OpenAI-compatible server it posts plain HTTP (crabplug/llm/openai_direct.py) instead of going through litellm.
Besides requests/s it prints the client's CPU milliseconds per request, which does not depend on how loaded a
shared machine is.

    .venv/bin/python -m pytest -q -m benchmark tests/benchmarks/bench_llm.py -s
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crabplug.llm import LLM, LLMSettings
from crabplug.llm.litellm_import import import_litellm as _import_litellm

LATENCY = 0.05
SERVER = Path(__file__).resolve().parents[2] / "crabplug" / "testing" / "llm_server.py"


async def _bare(url, n, concurrency):
    litellm = _import_litellm()
    semaphore = asyncio.Semaphore(concurrency)

    async def one(i):
        async with semaphore:
            await litellm.acompletion(
                model="openai/test-model",
                api_base=url,
                api_key="sk-bench",
                messages=[{"role": "user", "content": f"bare {i}"}],
                num_retries=0,
            )

    await asyncio.gather(*(one(i) for i in range(n)))


async def _door(url, n, concurrency, cache=None):
    settings = LLMSettings(
        model="openai/test-model", api_base=url, api_key_env="BENCH_KEY", concurrency=concurrency, cache_path=cache
    )
    llm = LLM(settings)
    await asyncio.gather(*(llm.complete(f"door {i}") for i in range(n)))


async def _raw(url, n, concurrency):
    """The setup's own ceiling: one aiohttp session posting the request body, no door, no accounting."""
    import aiohttp

    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(i):
            body = {"model": "test-model", "messages": [{"role": "user", "content": f"raw {i}"}]}
            async with semaphore, session.post(url + "/chat/completions", json=body) as reply:
                await reply.json()

        await asyncio.gather(*(one(i) for i in range(n)))


def _rate(coro, n):
    """Requests/s, and CPU milliseconds the client spent per request (what caps one free core)."""
    start, cpu = time.monotonic(), time.process_time()
    asyncio.run(coro)
    return n / (time.monotonic() - start), (time.process_time() - cpu) * 1000 / n


def _measure(url, tmp_path, tag):
    asyncio.run(_door(url, 64, 32))  # warm up: imports, connection pool
    rows = []
    for concurrency in (32, 256):
        n = int(concurrency / LATENCY) * 2  # about two seconds at the ideal rate
        cache = str(tmp_path / f"{tag}-c{concurrency}.sqlite")
        bare = min(n, 1280)  # litellm alone is slow: fewer requests keep the run short
        rates = {
            "raw aiohttp (ceiling)": _rate(_raw(url, n, concurrency), n),
            "bare litellm": _rate(_bare(url, bare, concurrency), bare),
            "door, no cache": _rate(_door(url, n, concurrency), n),
            "door + cache (misses)": _rate(_door(url, n, concurrency, cache), n),
            "door, all cache hits": _rate(_door(url, n, concurrency, cache), n),
        }
        rows.append((concurrency, concurrency / LATENCY, rates))
    return rows


@pytest.mark.benchmark
@pytest.mark.parametrize("server_kind", ["threaded", "asyncio"])
def test_door_throughput_against_bare_litellm_and_the_ideal(tmp_path, monkeypatch, server_kind):
    monkeypatch.setenv("BENCH_KEY", "sk-bench")
    flags = ["--asyncio"] if server_kind == "asyncio" else []
    server = subprocess.Popen(
        [sys.executable, str(SERVER), str(LATENCY), *flags], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        rows = _measure(server.stdout.readline().strip(), tmp_path, server_kind)
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    print(f"\n{server_kind} server")
    for concurrency, ideal, rates in rows:
        print(f"C={concurrency}, ideal (latency-bound) {ideal:.0f} req/s")
        for name, (rate, cpu_ms) in rates.items():
            print(
                f"{name:>24}: {rate:8.0f} req/s ({rate / ideal:4.0%} of ideal), client CPU {cpu_ms:5.2f} ms/request "
                f"(one free core: up to {1000 / cpu_ms:6.0f} req/s)"
            )
    for _, _, rates in rows:
        assert rates["door, no cache"][0] > 0.5 * rates["bare litellm"][0]
