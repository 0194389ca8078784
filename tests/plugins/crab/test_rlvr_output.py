"""Output ``rlvr``: prompt rows with their constraints as ground truth, in crabplug's and open-instruct's formats."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

import pytest

from crabplug import ConfigError, Constraint, Context, Example, Sample, check
from crabplug.plugins import load
from crabplug.rewards import ConstraintReward, validate_rows

REGISTRY = load()
TYPES = REGISTRY.constraint_types
REAL = Path(__file__).parents[2] / "fixtures" / "real" / "arena-o3mini-200.jsonl"  # o3-mini's answers (SOURCE.md)
EVAL_ONLY = sorted(t for t, ct in TYPES.items() if not getattr(ct, "training", True) and ct.check is not None)


@functools.lru_cache(maxsize=1)
def real_samples(n: int = 40) -> list[Sample]:
    """Samples as the combiner leaves them: every type derived from a real response, verified by its check.

    Each also carries a free-text LLM constraint and an eval-only (benchmark) constraint, which the output
    must leave out; every fifth has an earlier conversation turn."""
    out = []
    for i, line in enumerate(REAL.read_text(encoding="utf-8").splitlines()[:n]):
        row = json.loads(line)
        example = Example(instruction=row["instruction"], response=row["response"])
        constraints = []
        for type_id, ct in sorted(TYPES.items()):
            if ct.derive is None or ct.check is None or not getattr(ct, "training", True):
                continue
            kwargs = ct.derive(example, random.Random(f"{i}:{type_id}"))
            if kwargs is not None and check(ct, example.response, kwargs):
                constraints.append(Constraint(type=type_id, kwargs=kwargs, text=f"[{type_id}]", verified=True))
        constraints.append(Constraint(type="llm:style", text="Write clearly.", origin="test-model", verified=True))
        constraints.append(Constraint(type=EVAL_ONLY[i % len(EVAL_ONLY)], kwargs={}, text="eval only", verified=True))
        provenance = {"base_instruction": example.instruction, "source": "arena"}
        if i % 5 == 4:
            provenance["context"] = [{"role": "user", "content": "Hi."}, {"role": "assistant", "content": "Hello!"}]
        out.append(Sample(example.instruction, example.response, constraints, example.id, provenance))
    return out


def write(tmp_path: Path, **options) -> tuple[list[dict], list[dict], dict]:
    from crabplug_crab.rlvr import RlvrOutput

    ctx = Context(run_dir=tmp_path, seed=3, registry=REGISTRY)
    output = RlvrOutput(**options)
    output.open(ctx)
    output.write(real_samples(), ctx)
    stats = output.close(ctx)
    read = lambda name: [json.loads(x) for x in (tmp_path / name).read_text(encoding="utf-8").splitlines()]  # noqa: E731
    return read("rlvr.jsonl"), read("rlvr-open-instruct.jsonl"), stats


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write(tmp_path_factory.mktemp("rlvr"), max_constraints=6)


def test_the_rlvr_output_is_registered():
    assert "rlvr" in REGISTRY.items["outputs"]


def test_rows_are_prompts_with_one_to_n_constraints(written):
    rows, _, stats = written
    assert len(rows) == 40 and stats["rows"] == 40
    counts = [len(r["constraints"]) for r in rows]
    assert min(counts) >= 1 and max(counts) == 6 and len(set(counts)) >= 4  # 1..N, drawn
    for r in rows:
        assert r["prompt"][-1]["role"] == "user" and "response" not in r
        assert all(c["text"] in r["prompt"][-1]["content"] for c in r["constraints"])  # the prompt asks for them


def test_no_row_holds_conflicting_eval_only_or_free_text_constraints(written):
    rows, oi_rows, _ = written
    assert EVAL_ONLY  # the ifbench family is installed, so exclusion is exercised
    for r in rows:
        ids = [c["type"] for c in r["constraints"]]
        assert len(set(ids)) == len(ids)
        for a in ids:
            assert getattr(TYPES[a], "training", True) and TYPES[a].check is not None
            assert not any(b in TYPES[a].conflicts for b in ids if b != a), ids
    used = {c["type"] for r in rows for c in r["constraints"]}
    assert not used & set(EVAL_ONLY) and "llm:style" not in used


def test_the_original_response_earns_full_reward(written):
    rows, _, _ = written
    responses = {s.id: s.response for s in real_samples()}
    assert validate_rows(rows) == 40  # every row is usable before training starts
    rewards = ConstraintReward()([responses[r["id"]] for r in rows], constraints=[r["constraints"] for r in rows])
    assert rewards == [1.0] * 40


def test_open_instruct_rows_hold_only_its_types_and_single_turn_prompts(written):
    _, oi_rows, stats = written
    assert len(oi_rows) == stats["open_instruct_rows"] == 32 and stats["open_instruct_skipped_multi_turn"] == 8
    for r in oi_rows:
        assert set(r) == {"id", "messages", "ground_truth", "dataset"} and r["dataset"] == "ifeval"
        assert [m["role"] for m in r["messages"]] == ["user"]
        truth = json.loads(r["ground_truth"])
        assert {TYPES[t].family for t in truth[0]["instruction_id"]} <= {"ifeval", "iftrain"}


def test_soft_constraints_are_kept_when_asked(tmp_path):
    rows, _, _ = write(tmp_path, soft=True, min_constraints=8, max_constraints=40)
    assert any(c["type"] == "llm:style" for r in rows for c in r["constraints"])


def test_same_config_same_bytes(tmp_path):
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        write(tmp_path / run, max_constraints=4)
    for name in ("rlvr.jsonl", "rlvr-open-instruct.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_bad_constraint_counts_are_a_config_error():
    from crabplug_crab.rlvr import RlvrOutput

    with pytest.raises(ConfigError, match="min_constraints"):
        RlvrOutput(min_constraints=3, max_constraints=2)


def test_crabplug_run_writes_rlvr_prompts_and_the_card_counts_them(tmp_path):
    import subprocess
    import sys

    config = tmp_path / "rlvr.yaml"
    config.write_text(
        "name: rlvr-run\nseed: 0\nrun_dir: run\nlimit: 4\nseeds: [bundled]\nback_translators: [rules]\n"
        "verifiers: [code]\ncombiner: {plugin: crab}\noutputs: [{plugin: rlvr, max_constraints: 3}, card]\n",
        encoding="utf-8",
    )
    run = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", str(config), "-o", str(run), "-q"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(x) for x in (run / "rlvr.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4 and all(1 <= len(r["constraints"]) <= 3 for r in rows)
    assert validate_rows(rows) == 4
    card = (run / "README.md").read_text(encoding="utf-8")
    assert "| rlvr rows (rlvr.jsonl) | 4 |" in card and "config_name: rlvr" in card
