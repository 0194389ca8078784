"""Differential test: crabplug_ifeval's checks give the reference's (Google IFEval, lm-eval 0.4.13) verdicts,
strict and loose, on hand-written edge cases, responses built from IFEval's prompts and hypothesis text."""

from __future__ import annotations

import logging
import os
import random

import ifeval_corpus as corpus
import ifeval_reference as reference
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crabplug

logging.getLogger("lm_eval").setLevel(logging.CRITICAL)  # the reference logs every undetectable language


@pytest.fixture(scope="module")
def registry():
    reference.load()
    return crabplug.load_plugins(only=["ifeval"])


def _rows(rng: random.Random, pairs, type_ids):
    pool = corpus.kwargs_pool()
    for prompt, response in pairs:
        kwargs = []
        for type_id in type_ids:
            kw = rng.choice(pool[type_id]) if pool.get(type_id) and rng.random() < 0.5 else {}
            if not kw or not corpus.reference_safe(type_id, kw):
                kw = corpus.generated_kwargs(type_id, rng, response, prompt)
            kwargs.append(kw)
        yield prompt, response, kwargs


def _disagreements(registry, rows, type_ids):
    found, compared = [], 0
    for prompt, response, kwargs in rows:
        strict, loose = reference.verdicts(prompt, response, type_ids, kwargs)
        for i, type_id in enumerate(type_ids):
            ctype = registry.constraint_types[type_id]
            mine = (crabplug.check(ctype, response, kwargs[i]), crabplug.check(ctype, response, kwargs[i], loose=True))
            compared += 1
            if mine != (strict[i], loose[i]):
                found.append((type_id, kwargs[i], response, (strict[i], loose[i]), mine))
    return found, compared


def test_verdicts_match_reference_on_edge_cases_and_prompt_responses(registry):
    rng = random.Random(20231107)
    type_ids = list(registry.constraint_types)
    pairs = [("Write something.", r) for r in corpus.EDGE_CASES] + corpus.prompt_responses(rng, 300)
    found, compared = _disagreements(registry, _rows(rng, pairs, type_ids), type_ids)
    print(f"\ncorpus: {len(pairs)} responses, {compared} verdicts x 2 modes, {len(found)} disagreements")
    assert compared == len(pairs) * 25
    assert found == []


_TOKENS = st.sampled_from(
    [
        "word",
        "Word",
        "WORD",
        "the",
        "I",
        "OK",
        "a.m.",
        "Dr.",
        ".",
        ",",
        "!",
        "?",
        "...",
        "*",
        "**",
        "***",
        "******",
        "-",
        "#",
        "[x]",
        "[",
        "]",
        "<<T>>",
        "<<",
        ">>",
        '"',
        "'",
        "P.S.",
        "p.s",
        "P.P.S",
        "Section",
        "SECTION",
        "1",
        "22",
        "{",
        "}",
        "```json",
        "```",
        "My answer is yes.",
        "\n",
        "\n\n",
        " ",
        "\t",
        "é",
        "ß",
        "Ünï",
        "日本語",
        "Привет",
    ]
)
_TEXT = st.lists(_TOKENS, max_size=40).map(" ".join) | st.text(max_size=60)


@settings(
    max_examples=int(os.environ.get("IFEVAL_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(response=_TEXT, seed=st.integers(0, 2**16))
def test_verdicts_match_reference_on_generated_text(registry, response, seed):
    type_ids = list(registry.constraint_types)
    rows = _rows(random.Random(seed), [("Write something.", response)], type_ids)
    found, _ = _disagreements(registry, rows, type_ids)
    assert found == []


def test_every_kwargs_of_ifeval_input_data_is_accepted(registry):
    for row in corpus.input_rows():
        for type_id, kwargs in zip(row["instruction_id_list"], row["kwargs"], strict=True):
            ctype = registry.constraint_types[type_id]
            assert set(kwargs) <= set(ctype.kwargs)
            assert isinstance(crabplug.check(ctype, "Some response text.", kwargs, loose=True), bool)


def test_letter_frequency_counts_hash_and_bang_literally(registry):
    ctype = registry.constraint_types["keywords:letter_frequency"]
    assert crabplug.check(ctype, "# a ## b", {"letter": "#", "let_frequency": 3, "let_relation": "at least"})
    assert not crabplug.check(ctype, "Wow! Yes!", {"letter": "!", "let_frequency": 2, "let_relation": "less than"})


def test_conflicts_are_ifevals_conflict_table(registry):
    ifeval = reference.load().registry
    # IFEval states the table one-sided; its conflict_make closes it (symmetric, each type with itself).
    table = ifeval.conflict_make({k: set(v) for k, v in ifeval.INSTRUCTION_CONFLICTS.items()})
    for type_id, ctype in registry.constraint_types.items():
        assert ctype.conflicts == frozenset(table[type_id]), type_id


def test_type_ids_are_ifevals(registry):
    assert set(registry.constraint_types) == set(reference.load().registry.INSTRUCTION_DICT)
