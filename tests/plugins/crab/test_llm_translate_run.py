"""The ``llm`` back-translator and judge in real runs: the real LLM door, over real HTTP, to a scripted model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_model import BROKEN, FALSE_FREE, JUDGE, STYLE, model

from crabplug import config as cfg
from crabplug.pipeline.run import execute
from crabplug.plugins import load
from crabplug.testing.llm_server import LLMServer


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("CRAB_TEST_KEY", "sk-test-not-a-secret")
    with LLMServer(reply=model) as srv:
        yield srv


def write_config(tmp_path: Path, url: str, seeds: str, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"name: llm-test\nrun_dir: {tmp_path / 'run'}\nseeds: {seeds}\n"
        f"llm: {{model: openai/test-model, api_base: '{url}', api_key_env: CRAB_TEST_KEY}}\n"
        "back_translators: [llm]\nverifiers: [code, llm]\n" + extra,
        encoding="utf-8",
    )
    return path


def write_seeds(tmp_path: Path) -> str:
    rows = [
        {"instruction": f"Question {i}: how do I keep a plant alive?", "response": " ".join(["Water it weekly."] * 12)}
        for i in range(4)
    ]
    rows[2]["instruction"] = BROKEN
    path = tmp_path / "seeds.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return f"[{{plugin: jsonl, path: '{path}'}}]"


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def run(config_path: Path):
    config, data = cfg.load(config_path)
    return execute(config, data, load(), run_dir=config_path.parent / "run", quiet=True)


def test_constraints_are_proposed_checked_by_code_or_judged_and_near_duplicates_dropped(tmp_path, server):
    result = run(write_config(tmp_path, server.url, write_seeds(tmp_path)))
    rows = [r for r in lines(result.run_dir / "stages" / "2-verify.jsonl") if r["status"] == "ok"]
    assert len(rows) == 3
    for row in rows:
        got = {c["text"]: (c["type"], c["verified"], c["verified_by"]) for c in row["record"]["constraints"]}
        assert got == {
            "Write at least 20 words in total.": ("length_constraints:number_words", True, "code"),
            "Write fewer than 5 words in total.": ("length_constraints:number_words", False, "code"),
            STYLE: ("llm:writing_style", True, "llm:openai/test-model"),
            FALSE_FREE: ("llm:key_formatting", False, "llm:openai/test-model"),
        }
        assert {c["origin"] for c in row["record"]["constraints"]} == {"openai/test-model"}
    assert result.stats["candidates_by_origin"]["llm"] == {"verified": 6, "rejected": 6}
    assert result.stats["llm.near_duplicates"] == 3
    judged = [r for r in server.requests if JUDGE in r["messages"][-1]["content"]]
    assert len(judged) == 6  # only the free-text constraints reach the judge


def test_a_malformed_reply_fails_its_record_with_the_raw_text_and_the_rest_go_on(tmp_path, server):
    result = run(write_config(tmp_path, server.url, write_seeds(tmp_path)))
    (failure,) = lines(result.run_dir / "failures.jsonl")
    assert failure["stage"] == "back_translate:llm"
    assert '{"constraints": [{"category": "length", ' in failure["raw"]
    assert result.stats["seeds"] == {"read": 4, "ok": 3, "failed": 1}


def test_the_api_key_appears_in_no_file_of_the_run(tmp_path, server):
    result = run(write_config(tmp_path, server.url, write_seeds(tmp_path)))
    for path in result.run_dir.rglob("*"):
        if path.is_file():
            assert b"sk-test-not-a-secret" not in path.read_bytes(), path


@pytest.mark.slow
def test_crabplug_run_on_the_bundled_seeds_with_the_llm_stages(tmp_path, server):
    config = write_config(tmp_path, server.url, "[{plugin: bundled}]")
    env = {**os.environ, "CRAB_TEST_KEY": "sk-test-not-a-secret"}
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(config), "--limit", "5", "-q"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    stats = json.loads((tmp_path / "run" / "stats.json").read_text(encoding="utf-8"))
    assert stats["seeds"]["ok"] == 5
    assert stats["candidates_by_origin"]["llm"] == {"verified": 10, "rejected": 10}
