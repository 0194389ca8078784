"""The IFEval family's registration, phrasings and rule back-translation (derive)."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import ifeval_corpus as corpus
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crabplug


@pytest.fixture(scope="module")
def types():
    return crabplug.load_plugins(only=["ifeval"]).constraint_types


def test_registers_25_types_of_family_ifeval_with_conflicts(types):
    assert len(types) == 25
    assert {t.family for t in types.values()} == {"ifeval"}
    assert all(t.check and t.derive and t.summary and t.id in t.conflicts for t in types.values())


def test_registering_the_types_loads_neither_nltk_nor_langdetect():
    code = (
        "import sys, crabplug; crabplug.load_plugins(only=['ifeval']); "
        "print(any(m in sys.modules for m in ('nltk', 'langdetect', 'numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def _kwargs_samples(type_id):
    pool = corpus.kwargs_pool().get(type_id) or [{}]
    return pool[:5]


def test_describe_has_three_distinct_phrasings_per_type(types):
    for type_id, ctype in types.items():
        kwargs = _kwargs_samples(type_id)[0]
        texts = {ctype.describe(kwargs, random.Random(seed)) for seed in range(60)}
        assert len(texts) >= 3, type_id


def test_describe_is_deterministic_for_a_seed(types):
    for type_id, ctype in types.items():
        kwargs = _kwargs_samples(type_id)[0]
        assert ctype.describe(kwargs, random.Random(7)) == ctype.describe(kwargs, random.Random(7))


def test_describe_offers_ifevals_own_wording(types):
    ctype = types["length_constraints:number_words"]
    kwargs = {"num_words": 300, "relation": "at least"}
    texts = {ctype.describe(kwargs, random.Random(seed)) for seed in range(60)}
    assert "Answer with at least 300 words." in texts


def test_describe_names_the_language_not_its_code(types):
    ctype = types["language:response_language"]
    assert all("code" not in ctype.describe({"language": "fr"}, random.Random(s)) for s in range(10))
    assert any("French" in ctype.describe({"language": "fr"}, random.Random(s)) for s in range(10))


_TOKENS = st.sampled_from(
    [
        "word",
        "Word",
        "WORD",
        "the",
        "I",
        "Dr.",
        ".",
        ",",
        "!",
        "?",
        "*",
        "**",
        "***",
        "******",
        "-",
        "#",
        "[x]",
        "<<Title>>",
        '"',
        "P.S.",
        "p.p.s",
        "Section 1",
        "SECTION 2",
        "My answer is no.",
        "\n",
        "\n\n",
        " ",
        "é",
        "Ünï",
    ]
)
_RESPONSES = st.lists(_TOKENS, max_size=50).map(" ".join) | st.text(max_size=80) | st.sampled_from(corpus.EDGE_CASES)


@settings(
    max_examples=int(os.environ.get("IFEVAL_EXAMPLES", 200)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(response=_RESPONSES, prompt=st.sampled_from(["Write a poem.", "", "word"]), seed=st.integers(0, 2**16))
def test_derived_kwargs_are_satisfied_by_the_response(types, response, prompt, seed):
    if prompt and seed % 3 == 0:
        response = prompt + "\n" + response
    example = crabplug.Example(instruction=prompt, response=response)
    for type_id, ctype in types.items():
        kwargs = ctype.derive(example, random.Random(seed))
        if kwargs is not None:
            assert crabplug.check(ctype, response, kwargs), (type_id, kwargs)


def test_derive_finds_something_for_ifeval_shaped_responses(types):
    rng = random.Random(3)
    derived = set()
    for prompt, response in corpus.prompt_responses(rng, 200):
        example = crabplug.Example(instruction=prompt, response=response)
        for type_id, ctype in types.items():
            kwargs = ctype.derive(example, rng)
            if kwargs is not None:
                assert crabplug.check(ctype, response, kwargs), (type_id, kwargs)
                derived.add(type_id)
    assert derived == set(types)


def test_derived_counts_are_rounded_like_a_person_would(types):
    ctype = types["length_constraints:number_words"]
    example = crabplug.Example(instruction="x", response=" ".join(["word"] * 237))
    seen = {tuple(sorted(ctype.derive(example, random.Random(s)).items())) for s in range(20)}
    assert seen == {(("num_words", 230), ("relation", "at least")), (("num_words", 240), ("relation", "less than"))}
