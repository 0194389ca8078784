"""The dataset card counts records and failure lines apart: unreadable seeds, records that failed in a stage, and
the lines of failures.jsonl (a kept record may log one: an LLM back-translator gave up while the rules did not)."""

from __future__ import annotations

import json
import os
import subprocess

from core_helpers import crabplug_cmd, env, write_config, write_seeds

from crabplug.testing.llm_server import LLMServer


def test_the_card_keeps_unreadable_seeds_failed_records_and_failure_lines_apart(tmp_path):
    with LLMServer(reply=lambda body: (500, {"error": {"message": "down"}})) as server:
        config = write_config(tmp_path, write_seeds(tmp_path / "seeds.jsonl", 7, bad_lines=(2, 5), fail=(6,)))
        text = config.read_text().replace(
            "{plugin: test-count, delay: 0.0}", "{plugin: test-count, delay: 0.0}, {plugin: test-llm-ask}"
        )
        text = text.replace("outputs: [test-out]", "outputs: [test-out, {plugin: card, plots: false}]")
        config.write_text(
            text + f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: K, max_retries: 0}}\n"
        )
        cmd = [*crabplug_cmd("--plugin", "crabplug_llmtestplugin", "run", str(config)), "-q"]
        paths = os.pathsep.join(p for p in (env()["PYTHONPATH"], os.environ.get("PYTHONPATH")) if p)
        done = subprocess.run(
            cmd, env={**env(), "K": "sk-card-counts", "PYTHONPATH": paths}, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 1 and "every LLM call failed" in done.stderr, done.stderr
    run_dir = tmp_path / "run"
    failures = (run_dir / "failures.jsonl").read_text().splitlines()
    # 7 lines: 2 unreadable; record 6 fails in both back-translators; 4 kept records each log the LLM's failure
    assert len(failures) == 2 + 2 + 4
    card = (run_dir / "README.md").read_text()
    for row in (
        "| seed records read | 7 |",
        "| kept | 4 |",
        "| unreadable seed records | 2 |",
        "| records failed in a stage | 1 |",
        "| failures logged (failures.jsonl) | 8 |",
    ):
        assert row in card, card
    assert json.loads((run_dir / "stats.json").read_text())["unreadable_seeds"] == 2
