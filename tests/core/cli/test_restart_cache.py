"""`crabplug run --restart` starts the run over but keeps `llm-cache.sqlite`: answers already paid for stay free."""

from __future__ import annotations

import json
import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug.testing.llm_server import LLMServer

KEY = "sk-restart-secret-0a1b2c3d4e"


def _words(body):
    response = body["messages"][-1]["content"].split("\n\n", 1)[1]
    return f'```json\n{{"at_least": {len(response.split())}}}\n```'


def _run(config, *args):
    cmd = [*crabplug_cmd("--plugin", "crabplug_llmtestplugin", "run", str(config)), "-q", *args]
    return subprocess.run(cmd, env={**env(), "E2E_KEY": KEY}, capture_output=True, text=True, timeout=120)


def test_restart_deletes_the_results_but_asks_no_answer_twice(tmp_path):
    with LLMServer(reply=_words, api_key=KEY) as server:
        config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 5))
        text = config.read_text().replace("{plugin: test-count, delay: 0.0}", "{plugin: test-llm-ask}")
        config.write_text(text + f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: E2E_KEY}}\n")
        first = _run(config)
        assert first.returncode == 0, first.stderr
        assert len(server.requests) == 5
        run_dir = tmp_path / "run"
        before = (run_dir / "samples.txt").read_bytes()
        (run_dir / "stale.txt").write_text("from the old run")
        again = _run(config, "--restart")
        assert again.returncode == 0, again.stderr
        assert len(server.requests) == 5, "--restart asked again for answers the cache held"
    assert not (run_dir / "stale.txt").exists()
    assert (run_dir / "samples.txt").read_bytes() == before
    total = json.loads((run_dir / "stats.json").read_text())["llm"]["total"]
    assert total["calls"] == total["cached"] == 5
