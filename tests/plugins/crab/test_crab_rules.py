"""The crab family and the ``rules`` back-translator: no registered type ever emits a constraint its response fails."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crabplug import Example
from crabplug.constraints import check
from crabplug.plugins import load
from crabplug.stages import Context

REGISTRY = load()
TYPES = REGISTRY.constraint_types
DERIVABLE = sorted(t for t, ct in TYPES.items() if ct.derive is not None and ct.check is not None)
CRAB = sorted(t for t in TYPES if t.startswith("crab:"))
BUNDLED = Path(__file__).parents[3] / "plugins" / "crabplug_seeds" / "data" / "bundled.jsonl"

WORDS = st.sampled_from(
    "the a boredom mind attention Python, café résumé well-known don't x 42 3.5 JSON title <<Title>> "
    'HELLO world. really? yes! no; maybe: (aside) "quoted" — dash - and / % # * … extraordinarily '
    "internationalization P.S. Section 1 * item".split(" ")
)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", ". ", "! ", "? ", "\n", "\n\n", "\n\n***\n\n", ", "])


@st.composite
def responses(draw):
    parts = draw(st.lists(st.tuples(WORDS, SEPARATORS), min_size=1, max_size=400))
    return "".join(w + s for w, s in parts).strip() or "word"


def test_the_crab_family_has_the_papers_nine_types_namespaced():
    assert CRAB == [
        "crab:chars_per_word",
        "crab:keywords",
        "crab:length_around",
        "crab:length_at_least",
        "crab:length_at_most",
        "crab:length_range",
        "crab:no_punctuation",
        "crab:sentences_per_paragraph",
        "crab:words_per_sentence",
    ]
    for t in CRAB:
        ct = TYPES[t]
        assert ct.family == "crab" and ct.check and ct.derive and ct.summary and ct.example
        assert ct.check.__module__.startswith("crabplug_crab")


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response=responses(), salt=st.integers(0, 10**6))
def test_derive_then_check_passes_for_every_registered_type(response, salt):
    example = Example(instruction="Write something.", response=response)
    for type_id in DERIVABLE:
        ct = TYPES[type_id]
        kwargs = ct.derive(example, random.Random(f"{salt}:{type_id}"))
        if kwargs is None:
            continue
        assert check(ct, response, kwargs), (type_id, kwargs, response[:300])
        for name, (lo, hi) in ct.ranges.items():  # values a person would ask for (docs/crab.md, natural values)
            assert lo <= kwargs[name] <= hi, (type_id, name, kwargs)


def test_derive_then_check_passes_for_every_type_on_every_bundled_seed():
    for line in BUNDLED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        example = Example(instruction=row["instruction"], response=row["output"])
        for type_id in DERIVABLE:
            kwargs = TYPES[type_id].derive(example, random.Random(type_id))
            if kwargs is not None:
                assert check(TYPES[type_id], example.response, kwargs), (type_id, kwargs, row["id"])


def test_the_crab_family_derives_most_types_from_a_long_essay():
    row = json.loads(BUNDLED.read_text(encoding="utf-8").splitlines()[0])
    example = Example(instruction=row["instruction"], response=row["output"])
    derived = {t for t in CRAB if TYPES[t].derive(example, random.Random(1)) is not None}
    assert len(derived) >= 7, derived


@pytest.mark.parametrize(
    ("type_id", "kwargs", "good", "bad"),
    [
        ("crab:length_range", {"min_words": 2, "max_words": 3}, "one two three", "one"),
        ("crab:length_at_least", {"min_words": 3}, "one two three", "one two"),
        ("crab:length_at_most", {"max_words": 2}, "one two", "one two three"),
        ("crab:length_around", {"num_words": 20}, " ".join(["w"] * 28), " ".join(["w"] * 31)),
        ("crab:words_per_sentence", {"max_words": 3}, "One two three. Four five.", "One two three four. Five."),
        ("crab:chars_per_word", {"max_chars": 5}, "short words only", "extraordinary"),
        ("crab:sentences_per_paragraph", {"max_sentences": 1}, "One. \n\nTwo.", "One. Two.\n\nThree."),
        ("crab:keywords", {"keywords": ["boredom"]}, "Boredom helps.", "Bored dominoes."),
        ("crab:no_punctuation", {"mark": ";"}, "a, b", "a; b"),
    ],
)
def test_each_crab_check_accepts_and_rejects(type_id, kwargs, good, bad):
    assert check(TYPES[type_id], good, kwargs)
    assert not check(TYPES[type_id], bad, kwargs)


def test_each_crab_type_has_several_phrasings():
    for t in CRAB:
        ct = TYPES[t]
        texts = {ct.describe(ct.example, random.Random(i)) for i in range(40)}
        assert len(texts) >= 3, (t, texts)


def test_length_forms_conflict_with_each_other_and_ifevals_word_count():
    for t in ("crab:length_range", "crab:length_at_least", "crab:length_at_most", "crab:length_around"):
        others = {"crab:length_range", "crab:length_at_least", "crab:length_at_most", "crab:length_around"} - {t}
        assert others | {"length_constraints:number_words"} <= TYPES[t].conflicts


def test_length_numbers_are_rounded_to_tens():
    example = Example(instruction="x", response=" ".join(["word"] * 137))
    for t in ("crab:length_range", "crab:length_at_least", "crab:length_at_most", "crab:length_around"):
        for i in range(10):
            kwargs = TYPES[t].derive(example, random.Random(i))
            assert all(v % 10 == 0 for v in kwargs.values()), (t, kwargs)


def _ctx(tmp_path):
    return Context(run_dir=tmp_path, seed=0, registry=REGISTRY)


def test_rules_keeps_only_checked_constraints_marked_verified_by_code(tmp_path):
    bt = REGISTRY.get("back_translators", "rules")()
    row = json.loads(BUNDLED.read_text(encoding="utf-8").splitlines()[3])
    example = Example(instruction=row["instruction"], response=row["output"])
    found = asyncio.run(bt.translate(example, _ctx(tmp_path)))
    assert found and {c.type.split(":")[0] for c in found} > {"crab"}
    for c in found:
        assert (c.origin, c.verified, c.verified_by) == ("rule", True, "code")
        assert check(TYPES[c.type], example.response, c.kwargs)


def test_rules_options_include_exclude_and_cap_per_family(tmp_path):
    row = json.loads(BUNDLED.read_text(encoding="utf-8").splitlines()[0])
    example = Example(instruction=row["instruction"], response=row["output"])
    cls = REGISTRY.get("back_translators", "rules")
    only_crab = cls(types=["crab:*"], exclude=["crab:keywords"]).derive_all(example, _ctx(tmp_path))
    assert only_crab and all(c.type.startswith("crab:") and c.type != "crab:keywords" for c in only_crab)
    capped = cls(max_per_family=2).derive_all(example, _ctx(tmp_path))
    families = [TYPES[c.type].family for c in capped]
    assert all(families.count(f) <= 2 for f in families)
    assert cls().derive_all(example, _ctx(tmp_path)) == cls().derive_all(example, _ctx(tmp_path))


def test_rules_in_worker_processes_finds_the_same_constraints(tmp_path):
    cls = REGISTRY.get("back_translators", "rules")
    examples = [
        Example(instruction=r["instruction"], response=r["output"])
        for r in map(json.loads, BUNDLED.read_text(encoding="utf-8").splitlines()[:6])
    ]

    async def both():
        ctx = _ctx(tmp_path)
        here = [cls().derive_all(e, ctx) for e in examples]
        there = await asyncio.gather(*(cls(workers=2).translate(e, ctx) for e in examples))
        return here, list(there)

    here, there = asyncio.run(both())
    assert here == there and all(here)
