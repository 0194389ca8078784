"""Benchmark: `crabplug eval` against a bare-litellm script, both whole processes, on the same 541 requests.

A loopback OpenAI-compatible server (crabplug/testing/llm_server.py, its own process) answers every request after
0.2 s; both clients keep 32 requests in flight, so the ideal is 541 / 32 * 0.2 = 3.4 s plus start-up. The
bare script is what a user would write with litellm alone: import it, gather the prompts under a
semaphore, write the answers. `crabplug eval` also checkpoints, caches, scores IFEval and writes its
summary. Wall seconds and the processes' CPU seconds (from wait4) are printed; on a shared machine the
CPU seconds say more.

    .venv/bin/python -m pytest -m benchmark tests/benchmarks/bench_eval_door.py -s
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "crabplug" / "testing" / "llm_server.py"
IFEVAL = ROOT / "plugins" / "crabplug_eval" / "data" / "input_data.jsonl"
LATENCY, CONCURRENCY = 0.2, 32

BARE = """
import asyncio, json, os, sys
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
import litellm

async def main(url, path, out):
    prompts = [json.loads(line)["prompt"] for line in open(path, encoding="utf-8") if line.strip()]
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(prompt):
        async with semaphore:
            reply = await litellm.acompletion(
                model="openai/test-model", api_base=url, api_key="sk-bench",
                messages=[{"role": "user", "content": prompt}], max_tokens=1280, temperature=0,
            )
            return {"prompt": prompt, "response": reply.choices[0].message.content}

    rows = await asyncio.gather(*(one(p) for p in prompts))
    with open(out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\\n")

asyncio.run(main(*sys.argv[1:]))
""".replace("CONCURRENCY", str(CONCURRENCY))


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of a whole child process."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    assert status == 0, proc.stderr.read().decode()[-2000:]
    return elapsed, usage.ru_utime + usage.ru_stime


@pytest.mark.benchmark
def test_crabplug_eval_against_a_bare_litellm_script(tmp_path):
    server = subprocess.Popen(
        [sys.executable, str(SERVER), str(LATENCY)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    env = {**os.environ, "BENCH_KEY": "sk-bench"}
    try:
        url = server.stdout.readline().strip()
        script = tmp_path / "bare.py"
        script.write_text(BARE, encoding="utf-8")
        bare = _timed([sys.executable, str(script), url, str(IFEVAL), str(tmp_path / "bare.jsonl")], env)
        crab = [sys.executable, "-m", "crabplug", "eval", "-m", "openai/test-model", "--api-base", url]
        crab += ["--api-key-env", "BENCH_KEY", "--concurrency", str(CONCURRENCY), "--batch-size", str(CONCURRENCY)]
        ours = _timed([*crab, "-o", str(tmp_path / "eval"), "-q"], env)
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    assert (tmp_path / "bare.jsonl").read_bytes().count(b"\n") == 541
    assert (tmp_path / "eval" / "responses.jsonl").read_bytes().count(b"\n") == 541
    ideal = 541 / CONCURRENCY * LATENCY
    print(f"\n541 requests, C={CONCURRENCY}, {LATENCY} s latency (ideal {ideal:.1f} s plus start-up)")
    print(f"bare litellm script: {bare[0]:6.2f} s wall, {bare[1]:6.2f} CPU s")
    print(f"crabplug eval      : {ours[0]:6.2f} s wall, {ours[1]:6.2f} CPU s (generation, checkpoints, scoring)")
