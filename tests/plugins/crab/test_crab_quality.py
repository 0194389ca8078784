"""Natural values, real keywords, verified transformations and the quality report (issue 14).

Property tests run every transformation and every derive over generated prose and over real answers
(o3-mini on arena-hard v2 prompts, tests/fixtures/real/).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from crabplug_crab.quality import tally
from crabplug_crab.transform import TransformBackTranslator, transformed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crabplug import (
    Annotated,
    ConfigError,
    Context,
    Example,
    Sample,
    TransformSkipped,
    check,
    extract_keywords,
    load_plugins,
    yake_stopwords,
)
from crabplug.constraints import resolved_type_options, validate_type_options
from crabplug.text.keywords import is_content

REGISTRY = load_plugins()
TYPES = REGISTRY.constraint_types
MINE = {t: ct for t, ct in TYPES.items() if ct.family in ("ifeval", "crab")}
TRANSFORMABLE = sorted(t for t, ct in MINE.items() if ct.transform is not None)
REAL = Path(__file__).parents[2] / "fixtures" / "real" / "arena-o3mini-200.jsonl"
REAL_ROWS = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()]

WORDS = st.sampled_from(
    "the river model Python answer garden light, quickly data: café well-known don't 42 1,000 "
    "Paris. yes! maybe? *note* (aside) Section 1. 2)".split(" ")
)
SEPARATORS = st.sampled_from([" ", " ", " ", " ", ". ", ", ", "\n", "\n\n", "! "])


@st.composite
def prose(draw):
    parts = draw(st.lists(st.tuples(WORDS, SEPARATORS), min_size=3, max_size=120))
    return "".join(w + s for w, s in parts).strip()


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"[a-z0-9]+", text.lower().replace(",", "")))


def _ctx(tmp_path: Path, constraints: dict | None = None) -> Context:
    from types import SimpleNamespace

    return Context(run_dir=tmp_path, seed=0, registry=REGISTRY, config=SimpleNamespace(constraints=constraints))


def test_every_ifeval_type_missing_from_back_translation_has_a_transformation():
    assert set(TRANSFORMABLE) >= {
        "change_case:english_lowercase",
        "change_case:english_capital",
        "punctuation:no_comma",
        "detectable_format:json_format",
        "detectable_format:title",
        "detectable_content:postscript",
        "startend:quotation",
        "combination:repeat_prompt",
        "combination:two_responses",
        "detectable_format:multiple_sections",
        "startend:end_checker",
        "detectable_format:constrained_response",
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response=prose(), salt=st.integers(0, 10**6))
def test_each_transformation_keeps_the_words_and_makes_its_own_check_true(response, salt):
    example = Example(instruction="Is the river model good? Explain.", response=response)
    for tid in TRANSFORMABLE:
        ctype = TYPES[tid]
        try:
            edited, kwargs = ctype.transform.apply(example, random.Random(f"{salt}:{tid}"))
        except TransformSkipped as skip:
            assert str(skip)  # a counted reason, never an empty one
            continue
        if tid in ("change_case:english_lowercase", "change_case:english_capital"):
            continue  # their check also asks langdetect for English: generated word salad may not be
        assert check(ctype, edited, kwargs), (tid, kwargs, edited[:200])
        if tid == "detectable_format:json_format":  # the words are inside a JSON string: decode it
            body = edited.removeprefix("```json").removesuffix("```")
            assert json.loads(body) == {"response": response.strip()}
            continue
        said = response
        if tid == "detectable_format:number_bullet_lists":  # the edit turns "1. " list markers into "* "
            said = re.sub(r"^([ \t]*)\d{1,2}[.)][ \t]+", r"\1", response, flags=re.M)
        missing = _tokens(said) - _tokens(edited)
        assert not missing, (tid, missing)  # every word stays (case and commas aside, as the edit says)


@pytest.mark.slow
def test_transformations_on_real_answers_keep_every_other_constraint_of_the_sample(tmp_path):
    ctx = _ctx(tmp_path)
    rules = REGISTRY.get("back_translators", "rules")()
    transform = TransformBackTranslator(scale=4.0, max_per_record=2)
    applied = 0
    for row in REAL_ROWS[:40]:
        example = Example(instruction=row["instruction"], response=row["response"])
        found = rules.derive_all(example, ctx) + transform.translate(example, ctx)
        rec = Annotated(example=example, constraints=found)
        response, forced, others, extra = transformed(rec, list(rec.constraints), ctx)
        applied += bool(forced)
        for c in forced + others:
            ctype = TYPES.get(c.type)
            if ctype is not None and ctype.check is not None:
                assert check(ctype, response, c.kwargs), (c.type, c.kwargs)
        if forced:
            assert extra["untransformed_response"] == row["response"]
            assert extra["transforms"] == [c.type for c in forced]
            assert all(c.origin == "rule" and c.verified_by == "transform" and c.verified for c in forced)
    assert applied >= 20  # measured 35 of 40 at scale 4


def test_a_transformation_that_cannot_apply_is_skipped_with_a_counted_reason(tmp_path):
    ctx = _ctx(tmp_path)
    translator = TransformBackTranslator(shares={"*": 0.0, "detectable_format:json_format": 1.0})
    example = Example(instruction="Give me JSON.", response='{"a": 1, "b": [2, 3]}')
    assert translator.translate(example, ctx) == []
    assert ctx.stats == {"transform.skipped.detectable_format:json_format: already true": 1}
    with pytest.raises(TransformSkipped, match="already json"):
        TYPES["detectable_format:json_format"].transform.apply(example, random.Random(0))


def test_evaluation_only_types_are_never_transformed(tmp_path):
    translator = TransformBackTranslator()
    assert all(getattr(ct, "training", True) for ct in translator.selected(_ctx(tmp_path)))


@pytest.mark.parametrize("row", REAL_ROWS[:30], ids=lambda r: r["metadata"]["uid"])
def test_derive_describe_check_round_trips_inside_the_natural_ranges(row):
    example = Example(instruction=row["instruction"], response=row["response"])
    for tid, ctype in sorted(MINE.items()):
        if ctype.derive is None:
            continue
        rng = random.Random(tid)
        kwargs = ctype.derive(example, rng)
        if kwargs is None:
            continue
        assert check(ctype, example.response, kwargs), (tid, kwargs)
        for name, (lo, hi) in ctype.ranges.items():
            assert lo <= kwargs[name] <= hi, (tid, name, kwargs)
        text = ctype.describe(kwargs, rng)
        assert not re.search(r"\b1 (words|sentences|times|paragraphs|sections|bullet points)\b", text), text
        assert "less than 1 " not in text, text


def test_keywords_are_content_words_with_either_extractor():
    stop = yake_stopwords()
    for row in REAL_ROWS[:20]:
        for extractor in ("fast", "yake"):
            found = extract_keywords(row["response"], extractor=extractor, instruction=row["instruction"])
            assert all(is_content(k) for k in found), (extractor, found)
            assert not any(w in stop for k in found for w in k.lower().split()), found
    assert not is_content("none") and not is_content("little") and not is_content("final")
    assert is_content("tortoise") and is_content("descent lemma")


def test_type_options_are_validated_and_resolved():
    validate_type_options({"keywords:*": {"extractor": "yake"}}, TYPES)
    assert resolved_type_options({"keywords:*": {"extractor": "yake"}}, TYPES)["keywords:existence"] == {
        "extractor": "yake"
    }
    assert resolved_type_options(None, TYPES)["crab:keywords"] == {"extractor": "fast"}
    with pytest.raises(ConfigError, match="must be one of fast, yake"):
        validate_type_options({"crab:keywords": {"extractor": "bert"}}, TYPES)
    with pytest.raises(ConfigError, match="matches no registered constraint type"):
        validate_type_options({"nope:*": {"extractor": "fast"}}, TYPES)
    with pytest.raises(ConfigError, match="has no option 'colour'"):
        validate_type_options({"crab:keywords": {"colour": "red"}}, TYPES)


def test_the_extractor_option_reaches_derive(tmp_path):
    rules = REGISTRY.get("back_translators", "rules")(types=("crab:keywords",))
    differ = 0
    for row in [r for r in REAL_ROWS if len(r["response"].split()) >= 150][:10]:
        example = Example(instruction=row["instruction"], response=row["response"])
        fast = rules.derive_all(example, _ctx(tmp_path, {"crab:keywords": {"extractor": "fast"}}))
        yake = rules.derive_all(example, _ctx(tmp_path, {"crab:keywords": {"extractor": "yake"}}))
        differ += bool(fast and yake and fast[0].kwargs != yake[0].kwargs)
    assert differ >= 3  # the two extractors rank differently on most answers


def test_the_quality_report_counts_what_a_reader_would_complain_about():
    from crabplug import Constraint

    def sample(*constraints, transforms=()):
        return Sample(
            instruction="x",
            response="y",
            constraints=constraints,
            example_id="e",
            provenance={"transforms": list(transforms)} if transforms else {},
        )

    stop = Constraint(type="keywords:existence", kwargs={"keywords": ["none", "tortoise"]}, text="Include none")
    wide = Constraint(
        type="detectable_format:number_highlighted_sections", kwargs={"num_highlights": 290}, text="Mark 290"
    )
    fine = Constraint(type="punctuation:no_comma", verified=True, verified_by="transform", text="No commas.")
    report = tally([sample(stop, stop), sample(wide, fine, transforms=["punctuation:no_comma"])], TYPES)
    assert report["samples"] == 2 and report["transformed_samples"] == 1
    assert report["stopword_keywords"] == 2 and report["stopword_examples"] == ["keywords:existence: none"]
    assert report["duplicate_constraints"] == 1
    assert report["values_in_range"] == 0.0 and report["values_checked"] == 1
    assert report["types"]["punctuation:no_comma"] == {
        "samples": 1,
        "share": 0.5,
        "target": 0.122,
        "from_transform": 1,
        "phrasings": 1,
    }
    assert report["constraints_per_sample"] == {"mean": 2.0, "histogram": {"2": 2}}


@pytest.mark.slow
def test_a_run_reports_quality_pairs_transformed_answers_and_records_type_options(tmp_path):
    """Real seeds through rules + transform, the card, DPO; then a resume with another extractor is refused."""
    import subprocess
    import sys

    config = tmp_path / "real.yaml"
    body = (
        f"name: real\nrun_dir: {tmp_path / 'run'}\nlimit: 32\nseeds: [{{plugin: jsonl, path: '{REAL}'}}]\n"
        "back_translators: [rules, {plugin: transform, scale: 3}]\nverifiers: [code]\ncombiner: {plugin: crab}\n"
        "constraints: {'crab:keywords': {extractor: EXTRACTOR}}\noutputs: [sft, dpo, card]\n"
    )
    config.write_text(body.replace("EXTRACTOR", "fast"), encoding="utf-8")
    crabplug = [sys.executable, "-m", "crabplug"]
    subprocess.run([*crabplug, "run", str(config), "-q"], check=True, capture_output=True, text=True)
    run = tmp_path / "run"
    stats = json.loads((run / "stats.json").read_text(encoding="utf-8"))
    quality = stats["quality"]
    # a record whose every constraint a reader would object to (a bare listing), or with no line a person would
    # ask for (issue 30's natural choice), gives no sample, and is counted: 23 of these 32 give one (25 before issue
    # 30's seventh round, which leaves two with one line that cannot stand alone: crab.single_line_dropped). 2 keep
    # an edit (7 of 24 before crabplug_crab.fits, 2 of 24 after it, 1 of 24 since *** needs paragraphs of 40 words): the
    # transform applies many edits, but a line keeps its level only where it fits the answer and the request
    # (bullets where they are the answer's body or asked for; "repeat the request", quotes and ALL CAPS below
    # min_natural), so most go. 20 give one and 1 keeps an edit since the fifteenth round ("no commas", a P.S. and
    # two paragraphs only where the request asks for them)
    left_out = sum(
        stats.get(f"crab.{name}", 0)
        for name in ("no_readable_constraints", "no_verified_constraints", "no_natural_anchor", "single_line_dropped")
    )
    assert quality["samples"] + left_out == 32 and quality["samples"] >= 20 and quality["transformed_samples"] >= 1
    assert quality["values_in_range"] == 1.0 and quality["duplicate_constraints"] == 0
    card = (run / "README.md").read_text(encoding="utf-8")
    assert "## Quality" in card and "![quality: type mix against the target](card/quality_types.png)" in card
    assert (run / "card" / "quality_types.png").stat().st_size > 5000
    shown = subprocess.run([*crabplug, "show", str(run), "--quality"], check=True, capture_output=True, text=True)
    assert "values_in_range: 1.0" in shown.stdout and "transformed_samples" in shown.stdout
    pairs = [json.loads(line) for line in (run / "dpo.jsonl").read_text(encoding="utf-8").splitlines()]
    transformed_pairs = [p for p in pairs if p["strategy"] == "transform"]
    assert len(transformed_pairs) >= 1  # the edited sample above
    samples = {s["id"]: s for s in map(json.loads, (run / "samples.jsonl").read_text(encoding="utf-8").splitlines())}
    for pair in transformed_pairs:
        sample = samples[pair["id"]]
        assert pair["rejected"][0]["content"] == sample["provenance"]["untransformed_response"]
        assert pair["chosen"][0]["content"] == sample["response"] != pair["rejected"][0]["content"]
        assert {v["type"] for v in pair["violated"]} & set(sample["provenance"]["transforms"])
    assert "extractor: fast" in (run / "config.yaml").read_text(encoding="utf-8")
    config.write_text(body.replace("EXTRACTOR", "yake"), encoding="utf-8")
    again = subprocess.run([*crabplug, "run", str(config), "-q"], capture_output=True, text=True)
    assert again.returncode != 0 and "(constraints changed)" in again.stderr


def test_a_plugin_registers_a_transformation_and_a_buggy_one_costs_only_its_edit(tmp_path):
    from types import SimpleNamespace

    from crabplug import Constraint, ConstraintType, Transform

    def fence(example, rng):
        return f"```text\n{example.response.strip()}\n```", {}

    def broken(example, rng):
        raise ValueError("a bug in a plugin")

    calls = iter(range(100))

    def drifting(example, rng):  # not deterministic: kwargs differ on every call
        return example.response + "!", {"n": next(calls)}

    def make(name, edit, check, kwargs=()):
        return ConstraintType(
            id=f"demo:{name}",
            family="demo",
            describe=lambda kw, rng: name,
            check=check,
            kwargs=kwargs,
            transform=Transform(edit, share=1.0),
        )

    fenced = make("fenced", fence, lambda r: r.strip().startswith("```text"))
    types = {
        t.id: t
        for t in (
            fenced,
            make("broken", broken, lambda r: r.startswith("[")),
            make("drifting", drifting, lambda r, n: r.endswith("!"), ("n",)),
        )
    }
    ctx = Context(run_dir=tmp_path, registry=SimpleNamespace(constraint_types=types))
    example = Example(instruction="Say hi.", response="Hello there, friend.")
    found = TransformBackTranslator(exclude=("demo:drifting",)).translate(example, ctx)
    assert [c.type for c in found] == ["demo:fenced"] and found[0].verified_by == "transform"
    assert ctx.stats["transform.skipped.demo:broken: error ValueError"] == 1
    other = Constraint(type="demo:other", text="Be friendly.", origin="some-llm", verified=True, verified_by="llm")
    response, forced, others, extra = transformed(
        Annotated(example=example, constraints=[*found, other]), [*found, other], ctx
    )
    assert response == "```text\nHello there, friend.\n```" and forced == found and others == [other]
    assert extra == {"transforms": ["demo:fenced"], "untransformed_response": "Hello there, friend."}
    drift = TransformBackTranslator(types=("demo:drifting",)).translate(example, ctx)
    assert [c.type for c in drift] == ["demo:drifting"]
    rec = Annotated(example=example, constraints=drift)
    assert transformed(rec, list(drift), ctx) == ("Hello there, friend.", [], [], {})
    assert ctx.stats["transform.reapply_failed"] == 1
