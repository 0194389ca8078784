"""configs/crab-paper.yaml runs as shipped, with only its seeds and its model's address overridden with --set:
seed files in two formats stand in for the hub datasets, and a scripted model on 127.0.0.1 for Llama-3-70B."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crabplug.testing.llm_server import LLMServer

ROOT = Path(__file__).resolve().parents[3]
LONG = ("Plants need light, water and patience. " * 30).strip()  # 180 words: just short of the 200-word filter


def model(body: dict) -> str:
    """Writes constraints as JSON, judges YES/NO, and answers simple instructions in one short line."""
    prompt = body["messages"][-1]["content"]
    if "YES or NO" in prompt:
        return "YES"
    if "constraint" in prompt.lower():
        return json.dumps(
            {
                "constraints": [
                    {
                        "category": "writing_style",
                        "constraint": "Keep a calm and practical tone for a beginner gardener.",
                    },
                    {"category": "morphological", "constraint": "Write at least 150 words in total."},
                ]
            }
        )
    return "Water it."


def _seed_files(tmp_path: Path) -> tuple[Path, Path]:
    alpaca, sharegpt = tmp_path / "alpaca.jsonl", tmp_path / "sharegpt.jsonl"
    with alpaca.open("w") as f:
        for i in range(6):
            f.write(
                json.dumps(
                    {
                        "instruction": f"How do I care for plant {i}?",
                        "input": "",
                        "output": f"{LONG} Plant {i} likes a bright window and a weekly drink.",
                    }
                )
                + "\n"
            )
    with sharegpt.open("w") as f:
        for i in range(6):
            f.write(
                json.dumps(
                    {
                        "conversations": [
                            {"from": "human", "value": f"Tell me about soil type {i}."},
                            {"from": "gpt", "value": f"{LONG} Soil {i} drains well and holds enough air for roots."},
                        ]
                    }
                )
                + "\n"
            )
    return alpaca, sharegpt


@pytest.mark.slow
def test_the_paper_config_runs_end_to_end_with_local_seeds_and_a_scripted_model(tmp_path, monkeypatch):
    alpaca, sharegpt = _seed_files(tmp_path)
    run_dir = tmp_path / "crab-paper"
    with LLMServer(reply=model) as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "crabplug",
                "run",
                str(ROOT / "configs" / "crab-paper.yaml"),
                "-q",
                "-o",
                str(run_dir),
                "--set",
                f"seeds=[{{plugin: jsonl, path: '{alpaca}', source: alpaca}}, "
                f"{{plugin: jsonl, path: '{sharegpt}', source: sharegpt}}]",
                "--set",
                "llm.model=openai/test-model",
                "--set",
                f"llm.api_base={server.url}",
                "--set",
                "llm.api_key_env=PAPER_TEST_KEY",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
            env={**__import__("os").environ, "PAPER_TEST_KEY": "sk-paper-test-0000"},
        )
    assert done.returncode == 0, done.stderr
    stats = json.loads((run_dir / "stats.json").read_text())
    assert stats["seeds"]["read"] == 12
    assert 0 < stats["seeds"]["ok"] < 12  # the 200-word filter with a tenth of the short ones kept, seeded
    assert set(stats["sources"]) <= {"alpaca", "sharegpt"}
    sft = [json.loads(x) for x in (run_dir / "sft.jsonl").read_text().splitlines()]
    assert len(sft) == stats["seeds"]["ok"]
    origins = {c["origin"] for row in sft for c in row["constraints"]}
    assert "rule" in origins and "openai/test-model" in origins  # rule and LLM constraints combined
    llm_constraints = [c for row in sft for c in row["constraints"] if c["origin"] != "rule"]
    assert llm_constraints and all(c["verified"] for c in llm_constraints)  # judged YES or checked by code
    checked = [json.loads(x) for x in (run_dir / "stages" / "2-verify.jsonl").read_text().splitlines()]
    candidates = [c for r in checked if r["status"] == "ok" for c in r["record"]["constraints"]]
    assert {c["verified_by"].split(":")[0] for c in candidates if c["origin"] != "rule"} == {"code", "llm"}
    assert (run_dir / "sft-mix.jsonl").exists() and (run_dir / "dpo.jsonl").exists()
    card = (run_dir / "README.md").read_text()
    assert "| llm |" in card and "openai/test-model" in card
    assert all(len(r["messages"]) >= 2 for r in sft)
    proposals = [r for r in server.requests if "YES or NO" not in r["messages"][-1]["content"]]
    assert proposals and all(r["temperature"] == 0.4 and r["top_p"] == 0.3 for r in proposals)  # paper sampling
