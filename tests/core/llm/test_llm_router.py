"""Several servers behind one model string: the door sends through litellm's Router, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from crabplug import config as cfg
from crabplug.errors import ConfigError
from crabplug.llm import LLM, LLMSettings
from crabplug.pipeline.run import execute
from crabplug.plugins import load
from crabplug.testing.llm_server import LLMServer

TESTS = Path(__file__).parents[2]
KEY = "ROUTER_TEST_KEY"

# A server in its own process, so that the test can kill it like a crashed vLLM node: it answers the llm
# back-translator with one constraint and the judge with YES, and prints one line per request it receives.
SERVER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from crabplug.testing.llm_server import LLMServer

def model(body):
    print("request", flush=True)
    prompt = body["messages"][-1]["content"]
    if "Does the text satisfy this constraint" in prompt:
        return "YES"
    return json.dumps({"constraints": [{"category": "writing_style", "constraint": "Use a calm, friendly tone."}]})

with LLMServer(reply=model) as server:
    print(server.url, flush=True)
    sys.stdin.read()
"""


class ServerProcess:
    """crabplug.testing.LLMServer in a child process; ``requests`` counts what it received; ``kill()`` is SIGKILL."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(TESTS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.url = self.proc.stdout.readline().strip()
        self.requests = 0
        self.reached = threading.Event()
        self.kill_after: int | None = None
        threading.Thread(target=self._count, daemon=True).start()

    def _count(self) -> None:
        for _ in self.proc.stdout:
            self.requests += 1
            if self.kill_after is not None and self.requests >= self.kill_after:
                self.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.reached.set()

    def close(self) -> None:
        self.kill()
        self.proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("ROUTER_TEST_KEY", "sk-test-router-0123")
    return "ROUTER_TEST_KEY"


@pytest.fixture
def two_servers():
    servers = [ServerProcess(), ServerProcess()]
    try:
        yield servers
    finally:
        for server in servers:
            server.close()


def test_requests_spread_over_every_listed_server():
    with LLMServer(reply=lambda body: "ok") as a, LLMServer(reply=lambda body: "ok") as b:
        llm = LLM(LLMSettings(model="openai/test-model", api_base=[a.url, b.url], api_key_env=KEY, concurrency=8))

        async def many() -> list[str]:
            return await asyncio.gather(*(llm.complete(f"question {i}") for i in range(60)))

        assert asyncio.run(many()) == ["ok"] * 60
    # simple-shuffle picks a server at random: each gets Binomial(60, 1/2) requests; fewer than 15 has p < 1e-4.
    assert len(a.requests) >= 15 and len(b.requests) >= 15
    assert len(a.requests) + len(b.requests) == 60
    assert llm.usage.snapshot()["total"]["calls"] == 60


def test_the_cache_and_the_accounting_stay_the_doors(tmp_path):
    with LLMServer(reply=lambda body: "ok") as a, LLMServer(reply=lambda body: "ok") as b:
        settings = LLMSettings(
            model="openai/test-model", deployments=[{"api_base": a.url}, {"api_base": b.url, "weight": 3}],
            api_key_env=KEY, cache_path=str(tmp_path / "cache.sqlite"),
        )  # fmt: skip
        llm = LLM(settings)
        asyncio.run(llm.complete("same question"))
        asyncio.run(LLM(settings).complete("same question"))  # a new door on the same cache file
    assert len(a.requests) + len(b.requests) == 1
    assert llm.usage.snapshot()["total"]["prompt_tokens"] == 2  # whitespace tokens counted by the server


def test_a_deployment_with_an_unknown_key_is_one_sentence():
    llm = LLM(LLMSettings(model="openai/test-model", deployments=[{"url": "http://127.0.0.1:9/v1"}]))
    with pytest.raises(ConfigError, match=r"llm.deployments\[0\] has an unknown key 'url'; known: api_base"):
        asyncio.run(llm.complete("hi"))


def write_run(tmp_path: Path, urls: list[str], n: int) -> Path:
    rows = [
        {"instruction": f"Question {i}: how do I keep a plant alive?", "response": " ".join(["Water it weekly."] * 12)}
        for i in range(n)
    ]
    seeds = tmp_path / "seeds.jsonl"
    seeds.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text(
        f"name: router-test\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: '{seeds}'}}]\n"
        f"llm: {{model: openai/test-model, api_base: {json.dumps(urls)}, api_key_env: {KEY}, concurrency: 4}}\n"
        "back_translators: [llm]\nverifiers: [code, llm]\nchunk_size: 5\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_a_server_killed_mid_run_leaves_every_record_done_or_in_failures(tmp_path, two_servers):
    first, second = two_servers
    first.kill_after = 8  # SIGKILL after its 8th request: the run is then a few chunks in
    config_path = write_run(tmp_path, [first.url, second.url], n=30)
    config, data = cfg.load(config_path)
    result = execute(config, data, load(), run_dir=tmp_path / "run", quiet=True)
    assert first.reached.is_set()
    rows = [json.loads(x) for x in (result.run_dir / "stages" / "2-verify.jsonl").read_text().splitlines()]
    failures = [json.loads(x) for x in (result.run_dir / "failures.jsonl").read_text().splitlines() if x]
    assert [r["seq"] for r in rows] == list(range(30))
    done = {r["id"] for r in rows if r["status"] == "ok"}
    failed = {f["record_id"] for f in failures}
    assert done | failed == {r["id"] for r in rows}
    # The surviving server took over: with retries on it, no record had to fail.
    assert len(done) == 30 and not failures
    assert second.requests > first.requests >= 8
