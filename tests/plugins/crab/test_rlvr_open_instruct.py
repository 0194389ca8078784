"""Our open-instruct rows, read by open-instruct's own RLVR loading and scored by its own IFEval verifier.

The reference code is tests/reference/open_instruct_rlvr/ (unmodified excerpts, commit in its README) over
IFEvalG's checkers in packages/crabplug-iftrain/tests/reference/open_instruct_ifevalg/.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

# IFEvalG's checkers live with the iftrain family's own tests
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "packages" / "crabplug-iftrain" / "tests"))
import ifeval_reference  # noqa: E402
import iftrain_reference  # noqa: E402
import pytest  # noqa: E402
from test_rlvr_output import real_samples, write  # noqa: E402
from trl_helpers import make_tokenizer  # noqa: E402

from crabplug.rewards import ConstraintReward  # noqa: E402

pytestmark = pytest.mark.slow  # datasets + two transforms: about 20 s on two loaded cores

REFERENCE = Path(__file__).parents[2] / "reference" / "open_instruct_rlvr" / "open_instruct_rlvr.py"


@pytest.fixture(scope="module")
def open_instruct():
    iftrain_reference.registry()  # IFEvalG importable, NLTK's word tokenizer offline
    from open_instruct.IFEvalG import instructions_util

    # its sentence splitter loads NLTK's punkt pickle, which cannot be downloaded here: the same offline Punkt
    splitter = ifeval_reference.reference_splitter()
    instructions_util._get_sentence_tokenizer = lambda: splitter
    spec = importlib.util.spec_from_file_location("open_instruct_rlvr", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("oi")
    write(out, max_constraints=6)
    return out / "rlvr-open-instruct.jsonl"


@pytest.fixture(scope="module")
def loaded(rows_file, open_instruct, tmp_path_factory):
    """The rows as open-instruct's GRPO data loader reads a local .jsonl, through both its RLVR transforms."""
    from datasets import load_dataset

    tok = make_tokenizer(tmp_path_factory.mktemp("tok"))
    dataset = load_dataset("json", data_files=str(rows_file), split="train")
    v1 = dataset.map(open_instruct.rlvr_tokenize_v1, fn_kwargs={"tokenizer": tok})
    v3 = dataset.map(open_instruct.rlvr_tokenize_v3, fn_kwargs={"tokenizer": tok})
    return dataset, v1, v3


def test_open_instructs_loaders_read_our_rows_unchanged(loaded):
    dataset, v1, v3 = loaded
    assert len(dataset) == 32
    for raw, a, b in zip(dataset, v1, v3, strict=True):
        user = raw["messages"][-1]["content"]
        assert a["prompt"] == b["prompt"] == f"user: {user}"  # the whole prompt, nothing dropped
        assert a["input_ids_prompt"] == b["input_ids_prompt"] and len(b["input_ids_prompt"]) > 3
        assert a["ground_truth"] == raw["ground_truth"] and b["ground_truth"] == [raw["ground_truth"]]
        assert b["dataset"] == ["ifeval"]


def test_open_instructs_verifier_agrees_with_crabplug_rewards(loaded, open_instruct):
    dataset, _, v3 = loaded
    responses = {s.id: s.response for s in real_samples()}
    others = list(responses.values())
    verifier = open_instruct.IFEvalVerifier()
    reward = ConstraintReward()
    theirs, ours = [], []
    for i, row in enumerate(v3):
        label = row["ground_truth"][0]  # what grpo_fast hands the "ifeval" verifier
        for response in (responses[dataset[i]["id"]], others[(i + 7) % len(others)], f"<think>plan</think>{others[i]}"):
            theirs.append(verifier([], response, label).score)
            ours.append(reward([response], ground_truth=[label])[0])
    assert theirs[0::3] == [1.0] * len(v3)  # the original response meets its ground truth in their verifier too
    assert ours == pytest.approx(theirs)
    assert 0 < sum(theirs[1::3]) < len(v3)  # other responses: both verdicts occur


def test_booleans_in_kwargs_survive_literal_eval(open_instruct):
    from crabplug_crab.rlvr import ground_truth

    from crabplug import Constraint

    label = ground_truth([Constraint(type="punctuation:no_comma", kwargs={"flag": True})])
    parsed = json.loads(json.loads(label)[0])  # the object, as a JSON string inside the list
    assert parsed == {"instruction_id": ["punctuation:no_comma"], "kwargs": [{"flag": True}]}
    import ast

    assert json.loads(ast.literal_eval(label)[0]) == parsed  # open-instruct's own reading
