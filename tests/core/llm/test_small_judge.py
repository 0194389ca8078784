"""A constraint only a model too small to judge said YES to never enters training data, unless a config opts in.

The judge runs through the real door over HTTP to crabplug/testing/llm_server.py; a plugin written here declares the
served model too small, exactly as the embedded-model plugin declares SmolLM2-135M.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from crabplug import config as cfg
from crabplug.pipeline.run import execute
from crabplug.plugins import load
from crabplug.testing.llm_server import LLMServer

pytestmark = pytest.mark.slow  # two runs through the door: about 30 s on 2 cores

BUNDLED = Path(__file__).parents[3] / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"
TINY = textwrap.dedent('''
    from crabplug import hookimpl

    @hookimpl
    def too_small_to_judge(model):
        return True if model == "openai/tiny-judge" else None
''')


def _reply(body: dict) -> str:
    prompt = body["messages"][-1]["content"]
    return "YES" if "Answer YES or NO" in prompt else "Write the answer in the form of a formal letter."


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    (tmp_path / "tiny_judge.py").write_text(TINY)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("CRAB_TEST_KEY", "sk-test-judge-0000")
    return load(["tiny_judge"])


def _run(tmp_path: Path, registry, server, judge: str) -> tuple[list[dict], dict]:
    path = tmp_path / "c.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: judge
        limit: 3
        seeds: [{{plugin: jsonl, path: {BUNDLED}}}]
        llm: {{model: openai/tiny-judge, api_base: "{server.url}", api_key_env: CRAB_TEST_KEY}}
        back_translators:
          - rules
          - {{plugin: llm, mode: per_category, categories: [special_output_format]}}
        verifiers: [code, {judge}]
        combiner: {{plugin: crab}}
        outputs: [sft, {{plugin: card, plots: false}}]
    """))
    config, data = cfg.load(path)
    run_dir = tmp_path / ("opt-in" if "trust" in judge else "default")
    result = execute(config, data, registry, run_dir=run_dir, quiet=True)
    rows = [json.loads(x) for x in (run_dir / "sft.jsonl").read_text().splitlines()]
    return [c for r in rows for c in r["constraints"]], result.stats


def test_by_default_a_too_small_judges_yes_leaves_a_candidate_out_of_training_data(tmp_path, tiny):
    with LLMServer(reply=_reply) as server:
        constraints, stats = _run(tmp_path, tiny, server, "llm")
    assert constraints and all(c["origin"] == "rule" for c in constraints)
    assert stats["llm.judge_too_small_yes"] == 3  # one LLM sentence per seed, each a candidate
    assert stats["candidates_by_origin"]["llm"] == {"unverified": 3}
    card = (tmp_path / "default" / "README.md").read_text()
    assert "**Candidates:** 3 LLM-written constraints were passed only by a judge too small to judge" in card


def test_a_config_opts_in_to_the_small_judges_verdicts(tmp_path, tiny):
    with LLMServer(reply=_reply) as server:
        constraints, stats = _run(tmp_path, tiny, server, "{plugin: llm, trust_small_judge: true}")
    judged = [c for c in constraints if c["origin"] == "openai/tiny-judge"]
    assert judged and all(c["verified_by"] == "llm:openai/tiny-judge" for c in judged)
    assert "llm.judge_too_small_yes" not in stats


def test_the_embedded_model_declares_itself_too_small_to_judge():
    hook = load([]).pm.hook.too_small_to_judge
    assert hook(model="local/smollm2-135m") is True
    assert hook(model="openai/gpt-4o-mini") is None
