"""The ``llm`` back-translator with the embedded model (SmolLM2-135M): weak output degrades into clean failures."""

from __future__ import annotations

import json

import pytest

from crabplug import config as cfg
from crabplug.pipeline.run import execute
from crabplug.plugins import load


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
    rows = [json.loads(x) for x in (tmp_path / "run" / "stages" / "2-verify.jsonl").read_text().splitlines()]
    assert [r["seq"] for r in rows] == [0, 1]  # both seeds reached the last checkpoint
    constraints = [c for r in rows if r["status"] == "ok" for c in r["record"]["constraints"]]
    failures = [f for r in rows for f in r["failures"]]
    for row in rows:
        assert row["status"] in {"ok", "failed"}
        if row["status"] == "failed":  # a clean failure: a stage and a reason a user can read
            assert row["failures"] and all(f["stage"] and f["reason"] for f in row["failures"])
    for c in constraints:
        assert c["origin"] == "local/smollm2-135m" and c["text"]
        assert c["verified"] in (True, False, None)
    # the model said something about each seed: a constraint or a recorded reason why not
    assert constraints or failures
    # the card's survival table counts exactly the checkpoint's candidates
    survival = result.stats.get("candidates_by_origin", {}).get("llm", {})
    assert sum(survival.values()) == len(constraints)
    assert survival.get("verified", 0) == sum(c["verified"] is True for c in constraints)
    written = [json.loads(x) for x in (tmp_path / "run" / "failures.jsonl").read_text().splitlines()]
    assert written == failures and result.stats["failures"] == len(failures)  # no combiner: no other failures
