"""A run whose LLM stage had every call fail writes what the other stages made, then exits 1 with the count."""

from __future__ import annotations

import json
import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug.testing.llm_server import LLMServer


def test_every_llm_call_failing_exits_non_zero_with_the_count_after_writing_the_rest(tmp_path):
    with LLMServer(reply=lambda body: (500, {"error": {"message": "the server is down"}})) as server:
        config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 4))
        text = config.read_text().replace("{plugin: test-count, delay: 0.0}",
                                          "{plugin: test-count, delay: 0.0}, {plugin: test-llm-ask}")
        config.write_text(text + f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: E2E_KEY, "
                                 "max_retries: 0}\n")
        cmd = [*crabplug_cmd("--plugin", "crabplug_llmtestplugin", "run", str(config)), "-q"]
        done = subprocess.run(cmd, env={**env(), "E2E_KEY": "sk-test-all-failed"}, capture_output=True, text=True,
                              timeout=120)
        assert len(server.requests) >= 4
    assert done.returncode == 1, done.stdout + done.stderr
    assert "every LLM call failed in test-llm-ask (4 calls)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    stats = json.loads((tmp_path / "run" / "stats.json").read_text())
    assert stats["llm"]["by_stage"]["test-llm-ask"]["failed"] == 4


def test_a_run_whose_llm_calls_partly_fail_still_exits_0(tmp_path):
    asked = []

    def half(body):
        asked.append(1)
        if len(asked) % 2:
            return (500, {"error": {"message": "flaky"}})
        response = body["messages"][-1]["content"].split("\n\n", 1)[1]
        return f'```json\n{{"at_least": {len(response.split())}}}\n```'

    with LLMServer(reply=half) as server:
        config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 4), chunk=1)
        text = config.read_text().replace("{plugin: test-count, delay: 0.0}", "{plugin: test-llm-ask}")
        config.write_text(text + f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: E2E_KEY, "
                                 "max_retries: 0, concurrency: 1}\n")
        cmd = [*crabplug_cmd("--plugin", "crabplug_llmtestplugin", "run", str(config)), "-q"]
        done = subprocess.run(cmd, env={**env(), "E2E_KEY": "sk-test-all-failed"}, capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 0, done.stderr
