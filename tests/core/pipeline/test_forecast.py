"""``crabplug run --dry-run`` forecasts calls and tokens within 25% of what the run then uses, offline.

The measured runs go through the real LLM door over HTTP to crabplug/testing/llm_server.py, whose scripted model answers
as a model would (one sentence per category, a JSON list of constraints, YES) and reports usage counted with
litellm's bundled tokenizer, as a server counts with its model's. The forecast sees none of these answers.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from core_helpers import crabplug_cmd, env

from crabplug import config as cfg
from crabplug.pipeline.assemble import build_stages, llm_factory
from crabplug.pipeline.forecast import forecast
from crabplug.pipeline.run import execute
from crabplug.plugins import load
from crabplug.stages import Context
from crabplug.testing.llm_server import LLMServer, completion

pytestmark = pytest.mark.slow  # two real runs through the door: about 20 s on 2 cores

ROOT = Path(__file__).parents[3]

# What a model says per category (not the prompts' own examples: the forecast must not see the answers)
SENTENCES = {
    "length": "Write at least 120 words in total.",
    "writing_style": "Keep a calm, plain and informative tone for a general reader.",
    "semantic_elements": "Refer to concrete everyday examples that a reader would recognise.",
    "morphological": "Use standard sentence case and ordinary punctuation throughout.",
    "multilingual": "Write the whole answer in English.",
    "hierarchical_instructions": "Start with a short definition and then explain the details step by step.",
    "special_output_format": "Present the answer as ordinary prose rather than code or a table.",
    "paragraphs": "Divide the answer into 3 paragraphs.",
    "specific_sentence": "Close with a sentence that sums up the main point.",
    "key_formatting": "Do not use any bold or italic markup.",
    "item_listing": "Avoid bulleted or numbered lists.",
}
JSON_PICK = ("length", "writing_style", "semantic_elements", "hierarchical_instructions", "special_output_format",
             "paragraphs", "key_formatting", "item_listing")  # 8, as the prompt allows; a model's own choice


def _model(body: dict) -> dict:
    import litellm
    from crabplug_crab.llm_translate import CATEGORIES

    from crabplug.records import Example  # noqa: F401  (the door is imported by now; litellm's env is set)

    prompt = body["messages"][-1]["content"]
    if "Answer YES or NO" in prompt:
        text = "YES"
    elif "Answer with JSON only" in prompt:
        text = json.dumps({"constraints": [{"category": c, "constraint": SENTENCES[c]} for c in JSON_PICK]})
    else:
        category = next(c for c, (description, _) in CATEGORIES.items() if f"Describe the {description} " in prompt)
        text = SENTENCES[category]
    out = completion(body, text)
    prompt_tokens = litellm.token_counter(messages=body["messages"])
    output_tokens = litellm.token_counter(text=text, count_response_tokens=True)
    out["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": output_tokens,
                    "total_tokens": prompt_tokens + output_tokens}
    return out


def _forecast_and_run(path: Path, run_dir: Path, overrides: tuple[str, ...]) -> tuple[dict, dict]:
    registry = load([])
    config, data = cfg.load(path, overrides)
    ctx = Context(run_dir=run_dir, seed=config.seed, registry=registry, config=config, limit=config.limit)
    ctx.llm_factory = llm_factory(config, registry, run_dir, ctx)
    predicted = forecast(config, registry, build_stages(config, registry), ctx)
    assert not run_dir.exists()  # the forecast wrote nothing
    execute(config, data, registry, run_dir=run_dir, quiet=True)
    used = json.loads((run_dir / "usage.json").read_text())["this_run"]["total"]
    return predicted, used


def _within(predicted: float, measured: float, margin: float = 0.25) -> bool:
    return abs(predicted - measured) <= margin * measured


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("CRAB_TEST_KEY", "sk-test-forecast-0000")
    with LLMServer(reply=_model) as s:
        yield s


def _door(server) -> tuple[str, ...]:
    return ("llm.model=openai/test-model", f"llm.api_base={server.url}", "llm.api_key_env=CRAB_TEST_KEY",
            "llm.concurrency=8", "llm.timeout=30")


def test_the_quickstart_forecast_is_within_25_percent_of_the_measured_run(server, tmp_path):
    predicted, used = _forecast_and_run(ROOT / "configs" / "quickstart.yaml", tmp_path / "run",
                                        (*_door(server), "limit=6", "llm.max_tokens=40", "outputs=[]"))
    total = predicted["total"]
    assert used["calls"] == len(server.requests) > 0
    assert _within(total["calls"], used["calls"]), (total, used)
    assert _within(total["prompt_tokens"], used["prompt_tokens"]), (total, used)
    assert _within(total["prompt_tokens"] + total["output_tokens"], used["prompt_tokens"] + used["completion_tokens"])


def test_a_crab_paper_forecast_on_local_seeds_is_within_25_percent(server, tmp_path):
    bundled = ROOT / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
    predicted, used = _forecast_and_run(
        ROOT / "configs" / "crab-paper.yaml", tmp_path / "run",
        (*_door(server), "limit=5", f"seeds=[{{plugin: jsonl, path: {bundled}}}]", "llm.max_cost=null", "outputs=[]"),
    )
    total = predicted["total"]
    assert used["calls"] == len(server.requests) > 0
    assert _within(total["calls"], used["calls"]), (total, used)
    assert _within(total["prompt_tokens"], used["prompt_tokens"]), (total, used)


def test_the_crab_paper_dry_run_offline_says_the_seeds_could_not_be_sampled_and_still_forecasts():
    out = subprocess.run(crabplug_cmd("run", str(ROOT / "configs" / "crab-paper.yaml"), "--dry-run",
                                      "--set", "llm.model=openai/gpt-4o-mini"),
                         env={**env(), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "COLUMNS": "200"},
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "seeds could not be sampled (" in out.stdout
    assert "estimating from the config: 80000 records" in out.stdout  # 4 sources x max_per_source 20000
    line = next(x for x in out.stdout.splitlines() if x.startswith("estimated LLM calls: "))
    assert "cost: $" in line and "time: about" in out.stdout
