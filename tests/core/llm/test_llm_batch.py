"""Batch mode: requests go out as one OpenAI-compatible batch job, survive kill -9 without being resubmitted,
and fall back to live calls when the batch fails. Real HTTP to tests/llm_batch_server.py, real subprocesses."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from core_helpers import crabplug_cmd, env
from llm_batch_server import BatchServer

from crabplug.llm import LLM, LLMSettings

BUNDLED = Path(__file__).parents[3] / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
KEY = "sk-test-batch-0000"


def _reply(body: dict) -> str:
    return f"Answer to: {body['messages'][-1]['content'][:30]}"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("CRAB_TEST_KEY", KEY)


def _settings(server, tmp_path, **kw) -> LLMSettings:
    return LLMSettings(model="openai/test-model", api_base=server.url, api_key_env="CRAB_TEST_KEY", batch=True,
                       batch_window=0.2, batch_poll=0.1, cache_path=str(tmp_path / "llm-cache.sqlite"), **kw)


def test_concurrent_requests_become_one_batch_and_then_come_from_the_cache(tmp_path):
    prompts = [f"question {i}" for i in range(5)]
    with BatchServer(reply=_reply, auto_release=True) as server:

        async def ask(llm):
            return await asyncio.gather(*(llm.complete(p, stage="s") for p in prompts))

        answers = asyncio.run(ask(LLM(_settings(server, tmp_path))))
        assert answers == [f"Answer to: {p}" for p in prompts]
        assert (server.uploads, server.batch_creates, server.batch_lines, len(server.requests)) == (1, 1, 5, 0)
        again = LLM(_settings(server, tmp_path))
        assert asyncio.run(ask(again)) == answers and again.usage.snapshot()["total"]["cached"] == 5
        assert server.batch_creates == 1  # nothing asked again


def test_a_failed_batch_falls_back_to_live_calls(tmp_path):
    with BatchServer(reply=_reply, auto_release=True, fail_batches=True) as server:

        async def ask():
            llm = LLM(_settings(server, tmp_path))
            return await asyncio.gather(*(llm.complete(f"q{i}") for i in range(3)))

        assert asyncio.run(ask()) == [f"Answer to: q{i}" for i in range(3)]
        assert server.batch_creates == 1 and len(server.requests) == 3  # each request asked once, live


def _config(tmp_path: Path, server) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(
        f"name: batch\nrun_dir: {tmp_path / 'run'}\nlimit: 3\n"
        f"seeds: [{{plugin: jsonl, path: {BUNDLED}}}]\n"
        f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: CRAB_TEST_KEY, batch: true, "
        "batch_window: 0.5, batch_poll: 0.2}\n"
        "back_translators: [rules, {plugin: llm, mode: per_category, categories: [writing_style, paragraphs]}]\n"
        "verifiers: [code]\ncombiner: {plugin: crab}\noutputs: [sft]\n"
    )
    return path


@pytest.mark.slow  # two crabplug processes (one killed): about 20 s on 2 cores
def test_kill_minus_9_between_submit_and_completion_resumes_polling_without_resubmitting(tmp_path):
    with BatchServer(reply=_reply) as server:  # batches stay in progress until released
        config = _config(tmp_path, server)
        proc = subprocess.Popen(crabplug_cmd("run", str(config), "-q"), env={**env(), "CRAB_TEST_KEY": KEY},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        state = tmp_path / "run" / "llm-batches.jsonl"
        deadline = time.monotonic() + 120
        while not (state.is_file() and server.batch_polls >= 1) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert server.batch_creates == 1 and server.batch_polls >= 1  # submitted, and being polled
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert json.loads(state.read_text().splitlines()[0])["batch"] == "batch_1"
        server.release()  # the provider finishes the batch while no client is running
        done = subprocess.run(crabplug_cmd("run", str(config), "-q"), env={**env(), "CRAB_TEST_KEY": KEY},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        # one upload, one batch, its 6 lines (3 records x 2 categories) answered once; nothing live, nothing again
        assert (server.uploads, server.batch_creates, server.batch_lines, len(server.requests)) == (1, 1, 6, 0)
    usage = json.loads((tmp_path / "run" / "usage.json").read_text())["this_run"]["total"]
    assert usage["calls"] == 6
    assert json.loads(state.read_text().splitlines()[-1]) == {"batch": "batch_1", "done": True}
