"""Benchmark: verifying the 29 IFTrain types, crabplug_iftrain against open-instruct's own checkers, one run.

Run: .venv/bin/python -m pytest -m benchmark packages/crabplug-iftrain/tests/bench_iftrain.py -s
Both check the same cases (each type on the 300 real answers of the parity corpus, with kwargs derived from
each answer or generated for it), strict and loose, cold (crabplug_iftrain's caches cleared, the reference
with NLTK's plain ``word_tokenize``), and the verdicts must agree; per id prefix (copy, keywords, count, ...)
the CPU seconds each side spends (``time.process_time``: the machine's load does not move the ratio).
"""

from __future__ import annotations

import collections
import random
import time

import iftrain_corpus as corpus
import iftrain_reference as reference
import pytest

import crabplug


def _cases(types):
    rng = random.Random(7)
    out = []
    for instruction, response in corpus.real_pairs():
        example = crabplug.Example(instruction=instruction, response=response)
        for type_id, ctype in types.items():
            kwargs = ctype.derive(example, rng) if ctype.derive else None
            if kwargs is None:
                kwargs = corpus.generated_kwargs(type_id, rng, instruction, response)
            if corpus.reference_safe(type_id, kwargs):
                out.append((type_id, kwargs, response))
    return out


@pytest.mark.benchmark
def test_verification_speed_per_family_against_open_instruct():
    import nltk
    from crabplug_iftrain import text

    registry = crabplug.load_plugins(only=["iftrain"])
    types = {t.id: t for t in registry.constraint_types.values() if t.family == "iftrain"}
    reference.registry()
    from open_instruct.IFEvalG import instructions_util  # importable once reference.registry() ran
    cases = _cases(types)
    memo, instructions_util.nltk = instructions_util.nltk, nltk  # the reference as shipped: no memo
    theirs, ref_family = [], collections.Counter()
    try:
        for type_id, kwargs, response in cases:
            start = time.process_time()
            theirs.append(reference.verdicts(type_id, kwargs, response))
            ref_family[type_id.split(":")[0]] += time.process_time() - start
    finally:
        instructions_util.nltk = memo
    text.clear_caches()
    ours, our_family = [], collections.Counter()
    for type_id, kwargs, response in cases:
        ctype = types[type_id]
        start = time.process_time()
        ours.append((crabplug.check(ctype, response, kwargs), crabplug.check(ctype, response, kwargs, loose=True)))
        our_family[type_id.split(":")[0]] += time.process_time() - start
    assert ours == theirs
    print(f"\n{len(cases)} cases (29 types x 300 real answers), strict + loose:", end=" ")
    ref, mine = sum(ref_family.values()), sum(our_family.values())
    print(f"open-instruct {ref:.2f} CPU s, crabplug_iftrain {mine:.2f} CPU s: {ref / mine:.1f}x")
    for family in sorted(ref_family):
        print(f"  {family:18s} open-instruct {ref_family[family]:6.3f} s  crabplug_iftrain {our_family[family]:6.3f} s")
