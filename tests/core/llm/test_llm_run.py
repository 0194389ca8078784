"""End to end: ``crabplug run`` whose back-translator calls ``ctx.llm`` over real HTTP to a server on 127.0.0.1."""

from __future__ import annotations

import json
import random
import subprocess

import pytest
from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug.testing.llm_server import LLMServer

KEY = "sk-e2e-secret-9f8e7d6c5b4a"


def _words(body):
    response = body["messages"][-1]["content"].split("\n\n", 1)[1]
    return f'Sure:\n```json\n{{"at_least": {len(response.split())}}}\n```'


def _config(tmp_path, server, n, extra_llm=""):
    seeds = write_seeds(tmp_path / "seeds.jsonl", n)
    config = write_config(tmp_path, seeds)
    text = config.read_text().replace("{plugin: test-count, delay: 0.0}", "{plugin: test-llm-ask}")
    llm = f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: E2E_KEY{extra_llm}}}\n"
    config.write_text(text + llm)
    return config


def _run(config, *args, key=KEY):
    cmd = [*crabplug_cmd("--plugin", "crabplug_llmtestplugin", "run", str(config)), "-q", *args]
    return subprocess.run(cmd, env={**env(), "E2E_KEY": key}, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_run_tallies_usage_in_stats_reruns_ask_nothing_and_no_file_holds_the_key(tmp_path):
    with LLMServer(reply=_words, api_key=KEY) as server:
        shared = tmp_path / "shared-cache.sqlite"
        config = _config(tmp_path, server, 6, extra_llm=f", cache_path: '{shared}'")
        first = _run(config)
        assert first.returncode == 0, first.stderr
        assert len(server.requests) == 6
        llm = json.loads((tmp_path / "run" / "stats.json").read_text())["llm"]
        assert llm["total"]["calls"] == 6 and llm["total"]["cached"] == 0
        assert llm["by_stage"]["test-llm-ask"]["completion_tokens"] > 0
        assert llm["by_model"]["openai/test-model"]["unpriced_calls"] == 6  # no price: tokens only, no crash

        resumed = _run(config)  # same command again: the run is complete, nothing is asked
        assert resumed.returncode == 0, resumed.stderr
        fresh = _run(config, "-o", str(tmp_path / "run2"))  # a new run directory: every answer from the cache
        assert fresh.returncode == 0, fresh.stderr
        assert len(server.requests) == 6
    again = json.loads((tmp_path / "run2" / "stats.json").read_text())["llm"]["total"]
    assert again["calls"] == again["cached"] == 6 and again["cost"] == 0
    samples = (tmp_path / "run2" / "samples.txt").read_text().splitlines()
    assert len(samples) == 6 and all("Use at least" in s for s in samples)
    for path in [shared, *tmp_path.joinpath("run").rglob("*"), *tmp_path.joinpath("run2").rglob("*")]:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    outputs = "".join(r.stdout + r.stderr for r in (first, resumed, fresh))
    assert KEY not in outputs


@pytest.mark.slow
def test_a_wrong_key_stops_the_run_with_one_sentence_naming_the_variable(tmp_path):
    with LLMServer(reply=_words, api_key=KEY) as server:
        result = _run(_config(tmp_path, server, 3), key="sk-wrong-wrong-wrong-123")
        assert len(server.requests) == 0
    assert result.returncode != 0
    assert "E2E_KEY" in result.stderr and "Traceback" not in result.stderr
    assert "sk-wrong-wrong-wrong-123" not in result.stderr + result.stdout and KEY not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.slow
def test_under_injected_faults_every_record_is_done_or_failed_once_and_none_is_lost(tmp_path):
    rng = random.Random(7)
    faults = [
        (500, {"error": {"message": "boom"}}),
        (429, {"error": {"message": "slow down"}}, {"Retry-After": "0"}),
        b'{"id": "chatcmpl-1", "choi',
        "I would rather not answer in JSON.",
    ]

    def flaky(body):
        return rng.choice(faults) if rng.random() < 0.2 else _words(body)

    n = 40
    with LLMServer(reply=flaky, api_key=KEY) as server:
        result = _run(_config(tmp_path, server, n, extra_llm=", max_retries: 1, concurrency: 4"))
        assert result.returncode == 0, result.stderr
        asked = len(server.requests)
    samples = (tmp_path / "run" / "samples.txt").read_text().splitlines()
    done = [int(s.split("?")[0].removeprefix("Question ")) for s in samples]
    failures = [json.loads(line) for line in (tmp_path / "run" / "failures.jsonl").read_text().splitlines()]
    assert failures, "20% faults with one retry should fail some record"
    assert len(done) == len(set(done)) and len(done) + len(failures) == n
    assert len({f["record_id"] for f in failures}) == len(failures)
    assert all(f["stage"] and f["reason"] and KEY not in json.dumps(f) for f in failures)
    assert all(f["raw"] == "I would rather not answer in JSON." for f in failures if "not valid JSON" in f["reason"])
    assert asked > n  # the faults were retried


@pytest.mark.slow
def test_the_budget_stops_the_run_cleanly_counts_earlier_runs_and_a_larger_one_resumes(tmp_path):
    def priced(body):  # gpt-4o-mini is priced in litellm's map: 200 answer tokens cost $0.00012
        return _words(body) + " padding" * 200

    with LLMServer(reply=priced, api_key=KEY) as server:
        config = _config(tmp_path, server, 6)
        text = config.read_text().replace("openai/test-model", "openai/gpt-4o-mini")
        config.write_text(text.replace("api_key_env: E2E_KEY", "api_key_env: E2E_KEY, max_cost: 0.0008"))
        stopped = _run(config)
        assert stopped.returncode != 0 and "max_cost" in stopped.stderr and "Traceback" not in stopped.stderr
        asked = len(server.requests)
        assert 0 < asked < 6
        again = _run(config)  # the same budget: earlier spending counts, nothing more is asked
        assert again.returncode != 0 and len(server.requests) == asked, (stopped.stderr, asked, again)
        larger = _run(config, "--set", "llm.max_cost=1")
        assert larger.returncode == 0, larger.stderr
        assert len(server.requests) == 6  # answers paid for before were not asked again
    assert len((tmp_path / "run" / "samples.txt").read_text().splitlines()) == 6
    total = json.loads((tmp_path / "run" / "stats.json").read_text())["llm"]["total"]
    assert total["cost"] == pytest.approx(6 * 200 * 0.6e-6, rel=0.2)
