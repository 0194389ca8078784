"""crabplug.rewards: the reward is `crabplug verify`'s share of followed instructions, on real responses."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from ifeval_corpus import kwargs_pool

from crabplug import CrabError, Example
from crabplug.plugins import load
from crabplug.rewards import ConstraintReward, answer_text, compute_score, constraint_reward, validate_rows

REGISTRY = load()
TYPES = REGISTRY.constraint_types


def _runs_here(type_id: str) -> bool:
    """False for a check that needs data this machine lacks (an NLTK model no PyPI package ships)."""
    ct = TYPES[type_id]
    try:
        ct.check("A probe response. It has words.", **(dict(ct.example) if ct.example else {}))
    except LookupError as err:
        return isinstance(err, KeyError)
    except Exception:  # noqa: BLE001  other errors are about the probe's kwargs, not the machine
        pass
    return True


CODE = sorted(t for t, ct in TYPES.items() if ct.check is not None and _runs_here(t))
UNAVAILABLE = sorted(t for t, ct in TYPES.items() if ct.check is not None and not _runs_here(t))
REAL = Path(__file__).parents[2] / "fixtures" / "real" / "arena-o3mini-200.jsonl"  # o3-mini's answers (SOURCE.md)


def real_pairs(n: int) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()[:n]]
    return [(r["instruction"], r["response"]) for r in rows]


def kwargs_candidates(pairs: list[tuple[str, str]]) -> dict[str, list[dict]]:
    """Kwargs for every code-checkable type: its example, IFEval's own, and ones derived from real responses.

    Kwargs derived from one response and checked on others make both verdicts common."""
    pool = kwargs_pool()
    out: dict[str, list[dict]] = {}
    for type_id in CODE:
        ct = TYPES[type_id]
        found = [dict(ct.example)] if ct.example else []
        found += [{}] if not ct.kwargs else []  # a type without arguments
        found += pool.get(type_id, [])[:6]
        if ct.derive is not None:
            for k, (instruction, response) in enumerate(pairs[:12]):
                kw = ct.derive(Example(instruction=instruction, response=response), random.Random(k))
                if kw is not None:
                    found.append(dict(kw))
        out[type_id] = [{k: v for k, v in kw.items() if v is not None} for kw in found]
    return out


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    """Real responses, 6 constraints each, every code-checkable type used at least 3 times (60 rows at least)."""
    pairs = real_pairs(max(60, -(-len(CODE) * 3 // 6)))
    candidates = kwargs_candidates(pairs)
    missing = [t for t, c in candidates.items() if not c]
    assert not missing, f"no kwargs for these types (give them an example): {missing}"
    rng = random.Random(16)
    order = CODE * 200
    out = []
    for i, (instruction, response) in enumerate(pairs):
        types = order[6 * i : 6 * i + 6]
        constraints = [{"type": t, "kwargs": rng.choice(candidates[t])} for t in types]
        out.append({"id": f"r{i}", "prompt": instruction, "response": response, "constraints": constraints})
    return out


def verify_shares(tmp_path: Path, rows: list[dict]) -> list[tuple[float, float]]:
    """(strict, loose) share of followed instructions per row, from the `crabplug verify` command itself."""
    src, dst = tmp_path / "rows.jsonl", tmp_path / "verdicts.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "verify", str(src), "-o", str(dst)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    return [
        (
            sum(o["follow_instruction_list"]) / len(o["follow_instruction_list"]),
            sum(o["follow_instruction_list_loose"]) / len(o["follow_instruction_list_loose"]),
        )
        for o in out
    ]


def test_every_code_checkable_type_is_covered(rows):
    used = {c["type"] for r in rows for c in r["constraints"]}
    assert used == set(CODE) and len(CODE) >= 34  # IFEval's 25 + crab's 9 at least
    assert len(UNAVAILABLE) <= 5, UNAVAILABLE  # the few whose data cannot be installed here (tested below)


@pytest.mark.parametrize("type_id", UNAVAILABLE)
def test_a_type_that_cannot_run_here_is_an_error_in_both_verify_and_the_reward(tmp_path, type_id):
    ct = TYPES[type_id]
    row = {"id": "u", "response": "Some answer.", "constraints": [{"type": type_id, "kwargs": dict(ct.example)}]}
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "crabplug", "verify", str(src), "-o", str(dst)], capture_output=True)
    assert done.returncode == 1 and "error" in json.loads(dst.read_text())
    with pytest.raises(CrabError, match=f"row 0 \\(id u\\): {type_id} cannot be checked here"):
        ConstraintReward()(["Some answer."], constraints=[row["constraints"]], id=["u"])


def test_reward_equals_crabplug_verify_share_strict_and_loose(tmp_path, rows):
    shares = verify_shares(tmp_path, rows)
    completions = [r["response"] for r in rows]
    columns = {"constraints": [r["constraints"] for r in rows], "id": [r["id"] for r in rows]}
    strict = ConstraintReward()(completions, **columns)
    loose = ConstraintReward(loose=True)(completions, **columns)
    assert strict == [s for s, _ in shares]
    assert loose == [lo for _, lo in shares]
    assert 0 < sum(strict) < len(rows) and sum(loose) >= sum(strict)  # both verdicts occur: not all 0 or all 1
    assert len(set(strict)) >= 4


def test_thinking_is_stripped_and_conversational_completions_score_the_same(rows):
    completions = [r["response"] for r in rows[:20]]
    columns = {"constraints": [r["constraints"] for r in rows[:20]]}
    plain = constraint_reward(completions, **columns)
    thought = [f"<think>\nLet me plan: {c[:200]}\n</think>\n\n{c}" for c in completions]
    chat = [[{"role": "assistant", "content": c}] for c in thought]
    assert constraint_reward(thought, **columns) == plain
    assert constraint_reward(chat, **columns) == plain


def test_an_empty_answer_scores_zero_even_when_every_check_would_pass():
    no_comma = [{"type": "punctuation:no_comma", "kwargs": {}}]
    scored = ConstraintReward().score(
        ["", "   \n", "<think>all thinking</think>", "<think>cut off", "ok then"], constraints=[no_comma] * 5
    )
    assert [s.reward for s in scored] == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert [s.empty for s in scored] == [True, True, True, True, False]


def test_answer_text_handles_strings_messages_and_unclosed_thinking():
    assert answer_text("plain  ") == "plain  "  # no thinking: untouched, so verdicts equal crabplug verify's
    assert answer_text("<think>a</think><think>b</think> final ") == "final"
    assert answer_text("before <think> never closed") == "before"
    assert answer_text([{"role": "assistant", "content": "hi"}]) == "hi"
    with pytest.raises(CrabError, match="string or a list of messages"):
        answer_text(42)


def test_breakdown_says_which_constraint_failed():
    constraints = [
        {"type": "punctuation:no_comma", "kwargs": {}},
        {"type": "length_constraints:number_words", "kwargs": {"num_words": 3, "relation": "at least"}},
    ]
    (scored,) = ConstraintReward().score(["One, two, three, four."], constraints=[constraints])
    assert scored.met == (False, True) and scored.by == ("code", "code") and scored.reward == 0.5


def test_ifeval_and_open_instruct_columns_give_the_same_reward():
    ids, kw = ["change_case:english_capital", "punctuation:no_comma"], [{}, {}]
    text = "THIS IS AN ANSWER IN CAPITALS WITH NO COMMA AT ALL"
    ifeval = constraint_reward([text], instruction_id_list=[ids], kwargs=[kw])
    gt = json.dumps([{"instruction_id": ids, "kwargs": kw}])
    assert constraint_reward([text], ground_truth=[gt]) == ifeval == [1.0]
    assert compute_score("ifeval", text, gt) == 1.0  # verl's signature
    assert compute_score("ifeval", text + ", OK", str([{"instruction_id": ids, "kwargs": [None, None]}])) == 0.5


@pytest.mark.parametrize(
    ("constraints", "message"),
    [
        ([{"type": "nosuch:type", "kwargs": {}}], "row 1 \\(id b\\): unknown constraint type 'nosuch:type'"),
        ([{"type": "length_constraints:number_words", "kwargs": {"words": 3}}], "row 1 \\(id b\\): bad kwargs"),
        (
            [{"type": "llm:style", "text": "Be formal."}],
            "row 1 \\(id b\\): llm:style has no code check and no LLM judge",
        ),
        ("not a list", "row 1 \\(id b\\): 'constraints' is a string but not JSON"),
        ({"type": "x"}, "row 1 \\(id b\\): 'constraints' must be a list"),
    ],
)
def test_validate_rows_names_the_bad_row_before_training(constraints, message):
    good = {"id": "a", "constraints": [{"type": "punctuation:no_comma", "kwargs": {}}]}
    with pytest.raises(CrabError, match=message):
        validate_rows([good, {"id": "b", "constraints": constraints}])
    assert validate_rows([good, good]) == 2


def test_a_bad_row_at_scoring_time_is_an_error_not_a_silent_zero():
    with pytest.raises(CrabError, match="row 0: unknown constraint type"):
        constraint_reward(["text"], instruction_id_list=[["nosuch:type"]], kwargs=[[{}]])
    with pytest.raises(CrabError, match="no constraints, instruction_id_list"):
        constraint_reward(["text"], other=[1])


def test_verl_adapter_takes_crabplug_and_open_instruct_ground_truth_dicts():
    text = "THIS IS AN ANSWER IN CAPITALS WITH NO COMMA AT ALL"
    crab = {"constraints": [{"type": "change_case:english_capital", "kwargs": {}}]}
    open_instruct = {"instruction_id": ["punctuation:no_comma"], "kwargs": [{}]}
    assert compute_score("crabplug", text, crab, extra_info={"index": 0}) == 1.0
    assert compute_score("ifeval", text + ", ok", open_instruct) == 0.0
