"""The ``llm`` back-translator with the embedded model (SmolLM2-135M): weak output degrades into clean failures."""

from __future__ import annotations

import json

import pytest

from crabplug import config as cfg
from crabplug.plugins import load
from crabplug.run import execute


@pytest.mark.slow
def test_the_embedded_model_back_translates_two_seeds_and_every_record_ends_done_or_failed(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(
        f"run_dir: {tmp_path / 'run'}\nseeds: [{{plugin: bundled}}]\nlimit: 2\n"
        "llm: {model: local/smollm2-135m}\n"
        "back_translators: [{plugin: llm, mode: per_category, max_tokens: 48,"
        " categories: [length, writing_style, multilingual, item_listing]}]\n"
        "verifiers: [code, llm]\n",
        encoding="utf-8",
    )
    config, data = cfg.load(path)
    result = execute(config, data, load(), run_dir=tmp_path / "run", quiet=True)
    seeds = result.stats["seeds"]
    assert seeds["read"] == 2 and seeds.get("ok", 0) + seeds.get("failed", 0) == 2
    rows = [json.loads(x) for x in (tmp_path / "run" / "stages" / "2-verify.jsonl").read_text().splitlines()]
    for row in rows:
        for c in row.get("record", {}).get("constraints", []):
            assert c["origin"] == "local/smollm2-135m" and c["text"]
    survival = result.stats.get("candidates_by_origin", {}).get("llm", {})
    print("llm candidates:", survival, {k: v for k, v in result.stats.items() if k.startswith("llm.")})
