"""IFBench's 58 types give the verdicts of IFBench's own checkers (this package's
packages/crabplug-ifbench/tests/reference/ifbench), strict and loose,
on real responses (IFBench's sample output, o3-mini's answers), edge cases, and edited ones that meet each type; and
``crabplug eval --benchmark ifbench --responses`` reproduces IFBench's evaluator's four numbers on a real file."""

from __future__ import annotations

import json

import ifbench_corpus as corpus
import ifbench_reference as reference
import pytest

from crabplug import check, load_plugins, loose_variants
from crabplug.testing import run_cli

TYPES = load_plugins([]).constraint_types
IFBENCH = sorted(t for t, c in TYPES.items() if c.family == "ifbench")
KWARGS = corpus.kwargs_by_type(limit=2)
ATTEMPTS = corpus.attempts()
ARENA = corpus.arena_responses(6)
EDGES = corpus.edge_cases()


def test_the_58_types_have_ifbench_ids_and_are_for_evaluation_only():
    ood = list(reference.load().registry.INSTRUCTION_DICT)[25:]  # after IFEval's 25 classics
    assert len(IFBENCH) == 58 and set(IFBENCH) == set(ood)
    for type_id in IFBENCH:
        ctype = TYPES[type_id]
        assert ctype.training is False and ctype.check is not None and ctype.derive is None
        kwargs = KWARGS[type_id][0] if KWARGS[type_id] else {}
        assert ctype.describe(kwargs, None).strip()


def _cases(type_id: str) -> list[tuple[dict, str]]:
    responses = ATTEMPTS.get(type_id, []) + ARENA
    cases = [(kw, r) for kw in KWARGS[type_id] for r in responses]
    edges = [(KWARGS[type_id][0] if KWARGS[type_id] else {}, r) for r in EDGES]
    return cases + edges + corpus.PASSING.get(type_id, [])


@pytest.mark.parametrize("type_id", IFBENCH)
def test_verdicts_equal_ifbench_checkers_strict_and_loose(type_id):
    ctype = TYPES[type_id]
    if not reference.has_nltk_data(type_id):
        # NLTK data no PyPI package ships: both sides refuse to guess (docs/eval.md names these types)
        assert reference.verdict(type_id, KWARGS[type_id][0], "Run home.") == "error: LookupError"
        with pytest.raises(LookupError):
            ctype.check("Run home.", **KWARGS[type_id][0])
        return
    seen = set()
    for kwargs, response in _cases(type_id):
        ref_variants = []
        for variant in loose_variants(response):
            ref = reference.verdict(type_id, kwargs, variant) if variant.strip() else False
            if isinstance(ref, str):  # IFBench's checker raised on this response: crabplug says not followed
                ref = False
            ours = check(ctype, variant, kwargs)
            assert ours == ref, (type_id, kwargs, variant[:200])
            ref_variants.append(ref)
        assert check(ctype, response, kwargs, loose=True) == any(ref_variants)
        seen.add(ref_variants[0])
    assert seen == {True, False}, f"{type_id}: the corpus should hold responses that pass and that fail"


def _response_file(tmp_path):
    """IFBench's sample output (294 real responses); the 6 prompts it lacks get real o3-mini answers."""
    answers = corpus.sample_responses()
    stripped = {p.strip() for p in answers}
    spare = iter(corpus.arena_responses(20)[10:])
    for row in corpus.prompts():
        if row["prompt"].strip() not in stripped:
            answers[row["prompt"]] = next(spare)
    path = tmp_path / "responses.jsonl"
    path.write_text("".join(json.dumps({"prompt": p, "response": r}) + "\n" for p, r in answers.items()))
    return path, answers


def _checkable(rows: list[dict]) -> list[dict]:
    """The rows as crabplug scores them: instructions needing absent NLTK data left out, then empty rows."""
    out = []
    for row in rows:
        keep = [i for i, t in enumerate(row["instruction_id_list"]) if reference.has_nltk_data(t)]
        if keep:
            ids = [row["instruction_id_list"][i] for i in keep]
            out.append({**row, "instruction_id_list": ids, "kwargs": [row["kwargs"][i] for i in keep]})
    return out


def test_the_four_numbers_equal_ifbench_evaluator_on_a_real_response_file(tmp_path):
    path, answers = _response_file(tmp_path)
    proc = run_cli("eval", "--benchmark", "ifbench", "--responses", str(path), "-o", str(tmp_path / "o"), "-q")
    assert proc.returncode == 0, proc.stderr
    ours = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    rows = _checkable(corpus.prompts())
    theirs = reference.accuracies(reference.score_file(rows, answers))
    assert ours["prompts"] == len(rows)
    for metric, value in theirs.items():
        assert ours["metrics"][metric] == pytest.approx(value, abs=1e-12), metric
    missing = sorted(t for t in reference.NEEDS_NLTK_DATA if not reference.has_nltk_data(t))
    for type_id in missing:  # each resource named in one sentence, with what to do about it
        (sentence,) = [p for p in ours["problems"] if type_id in p]
        assert "NLTK" in sentence and "nltk.downloader" in sentence
