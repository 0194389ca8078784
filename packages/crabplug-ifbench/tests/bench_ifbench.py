"""Benchmark: verifying IFBench's 300 prompts, crabplug's checks against IFBench's own evaluator, one run.

Run: .venv/bin/python -m pytest -m benchmark packages/crabplug-ifbench/tests/bench_ifbench.py -s
Both score the same real response file (IFBench's sample output) strict and loose, cold (crabplug's caches
cleared) and in one process; per type family (count, ratio, words, sentence, format, custom, repeat) the
seconds each spends in its checks. The instructions needing NLTK data no PyPI package ships are left out of
both when it is absent (as crabplug's eval leaves them out).
"""

from __future__ import annotations

import collections
import copy
import time

import ifbench_corpus as corpus
import ifbench_reference as reference
import pytest

import crabplug
from crabplug import load_plugins  # noqa: E402


def _rows_and_answers():
    answers = {p.strip(): r for p, r in corpus.sample_responses().items()}
    rows = []
    for row in corpus.prompts():
        keep = [i for i, t in enumerate(row["instruction_id_list"]) if reference.has_nltk_data(t)]
        if keep and row["prompt"].strip() in answers:
            ids = [row["instruction_id_list"][i] for i in keep]
            rows.append({**row, "instruction_id_list": ids, "kwargs": [row["kwargs"][i] for i in keep]})
    return rows, {r["prompt"]: answers[r["prompt"].strip()] for r in rows}


def _per_family_reference(rows, answers):
    ev = reference.load().evaluation
    seconds = collections.Counter()
    for row in rows:
        for type_id, kwargs in zip(row["instruction_id_list"], row["kwargs"], strict=True):
            one = ev.InputExample(row["key"], [type_id], row["prompt"], [copy.deepcopy(kwargs)])
            start = time.perf_counter()
            ev.test_instruction_following_strict(one, answers)
            ev.test_instruction_following_loose(one, answers)
            seconds[type_id.split(":")[0]] += time.perf_counter() - start
    return seconds


def _per_family_crabplug(rows, answers, types):
    from crabplug_ifbench.benchmark import score_row

    seconds = collections.Counter()
    for row in rows:
        for type_id, kwargs in zip(row["instruction_id_list"], row["kwargs"], strict=True):
            one = {"response": answers[row["prompt"]], "instruction_id_list": [type_id], "kwargs": [kwargs]}
            start = time.perf_counter()
            score_row(types, one)
            seconds[type_id.split(":")[0]] += time.perf_counter() - start
    return seconds


@pytest.mark.benchmark
def test_verification_speed_per_family_against_ifbench_evaluator():
    rows, answers = _rows_and_answers()
    types = load_plugins([]).constraint_types
    reference.load()
    start = time.perf_counter()
    theirs = reference.score_file(rows, answers)
    ref_total = time.perf_counter() - start
    crabplug.clear_tokenizer_caches()
    from crabplug_ifbench.benchmark import score_row

    start = time.perf_counter()
    ours = [score_row(types, {**r, "response": answers[r["prompt"]]}) for r in rows]
    our_total = time.perf_counter() - start
    assert [o["follow_instruction_list_loose"] for o in ours] == [t.follow_instruction_list for t in theirs["loose"]]
    ref_family = _per_family_reference(rows, answers)
    crabplug.clear_tokenizer_caches()
    our_family = _per_family_crabplug(rows, answers, types)
    n = sum(len(r["instruction_id_list"]) for r in rows)
    print(f"\n{len(rows)} prompts, {n} instructions, strict + loose:", end=" ")
    print(f"IFBench {ref_total:.2f} s, crabplug {our_total:.2f} s")
    for family in sorted(ref_family):
        print(f"  {family:9s} IFBench {ref_family[family]:6.3f} s  crabplug {our_family[family]:6.3f} s")
