"""Evaluation-only constraint types (``training=False``) never reach training data.

The rules back-translator never derives them and the crab combiner drops them whoever proposed them (an LLM
mapping, a custom back-translator), so a benchmark's held-out types cannot leak into SFT/DPO/RLVR rows.
"""

from __future__ import annotations

from pathlib import Path

from crabplug import Annotated, Constraint, ConstraintType, Example
from crabplug.plugins import load
from crabplug.stages import Context
from crabplug_crab.combine import CrabCombiner
from crabplug_crab.rules import RulesBackTranslator

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
    example = Example(instruction="Say hello.", response="hello there")
    held = Constraint(type=EVAL_ONLY.id, text="Write anything.", origin="llm", verified=True, verified_by="code")
    fine = Constraint(type="change_case:english_lowercase", verified=True, verified_by="code")
    records = [
        Annotated(example=example, constraints=(held, fine)),
        Annotated(example=Example(instruction="Again.", response="ok"), constraints=(held,)),
    ]
    samples = list(CrabCombiner(p_demos=0.0).combine(iter(records), ctx))
    assert [[c.type for c in s.constraints] for s in samples] == [["change_case:english_lowercase"]]
    assert ctx.stats["crab.eval_only_dropped"] == 2
