"""Evaluation-only constraint types (``training=False``) never reach training data.

The rules back-translator never derives them and the crab combiner drops them whoever proposed them (an LLM
mapping, a custom back-translator), so a benchmark's held-out types cannot leak into SFT/DPO/RLVR rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from crabplug_crab.combine import CrabCombiner
from crabplug_crab.rules import RulesBackTranslator

from crabplug import Annotated, Constraint, ConstraintType, Example
from crabplug.plugins import load
from crabplug.stages import Context

EVAL_ONLY = ConstraintType(
    id="heldout:anything",
    family="heldout",
    describe=lambda kw, rng: "Write anything.",
    check=lambda response: True,  # every response meets it, so only the flag can keep it out
    derive=lambda example, rng: {},
    training=False,
)


def _context(tmp_path: Path) -> Context:
    registry = load()
    registry.constraint_types[EVAL_ONLY.id] = EVAL_ONLY
    return Context(run_dir=tmp_path, seed=0, registry=registry)


def test_types_are_for_training_unless_they_say_otherwise():
    assert ConstraintType(id="a:b", family="a", describe=lambda kw, rng: "").training is True
    assert EVAL_ONLY.training is False


def test_the_rules_back_translator_never_derives_an_eval_only_type(tmp_path):
    ctx = _context(tmp_path)
    example = Example(instruction="Say hello.", response="Hello there. This is a plain answer of some words.")
    found = RulesBackTranslator().derive_all(example, ctx)
    assert found, "the other families derive constraints from this response"
    assert EVAL_ONLY.id not in {c.type for c in found}
    assert EVAL_ONLY not in RulesBackTranslator(types=("heldout:*",)).selected(ctx)


def test_the_crab_combiner_drops_an_eval_only_constraint_even_when_verified(tmp_path):
    ctx = _context(tmp_path)
    # an answer a reader sees as lowercase prose (a two-word one would make the lowercase rule trivial)
    answer = "hello there, it is good to see you again after such a long and busy week at work."
    # a text message: all lowercase fits it (crabplug_crab.fits keeps lowercase to casual requests)
    example = Example(instruction="Write a text message to say hello.", response=answer)
    held = Constraint(type=EVAL_ONLY.id, text="Write anything.", origin="llm", verified=True, verified_by="code")
    fine = Constraint(type="change_case:english_lowercase", verified=True, verified_by="code")
    records = [
        Annotated(example=example, constraints=(held, fine)),
        Annotated(example=Example(instruction="Again.", response="ok"), constraints=(held,)),
    ]
    # anchor_natural and single_natural 0: "all lowercase" alone is a weak line that the natural choice would not
    # use on its own; this test is about the eval-only line, not about that choice
    samples = list(CrabCombiner(p_demos=0.0, anchor_natural=0, single_natural=0).combine(iter(records), ctx))
    assert [[c.type for c in s.constraints] for s in samples] == [["change_case:english_lowercase"]]
    assert ctx.stats["crab.eval_only_dropped"] == 2


# -- the default configs' outputs hold no IFBench type and no IFBench prompt ------------------------------------

ROOT = Path(__file__).resolve().parents[3]
IFBENCH_TYPES = {t for t, c in load().constraint_types.items() if c.family == "ifbench"}
TRAINING_FILES = (
    "sft.jsonl",
    "sft-mix.jsonl",
    "dpo.jsonl",
    "backtranslation.jsonl",
    "rlvr.jsonl",
    "rlvr-open-instruct.jsonl",
    "samples.jsonl",
)


def _types_and_text(run_dir: Path) -> tuple[set[str], str]:
    """Every constraint type id named in the run's training files, and their whole text."""
    import json

    found, text = set(), ""
    for name in TRAINING_FILES:
        path = run_dir / name
        if path.exists():
            content = path.read_text(encoding="utf-8")
            text += content
            for line in content.splitlines():
                row = json.loads(line)
                found.update(c["type"] for c in row.get("constraints", []) if isinstance(c, dict) and "type" in c)
                found.update(row.get("instruction_id_list", []))
    return found, text


def _assert_no_ifbench(run_dir: Path) -> None:
    from crabplug_ifbench.benchmark import IFBench

    types, text = _types_and_text(run_dir)
    assert len(IFBENCH_TYPES) == 58  # crabplug-ifbench is installed, so its types were there to be picked
    assert types, "the run made constraints"
    assert not types & IFBENCH_TYPES
    assert not [t for t in IFBENCH_TYPES if f'"{t}"' in text or f'\\"{t}\\"' in text]  # nor in RLVR ground truth
    assert not any(row["prompt"][:80] in text for row in IFBench().prompts())  # no prompt leaked either


@pytest.mark.slow
def test_the_quickstart_code_only_part_puts_no_ifbench_type_into_training_data(tmp_path):
    run_dir = tmp_path / "qs"
    cmd = [sys.executable, "-m", "crabplug", "run", str(ROOT / "configs" / "quickstart.yaml"), "-q", "-o", str(run_dir)]
    cmd += ["--set", "back_translators=[rules]", "--set", "verifiers=[code]", "--set", "limit=30"]
    cmd += ["--set", "outputs=[{plugin: sft, reverse_share: 0.3}, backtranslation, dpo, rlvr]"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    _assert_no_ifbench(run_dir)


@pytest.mark.slow
def test_the_paper_config_with_local_seeds_puts_no_ifbench_type_into_training_data(tmp_path):
    from test_crab_paper_config import _seed_files, model

    from crabplug.testing.llm_server import LLMServer

    alpaca, sharegpt = _seed_files(tmp_path)
    run_dir = tmp_path / "paper"
    seeds = f"seeds=[{{plugin: jsonl, path: '{alpaca}'}}, {{plugin: jsonl, path: '{sharegpt}'}}]"
    with LLMServer(reply=model) as server:
        cmd = [sys.executable, "-m", "crabplug", "run", str(ROOT / "configs" / "crab-paper.yaml"), "-q"]
        cmd += ["-o", str(run_dir), "--set", seeds, "--set", "llm.model=openai/test-model"]
        cmd += ["--set", f"llm.api_base={server.url}", "--set", "llm.api_key_env=IFB_TEST_KEY"]
        env = {**os.environ, "IFB_TEST_KEY": "sk-ifbench-test-0000"}
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    _assert_no_ifbench(run_dir)
