"""Parity: crabplug_iftrain's verdicts are open-instruct's (IFEvalG at the commit in this package's
tests/reference/), strict
and loose, for all 29 IFTrain types on real answers (o3-mini, gemini-2.0-flash), edited answers, transformed
answers and crafted edge cases, each with derived, generated and adversarial kwargs.

Run alone with ``-s`` to see the counts:
``.venv/bin/python -m pytest -q -s packages/crabplug-iftrain/packages/crabplug-iftrain/tests/test_iftrain_parity.py``.
"""

from __future__ import annotations

import json
import os
import random

import iftrain_corpus as corpus
import iftrain_reference as reference
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crabplug

pytest.importorskip("absl", reason="the reference imports absl-py (the dev extra)")


@pytest.fixture(scope="module")
def types():
    reference.registry()
    registry = crabplug.load_plugins(only=["iftrain"])
    return {t.id: t for t in registry.constraint_types.values() if t.family == "iftrain"}


# the types that run nltk.word_tokenize (the reference's slowest path)
NLTK_TYPES = {"count:count_unique", "keywords:start_end", "count:counting_composition",
              "keywords:keyword_specific_position"}  # fmt: skip


def _outcome(fn):
    try:
        return fn()
    except Exception as err:  # both sides must fail alike on kwargs they cannot use
        return type(err).__name__


def _mine(ctype, response, kwargs):
    return (_outcome(lambda: crabplug.check(ctype, response, kwargs)),
            _outcome(lambda: crabplug.check(ctype, response, kwargs, loose=True)))  # fmt: skip


def _theirs(type_id, response, kwargs):
    out = _outcome(lambda: reference.verdicts(type_id, kwargs, response))
    return out if isinstance(out, tuple) else (out, out)


def _cases(types, rng):
    """Distinct (type id, kwargs, response) triples: every type on every response, derived + generated kwargs."""
    seen = set()
    for case in _all_cases(types, rng):
        key = (case[0], json.dumps(case[1], sort_keys=True), case[2])
        if key not in seen:
            seen.add(key)
            yield case


def _all_cases(types, rng):
    from crabplug import TransformSkipped

    real = corpus.real_pairs()
    pairs = [(p, r) for r in corpus.EDGE_CASES for p in corpus.PROMPTS[:1]] + corpus.edited(real, rng, 120)
    pairs += [(p, r) for p, r in real]
    for i, (instruction, response) in enumerate(pairs):
        example = crabplug.Example(instruction=instruction, response=response)
        for type_id, ctype in types.items():
            if type_id in NLTK_TYPES and i >= len(pairs) - len(real) and i % 4:
                continue  # NLTK tokenizes a long answer in milliseconds, 8 loose variants on each side: 1 in 4
            candidates = [corpus.generated_kwargs(type_id, rng, instruction, response) for _ in range(2)]
            if ctype.derive is not None:
                candidates.append(ctype.derive(example, rng))
            for kwargs in candidates:
                if kwargs is not None and corpus.reference_safe(type_id, kwargs):
                    yield type_id, kwargs, response
    yield from corpus.CRAFTED
    for type_id, ctype in types.items():
        for instruction, response in real if ctype.transform else ():
            try:
                edited, kwargs = ctype.transform.apply(
                    crabplug.Example(instruction=instruction, response=response), rng
                )
            except TransformSkipped:
                continue
            yield type_id, kwargs, edited


@pytest.mark.slow  # about 25 s of CPU: NLTK and 8 loose variants on both sides, on 25,000 cases
def test_every_verdict_matches_open_instruct_strict_and_loose(types):
    rng = random.Random(20250707)
    compared, disagreements, per_type, passed = 0, [], {t: 0 for t in types}, {t: 0 for t in types}
    for type_id, kwargs, response in _cases(types, rng):
        mine, theirs = _mine(types[type_id], response, kwargs), _theirs(type_id, response, kwargs)
        compared += 1
        per_type[type_id] += 1
        passed[type_id] += theirs[0] is True
        if mine != theirs:
            disagreements.append((type_id, kwargs, response[:200], theirs, mine))
    print(
        f"\niftrain parity: {len(types)} types, {compared} cases x (strict, loose), {len(disagreements)} disagreements"
    )
    print("cases per type (of which the reference passes strictly):",
          ", ".join(f"{t} {per_type[t]} ({passed[t]})" for t in types))  # fmt: skip
    assert disagreements[:5] == []
    assert len(types) == 29 and min(per_type.values()) >= 200
    # each type meets both verdicts on the corpus, so agreement is not a run of Falses
    assert all(passed[t] >= 5 for t in types), passed


_TOKENS = st.sampled_from(
    ["word", "Word", "WORD", "the", "The", "a", "I", "level", "noon", "Dr.", "p.m.", "U.S.", "e.g.", "3.14",
     "example.com", ".", ",", "!", "?", "...", "-", "--", "*", "***", "******", "[x]", "[", "]", "<<", ">>",
     "<<a", "b>>", '"', "“", "”", "'", "don't", "İ", "ß", "é", "日本", "\n", "\n\n", " ", "\t", "early",
     "bird", "catches", "worm", "cat", "Cat", "cats", "bcd", "abc"]
)  # fmt: skip
_WORDS = st.lists(_TOKENS, max_size=30)
_TEXT = _WORDS.map(" ".join) | _WORDS.map("".join) | st.text(max_size=40)


@settings(max_examples=int(os.environ.get("IFTRAIN_EXAMPLES", 150)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(response=_TEXT, seed=st.integers(0, 2**16))
def test_verdicts_match_open_instruct_on_generated_text(types, response, seed):
    rng = random.Random(seed)
    for type_id, ctype in types.items():
        kwargs = corpus.generated_kwargs(type_id, rng, "Write about the early bird.", response)
        if corpus.reference_safe(type_id, kwargs):
            assert _mine(ctype, response, kwargs) == _theirs(type_id, response, kwargs), (type_id, kwargs)
