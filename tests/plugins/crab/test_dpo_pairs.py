"""Output `dpo`: every pair's chosen response passes all its code-checkable constraints and its rejected
response verifiably fails each one listed in `violated`; offline (perturb) and over real HTTP (llm)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crabplug.constraints import check
from crabplug.plugins import load
from crabplug.testing.llm_server import LLMServer


def _config(tmp_path, run_dir, *, dpo="dpo", llm="", limit=12):
    path = tmp_path / f"{run_dir.name}.yaml"
    path.write_text(
        f"name: dpo-test\nseed: 3\nrun_dir: {run_dir}\nlimit: {limit}\n"
        "seeds: [{plugin: bundled}]\nback_translators: [rules]\ncombiner: {plugin: crab}\n"
        f"outputs: [sft, {dpo}, card]\n{llm}",
        encoding="utf-8",
    )
    return path


def _run(config):
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(config), "-q"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def types():
    return load().constraint_types


def _assert_verified_pairs(rows, types):
    assert rows
    for row in rows:
        chosen, rejected = row["chosen"][0]["content"], row["rejected"][0]["content"]
        assert row["prompt"][0]["role"] == "user" and row["violated"]
        for c in row["constraints"]:
            assert check(types[c["type"]], chosen, c["kwargs"]), (row["id"], c)
        for c in row["violated"]:
            assert not check(types[c["type"]], rejected, c["kwargs"]), (row["id"], c)
        kept = [c for c in row["constraints"] if c not in row["violated"]]
        assert all(check(types[c["type"]], rejected, c["kwargs"]) for c in kept)  # violated lists them all


@pytest.mark.slow
def test_perturbed_pairs_are_verified_and_the_same_on_every_run(tmp_path, types):
    _run(_config(tmp_path, tmp_path / "a"))
    _run(_config(tmp_path, tmp_path / "b"))
    rows = _rows(tmp_path / "a" / "dpo.jsonl")
    _assert_verified_pairs(rows, types)
    assert all(r["strategy"].startswith("perturb:") for r in rows)
    assert len({r["strategy"] for r in rows}) >= 3  # several edits, chosen by fewest violations
    for name in ("dpo.jsonl", "README.md", "sft.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.slow
def test_llm_rejected_answers_are_kept_only_when_they_break_a_constraint(tmp_path, types, monkeypatch):
    monkeypatch.setenv("DPO_TEST_KEY", "sk-dpo-test-key-123")

    def reply(body):
        prompt = body["messages"][-1]["content"]
        if "boredom" in prompt.lower():
            return 400, {"error": {"message": "this prompt is refused"}}
        return "ok"  # two letters: breaks every length, keyword and format constraint

    with LLMServer(reply=reply) as server:
        llm = f"llm: {{model: openai/test-model, api_base: '{server.url}', api_key_env: DPO_TEST_KEY}}\n"
        _run(_config(tmp_path, tmp_path / "run", dpo="{plugin: dpo, strategy: llm, fallback: null}", llm=llm))
    rows = _rows(tmp_path / "run" / "dpo.jsonl")
    _assert_verified_pairs(rows, types)
    assert {r["strategy"] for r in rows} == {"llm"} and {r["rejected"][0]["content"] for r in rows} == {"ok"}
    failures = _rows(tmp_path / "run" / "failures.jsonl")
    refused = [f for f in failures if f["stage"] == "output:dpo"]
    assert refused and all("refused" in f["reason"] for f in refused)
    sft = _rows(tmp_path / "run" / "sft.jsonl")
    # every sample is a pair, a logged failure, or counted: "ok" keeps a sample whose every line it also meets
    # ("at most 120 words", "no !": since issue 30's choice of lines, some samples carry only such lines)
    counts = json.loads((tmp_path / "run" / "stats.json").read_text(encoding="utf-8"))["outputs"]["dpo"]
    assert counts["rows"] == len(rows) and counts["nothing_violated"] >= 1
    assert len(rows) + len(refused) + counts["nothing_violated"] == len(sft)
    assert "sk-dpo-test-key-123" not in "".join(
        p.read_text(errors="ignore")
        for p in (tmp_path / "run").rglob("*")
        if p.is_file() and p.suffix in (".jsonl", ".json", ".md", ".yaml")
    )
