"""The ``sft`` and ``backtranslation`` outputs: row formats, the optional mix file and its proportions."""

from __future__ import annotations

import collections
import json

import pytest

from crabplug import Annotated, Constraint, Example
from crabplug.errors import ConfigError
from crabplug.plugins import load
from crabplug.stages import Context

REGISTRY = load()
KW = {
    "crab:no_punctuation": {"mark": ";"},
    "crab:length_at_most": {"max_words": 100},
    "crab:chars_per_word": {"max_chars": 12},
    "punctuation:no_comma": {},
    "change_case:english_lowercase": {},
    "crab:keywords": {"keywords": ["answer"]},
}


def _samples(n):
    recs = [
        Annotated(
            example=Example(
                instruction=f"question {i}?",
                response=f"answer {i}",
                context=[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}] if i % 2 else [],
            ),
            constraints=[Constraint(type=t, kwargs=k, verified=True, verified_by="code") for t, k in KW.items()],
        )
        for i in range(n)
    ]
    ctx = Context(run_dir=".", seed=1, registry=REGISTRY)
    # the kwargs are the types' examples, not read from "answer i": the reader check would leave them all out,
    # and the natural choice of lines (issue 30) would give a two-word answer one line; these tests are about rows
    combiner = REGISTRY.get("combiners", "crab")(
        p_many=1.0, many_min=4, many_max=6, reader_check=False, min_natural=0, words_per_constraint=0
    )
    return list(combiner.combine(iter(recs), ctx))


def _write(out, samples, tmp_path):
    ctx = Context(run_dir=tmp_path, seed=1, registry=REGISTRY)
    out.open(ctx)
    out.write(samples, ctx)
    return out.close(ctx)


def test_sft_rows_keep_the_conversation_and_list_ifeval_constraints_for_crabplug_verify(tmp_path):
    samples = _samples(10)
    stats = _write(REGISTRY.get("outputs", "sft")(), samples, tmp_path)
    rows = [json.loads(x) for x in (tmp_path / "sft.jsonl").read_text().splitlines()]
    assert stats["rows"] == len(rows) == 10 and not (tmp_path / "sft-mix.jsonl").exists()
    assert [m["role"] for m in rows[1]["messages"]] == ["user", "assistant", "user", "assistant"]
    assert [m["role"] for m in rows[0]["messages"]] == ["user", "assistant"]
    for row, s in zip(rows, samples, strict=True):
        assert row["messages"][-2]["content"] == s.instruction
        assert row["messages"][-1]["content"] == s.response
        assert set(row["instruction_id_list"]) <= {"punctuation:no_comma", "change_case:english_lowercase"}
        assert len(row["kwargs"]) == len(row["instruction_id_list"])


def test_backtranslation_rows_use_the_base_instruction_and_three_to_six_constraints(tmp_path):
    samples = _samples(60)
    stats = _write(REGISTRY.get("outputs", "backtranslation")(), samples, tmp_path)
    rows = [json.loads(x) for x in (tmp_path / "backtranslation.jsonl").read_text().splitlines()]
    assert stats["rows"] == len(rows) == 60
    for r, s in zip(rows, samples, strict=True):
        user = r["messages"][-2]["content"]
        assert s.provenance["base_instruction"] in user and s.response in user and "Constraints:" not in user
        assert 3 <= len(r["constraints"]) <= 6
    assert set(stats["formats"]) == {"numbered", "bullets", "json", "lines", "prose"}
    json_rows = [r for r in rows if r["format"] == "json"]
    assert json.loads(json_rows[0]["messages"][-1]["content"])["constraints"]


def test_the_mix_file_holds_forward_reverse_70_30_and_general_rows_at_their_share(tmp_path):
    general = tmp_path / "general.jsonl"
    general.write_text(
        "".join(
            json.dumps({"messages": [{"role": "user", "content": f"g{i}"}, {"role": "assistant", "content": "ok"}]})
            + "\n"
            for i in range(20)
        )
    )
    out = REGISTRY.get("outputs", "sft")(reverse_share=0.3, general=str(general), general_share=0.5)
    stats = _write(out, _samples(1000), tmp_path)
    tasks = collections.Counter(json.loads(x)["task"] for x in (tmp_path / "sft-mix.jsonl").read_text().splitlines())
    assert tasks["forward"] == 1000 and stats["mix"]["forward"] == 1000
    assert 0.26 <= tasks["reverse"] / (tasks["forward"] + tasks["reverse"]) <= 0.34
    assert 0.46 <= tasks["general"] / sum(tasks.values()) <= 0.54


def test_bad_mix_options_are_one_sentence(tmp_path):
    with pytest.raises(ConfigError, match="reverse_share"):
        REGISTRY.get("outputs", "sft")(reverse_share=1.0)
    out = REGISTRY.get("outputs", "sft")(general=str(tmp_path / "missing.jsonl"))
    with pytest.raises(ConfigError, match="not found"):
        out.open(Context(run_dir=tmp_path, seed=0, registry=REGISTRY))
    assert not list(tmp_path.glob("sft*"))
